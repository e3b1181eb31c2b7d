"""The staff shell's pages without a browser: the search box's answers, access, and not-found."""

import pytest

from tests.factories import CustomerFactory, UnitFactory, make_plain_user, make_staff

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_CURRENT_URL": "http://testserver/"}


@pytest.fixture
def clerk_client(client, db):
    client.force_login(make_staff("wangli", "front_desk"))
    return client


def test_the_search_answers_htmx_with_the_fragment_and_a_browser_with_a_page(clerk_client):
    CustomerFactory(name="张伟", phone="+8613800138000")

    fragment = clerk_client.get("/search/", {"q": "张伟"}, **HTMX)
    page = clerk_client.get("/search/", {"q": "张伟"})

    assert fragment.status_code == 200
    assert [t.name for t in fragment.templates][0] == "shell/partials/_search_results.html"
    assert b"<html" not in fragment.content
    assert "张伟" in fragment.text
    assert page.status_code == 200
    assert page.templates[0].name == "shell/search.html"
    assert b"<html" in page.content
    assert "张伟" in page.text


@pytest.mark.parametrize(
    "spelling",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+8613800138000",
        "8613800138000",
        "008613800138000",
        "1380013",  # the beginning, as it is being typed
    ],
)
def test_a_phone_in_any_spelling_finds_the_customer(clerk_client, spelling):
    customer = CustomerFactory(name="张伟", phone="+8613800138000")
    CustomerFactory(name="王芳", phone="+8613900139000")

    answer = clerk_client.get("/search/", {"q": spelling}, **HTMX)

    assert answer.context["results"]["customers"] == [customer]
    assert f'href="/customers/{customer.id}/"' in answer.text


def test_the_beginning_of_a_serial_finds_the_unit_and_leads_to_its_page(clerk_client):
    owner = CustomerFactory(name="张伟")
    unit = UnitFactory(serial="860000001234567", customer=owner)
    UnitFactory(serial="359000000000001")

    answer = clerk_client.get("/search/", {"q": "8600000012"}, **HTMX)

    assert answer.context["results"]["units"] == [unit]
    assert "860000001234567" in answer.text
    assert f'href="/warranty/units/{unit.serial}/"' in answer.text


def test_nothing_found_says_so(clerk_client):
    answer = clerk_client.get("/search/", {"q": "no-such-thing"}, **HTMX)

    assert answer.context["results"] == {
        "requests": [],
        "work_orders": [],
        "customers": [],
        "units": [],
    }
    assert "no-such-thing" in answer.text


@pytest.mark.parametrize("path", ["/", "/search/?q=138", "/customers/1/"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, db, path):
    answer = client.get(path)

    assert answer.status_code == 302
    assert answer["Location"].startswith("/login/?next=")


def test_an_anonymous_search_box_sends_the_whole_browser_to_log_in(client, db):
    # A plain redirect would swap the login page into the drop-down.
    answer = client.get("/search/", {"q": "138"}, **HTMX)

    assert answer["HX-Redirect"] == "/login/?next=/"


def test_a_signed_in_user_without_a_role_may_not_see_customers(client, db):
    customer = CustomerFactory()
    client.force_login(make_plain_user())

    assert client.get("/").status_code == 403
    assert client.get("/search/", {"q": customer.phone}).status_code == 403
    assert client.get(f"/customers/{customer.id}/").status_code == 403


def test_the_customer_page_shows_the_customer_and_their_units(clerk_client):
    customer = CustomerFactory(name="张伟", phone="+8613800138000")
    UnitFactory(customer=customer, serial="860000001234567")

    answer = clerk_client.get(f"/customers/{customer.id}/")

    assert answer.status_code == 200
    assert "张伟" in answer.text
    assert "138 0013 8000" in answer.text  # read-aloud form; the tel: link dials +8613800138000
    assert "860000001234567" in answer.text


def test_an_unknown_customer_is_a_404_page(clerk_client):
    answer = clerk_client.get("/customers/999999/")

    assert answer.status_code == 404
    assert answer.templates[0].name == "404.html"


def test_an_unknown_api_path_is_a_404_in_the_error_format(client, db):
    answer = client.get("/api/v1/unknown")

    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("application/json")
    body = answer.json()
    assert body["error"]["code"] == "not_found"
    assert body["error"]["message"]
    assert body["error"]["details"] == {}


def test_pages_speak_chinese_by_default_and_english_on_request(client, db):
    chinese = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    default = client.get("/login/")
    english = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="zh-hans">' in chinese.text
    assert '<html lang="zh-hans">' in default.text
    assert '<html lang="en">' in english.text
