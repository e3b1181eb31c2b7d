"""A bug is a bug: an unexpected exception in a handler answers the contract's 500 body and is
logged with its traceback — never turned into a refusal (4xx) that would hide it."""

import logging

import pytest
from django.test import Client

from aftersales.core.services import issue_token
from aftersales.customers import selectors
from tests.factories import PASSWORD, CustomerFactory, make_staff


class Broken(RuntimeError):
    pass


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_an_exception_in_a_handler_answers_500_in_the_error_format_and_is_logged(
    db, monkeypatch, caplog, settings, debug
):
    settings.DEBUG = debug
    customer = CustomerFactory()
    make_staff("boss", "admin")
    token, _ = issue_token(username="boss", password=PASSWORD)

    def fail(customer_id: int) -> None:
        raise Broken("the selector broke")

    monkeypatch.setattr(selectors, "customer_get", fail)
    caller = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR):
        answer = caller.get(
            f"/api/v1/customers/{customer.id}", HTTP_AUTHORIZATION=f"Bearer {token}"
        )

    assert answer.status_code == 500
    assert answer["Content-Type"].startswith("application/json")
    error = answer.json()["error"]
    assert error["code"] == "server_error" and error["message"] and error["details"] == {}
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[0] is Broken]
    assert logged and logged[0].levelno == logging.ERROR
    assert "the selector broke" in caplog.text
