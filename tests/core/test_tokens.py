"""An API token ends with the password it was issued under, with its user's account, and when
its holder logs out (decision 55; docs/api.md "Auth")."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from tests.conftest import ApiClient
from tests.factories import PASSWORD, make_staff

NEW_PASSWORD = "another-pass-42"


@pytest.fixture
def lixy(db):  # type: ignore[no-untyped-def]
    return make_staff("lixy", "hotline")


def token_of(username: str = "lixy", password: str = PASSWORD) -> str:
    answer = ApiClient().post("/auth/token", {"username": username, "password": password})
    assert answer.status_code == 200
    return answer.json()["token"]


def works(token: str) -> bool:
    status = ApiClient(token).get("/centers").status_code
    assert status in (200, 401)
    return status == 200


def test_changing_my_password_ends_my_tokens(lixy, client):
    token = token_of()
    client.force_login(lixy)

    answer = client.post(
        "/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert answer.status_code == 302
    assert not works(token)
    assert works(token_of(password=NEW_PASSWORD))


def test_a_password_set_in_the_admin_ends_the_users_tokens(lixy, client):
    token = token_of()
    client.force_login(make_staff("boss", "admin"))

    answer = client.post(
        f"/admin/auth/user/{lixy.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert answer.status_code == 302
    assert not works(token)


def test_adduser_with_a_new_password_ends_the_tokens_and_the_same_one_keeps_them(lixy):
    token = token_of()

    call_command("adduser", "lixy", "--role", "hotline", "--password", PASSWORD)
    assert works(token)

    call_command("adduser", "lixy", "--role", "hotline", "--password", NEW_PASSWORD)
    assert not works(token)


def test_a_user_deactivated_in_the_admin_loses_their_tokens_for_good(lixy, client):
    token = token_of()
    client.force_login(make_staff("boss", "admin"))
    form = client.get(f"/admin/auth/user/{lixy.pk}/change/").context["adminform"].form
    fields = {
        name: value
        for name, value in form.initial.items()
        if name not in ("password", "last_login", "date_joined", "user_permissions")
        and value is not None
    }
    fields["groups"] = [g.pk for g in lixy.groups.all()]
    fields["date_joined_0"], fields["date_joined_1"] = "2026-01-05", "09:00:00"

    answer = client.post(f"/admin/auth/user/{lixy.pk}/change/", {**fields, "is_active": ""})
    assert answer.status_code == 302
    assert not User.objects.get(pk=lixy.pk).is_active
    assert not works(token)

    User.objects.filter(pk=lixy.pk).update(is_active=True)  # back again, with the same password
    assert not works(token)
    assert works(token_of())


def test_logging_out_ends_that_token_only(lixy):
    token, other = token_of(), token_of()

    answer = ApiClient(token).post("/auth/logout")

    assert answer.status_code == 204
    assert answer.content == b""
    assert not works(token)
    assert works(other)
    again = ApiClient(token).post("/auth/logout")
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "unauthorized"


def test_logging_out_needs_a_token(anonymous):
    assert anonymous.post("/auth/logout").status_code == 401
