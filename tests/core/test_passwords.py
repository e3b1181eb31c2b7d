"""Every password set passes Django's validators (decision 55): a user's own change on the
"change my password" page, and the admin's forms (`adduser`: tests/dispatch/test_adduser.py)."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.factories import PASSWORD, make_staff
from tests.words import zh

GOOD = "river-stone-77"


@pytest.fixture
def lixy(db):  # type: ignore[no-untyped-def]
    return make_staff("lixy", "hotline")


def change(client, new: str, old: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        "/password/", {"old_password": old, "new_password1": new, "new_password2": new}
    )


def test_the_user_menu_leads_to_changing_my_password(lixy, client):
    client.force_login(lixy)

    page = client.get("/password/")

    assert 'href="/password/"' in client.get("/").text
    assert page.status_code == 200
    assert zh("Change my password") in page.text
    assert "至少 8 个字符" in page.text  # the rules, before anyone gets them wrong


def test_a_weak_new_password_is_refused_in_words(lixy, client):
    client.force_login(lixy)

    answer = change(client, "12345678")

    assert answer.status_code == 200
    assert "这个密码太常见了。" in answer.text
    assert "密码只包含数字。" in answer.text
    assert User.objects.get(pk=lixy.pk).check_password(PASSWORD)


def test_a_wrong_old_password_changes_nothing(lixy, client):
    client.force_login(lixy)

    answer = change(client, GOOD, old="not-it")

    assert answer.status_code == 200
    assert User.objects.get(pk=lixy.pk).check_password(PASSWORD)


def test_a_good_new_password_is_set_and_i_stay_logged_in(lixy, client):
    client.force_login(lixy)

    answer = change(client, GOOD)

    assert answer.status_code == 302 and answer["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert zh("Your password was changed. Your API tokens no longer work: get new ones.") in (
        home.text
    )
    assert User.objects.get(pk=lixy.pk).check_password(GOOD)


def test_my_other_sessions_end_when_i_change_my_password(lixy, client):
    phone = Client()
    phone.force_login(lixy)
    client.force_login(lixy)

    change(client, GOOD)

    assert phone.get("/").status_code == 302  # to the login page
    assert client.get("/").status_code == 200


def test_the_admin_refuses_a_weak_password_for_a_new_user(db, client):
    client.force_login(make_staff("boss", "admin"))

    answer = client.post(
        "/admin/auth/user/add/",
        {"username": "newbie", "password1": "1", "password2": "1", "usable_password": "true"},
    )

    assert answer.status_code == 200
    assert "这个密码太常见了。" in answer.text
    assert not User.objects.filter(username="newbie").exists()


def test_the_admin_refuses_a_weak_password_for_an_existing_user(lixy, client):
    client.force_login(make_staff("boss", "admin"))

    answer = client.post(
        f"/admin/auth/user/{lixy.pk}/password/",
        {"password1": "lixy1", "password2": "lixy1", "usable_password": "true"},
    )

    assert answer.status_code == 200
    assert "密码长度太短。密码必须包含至少 8 个字符。" in answer.text
    assert User.objects.get(pk=lixy.pk).check_password(PASSWORD)
