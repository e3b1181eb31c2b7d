"""Queueing, delivering and retrying one message: dedupe, opt-out, a failing gateway."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aftersales.notifications.gateways import FAKE_SMS, DeliveryError
from aftersales.notifications.models import Message
from aftersales.notifications.services import message_deliver, notify, opt_in, opt_out
from tests.factories import CustomerFactory


def _notify(customer, key="request_received:sr1:ev1", **kw):  # type: ignore[no-untyped-def]
    return notify(
        customer=customer,
        event_code=kw.pop("event_code", "request_received"),
        context=kw.pop("context", {"number": "SR2611230001"}),
        dedupe_key=key,
        **kw,
    )


def test_a_queued_message_is_delivered_by_a_task_after_commit(
    django_capture_on_commit_callbacks, immediate_tasks
):
    customer = CustomerFactory(name="张三", phone="+8613800138000")
    with django_capture_on_commit_callbacks(execute=True):
        message = _notify(customer)
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 1 and message.sent_at
    assert message.text == "张三您好，您的服务申请已受理，单号SR2611230001。我们将尽快与您联系。"
    [sms] = FAKE_SMS.sent
    assert sms.phone == "+8613800138000" and sms.text == message.text
    assert sms.variables["number"] == "SR2611230001"


def test_queueing_enqueues_a_database_task_for_the_worker(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = _notify(CustomerFactory())
    assert DBTaskResult.objects.filter(args_kwargs__args=[message.pk]).count() == 1
    assert message.status == "queued" and not FAKE_SMS.sent  # the worker has not run yet


def test_the_same_event_twice_queues_one_message(django_capture_on_commit_callbacks):
    customer = CustomerFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(customer)
        again = _notify(customer)
    assert first == again and Message.objects.count() == 1
    assert DBTaskResult.objects.count() == 1  # one delivery enqueued


def test_an_opted_out_customer_is_recorded_as_skipped_and_never_sent(
    django_capture_on_commit_callbacks, immediate_tasks
):
    customer = CustomerFactory()
    opt_out(customer=customer, note="电话要求不再发短信")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _notify(customer)
    assert message.status == "skipped_opt_out" and not callbacks and not FAKE_SMS.sent
    opt_in(customer=customer)
    with django_capture_on_commit_callbacks(execute=True):
        later = _notify(customer, key="request_received:sr1:ev2")
    later.refresh_from_db()
    assert later.status == "sent" and len(FAKE_SMS.sent) == 1


def test_opting_out_after_queueing_still_stops_the_message():
    customer = CustomerFactory()
    message = _notify(customer)
    opt_out(customer=customer)
    message_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == "skipped_opt_out" and not FAKE_SMS.sent


def test_a_failing_gateway_is_retried_with_backoff_then_sent(monkeypatch):
    message = _notify(CustomerFactory())
    real_send = FAKE_SMS.send
    failures = iter([True, True])

    def flaky(sms):  # type: ignore[no-untyped-def]
        if next(failures, False):
            raise DeliveryError("gateway answered 503")
        return real_send(sms)

    monkeypatch.setattr(FAKE_SMS, "send", flaky)
    t0 = timezone.now()

    message_deliver(message_id=message.pk, now=t0)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("queued", 1)
    assert message.next_try_at == t0 + timedelta(minutes=1)
    assert message.last_error == "gateway answered 503"
    assert message_deliver(message_id=message.pk, now=t0 + timedelta(seconds=30)) is None

    message_deliver(message_id=message.pk, now=t0 + timedelta(minutes=1))
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_try_at == t0 + timedelta(minutes=6)

    message_deliver(message_id=message.pk, now=t0 + timedelta(minutes=6))
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 3, "")
    assert len(FAKE_SMS.sent) == 1


def test_five_failed_tries_fail_the_message_for_good(monkeypatch):
    message = _notify(CustomerFactory())

    def down(sms):  # type: ignore[no-untyped-def]
        raise DeliveryError("gateway unreachable")

    monkeypatch.setattr(FAKE_SMS, "send", down)
    at = timezone.now()
    for _ in range(5):
        message_deliver(message_id=message.pk, now=at)
        message.refresh_from_db()
        at = message.next_try_at or at
    assert (message.status, message.attempts, message.next_try_at) == ("failed", 5, None)


def test_a_delivery_claimed_by_one_runner_is_not_sent_by_another():
    message = _notify(CustomerFactory())
    now = timezone.now()
    assert message_deliver(message_id=message.pk, now=now) is not None
    assert message_deliver(message_id=message.pk, now=now) is None
    assert len(FAKE_SMS.sent) == 1


def test_email_goes_through_djangos_mail(django_capture_on_commit_callbacks, immediate_tasks):
    customer = CustomerFactory(email="zhang@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        message = _notify(customer, key="request_received:sr1:ev1:email", channel="email")
    message.refresh_from_db()
    assert message.status == "sent"
    [email] = mail.outbox
    assert email.to == ["zhang@example.com"] and "SR2611230001" in email.body


def test_an_email_to_a_customer_without_address_fails_at_once():
    message = _notify(CustomerFactory(email=""), channel="email")
    assert message.status == "failed" and message.last_error


@pytest.mark.parametrize("answer", [503, None])
def test_the_http_gateway_turns_errors_into_retries(answer, monkeypatch):  # type: ignore[no-untyped-def]
    import urllib.error

    from aftersales.notifications.gateways import HttpSmsGateway, Sms

    def fail(request, timeout):  # type: ignore[no-untyped-def]
        if answer:
            raise urllib.error.HTTPError(request.full_url, answer, "busy", {}, None)  # type: ignore[arg-type]
        raise urllib.error.URLError("refused")

    monkeypatch.setattr("urllib.request.urlopen", fail)
    with pytest.raises(DeliveryError):
        HttpSmsGateway("http://sms.invalid/send", "k").send(
            Sms(phone="+8613800138000", text="t", template_id="SMS_1", variables={}, sign="s")
        )


def test_the_http_gateway_posts_the_message_as_json():  # type: ignore[no-untyped-def]
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from aftersales.notifications.gateways import HttpSmsGateway, Sms

    received: list[tuple[str, dict]] = []

    class Gateway(BaseHTTPRequestHandler):
        def do_POST(self):  # type: ignore[no-untyped-def]
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.headers["Authorization"], json.loads(body)))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"id": "m-1"}')

        def log_message(self, *args):  # type: ignore[no-untyped-def]
            pass

    server = HTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.handle_request, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/send"
    sms = Sms(
        phone="+8613800138000",
        text="张三您好",
        template_id="SMS_1",
        variables={"n": "1"},
        sign="售后",
    )
    try:
        assert HttpSmsGateway(url, "secret").send(sms) == "m-1"
    finally:
        server.server_close()
    [(auth, body)] = received
    assert auth == "Bearer secret"
    assert body == {
        "phone": "+8613800138000",
        "sign": "售后",
        "template_id": "SMS_1",
        "params": {"n": "1"},
        "text": "张三您好",
    }


def test_a_batch_queues_what_notify_would_each_and_delivers_it_after_commit(
    django_capture_on_commit_callbacks, immediate_tasks
):
    from aftersales.notifications.services import Notice, notify_many

    zhang, li, wang = (CustomerFactory(name=n) for n in ("张三", "李四", "王五"))
    opt_out(customer=wang)
    already = _notify(zhang, key="batch:zhang")
    notices = [
        Notice(zhang, "request_received", {"number": "SR1"}, "batch:zhang"),  # sent before
        Notice(li, "request_received", {"number": "SR2"}, "batch:li"),
        Notice(wang, "request_received", {"number": "SR3"}, "batch:wang"),  # opted out
        Notice(li, "no_such_event", {}, "batch:nothing"),  # no template: nothing
    ]

    with django_capture_on_commit_callbacks(execute=True):
        queued = notify_many(notices)

    li_message = Message.objects.get(dedupe_key="batch:li")
    assert queued == [li_message.pk]
    assert li_message.status == "sent" and "SR2" in li_message.text and "李四" in li_message.text
    assert Message.objects.get(dedupe_key="batch:wang").status == "skipped_opt_out"
    assert Message.objects.filter(dedupe_key="batch:zhang").get().pk == already.pk
    assert not Message.objects.filter(dedupe_key="batch:nothing").exists()
    assert [s.text for s in FAKE_SMS.sent].count(li_message.text) == 1
