"""The only code that queues, delivers and retries customer messages, and the timer sweep."""

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tasks_db.backend import DatabaseBackend

from aftersales.core.presenters import display_name
from aftersales.core.redaction import ERASED, Redactor, rewrite
from aftersales.core.reference import cached
from aftersales.customers.models import Customer
from aftersales.customers.rules import is_erased_phone
from aftersales.notifications import rules
from aftersales.notifications.gateways import DeliveryError, Sms, send_email, sms_gateway
from aftersales.notifications.models import Channel, Message, OptOut, Template

if TYPE_CHECKING:
    from aftersales.core.models import Event
    from aftersales.tickets.models import Ticket
    from aftersales.workorders.models import WorkOrder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """One message to queue: to whom, for which event (template), with what, once per key."""

    customer: Customer
    event_code: str
    context: dict[str, Any]
    dedupe_key: str
    channel: str = Channel.SMS


def notify(
    *,
    customer: Customer,
    event_code: str,
    context: dict[str, Any],
    dedupe_key: str,
    channel: str = Channel.SMS,
    key_is_new: bool = False,
) -> Message | None:
    """Queue one message to `customer` (the one way to do it). The same `dedupe_key` twice gives
    the first message back and sends nothing new; an opted-out customer's message is recorded as
    skipped. Its delivery task is queued in the caller's transaction (`queue_delivery`).

    `key_is_new`: the key names something written in this transaction (an event's id), so no
    message can hold it yet and the insert needs no savepoint to survive a duplicate."""
    notice = Notice(customer, event_code, context, dedupe_key, channel)
    template = active_template(event_code, channel)
    if template is None:
        logger.warning("no active %s template for %s: nothing sent", channel, event_code)
        return None
    opted_out = OptOut.objects.filter(customer=customer).exists()
    message = _draft(notice, template, opted_out, timezone.now())
    if key_is_new:
        message.save(force_insert=True)
    else:
        try:
            with transaction.atomic():
                message.save(force_insert=True)
        except IntegrityError:  # this event's message exists already
            return Message.objects.get(dedupe_key=message.dedupe_key)
    if message.status == Message.Status.QUEUED:
        queue_delivery(message.pk)
    return message


@cached("message_templates")
def active_template(event_code: str, channel: str) -> Template | None:
    """The active template of an event on a channel (kept per process: core.reference)."""
    return Template.objects.filter(code=event_code, channel=channel, active=True).first()


def queue_delivery(message_id: int) -> None:
    """Queue the delivery of a message just saved. A task backend that keeps its tasks in this
    database (the worker's) writes the task row in the caller's transaction: committed with the
    message, or undone with it, in one commit (decision 61). Any other backend (one that runs
    the task at once) is handed it after the commit."""
    from aftersales.notifications.tasks import deliver_message

    if isinstance(deliver_message.get_backend(), DatabaseBackend):
        enqueue_delivery(message_id)
    else:
        transaction.on_commit(lambda: enqueue_delivery(message_id))


def notify_many(notices: list[Notice]) -> list[int]:
    """Queue many messages as `notify` does each (the sweep's batch): one read of the templates
    and of the opt-outs, one INSERT that skips the keys already there, and one delivery task for
    the batch after commit. Returns the ids of the messages queued now."""
    if not notices:
        return []
    now = timezone.now()
    codes = {n.event_code for n in notices}
    templates = {
        (t.code, t.channel): t for t in Template.objects.filter(code__in=codes, active=True)
    }
    opted_out = set(
        OptOut.objects.filter(customer_id__in={n.customer.pk for n in notices}).values_list(
            "customer_id", flat=True
        )
    )
    drafts = []
    for notice in notices:
        template = templates.get((notice.event_code, notice.channel))
        if template is None:
            logger.warning("no active %s template for %s", notice.channel, notice.event_code)
            continue
        drafts.append(_draft(notice, template, notice.customer.pk in opted_out, now))
    Message.objects.bulk_create(drafts, ignore_conflicts=True)
    queued = list(  # new ones only: a message already there kept its own created_at
        Message.objects.filter(
            dedupe_key__in=[d.dedupe_key for d in drafts],
            status=Message.Status.QUEUED,
            created_at=now,
        ).values_list("pk", flat=True)
    )
    if queued:
        transaction.on_commit(lambda: enqueue_deliveries(queued))
    return queued


def _draft(notice: Notice, template: Template, opted_out: bool, now: datetime) -> Message:
    """The message a notice makes with its template (not saved): skipped for an opted-out
    customer, failed at once without an address for the channel."""
    customer = notice.customer
    variables = {"company": settings.COMPANY_NAME, "name": customer.name, **notice.context}
    variables = {k: "" if v is None else str(v) for k, v in variables.items()}
    if rules.missing(template.text, variables):
        lacking = sorted(rules.missing(template.text, variables))
        logger.warning("%s lacks %s", notice.dedupe_key, lacking)
    recipient = customer.phone if notice.channel == Channel.SMS else customer.email
    if is_erased_phone(recipient):  # erased (decision 70): no number to text
        recipient = ""
    status, error = Message.Status.QUEUED, ""
    if opted_out:
        status = Message.Status.SKIPPED_OPT_OUT
    elif not recipient:
        status, error = Message.Status.FAILED, "no address for this channel"
    return Message(
        customer=customer,
        channel=notice.channel,
        template_code=notice.event_code,
        provider_template_id=template.provider_template_id,
        variables=variables,
        subject=rules.render(template.subject, variables),
        text=rules.render(template.text, variables),
        recipient=recipient,
        status=status,
        last_error=error,
        next_try_at=now if status == Message.Status.QUEUED else None,
        dedupe_key=notice.dedupe_key[:200],
        created_at=now,
    )


def enqueue_delivery(message_id: int) -> None:
    from aftersales.notifications.tasks import deliver_message

    deliver_message.enqueue(message_id)


def enqueue_deliveries(message_ids: list[int]) -> None:
    """One task delivers a batch (a sweep's messages): one task row instead of hundreds."""
    from aftersales.notifications.tasks import deliver_messages

    deliver_messages.enqueue(list(message_ids))


def message_deliver(*, message_id: int, now: datetime | None = None) -> Message | None:
    """Try to send one queued message that is due. The claim is a conditional UPDATE that moves
    `next_try_at` a lease ahead, so two runners (two task rows, two workers) never both send it.
    A failure counts a try and waits 1, 5, 25 … minutes; after the fifth the message fails."""
    now = now or timezone.now()
    claimed = Message.objects.filter(
        pk=message_id, status=Message.Status.QUEUED, next_try_at__lte=now
    ).update(next_try_at=now + rules.DELIVERY_LEASE)
    if not claimed:
        return None
    message = Message.objects.select_related("customer").get(pk=message_id)
    if OptOut.objects.filter(customer_id=message.customer_id).exists():
        message.status, message.next_try_at = Message.Status.SKIPPED_OPT_OUT, None
        message.save(update_fields=["status", "next_try_at"])
        return message
    message.attempts += 1
    try:
        _send(message)
    except DeliveryError as exc:
        message.last_error = str(exc)[:500]
        if rules.gives_up(message.attempts):
            message.status, message.next_try_at = Message.Status.FAILED, None
        else:
            message.next_try_at = now + rules.backoff(message.attempts)
        logger.warning("message %s try %s failed: %s", message.pk, message.attempts, exc)
    else:
        message.status, message.sent_at, message.next_try_at = Message.Status.SENT, now, None
        message.last_error = ""
    message.save(update_fields=["status", "attempts", "next_try_at", "last_error", "sent_at"])
    return message


def _send(message: Message) -> None:
    if message.channel == Channel.SMS:
        sms_gateway().send(
            Sms(
                phone=message.recipient,
                text=message.text,
                template_id=message.provider_template_id,
                variables=dict(message.variables),
                sign=settings.SMS_SIGN,
            )
        )
    else:
        send_email(to=message.recipient, subject=message.subject, text=message.text)


def messages_retry_due(*, now: datetime, limit: int = 200) -> list[int]:
    """Enqueue delivery of the queued messages whose next try has come (a lost task, a failure's
    backoff), all in one delivery task. Enqueuing twice is harmless: the delivery's claim lets
    one runner through."""
    ids = list(
        Message.objects.filter(status=Message.Status.QUEUED, next_try_at__lte=now)
        .order_by("next_try_at")
        .values_list("pk", flat=True)[:limit]
    )
    if ids:
        enqueue_deliveries(ids)
    return ids


# The worker's sweep claims due follow-ups in batches of SWEEP_BATCH, each its own short
# transaction (decision 64); on SQLite it pauses between two batches for longer than a waiting
# writer sleeps between two tries (100 ms), so the desk's writes get in (as imports do, 58).
SWEEP_BATCH = 1000
SQLITE_PAUSE = 0.15


def timers_sweep(
    *, now: datetime | None = None, limit: int = SWEEP_BATCH, drain: bool = False
) -> dict[str, int]:
    """The worker's timer: claim the follow-ups that fell due by `now` (a pickup call after the
    first also queues its SMS, a satisfaction survey the link to rate on the portal), a batch of
    `limit` at a time, each batch one transaction with its events and its messages; `drain`:
    batch after batch until one comes back short (the worker's way: a backlog of 100,000 goes in
    one sweep), else one batch. Then re-enqueue messages due for a retry and escalate the
    complaints near their promised answer (`complaints_escalate_due`). Safe to run twice and
    concurrently with itself (two workers): claims are conditional UPDATEs, messages are
    deduplicated."""
    now = now or timezone.now()
    counts = {"followups": 0, "pickup_sms": 0, "survey_links": 0, "batches": 0}
    while True:
        batch = _sweep_batch(now=now, limit=limit)
        counts = {key: counts[key] + batch.get(key, 0) for key in counts}
        counts["batches"] += 1
        if not drain or batch["followups"] < limit:
            break
        if connection.vendor == "sqlite":
            time.sleep(SQLITE_PAUSE)
    retried = messages_retry_due(now=now, limit=limit)
    from aftersales.complaints.services import complaints_escalate_due

    escalated = complaints_escalate_due(now=now, limit=limit)
    return {**counts, "retries": len(retried), "complaints_escalated": len(escalated)}


@transaction.atomic
def _sweep_batch(*, now: datetime, limit: int) -> dict[str, int]:
    """One batch of the sweep, in one transaction: the claim and its `queued` events
    (`followups_claim_due`), then the messages of the few claimed follow-ups that text — read
    again in one query — queued together (`notify_many`)."""
    from aftersales.followups.models import FollowUp
    from aftersales.followups.selectors import first_pickup_calls, to_text
    from aftersales.followups.services import followups_claim_due

    claimed = followups_claim_due(now=now, limit=limit)
    pickups = [c for c in claimed if c.kind == FollowUp.Kind.PICKUP_REMINDER and c.work_order_id]
    first_calls = first_pickup_calls([c.work_order_id for c in pickups if c.work_order_id])
    texting = [c.pk for c in pickups if rules.pickup_call_texts(first_call=c.pk in first_calls)]
    texting += [c.pk for c in claimed if c.kind == FollowUp.Kind.SATISFACTION_SURVEY]
    reminders, surveys = [], []
    for f in to_text(texting):
        if f.kind == FollowUp.Kind.PICKUP_REMINDER:
            reminders.append(
                Notice(
                    f.ticket.customer,
                    "ready_for_pickup",
                    _work_order_context(f.work_order),  # type: ignore[arg-type]
                    f"pickup_reminder:followup:{f.pk}",
                )
            )
        else:
            surveys.append(
                Notice(
                    f.ticket.customer,
                    "survey_link",
                    {"number": f.ticket.number, "link": portal_rating_link(f.ticket.number)},
                    f"survey_link:followup:{f.pk}",
                )
            )
    notify_many(reminders + surveys)
    return {"followups": len(claimed), "pickup_sms": len(reminders), "survey_links": len(surveys)}


def portal_rating_link(number: str) -> str:
    """The page where the customer rates request `number` (docs/api.md "Portal rating")."""
    return f"{settings.PORTAL_URL}/portal/rate/{number}/"


# Hooks: the customer-visible moments that send a message ------------------------------------


def _local(moment: datetime | None, fmt: str = "%m月%d日 %H:%M") -> str:
    return timezone.localtime(moment).strftime(fmt) if moment else ""


def _month_day(iso_day: str | None) -> str:
    """`2026-11-25` → `11月25日`, as a customer reads a date in a text message."""
    if not iso_day:
        return ""
    day = date.fromisoformat(iso_day)
    return f"{day.month}月{day.day}日"


def _work_order_context(wo: "WorkOrder") -> dict[str, Any]:
    tech = wo.technician
    window = ""
    if wo.appointment_start:
        window = f"{_local(wo.appointment_start)}–{_local(wo.appointment_end, '%H:%M')}"
    return {
        "number": wo.number,
        "request": wo.ticket.number,
        "center": wo.center.name if wo.center else "",
        "technician": display_name(tech) if tech else "",
        "window": window,
    }


def work_order_moment(*, work_order: "WorkOrder", action: str, event: "Event") -> None:
    """After a work-order action's event is written: tell the customer, if the moment is one
    they hear about (the appointment, the technician leaving, the unit received at the counter,
    a quote to approve with its amount, parts late with their expected day, ready, an SMS pickup
    notice, done)."""
    data = event.data or {}
    code = {
        "schedule": "appointment_changed" if data.get("previous") else "appointment_agreed",
        "depart": "technician_on_the_way",
        "receive": "unit_received",
        "quote": "quote_waiting",
        "wait_parts": "parts_delayed",
        "hand_over": "completed",
    }.get(action)
    if action == "notify_pickup" and data.get("channel") == "sms":
        code = "ready_for_pickup"
    from aftersales.workorders.rules import PICKUP_MODES

    if (
        data.get("to") == "ready"
        and data.get("from") != "ready"
        and work_order.mode in PICKUP_MODES
    ):
        code = "ready_for_pickup"
    if code is None:
        return
    context = _work_order_context(work_order)
    if action == "quote":
        context["amount"] = data.get("total") or ""
    if action == "wait_parts":
        context["date"] = _month_day(data.get("expected_date"))
    # Once per event; "on the way" once per visit (a second visit sets off again and is told
    # again, a repeated departure of one visit is not).
    key = f"{code}:wo{work_order.pk}:ev{event.pk}"
    if action == "depart" and data.get("visit"):
        key = f"{code}:wo{work_order.pk}:visit{data['visit']}"
    notify(
        customer=work_order.ticket.customer,
        event_code=code,
        context=context,
        dedupe_key=key,
    )


def complaint_acknowledged_moment(*, ticket: "Ticket", promised_by: datetime | None) -> None:
    """A complaint was acknowledged: the customer hears by when they get an answer."""
    notify(
        customer=ticket.customer,
        event_code="complaint_acknowledged",
        context={"number": ticket.number, "deadline": _local(promised_by)},
        dedupe_key=f"complaint_acknowledged:sr{ticket.pk}",
    )


def complaint_not_ours_moment(*, ticket: "Ticket", explanation: str) -> None:
    """A web complaint screened as not ours: the explanation goes to the customer (DOMAIN.md §5:
    "not ours → explain")."""
    notify(
        customer=ticket.customer,
        event_code="complaint_not_ours",
        context={"number": ticket.number, "explanation": explanation},
        dedupe_key=f"complaint_not_ours:sr{ticket.pk}",
    )


def ticket_created_moment(*, ticket: "Ticket", event: "Event") -> None:
    """A request was taken: the customer gets its number."""
    notify(
        customer=ticket.customer,
        event_code="request_received",
        context={"number": ticket.number},
        dedupe_key=f"request_received:sr{ticket.pk}:ev{event.pk}",
        key_is_new=True,  # the event was written just now
    )


def opt_out(*, customer: Customer, note: str = "") -> OptOut:
    """The customer asked for no more messages."""
    found, _created = OptOut.objects.get_or_create(customer=customer, defaults={"note": note})
    return found


def opt_in(*, customer: Customer) -> None:
    OptOut.objects.filter(customer=customer).delete()


# The text columns a privacy erase rewrites (decision 70; the privacy registry lists them).
PRIVATE_TEXT = {
    Message: ("recipient", "subject", "text", "variables", "last_error"),
    OptOut: ("note",),
}


@transaction.atomic
def messages_privacy_erase(*, customer: Customer, everywhere: Redactor) -> int:
    """The messages sent to an erased person keep what was sent when and how it went (template,
    channel, status, tries, times) and lose their recipient and words; one still queued is
    failed, never sent to nobody. Their opt-out stays (they still want no messages), its note
    emptied. Every other message loses their phone number wherever it is written. A pure data
    rewrite, no event: the erase writes its one event on the customer's timeline."""
    theirs = Message.objects.filter(customer=customer)
    theirs.filter(status=Message.Status.QUEUED).update(
        status=Message.Status.FAILED, next_try_at=None
    )
    changed = theirs.update(recipient="", subject="", text=ERASED, variables={}, last_error="")
    OptOut.objects.filter(customer=customer).update(note="")
    others = Message.objects.exclude(customer=customer)
    return changed + rewrite(others, PRIVATE_TEXT[Message], everywhere)
