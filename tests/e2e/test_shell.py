"""The staff shell in a real browser: logging in, the search box, navigation by role, language.

The browser asks for Chinese (zh-CN), as the staff's do; `zh(msgid)` is what the Chinese
catalog says for an English msgid, so the assertions read what a Chinese user reads.
"""

import re

from playwright.sync_api import Page, expect

from tests.factories import CustomerFactory, UnitFactory, make_staff


def test_front_desk_finds_a_customer_by_phone_as_she_types(page: Page, log_in):
    clerk = make_staff("wangli", "front_desk")
    customer = CustomerFactory(name="张伟", phone="+8613800138000")
    unit = UnitFactory(customer=customer, serial="860000001234567")
    log_in(clerk)
    page.evaluate("window.stillTheSamePage = true")

    page.locator("#global-search").press_sequentially("138 0013 8000", delay=30)

    found = page.locator("#search-results").get_by_role("link", name=re.compile("张伟"))
    expect(found).to_be_visible()
    expect(found).to_contain_text("138 0013 8000")
    assert page.evaluate("window.stillTheSamePage") is True, "the results came without a page load"

    found.click()

    expect(page).to_have_url(re.compile(rf"/customers/{customer.id}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("张伟")
    main = page.locator("main")
    expect(main).to_contain_text("138 0013 8000")
    expect(main.locator("table.units")).to_contain_text(unit.serial)


def test_the_search_box_works_from_the_keyboard(page: Page, log_in):
    clerk = make_staff("wangli", "front_desk")
    customer = CustomerFactory(name="李娜")
    UnitFactory(customer=customer, serial="860000001234567")
    log_in(clerk)
    box = page.locator("#global-search")
    results = page.locator("#search-results")

    page.keyboard.press("/")  # from anywhere on the page
    expect(box).to_be_focused()
    page.keyboard.type("86000000123")
    expect(results.locator('.results[data-q="86000000123"]')).to_contain_text("860000001234567")

    page.keyboard.press("Escape")
    expect(results).to_be_hidden()
    expect(box).to_have_value("86000000123")

    page.keyboard.press("ArrowDown")
    first = results.get_by_role("link").first
    expect(first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/warranty/units/860000001234567/$"))

    page.go_back()
    page.locator("#global-search").fill("")
    page.locator("#global-search").press_sequentially("李娜")
    expect(results.locator('.results[data-q="李娜"]')).to_be_visible()
    page.keyboard.press("Enter")  # straight from the box: the first result
    expect(page).to_have_url(re.compile(rf"/customers/{customer.id}/$"))


def test_a_wrong_password_is_refused_in_chinese_and_stays_on_the_login_page(page: Page, zh):
    make_staff("wangli", "front_desk")

    page.goto("/login/")
    page.locator("#id_username").fill("wangli")
    page.locator("#id_password").fill("not-the-password")
    page.get_by_role("button", name=zh("Log in")).click()

    expect(page.get_by_role("alert")).to_have_text(zh("Wrong username or password."))
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("#id_username")).to_have_value("wangli")
    expect(page.get_by_role("navigation")).to_have_count(0)


def test_the_navigation_follows_the_role(page: Page, new_context, log_in, zh):
    agent = make_staff("lixy", "hotline")
    admin = make_staff("boss", "admin")

    log_in(agent)
    agent_nav = page.get_by_role("navigation", name=zh("Main navigation"))
    expect(agent_nav.get_by_role("link", name=zh("Workbench"), exact=True)).to_be_visible()
    expect(agent_nav.get_by_role("link", name=zh("Administration"), exact=True)).to_have_count(0)
    # The hotline registers customers and units, so it reaches the master data.
    expect(agent_nav.get_by_role("link", name=zh("Master data"), exact=True)).to_be_visible()
    expect(page.locator(".topbar .role")).to_have_text(zh("Hotline agent"))

    admins_page = new_context().new_page()  # another desk, another browser session
    log_in(admin, page=admins_page)
    admin_nav = admins_page.get_by_role("navigation", name=zh("Main navigation"))
    expect(admin_nav.get_by_role("link", name=zh("Master data"), exact=True)).to_have_count(0)
    admin_link = admin_nav.get_by_role("link", name=zh("Administration"), exact=True)
    expect(admin_link).to_have_attribute("href", "/admin/")
    admin_link.click()
    expect(admins_page).to_have_url(re.compile(r"/admin/$"))


def test_switching_the_language_to_english_shows_english_labels(page: Page, log_in):
    clerk = make_staff("wangli", "front_desk")
    log_in(clerk)
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")

    page.locator("select[name=language]").select_option("en")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Workbench")
    expect(page.get_by_role("navigation", name="Main navigation")).to_contain_text("Workbench")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator(".topbar .role")).to_have_text("Front desk")
    expect(page.locator("#global-search")).to_have_attribute(
        "placeholder", "Number, phone, serial or name"
    )
    page.goto("/search/?q=nobody")  # the choice sticks for the next pages
    expect(page.locator("main")).to_contain_text("Nothing found")


def test_logging_out_returns_to_login_and_locks_the_pages(page: Page, log_in, zh):
    clerk = make_staff("wangli", "front_desk")
    customer = CustomerFactory()
    log_in(clerk)

    page.get_by_role("button", name=zh("Log out")).click()

    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.locator("#id_username")).to_be_visible()
    for path in ("/", f"/customers/{customer.id}/", "/search/?q=138"):
        page.goto(path)
        expect(page).to_have_url(re.compile(r"/login/\?next="))
        expect(page.locator("#global-search")).to_have_count(0)
