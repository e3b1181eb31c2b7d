"""A person's rights over their data (PIPL): the export of everything held about them, and the
erase of their name, phone and address (CONTRACT.md "Commands"; decisions 69–72)."""

from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog.services import imports_privacy_erase
from aftersales.complaints.services import complaints_privacy_erase
from aftersales.core.errors import DomainError, Forbidden
from aftersales.core.exports import exports_privacy_erase
from aftersales.core.models import AccessKind, AccessRecord, Event
from aftersales.core.redaction import ERASED
from aftersales.core.roles import ADMIN, role_of
from aftersales.core.services import kernel_privacy_erase, record_access, record_event
from aftersales.customers.models import Customer
from aftersales.customers.rules import is_erased_phone
from aftersales.customers.services import customer_privacy_erase
from aftersales.dispatch.services import hand_ins_privacy_erase
from aftersales.followups.services import followups_privacy_erase
from aftersales.knowledge.services import escalations_privacy_erase
from aftersales.notifications.services import messages_privacy_erase
from aftersales.privacy import presenters, rules, selectors
from aftersales.privacy.registry import PRIVATE_TEXT
from aftersales.tickets.models import Ticket
from aftersales.tickets.services import tickets_privacy_erase
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services import work_orders_privacy_erase


def _person(customer: Customer) -> rules.Person:
    return rules.Person(
        name=customer.name,
        phone="" if is_erased_phone(customer.phone) else customer.phone,
        address=customer.address,
        email=customer.email,
        contact_person=customer.contact_person,
    )


def require_admin(user: Any) -> User:
    """Exports and erases are the administrator's (CONTRACT.md "Commands"); 403 for others."""
    if role_of(user) != ADMIN:
        raise Forbidden(_("Only an administrator may export or erase a person's data."))
    assert isinstance(user, User)
    return user


def customer_export(
    *, customer: Customer, by: User | None, request: HttpRequest | None = None
) -> dict[str, Any]:
    """Everything held about one person (every field of every row of theirs, each request, job,
    unit, follow-up and escalation with its timeline, the messages sent to them, who saw their
    data, and other records that mention their phone), as JSON values. Reading changes nothing:
    no event; one access record (`privacy_export`)."""
    usernames = dict(User.objects.values_list("pk", "username"))
    numbers: dict[tuple[type, int], str] = {
        **{
            (Ticket, pk): n
            for pk, n in Ticket.objects.filter(customer=customer).values_list("pk", "number")
        },
        **{
            (WorkOrder, pk): n
            for pk, n in WorkOrder.objects.filter(ticket__customer=customer).values_list(
                "pk", "number"
            )
        },
    }
    export: dict[str, Any] = {"exported_at": presenters.plain(timezone.now())}
    seen: set[tuple[type, int]] = set()  # the rows shown as theirs: not shown again as mentions
    for section in selectors.SECTIONS:
        rows = []
        objects = list(section.rows(customer).order_by("pk"))
        timelines: dict[int, list[dict[str, Any]]] = {}
        if section.timeline:
            ids = [o.pk for o in objects]
            for e in selectors.events_of(section.model, ids):
                seen.add((Event, e.pk))
                timelines.setdefault(e.object_id, []).append(presenters.event(e))
        seen.update((section.model, o.pk) for o in objects)
        for obj in objects:
            item = presenters.row(obj, usernames, numbers)
            if section.timeline:
                item["events"] = timelines.get(obj.pk, [])
            rows.append(item)
        export[section.name] = rows[0] if section.name == "customer" else rows
    subjects = selectors.subjects(customer)
    entries = [e for model, ids in subjects.items() for e in selectors.admin_log_of(model, ids)]
    seen.update((LogEntry, e.pk) for e in entries)
    export["admin_log"] = [
        {
            "id": entry.pk,
            "at": presenters.plain(entry.action_time),
            "user": entry.user.username,
            "object": f"{entry.content_type.app_label}.{entry.content_type.model}:{entry.object_id}",
            "object_repr": entry.object_repr,
            "change_message": entry.get_change_message(),
        }
        for entry in entries
    ]
    serials = [u["serial"] for u in export["units"]]
    records = list(selectors.access_records_of(customer, serials).order_by("at", "id"))
    seen.update((AccessRecord, r.pk) for r in records)
    export["access_records"] = [
        {
            "id": r.pk,
            "at": presenters.plain(r.at),
            "user": usernames.get(r.user_id) if r.user_id else None,
            "kind": r.kind,
            "subject": r.subject,
            "detail": r.detail,
        }
        for r in records
    ]
    _own, everywhere = rules.redactors(_person(customer))
    export["mentions"] = [
        {"record": model._meta.label, "id": pk, "field": field, "value": presenters.plain(value)}
        for model, pk, field, value in selectors.mentions(everywhere, PRIVATE_TEXT)
        if (model, pk) not in seen
    ]
    record_access(
        request,
        kind=AccessKind.PRIVACY_EXPORT,
        subject=customer.pk,
        by=by,
        detail=None if request is not None else "aftersales privacy export",
    )
    return export


@transaction.atomic
def customer_erase(
    *, customer: Customer, by: User, force: bool = False, request: HttpRequest | None = None
) -> dict[str, Any]:
    """Erase one person's name, phone and address (CONTRACT.md "Commands"; decision 70): their
    record's contact data is replaced (the phone by a unique placeholder), the messages sent to
    them lose recipient and words, and every note, summary, description, timeline entry and
    frozen fact of their records loses their name, phone and address (every other record their
    phone number). The service records, the figures and the invoices stay. Refused (409
    `case_open`, naming them) while a case of theirs is open, unless `force`. Writes one event
    on the customer's timeline (`erased`: who and when) and one access record; each app's rows
    change through its own `*_privacy_erase` service, which writes none."""
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if is_erased_phone(customer.phone):
        raise DomainError(
            _("This person's data is already erased."),
            code="already_erased",
            details={"id": customer.pk},
        )
    cases = selectors.open_cases(customer)
    if cases and not force:
        raise DomainError(
            _(
                "Cases of this person are still open: %(cases)s. Finish or cancel them first, "
                'or erase anyway (--force; in the API, "force": true).'
            )
            % {"cases": ", ".join(f"{c['kind']} {c['ref']}" for c in cases)},
            code="case_open",
            details={"open": cases},
        )
    own, everywhere = rules.redactors(_person(customer))
    subjects = selectors.subjects(customer)
    changed = {
        "work_orders": work_orders_privacy_erase(
            customer_id=customer.pk, own=own, everywhere=everywhere
        ),
        "follow_ups": followups_privacy_erase(
            customer_id=customer.pk, own=own, everywhere=everywhere
        ),
        "escalations": escalations_privacy_erase(
            customer_id=customer.pk, own=own, everywhere=everywhere
        ),
        "complaints": complaints_privacy_erase(
            customer_id=customer.pk, own=own, everywhere=everywhere
        ),
        "requests": tickets_privacy_erase(customer=customer, own=own, everywhere=everywhere),
        "messages": messages_privacy_erase(customer=customer, everywhere=everywhere),
        "imports": imports_privacy_erase(customer_id=customer.pk, everywhere=everywhere),
        "hand_ins": hand_ins_privacy_erase(everywhere=everywhere),
        "timelines": kernel_privacy_erase(subjects=subjects, own=own, everywhere=everywhere),
        "exports": exports_privacy_erase(everywhere=everywhere),
    }
    customer_privacy_erase(customer=customer, placeholder=ERASED)
    changed["customer"] = 1
    event = record_event(
        subject=customer,
        action="erased",
        actor=by,
        data={"forced": bool(cases), "open_cases": cases, "rows": changed},
    )
    record_access(
        request,
        kind=AccessKind.PRIVACY_ERASE,
        subject=customer.pk,
        by=by,
        detail=None if request is not None else "aftersales privacy erase",
    )
    return {
        "id": customer.pk,
        "erased_at": event.at,
        "erased_by": by.username,
        "forced": bool(cases),
        "open_cases": cases,
        "rows_changed": changed,
    }
