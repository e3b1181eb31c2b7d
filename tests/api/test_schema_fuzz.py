"""Whatever a client sends, the API answers in its error format and never with a 500."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from aftersales.core.services import issue_token
from aftersales.wsgi import application
from tests.factories import PASSWORD, CategoryFactory, CustomerFactory, UnitFactory, make_staff

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def admin_token(db, settings):  # type: ignore[no-untyped-def]
    # Django's test client keeps the test's connection open across requests; a bare WSGI call
    # would close it at request end (close_old_connections) and lose the test transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield _admin_token(settings)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _admin_token(settings):  # type: ignore[no-untyped-def]
    settings.ALLOWED_HOSTS = ["*"]
    CategoryFactory()
    UnitFactory(serial="861234567890123", customer=CustomerFactory(phone="+8613800138000"))
    user = make_staff("fuzz-admin", "admin")
    return issue_token(username=user.username, password=PASSWORD)[0]


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_input_makes_the_api_fail(case, admin_token):  # type: ignore[no-untyped-def]
    response = case.call(headers={"Authorization": f"Bearer {admin_token}"})

    case.validate_response(response, checks=[not_a_server_error])
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"code", "message", "details"}
