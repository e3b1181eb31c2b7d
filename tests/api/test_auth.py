"""Getting a bearer token and what happens without one."""

from tests.factories import PASSWORD, make_staff


def test_good_credentials_get_a_token_that_opens_the_api(db, anonymous):
    make_staff("lixy", "hotline")

    answer = anonymous.post("/auth/token", {"username": "lixy", "password": PASSWORD})

    assert answer.status_code == 200
    body = answer.json()
    assert body["token"] and body["expires_at"]
    from tests.conftest import ApiClient

    assert ApiClient(body["token"]).get("/centers").status_code == 200


def test_no_cache_on_the_way_keeps_a_token(db, anonymous):
    make_staff("lixy", "hotline")

    answer = anonymous.post("/auth/token", {"username": "lixy", "password": PASSWORD})

    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"


def test_wrong_password_is_401_in_the_error_format(db, anonymous):
    make_staff("lixy", "hotline")

    answer = anonymous.post("/auth/token", {"username": "lixy", "password": "nope"})

    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthorized"


def test_missing_or_invalid_token_is_401(db, anonymous):
    from tests.conftest import ApiClient

    assert anonymous.get("/centers").status_code == 401
    answer = ApiClient("made-up-token").get("/centers")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthorized"


def test_tokens_are_stored_only_as_hashes(db, anonymous):
    from aftersales.core.models import ApiToken

    make_staff("lixy", "hotline")
    token = anonymous.post("/auth/token", {"username": "lixy", "password": PASSWORD}).json()[
        "token"
    ]

    stored = ApiToken.objects.get()
    assert token not in stored.key_hash
    assert len(stored.key_hash) == 64


def test_a_deactivated_users_token_stops_working(db, anonymous):
    from tests.conftest import ApiClient

    user = make_staff("lixy", "hotline")
    token = anonymous.post("/auth/token", {"username": "lixy", "password": PASSWORD}).json()[
        "token"
    ]
    user.is_active = False
    user.save()

    assert ApiClient(token).get("/centers").status_code == 401


def test_an_account_without_a_role_is_forbidden(db, anonymous):
    from tests.conftest import ApiClient
    from tests.factories import make_plain_user

    make_plain_user("visitor")
    token = anonymous.post("/auth/token", {"username": "visitor", "password": PASSWORD}).json()[
        "token"
    ]

    answer = ApiClient(token).get("/centers")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"
