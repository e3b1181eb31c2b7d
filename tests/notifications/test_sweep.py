"""The worker's minute timer: due follow-ups are claimed once, pickup reminders send one SMS,
failed messages are retried, however often and however many sweeps run."""

import threading
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aftersales.core.models import Event
from aftersales.followups.models import FollowUp
from aftersales.followups.services import followup_complete, followups_claim_due
from aftersales.notifications import services
from aftersales.notifications.gateways import FAKE_SMS, DeliveryError
from aftersales.notifications.models import Message
from aftersales.notifications.services import message_deliver, timers_sweep
from tests.factories import make_staff
from tests.workorders.conftest import to_ready_paid


@pytest.fixture
def ready_job(api_as, bought, open_job):  # type: ignore[no-untyped-def]
    """A paid carry-in repair ready for pickup: its first pickup call is on the list."""
    desk = api_as("front_desk", "desk")
    _ticket, wo = open_job(desk, bought(400))
    to_ready_paid(desk, wo)
    return wo


def pickup_sms() -> int:
    return Message.objects.filter(
        template_code="ready_for_pickup", dedupe_key__startswith="pickup_reminder:"
    ).count()


def not_reached(wo: str):  # type: ignore[no-untyped-def]
    """The pickup call on job `wo` found nobody: the next call is put on the list."""
    call = FollowUp.objects.get(kind="pickup_reminder", work_order__number=wo, status="open")
    followup_complete(followup=call, by=make_staff("caller", "hotline"), reached=False)
    return FollowUp.objects.get(kind="pickup_reminder", work_order__number=wo, status="open")


def test_the_first_pickup_call_texts_nothing_more_the_ready_sms_said_it(ready_job):
    call = FollowUp.objects.get(kind="pickup_reminder", work_order__number=ready_job)

    swept = timers_sweep(now=call.due_at)

    assert (swept["followups"], swept["pickup_sms"]) == (1, 0)
    assert Message.objects.filter(template_code="ready_for_pickup").count() == 1  # when ready


def test_a_later_pickup_call_is_claimed_once_and_sends_one_reminder(ready_job):
    timers_sweep(now=FollowUp.objects.get(work_order__number=ready_job).due_at)
    call = not_reached(ready_job)
    assert call.queued_at is None
    assert timers_sweep(now=call.due_at - timedelta(minutes=1))["followups"] == 0

    first = timers_sweep(now=call.due_at)
    again = timers_sweep(now=call.due_at + timedelta(minutes=1))

    assert (first["followups"], first["pickup_sms"]) == (1, 1)
    assert (again["followups"], again["pickup_sms"]) == (0, 0)
    call.refresh_from_db()
    assert call.queued_at == call.due_at and call.status == "open"  # still the agent's call
    reminder = Message.objects.get(dedupe_key=f"pickup_reminder:followup:{call.pk}")
    assert reminder.template_code == "ready_for_pickup" and ready_job in reminder.text


def test_other_due_follow_ups_only_become_queued(ready_job):
    call = FollowUp.objects.get(kind="pickup_reminder", work_order__number=ready_job)
    survey = FollowUp.objects.create(
        ticket=call.ticket, kind="satisfaction_survey", due_at=call.due_at
    )
    before = Message.objects.count()
    claimed = followups_claim_due(now=call.due_at, limit=10)
    assert {f.pk for f in claimed} == {call.pk, survey.pk}
    assert followups_claim_due(now=call.due_at, limit=10) == []
    assert Message.objects.count() == before  # the claim alone sends nothing


def test_the_sweep_re_enqueues_a_failed_message_when_its_retry_falls_due(
    ready_job, monkeypatch, django_capture_on_commit_callbacks, immediate_tasks
):
    message = Message.objects.filter(status="queued").first()
    assert message is not None
    t0 = timezone.now() - timedelta(minutes=2)  # the first try failed two minutes ago
    Message.objects.filter(pk=message.pk).update(next_try_at=t0)

    def down(sms):  # type: ignore[no-untyped-def]
        raise DeliveryError("gateway answered 500")

    with monkeypatch.context() as m:
        m.setattr(FAKE_SMS, "send", down)
        message_deliver(message_id=message.pk, now=t0)
    message.refresh_from_db()
    assert message.next_try_at == t0 + timedelta(minutes=1)

    assert message.pk not in _retried(t0 + timedelta(seconds=59))
    assert message.pk in _retried(t0 + timedelta(minutes=1))  # the immediate backend delivers
    message.refresh_from_db()
    assert message.status == "sent" and message.attempts == 2


def _retried(now):  # type: ignore[no-untyped-def]
    from aftersales.notifications.services import messages_retry_due

    return messages_retry_due(now=now)


@pytest.mark.django_db(transaction=True)  # the task worker closes connections between tasks
def test_worker_once_sweeps_and_delivers_what_it_queued(ready_job):
    call = not_reached(ready_job)
    FollowUp.objects.filter(kind="pickup_reminder").update(
        due_at=timezone.now() - timedelta(minutes=1)
    )

    call_command("worker", once=True, verbosity=0)
    call_command("worker", once=True, verbosity=0)

    reminder = Message.objects.get(dedupe_key=f"pickup_reminder:followup:{call.pk}")
    assert reminder.status == "sent"
    assert Message.objects.filter(status="queued").count() == 0  # the hooks' messages too
    assert [s.text for s in FAKE_SMS.sent].count(reminder.text) == 2  # ready + the reminder


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_claim_each_call_once_and_send_one_reminder(api_as, bought, open_job):
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrency needs a server database: run with DATABASE_URL=postgres://… "
            "(SQLite serialises writers, so it cannot show the race)"
        )
    desk = api_as("front_desk", "desk")
    jobs = []
    for days in (400, 401, 402):
        _ticket, wo = open_job(desk, bought(days))
        to_ready_paid(desk, wo)
        jobs.append(wo)
        not_reached(wo)  # the first call texts nothing; the second does
    now = max(FollowUp.objects.filter(status="open").values_list("due_at", flat=True))
    results: list[dict[str, int]] = []
    start = threading.Barrier(2)

    def sweep() -> None:
        try:
            start.wait()
            results.append(timers_sweep(now=now))
            for message_id in Message.objects.filter(status="queued").values_list("pk", flat=True):
                message_deliver(message_id=message_id, now=now)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sum(r["followups"] for r in results) == 3
    assert sum(r["pickup_sms"] for r in results) == 3
    assert pickup_sms() == 3
    assert FollowUp.objects.filter(kind="pickup_reminder", queued_at=now).count() == 3
    texts = [s.text for s in FAKE_SMS.sent]
    assert len(texts) == Message.objects.filter(status="sent").count()  # nothing sent twice


def test_a_due_satisfaction_survey_texts_the_link_to_rate_the_request_once(ready_job, settings):
    settings.PORTAL_URL = "https://fuwu.example.cn"
    ticket = FollowUp.objects.get(kind="pickup_reminder", work_order__number=ready_job).ticket
    due = timezone.now() - timedelta(minutes=5)
    survey = FollowUp.objects.create(ticket=ticket, kind="satisfaction_survey", due_at=due)

    first = timers_sweep(now=due)
    again = timers_sweep(now=due + timedelta(minutes=1))

    assert (first["survey_links"], again["survey_links"]) == (1, 0)
    [link] = Message.objects.filter(template_code="survey_link")
    assert link.dedupe_key == f"survey_link:followup:{survey.pk}"
    assert link.recipient == ticket.customer.phone
    assert link.text == (
        f"{ticket.customer.name}您好，请花一分钟评价本次服务："
        f"https://fuwu.example.cn/portal/rate/{ticket.number}/"
    )
    survey.refresh_from_db()
    assert survey.status == "open"  # the agent may still call; the customer may rate on the web


def test_a_survey_answered_before_it_fell_due_sends_no_link(ready_job):
    ticket = FollowUp.objects.get(kind="pickup_reminder", work_order__number=ready_job).ticket
    due = timezone.now() - timedelta(minutes=5)
    FollowUp.objects.create(ticket=ticket, kind="satisfaction_survey", due_at=due, status="done")

    assert timers_sweep(now=due)["survey_links"] == 0
    assert not Message.objects.filter(template_code="survey_link").exists()


def backlog(job: str, *, later_calls: int, surveys: int, callbacks: int = 0) -> list[FollowUp]:
    """Calls that fell due together on job `job`'s request: its first pickup call (texts nothing),
    `later_calls` later pickup calls (each texts a reminder), `surveys` satisfaction surveys (each
    texts the link to rate) and `callbacks` repair callbacks (text nothing)."""
    first = FollowUp.objects.filter(kind="pickup_reminder", work_order__number=job).earliest("pk")
    wo, due = first.work_order, first.due_at
    made = [first]
    for kind, n in (
        ("pickup_reminder", later_calls),
        ("satisfaction_survey", surveys),
        ("repair_callback", callbacks),
    ):
        made += [
            FollowUp.objects.create(
                ticket=wo.ticket,
                work_order=wo if kind != "satisfaction_survey" else None,
                kind=kind,
                due_at=due,
            )
            for _ in range(n)
        ]
    return made


def queued_events():  # type: ignore[no-untyped-def]
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(FollowUp), action="queued"
    )


def test_the_worker_sweeps_a_backlog_batch_after_batch_one_event_per_call(ready_job, monkeypatch):
    monkeypatch.setattr(services, "SQLITE_PAUSE", 0)
    calls = backlog(ready_job, later_calls=3, surveys=3)
    due = calls[0].due_at

    minute = timers_sweep(now=due, limit=3)  # one batch
    drained = timers_sweep(now=due, limit=3, drain=True)  # the worker's: until one is short
    again = timers_sweep(now=due, limit=3, drain=True)

    assert (minute["followups"], minute["batches"]) == (3, 1)
    assert (drained["followups"], drained["batches"]) == (4, 2)
    assert (again["followups"], again["batches"]) == (0, 1)
    assert minute["pickup_sms"] + drained["pickup_sms"] == 3
    assert minute["survey_links"] + drained["survey_links"] == 3
    events = queued_events()
    assert sorted(events.values_list("object_id", flat=True)) == sorted(c.pk for c in calls)
    event = events.first()
    assert event is not None
    assert (event.at, event.actor, event.note, event.data) == (due, None, "", {})
    assert not event.customer_visible


def test_a_batch_reads_as_many_statements_for_two_texts_as_for_ten(ready_job):
    tech = make_staff("sweep-tech", "technician")
    few = backlog(ready_job, later_calls=1, surveys=1, callbacks=1)
    due = few[0].due_at
    job = few[0].work_order
    job.technician = tech
    job.appointment_start, job.appointment_end = due, due + timedelta(hours=2)
    job.save(update_fields=["technician", "appointment_start", "appointment_end"])

    with CaptureQueriesContext(connection) as two:
        assert timers_sweep(now=due)["followups"] == 4
    backlog(ready_job, later_calls=5, surveys=5, callbacks=5)
    with CaptureQueriesContext(connection) as ten:
        assert timers_sweep(now=due)["followups"] == 15

    assert len(ten.captured_queries) == len(two.captured_queries)
    reminder = Message.objects.filter(dedupe_key__startswith="pickup_reminder:").first()
    assert reminder is not None
    assert reminder.variables["number"] == ready_job
    assert reminder.variables["request"] == job.ticket.number
    assert reminder.variables["technician"] == "sweep-tech"
    assert reminder.variables["center"] and reminder.variables["window"]


@pytest.mark.django_db(transaction=True)
def test_two_workers_draining_the_same_backlog_claim_each_call_exactly_once(ready_job):
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrency needs a server database: run with DATABASE_URL=postgres://… "
            "(SQLite serialises writers, so it cannot show the race)"
        )
    calls = backlog(ready_job, later_calls=12, surveys=12, callbacks=35)  # 60 calls
    due = calls[0].due_at
    results: list[dict[str, int]] = []
    start = threading.Barrier(2)

    def worker() -> None:
        try:
            start.wait()
            results.append(timers_sweep(now=due, limit=4, drain=True))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert len(results) == 2
    assert sum(r["followups"] for r in results) == len(calls) == 60
    assert sum(r["pickup_sms"] for r in results) == pickup_sms() == 12
    assert sum(r["survey_links"] for r in results) == 12
    per_call = queued_events().values("object_id").annotate(n=Count("id"))
    assert {row["object_id"] for row in per_call} == {c.pk for c in calls}
    assert {row["n"] for row in per_call} == {1}
    assert not FollowUp.objects.filter(queued_at__isnull=True).exists()
