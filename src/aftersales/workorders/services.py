"""The only code that changes work orders. Each action: one transaction, one event on the work
order (the request's timeline shows it under the action's name with the work order's number).

A refused action changes nothing and writes no event: the order of checks is the table (409
`invalid_transition`), the role (403), the payload (422), then the guards (409 with their code).
"""

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aftersales.catalog import services as catalog_services
from aftersales.core.errors import DomainError, Forbidden, InvalidInput
from aftersales.core.models import Event
from aftersales.core.roles import role_of
from aftersales.core.services import next_number, record_event
from aftersales.dispatch.models import ServiceCenter
from aftersales.dispatch.selectors import center_of
from aftersales.tickets import rules as ticket_rules
from aftersales.tickets.models import Ticket
from aftersales.warranty.rules import DAMAGE_KINDS, is_human_damage
from aftersales.workorders import rules, selectors
from aftersales.workorders.models import (
    Loan,
    Loaner,
    Part,
    PartRequest,
    PartStock,
    Photo,
    QuoteLine,
    WorkOrder,
)

GUARD_MESSAGES = {
    "agreement_required": gettext_noop(
        "The customer must sign the repair agreement before the unit is taken in."
    ),
    "remedy_choice_required": gettext_noop(
        "Several remedies are open: record the customer's choice first."
    ),
    "remedy_not_available": gettext_noop(
        "This remedy is not open for this job (see the decision and the choice)."
    ),
    "quote_not_approved": gettext_noop("Paid work needs a quote the customer approved."),
    "payment_due": gettext_noop("The amount due must be paid or waived before the hand-over."),
    "loaner_out": gettext_noop("A loaner unit is already out on this job: take it back first."),
    "window_in_past": gettext_noop("The appointment window must be in the future."),
    "technician_not_available": gettext_noop(
        "This technician is not active at that service center."
    ),
    "not_paused": gettext_noop("This job is not paused by a field incident."),
    "already_departed": gettext_noop("The departure is already recorded: you are on the way."),
    "already_arrived": gettext_noop("The arrival is already recorded for this visit."),
}


def _guard_message(code: str) -> str:
    return _(GUARD_MESSAGES[code])


# --- reading the payload ---------------------------------------------------------------------


def _text(payload: dict[str, Any], name: str, *, required: bool = True) -> str:
    value = payload.get(name)
    value = "" if value is None else str(value).strip()
    if required and not value:
        raise InvalidInput.field(name, _("This field is required."))
    return value


def _choice(payload: dict[str, Any], name: str, allowed: tuple[str, ...], default: str = "") -> str:
    value = _text(payload, name, required=not default) or default
    if value not in allowed:
        raise InvalidInput.field(
            name, _("Must be one of: %(values)s.") % {"values": ", ".join(allowed)}
        )
    return value


def _money(value: Any, name: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput.field(name, _("Give an amount like 120.00.")) from exc
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput.field(name, _("Give an amount like 120.00 (not negative)."))
    return amount.quantize(Decimal("0.01"))


def _count(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInput.field(name, _("Give a whole number of at least 1."))
    return value


def _moment(value: Any, name: str) -> datetime:
    moment = value if isinstance(value, datetime) else parse_datetime(str(value or ""))
    if moment is None:
        raise InvalidInput.field(name, _("Give a date and time like 2026-11-24T09:00+08:00."))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _day(value: Any, name: str) -> date:
    day = value if isinstance(value, date) else parse_date(str(value or ""))
    if day is None:
        raise InvalidInput.field(name, _("Give a date like 2026-11-30."))
    return day


def _parts(value: Any, name: str) -> list[tuple[str, int]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput.field(name, _("Give a list of parts: {code, qty}."))
    parts = []
    for i, item in enumerate(value):
        if not isinstance(item, dict) or not str(item.get("code") or "").strip():
            raise InvalidInput.field(f"{name}.{i}.code", _("Each part needs its code."))
        parts.append(
            (str(item["code"]).strip().upper(), _count(item.get("qty", 1), f"{name}.{i}.qty"))
        )
    return parts


def _png(value: Any, name: str) -> bytes | None:
    """A signature pad's PNG data URL → the image's bytes."""
    if not value:
        return None
    text = str(value)
    prefix = "data:image/png;base64,"
    try:
        if not text.startswith(prefix):
            raise ValueError
        data = base64.b64decode(text[len(prefix) :], validate=True)
    except (ValueError, binascii.Error) as exc:
        raise InvalidInput.field(name, _("Give the signature as a PNG data URL.")) from exc
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise InvalidInput.field(name, _("Give the signature as a PNG data URL."))
    return data


# --- the decision, repeat repairs --------------------------------------------------------------


def _failed_repairs(wo: WorkOrder) -> int:
    """Earlier jobs on the unit inside its period, completed repaired, of the same fault."""
    unit = wo.unit
    if unit is None:
        return 0
    since = unit.invoice_date or unit.purchase_date
    earlier = selectors.earlier_repairs(unit.pk, before_id=wo.pk)
    count = sum(
        1
        for job in earlier.only("fault_code", "handed_over_at")
        if rules.same_fault(job.fault_code, wo.fault_code)
        and (since is None or timezone.localdate(job.handed_over_at) >= since)
    )
    return unit.failed_repairs + count  # the counter holds history from before this system


def _decide(wo: WorkOrder) -> dict[str, Any] | None:
    """The 三包 check for the unit as the job knows it, dated the request's creation day."""
    from aftersales.warranty.presenters import decision_as_json
    from aftersales.warranty.selectors import decide_for_unit

    unit = wo.unit
    if unit is None or unit.purchase_date is None:
        return None
    facts: dict[str, Any] = {
        "part": wo.part or "host",
        "failed_repairs": _failed_repairs(wo),
        "human_damage": wo.human_damage,
        "damage_kind": wo.damage_kind or None,
    }
    if wo.voucher:
        facts["voucher"] = wo.voucher
    try:
        decision = decide_for_unit(
            unit, report_date=timezone.localdate(wo.ticket.created_at), **facts
        )
    except InvalidInput as exc:
        if "part" in exc.details:
            raise InvalidInput.field("part", exc.message) from exc
        return None  # no policy for the category: nothing to decide
    return decision_as_json(decision)


def _find_repeat(wo: WorkOrder) -> WorkOrder | None:
    """The job this one repeats: handed over repaired within 90 days before this job's
    creation (day 90 included), same fault code or either missing."""
    if wo.unit_id is None:
        return None
    created = timezone.localdate(wo.created_at)
    for job in selectors.earlier_repairs(wo.unit_id, before_id=wo.pk):
        if not rules.within_repeat_window(created, timezone.localdate(job.handed_over_at)):
            break  # newest first: the rest are older still
        if rules.same_fault(job.fault_code, wo.fault_code):
            return job
    return None


def _mark_repeat(wo: WorkOrder) -> None:
    earlier = _find_repeat(wo)
    wo.repeat_repair = earlier is not None
    wo.repeat_of = earlier


# --- creating --------------------------------------------------------------------------------


def _center(code: str | None, default: ServiceCenter | None) -> ServiceCenter | None:
    if not code:
        return default
    center = ServiceCenter.objects.filter(code=code, active=True).first()
    if center is None:
        raise InvalidInput.field(
            "center", _("No service center with code %(code)s.") % {"code": code}
        )
    return center


def _beyond_own_center(by: User, where: ServiceCenter | None) -> bool:
    """A desk or branch that put a job in another center would lose sight of it: other centers'
    jobs are dispatch's."""
    return role_of(by) in rules.CENTER_ROLES and where is not None and where != center_of(by)


def _technician(username: str, center: ServiceCenter | None) -> User:
    """An active technician of `center` (409 `technician_not_available` otherwise)."""
    user = User.objects.filter(username=username).first()
    if user is None:
        raise InvalidInput.field(
            "technician", _("No staff member %(username)s.") % {"username": username}
        )
    works_there = center is None or center_of(user) == center
    if not user.is_active or role_of(user) != "technician" or not works_there:
        raise DomainError(
            _guard_message("technician_not_available"), code="technician_not_available"
        )
    return user


@transaction.atomic
def work_order_create(
    *,
    ticket: Ticket,
    by: User,
    mode: str,
    center: str | None = None,
    technician: str | None = None,
    revisit_of: WorkOrder | None = None,
) -> WorkOrder:
    """Open a repair job on a request. The first job of a `new` request starts the request.

    A revisit (`revisit_of`: the customer was not satisfied at the follow-up) is opened by the
    system on the agent's behalf, waits for dispatch (no automatic assignment) and leaves the
    request `reopened` (CONTRACT.md "Follow-ups"). A job opened with no technician may be given
    one by a reaction to its `created` event (field service's automatic assignment,
    `work_order_assign_at_creation`), on this very instance, before it is returned."""
    from aftersales.tickets.services import ticket_act_on_behalf

    if revisit_of is None and role_of(by) not in rules.CREATING_ROLES:
        raise Forbidden(_("Your role may not create work orders."))
    if mode not in rules.MODES:
        raise InvalidInput.field(
            "mode", _("Must be one of: %(values)s.") % {"values": ", ".join(rules.MODES)}
        )
    if ticket.status not in ("new", "in_progress", "reopened"):
        raise DomainError(
            _("This request is %(status)s: reopen it before opening a work order.")
            % {"status": ticket.get_status_display()},
            code="invalid_transition",
            details={"allowed": [], "status": ticket.status},
        )
    where = _center(center, ticket.center or center_of(by))
    if revisit_of is None and _beyond_own_center(by, where):
        raise Forbidden(_("A front desk or branch opens work orders for its own center only."))
    tech = _technician(technician, where) if technician else None
    if tech is not None and where is None:
        where = center_of(tech)
    now = timezone.now()
    wo = WorkOrder(
        number=next_number("WO", at=now),
        ticket=ticket,
        unit=ticket.unit,
        mode=mode,
        status="assigned" if tech else "created",
        center=where,
        technician=tech,
        created_by=by,
        created_at=now,
    )
    wo.decision = _decide(wo)
    _mark_repeat(wo)
    data: dict[str, Any] = {"work_order": wo.number, "mode": mode}
    if revisit_of is not None:
        data["revisit_of"] = revisit_of.number
    wo.save()
    if tech:
        data["technician"] = tech.username
    if wo.repeat_of:
        data["repeat_of"] = wo.repeat_of.number
    record_event(subject=wo, action="created", actor=by, customer_visible=True, data=data, at=now)
    if ticket.status in ("new", "reopened") and revisit_of is None:
        ticket_act_on_behalf(
            ticket=ticket, by=by, action="start", note=wo.number, data={"work_order": wo.number}
        )
    return wo


@transaction.atomic
def work_order_assign_at_creation(
    *, work_order: WorkOrder, created: Event, technician: User, reasons: list[str]
) -> WorkOrder:
    """A job just opened with nobody on it goes to `technician` (field service's automatic
    assignment, reacting to the job's `created` event in the same transaction): `assigned`, at the
    technician's home center. It writes no event of its own: the `created` event records it, as
    for a job opened with its technician named (`technician`), with the codes of the reasons it
    was picked for (`auto_assigned`)."""
    wo = work_order
    if wo.technician_id is not None or wo.status != "created":
        raise DomainError(
            _guard_message("technician_not_available"), code="technician_not_available"
        )
    wo.technician, wo.center, wo.status = technician, center_of(technician), "assigned"
    wo.save(update_fields=["technician", "center", "status"])
    created.data = {**created.data, "auto_assigned": reasons, "technician": technician.username}
    created.save(update_fields=["data"])
    return wo


# --- acting ----------------------------------------------------------------------------------


@dataclass
class Effect:
    """What an action did: the event's note and data, and the fields it changed."""

    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    changed: set[str] = field(default_factory=set)
    after: list[Callable[[], object]] = field(default_factory=list)  # once the job is saved


def _refuse_transition(wo: WorkOrder, action: str) -> DomainError:
    return DomainError(
        _("Work order %(number)s cannot do “%(action)s” while it is %(status)s.")
        % {"number": wo.number, "action": action, "status": wo.get_status_display()},
        code="invalid_transition",
        details={"allowed": rules.allowed_actions(wo.status, wo.mode), "status": wo.status},
    )


@transaction.atomic
def work_order_act(*, work_order: WorkOrder, by: User, action: str, **payload: Any) -> WorkOrder:
    """Apply one action of the transition table, with its guards, and write its event."""
    # Lock the job's own row only: PostgreSQL refuses FOR UPDATE on the outer join to the unit.
    wo = (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("ticket", "unit")
        .get(pk=work_order.pk)
    )
    target = rules.next_status(wo.status, wo.mode, action, back_to=wo.parts_back_to)
    if target is None:
        raise _refuse_transition(wo, action)
    if not rules.may_act(role_of(by), action):
        raise Forbidden(
            _("Your role may not do “%(action)s” on a work order.") % {"action": action}
        )
    parsed = _PARSERS.get(action, _parse_nothing)(wo, by, payload)
    job = wo.as_job(loaner_out=selectors.open_loan(wo) is not None)
    now = timezone.now()
    refused = rules.refusal(action, job, parsed, now)
    if refused:
        raise DomainError(_guard_message(refused), code=refused)
    effect = _APPLY.get(action, _apply_nothing)(wo, by, parsed, now)
    previous = wo.status
    wo.status = target
    if action == "wait_parts":
        wo.parts_back_to = previous
        effect.changed.add("parts_back_to")
    if action in rules.OUTCOME_OF:
        wo.outcome = rules.OUTCOME_OF[action]
        effect.changed.add("outcome")
    wo.save(update_fields=sorted({"status", *effect.changed}))
    visible = action in rules.CUSTOMER_VISIBLE
    record_event(
        subject=wo,
        action=action,
        actor=by,
        note=effect.note,
        customer_visible=visible,
        data={"work_order": wo.number, "from": previous, "to": target, **effect.data},
        at=now,
    )
    for step in effect.after:
        step()
    return wo


Parsed = dict[str, Any]


def _parse_nothing(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    return {"note": _text(payload, "note", required=False)}


def _apply_nothing(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    return Effect(note=p.get("note", ""))


# assign ----------------------------------------------------------------------------------------


def _parse_assign(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    where = _center(payload.get("center"), wo.center)
    if _beyond_own_center(by, where):
        raise Forbidden(_("Only dispatch moves a job to another service center."))
    if "expected_technician" in payload:
        expected = payload["expected_technician"] or None
        current = wo.technician.username if wo.technician else None
        if expected != current:
            raise DomainError(
                _("Someone else changed the technician meanwhile: it is now %(who)s.")
                % {"who": current or _("nobody")},
                code="conflict",
                details={"technician": current},
            )
    tech = _technician(_text(payload, "technician"), where)
    return {"technician": tech, "center": where or center_of(tech)}


def _apply_assign(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    previous = wo.technician.username if wo.technician else None
    wo.technician, wo.center = p["technician"], p["center"]
    return Effect(
        data={"from_technician": previous, "technician": wo.technician.username},
        changed={"technician", "center"},
    )


# schedule / field ------------------------------------------------------------------------------

RESCHEDULE_REASONS = ("customer_request", "technician_late", "parts_missing", "preempted")


def _parse_schedule(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    start, end = _moment(payload.get("start"), "start"), _moment(payload.get("end"), "end")
    if end <= start:
        raise InvalidInput.field("end", _("The window must end after it starts."))
    reason = ""
    if wo.appointment_start is not None:  # changing a window needs its reason
        reason = _choice(payload, "reason", RESCHEDULE_REASONS)
    elif payload.get("reason"):
        reason = _choice(payload, "reason", RESCHEDULE_REASONS)
    return {"start": start, "end": end, "reason": reason}


def _apply_schedule(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    previous = wo.appointment_start
    wo.appointment_start, wo.appointment_end = p["start"], p["end"]
    data = {"start": p["start"].isoformat(), "end": p["end"].isoformat()}
    if previous:
        data.update(previous=previous.isoformat(), reason=p["reason"])
    return Effect(data=data, changed={"appointment_start", "appointment_end"})


def _apply_depart(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.departed_at = now
    return Effect(note=p["note"], changed={"departed_at"})


def _apply_arrive(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.arrived_at = now
    wo.visit_incomplete = ""
    return Effect(note=p["note"], changed={"arrived_at", "visit_incomplete"})


def _parse_visit_incomplete(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    return {
        "reason": _choice(payload, "reason", rules.INCOMPLETE_REASONS),
        "note": _text(payload, "note", required=False),
    }


def _apply_visit_incomplete(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.visit_incomplete = p["reason"]
    return Effect(note=p["note"], data={"reason": p["reason"]}, changed={"visit_incomplete"})


def _apply_incident(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    from aftersales.core.roles import BRANCH_MANAGER

    wo.paused = True
    managers = list(
        User.objects.filter(
            is_active=True, groups__name=BRANCH_MANAGER, staff_profile__center=wo.center
        ).values_list("username", flat=True)
    )
    return Effect(note=p["note"], data={"alerted": managers}, changed={"paused"})


def _apply_resume(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.paused = False
    return Effect(note=p["note"], changed={"paused"})


def _parse_note(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    return {"note": _text(payload, "note")}


# receive -----------------------------------------------------------------------------------------

VOUCHERS = ("valid", "copy", "missing", "mismatch", "altered")


def _inspection(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput.field("inspection", _("Record the intake inspection."))
    accessories = value.get("accessories") or []
    if not isinstance(accessories, list) or not all(isinstance(a, str) for a in accessories):
        raise InvalidInput.field("inspection.accessories", _("List the accessories handed in."))
    liquid = value.get("liquid_indicator") or "intact"
    if liquid not in ("intact", "triggered"):
        raise InvalidInput.field(
            "inspection.liquid_indicator", _("Must be one of: intact, triggered.")
        )
    flags = {}
    for name in ("seal_intact", "serial_matches"):
        flag = value.get(name, True)
        if not isinstance(flag, bool):
            raise InvalidInput.field(f"inspection.{name}", _("Answer yes or no."))
        flags[name] = flag
    return {
        "appearance": str(value.get("appearance") or "").strip(),
        "accessories": [a.strip() for a in accessories if a.strip()],
        "liquid_indicator": liquid,
        **flags,
        "notes": str(value.get("notes") or "").strip(),
    }


def _parse_receive(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    parsed: Parsed = {
        "inspection": _inspection(payload.get("inspection")),
        "agreement_signed": payload.get("agreement_signed") is True,
        "signature": _png(payload.get("agreement_signature"), "agreement_signature"),
        "voucher": _choice(payload, "voucher", VOUCHERS, default="valid")
        if payload.get("voucher")
        else "",
        "part": _text(payload, "part", required=False),
        "tracking_no": _text(payload, "tracking_no", required=False),
    }
    if wo.mode == "mail_in" and not parsed["tracking_no"]:
        raise InvalidInput.field("tracking_no", _("A mail-in unit arrives with a tracking number."))
    return parsed


def _apply_receive(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.inspection = p["inspection"]
    wo.agreement_signed = True
    wo.received_at = now
    wo.voucher = p["voucher"] or wo.voucher
    wo.part = p["part"] or wo.part
    wo.tracking_in = p["tracking_no"] or wo.tracking_in
    changed = {"inspection", "agreement_signed", "received_at", "voucher", "part", "tracking_in"}
    if p["signature"]:
        wo.agreement_signature.save("agreement.png", ContentFile(p["signature"]), save=False)
        changed.add("agreement_signature")
    wo.decision = _decide(wo)
    changed.add("decision")
    effect = Effect(data={"inspection": wo.inspection}, changed=changed)
    if wo.unit is not None and wo.unit.status == "in_use":
        unit = wo.unit
        effect.after.append(
            lambda: catalog_services.unit_set_status(
                unit=unit, status="in_service", by=by, note=wo.number
            )
        )
    return effect


# entitlement -------------------------------------------------------------------------------------


def _parse_remedy(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    wo.decision = _decide(wo)  # recomputed from the facts so far; the guard reads it
    return {"remedy": _text(payload, "remedy")}


def _apply_choose_remedy(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.chosen_remedy, wo.remedy_chosen_by, wo.remedy_chosen_at = p["remedy"], by, now
    return Effect(
        data={"remedy": p["remedy"], "offered": list(wo.remedies)},
        changed={"decision", "chosen_remedy", "remedy_chosen_by", "remedy_chosen_at"},
    )


def _parse_diagnose(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    human_damage = payload.get("human_damage", False)
    if not isinstance(human_damage, bool):
        raise InvalidInput.field("human_damage", _("Answer yes or no."))
    kind = _choice(payload, "damage_kind", DAMAGE_KINDS) if payload.get("damage_kind") else ""
    return {
        "findings": _text(payload, "findings"),
        "fault_code": _text(payload, "fault_code", required=False).upper(),
        "human_damage": human_damage or is_human_damage(kind),
        "damage_kind": kind,
    }


def _apply_diagnose(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    before = wo.decision or {}
    wo.findings, wo.fault_code = p["findings"], p["fault_code"]
    wo.human_damage, wo.damage_kind = p["human_damage"], p["damage_kind"]
    wo.decision = _decide(wo)
    was_repeat = wo.repeat_of.number if wo.repeat_of else None
    _mark_repeat(wo)
    after = wo.decision or {}
    data: dict[str, Any] = {"fault_code": wo.fault_code, "human_damage": wo.human_damage}
    if before.get("covered") != after.get("covered"):
        # Why the entitlement changed stays on the record (e.g. liquid damage found).
        data["decision_changed"] = {
            "covered": after.get("covered"),
            "reasons": [r["code"] for r in after.get("reasons", [])],
        }
    if was_repeat != (wo.repeat_of.number if wo.repeat_of else None):
        data["repeat_of"] = wo.repeat_of.number if wo.repeat_of else None
    if wo.chosen_remedy and wo.chosen_remedy not in wo.remedies:
        wo.chosen_remedy = ""  # the choice no longer stands (e.g. now a paid repair)
    return Effect(
        note=wo.findings,
        data=data,
        changed={
            "findings",
            "fault_code",
            "human_damage",
            "damage_kind",
            "decision",
            "repeat_repair",
            "repeat_of",
            "chosen_remedy",
        },
    )


def _parse_findings(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    return {"findings": _text(payload, "findings")}


def _apply_no_fault(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.findings = p["findings"]
    return Effect(note=wo.findings, changed={"findings"})


# quote and money ---------------------------------------------------------------------------------

LINE_KINDS = ("labor", "part", "visit")


def _parse_quote(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    lines = payload.get("lines")
    if not isinstance(lines, list) or not lines:
        raise InvalidInput.field("lines", _("A quote needs at least one line."))
    parsed = []
    may_set_price = role_of(by) in rules.APPROVING_ROLES
    for i, line in enumerate(lines):
        where = f"lines.{i}"
        if not isinstance(line, dict):
            raise InvalidInput.field(where, _("Each line needs kind, description, qty."))
        kind = _choice(line, "kind", LINE_KINDS)
        distance = line.get("distance_km")
        code, description, standard = selectors.standard_price(
            wo,
            kind=kind,
            code=str(line.get("code") or "").strip().upper()
            if kind == "part"
            else str(line.get("code") or "").strip(),
            distance_km=_money(distance, f"{where}.distance_km") if distance is not None else None,
        )
        given = line.get("unit_price")
        price = _money(given, f"{where}.unit_price") if given is not None else standard
        if price is None:
            raise InvalidInput.field(
                f"{where}.unit_price", _("No fee standard prices this line: give the price.")
            )
        if standard is not None and price != standard and not may_set_price:
            raise Forbidden(
                _(
                    "Line %(n)d: the fee standard says %(price)s; another price needs a branch manager."
                )
                % {"n": i + 1, "price": standard}
            )
        text = str(line.get("description") or description).strip()
        if not text:
            raise InvalidInput.field(f"{where}.description", _("Describe the line."))
        parsed.append(
            {
                "kind": kind,
                "code": code,
                "description": text,
                "qty": _count(line.get("qty", 1), f"{where}.qty"),
                "unit_price": price,
                "standard_price": standard,
            }
        )
    return {"lines": parsed}


def _apply_quote(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.quote_lines.all().delete()
    lines = [QuoteLine(work_order=wo, **line) for line in p["lines"]]
    QuoteLine.objects.bulk_create(lines)
    wo.quote_total = sum((line.total for line in lines), Decimal("0.00"))
    wo.quote_approved = None
    wo.inspection_fee = selectors.inspection_fee(wo)
    return Effect(
        data={"total": f"{wo.quote_total:.2f}", "lines": len(lines)},
        changed={"quote_total", "quote_approved", "inspection_fee"},
    )


def _apply_approve_quote(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.quote_approved = True
    return Effect(
        note=p["note"], data={"total": f"{wo.quote_total:.2f}"}, changed={"quote_approved"}
    )


def _apply_decline_quote(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.quote_approved = False
    return Effect(note=p["note"], changed={"quote_approved"})


def _parse_waive(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    due = wo.amount_due
    amount = _money(payload["amount"], "amount") if payload.get("amount") is not None else due
    if amount > due:
        raise InvalidInput.field(
            "amount", _("Only %(due)s is due: waive at most that.") % {"due": f"{due:.2f}"}
        )
    return {"amount": amount, "reason": _text(payload, "reason")}


def _apply_waive(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.waived += p["amount"]
    return Effect(note=p["reason"], data={"amount": f"{p['amount']:.2f}"}, changed={"waived"})


# exchange and refund ------------------------------------------------------------------------------


def _parse_exchange(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    if wo.unit is None:
        raise InvalidInput.field("new_serial", _("This job has no registered unit to exchange."))
    return {"new_serial": _text(payload, "new_serial")}


def _apply_exchange(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    old = wo.unit
    assert old is not None
    # The new unit: same model and owner, sale date kept (the 7/15-day windows do not restart),
    # a fresh warranty period from the exchange date (a new 三包 voucher).
    new = catalog_services.unit_register(
        by=by,
        serial=p["new_serial"],
        model=old.model.code,
        customer_id=old.customer_id,
        purchase_date=old.purchase_date,
        invoice_date=timezone.localdate(now),
        price=old.price,
        seller=old.seller,
        invoice_no=old.invoice_no,
    )
    catalog_services.unit_set_status(unit=old, status="exchanged", by=by, note=wo.number)
    wo.new_unit = new
    return Effect(data={"old_serial": old.serial, "new_serial": new.serial}, changed={"new_unit"})


def _parse_refund(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    if wo.unit is None:
        raise InvalidInput.field("amount", _("This job has no registered unit to refund."))
    if payload.get("amount") is not None:
        return {"amount": _money(payload["amount"], "amount")}
    default = (wo.decision or {}).get("refund_amount")
    if default is None:
        raise InvalidInput.field("amount", _("The unit's price is unknown: give the amount."))
    return {"amount": Decimal(default)}


def _apply_refund(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    assert wo.unit is not None
    catalog_services.unit_set_status(unit=wo.unit, status="returned_faulty", by=by, note=wo.number)
    wo.refund_amount = p["amount"]
    return Effect(data={"amount": f"{p['amount']:.2f}"}, changed={"refund_amount"})


# parts, repair, QC -------------------------------------------------------------------------------


def _part(wo: WorkOrder, code: str) -> Part | None:
    if wo.unit is None:
        return None
    return Part.objects.filter(model_id=wo.unit.model_id, code=code).first()


def _stock(center: ServiceCenter | None, part: Part) -> PartStock | None:
    if center is None:
        return None
    stock, _created = PartStock.objects.select_for_update().get_or_create(
        center=center, part=part, holder=None
    )
    return stock


def _van_stock(wo: WorkOrder, part: Part, qty: int) -> PartStock | None:
    """The technician's van, for an on-site job, when it carries enough of the part."""
    if wo.mode != "on_site" or wo.technician_id is None:
        return None
    return (
        PartStock.objects.select_for_update()
        .filter(holder_id=wo.technician_id, part=part, on_hand__gte=qty)
        .first()
    )


def _parse_wait_parts(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    parts = _parts(payload.get("parts"), "parts")
    if not parts:
        raise InvalidInput.field("parts", _("Name the parts the job waits for."))
    expected = _day(payload.get("expected_date"), "expected_date")
    if expected < timezone.localdate():
        raise InvalidInput.field("expected_date", _("The expected date cannot be in the past."))
    return {"parts": parts, "expected_date": expected}


def _apply_wait_parts(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    """Reserve what the center has in stock, order the rest."""
    states = []
    for code, qty in p["parts"]:
        part = _part(wo, code)
        stock = _stock(wo.center, part) if part else None
        state = "ordered"
        if stock is not None and stock.available >= qty:
            stock.reserved += qty
            stock.save(update_fields=["reserved"])
            state = "reserved"
        PartRequest.objects.create(
            work_order=wo,
            part=part,
            code=code,
            qty=qty,
            state=state,
            expected_date=p["expected_date"],
        )
        states.append({"code": code, "qty": qty, "state": state})
    wo.expected_parts_date = p["expected_date"]
    return Effect(
        note=_("Parts expected on %(day)s") % {"day": p["expected_date"].isoformat()},
        data={"parts": states, "expected_date": p["expected_date"].isoformat()},
        changed={"expected_parts_date"},
    )


def _apply_parts_arrived(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    """Ordered parts arrive into the center's stock, reserved for this job."""
    arrived = []
    for request in wo.parts.filter(state="ordered").select_related("part"):
        if request.part is not None and (stock := _stock(wo.center, request.part)) is not None:
            stock.on_hand += request.qty
            stock.reserved += request.qty
            stock.save(update_fields=["on_hand", "reserved"])
        request.state = "arrived"
        request.save(update_fields=["state"])
        arrived.append(request.code)
    wo.expected_parts_date = None
    return Effect(note=p["note"], data={"arrived": arrived}, changed={"expected_parts_date"})


def _parse_complete(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    return {
        "actions_taken": _text(payload, "actions_taken"),
        "parts_used": _parts(payload.get("parts_used"), "parts_used"),
        "result": _choice(payload, "result", ("ok", "uncertain", "untested"), default="ok"),
    }


def _consume(wo: WorkOrder, code: str, qty: int) -> dict[str, Any]:
    """Use a part: from this job's reservation first, then from free stock. A part not in the
    catalog (or not in stock) is still recorded: the repair is done, the stock is reconciled."""
    part = _part(wo, code)
    held = sum(r.qty for r in wo.parts.filter(code=code, state__in=("reserved", "arrived")))
    van = _van_stock(wo, part, qty) if part and not held else None
    stock = van or (_stock(wo.center, part) if part else None)
    if stock is not None:
        from_reserved = min(held, qty, stock.reserved)
        stock.reserved -= from_reserved
        stock.on_hand -= min(qty, stock.on_hand)
        stock.save(update_fields=["on_hand", "reserved"])
    wo.parts.filter(code=code, state__in=("reserved", "arrived")).update(state="used")
    if held < qty:
        PartRequest.objects.create(
            work_order=wo, part=part, code=code, qty=qty - held, state="used"
        )
    used = {"code": code, "qty": qty, "in_catalog": part is not None}
    return used | ({"from_van": True} if van else {})


def _apply_complete(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    used = [_consume(wo, code, qty) for code, qty in p["parts_used"]]
    wo.actions_taken, wo.result = p["actions_taken"], p["result"]
    effect = Effect(
        note=wo.actions_taken,
        data={"parts_used": used, "result": wo.result},
        changed={"actions_taken", "result"},
    )
    return effect  # an uncertain or untested repair's callback: followups.reactions


def _parse_qc_pass(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    checks = payload.get("checks")
    if not isinstance(checks, list) or not [c for c in checks if str(c).strip()]:
        raise InvalidInput.field(
            "checks", _("List the functions checked (all of them, not only the fault).")
        )
    return {"checks": [str(c).strip() for c in checks if str(c).strip()]}


def _apply_qc_pass(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.qc_passed_at = now
    effect = Effect(data={"checks": p["checks"]}, changed={"qc_passed_at"})
    start = wo.received_at or wo.arrived_at
    ends = (wo.decision or {}).get("warranty_ends")
    if start is None:
        return effect
    wo.repair_days = rules.repair_days(start, now)
    effect.changed.add("repair_days")
    effect.data["repair_days"] = wo.repair_days
    inside = ends is not None and timezone.localdate(start) <= date.fromisoformat(str(ends))
    if inside and wo.repair_days and wo.unit is not None:
        unit, days = wo.unit, wo.repair_days
        effect.after.append(
            lambda: catalog_services.unit_add_repair_days(
                unit=unit, days=days, by=by, note=wo.number
            )
        )
    return effect


def _parse_qc_fail(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    return {"reason": _text(payload, "reason")}


def _apply_qc_fail(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.qc_fail_count += 1
    return Effect(
        note=p["reason"], data={"qc_fail_count": wo.qc_fail_count}, changed={"qc_fail_count"}
    )


# pickup and hand-over ----------------------------------------------------------------------------


def _parse_notify(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    reached = payload.get("reached")
    if not isinstance(reached, bool):
        raise InvalidInput.field("reached", _("Say whether the customer was reached."))
    return {"channel": _choice(payload, "channel", ("phone", "sms")), "reached": reached}


def _apply_notify(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    """The call is logged, and the next rung of the ladder set, by followups.reactions."""
    return Effect(data={"channel": p["channel"], "reached": p["reached"]})


def _parse_hand_over(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    rating = payload.get("rating")
    if rating is None and wo.mode != "mail_in":
        raise InvalidInput.field("rating", _("Ask the customer to rate the service (1–5)."))
    if rating is not None and (isinstance(rating, bool) or rating not in (1, 2, 3, 4, 5)):
        raise InvalidInput.field("rating", _("The rating is 1 to 5."))
    payment = payload.get("payment") or None
    if payment is not None:
        if not isinstance(payment, dict):
            raise InvalidInput.field("payment", _("Give amount, method and receipt_no."))
        payment = {
            "amount": _money(payment.get("amount"), "payment.amount"),
            "method": _text(payment, "method", required=False) or "cash",
            "receipt_no": _text(payment, "receipt_no", required=False),
        }
    tracking = _text(payload, "tracking_no", required=False)
    if wo.mode == "mail_in" and not tracking and not wo.tracking_out:
        raise InvalidInput.field("tracking_no", _("Give the tracking number of the return parcel."))
    return {
        "rating": rating,
        "comment": _text(payload, "comment", required=False),
        "signature": _png(payload.get("signature"), "signature"),
        "payment": payment,
        "tracking_no": tracking,
    }


def _apply_hand_over(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:

    wo.handed_over_at, wo.rating, wo.comment = now, p["rating"], p["comment"]
    changed = {"handed_over_at", "rating", "comment"}
    data: dict[str, Any] = {"outcome": wo.outcome, "rating": p["rating"]}
    if p["payment"]:
        wo.paid += p["payment"]["amount"]
        wo.payment_method, wo.receipt_no = p["payment"]["method"], p["payment"]["receipt_no"]
        changed |= {"paid", "payment_method", "receipt_no"}
        data["payment"] = {**p["payment"], "amount": f"{p['payment']['amount']:.2f}"}
    if p["tracking_no"]:
        wo.tracking_out = p["tracking_no"]
        changed.add("tracking_out")
    if p["signature"]:
        wo.handover_signature.save("handover.png", ContentFile(p["signature"]), save=False)
        changed.add("handover_signature")
    effect = Effect(note=p["comment"], data=data, changed=changed)
    _loaner_back(wo, now, effect)
    effect.after.append(lambda: _after_hand_over(wo, by, now))
    return effect


def _after_hand_over(wo: WorkOrder, by: User, now: datetime) -> None:
    """The unit goes back into use; the last job resolves its request — not a complaint's, which
    its handler resolves when the customer accepts (CONTRACT.md "Complaints"). (The survey and
    the end of the pickup calls: followups.reactions.)"""
    from aftersales.tickets.services import ticket_act_on_behalf

    unit = wo.unit
    if unit is not None and unit.status == "in_service":
        catalog_services.unit_set_status(unit=unit, status="in_use", by=by, note=wo.number)
    if unit is not None and wo.outcome == "repaired":
        catalog_services.unit_repaired(
            unit=unit, by=by, work_order=wo.number, fault_code=wo.fault_code, at=now
        )
    ticket = wo.ticket
    others_open = ticket.work_orders.exclude(pk=wo.pk).exclude(status__in=rules.CLOSED_STATUSES)
    if ticket_rules.resolved_by_last_job(ticket.kind, ticket.status) and not others_open.exists():
        ticket_act_on_behalf(
            ticket=ticket,
            by=by,
            action="resolve",
            resolution=rules.RESOLUTION_OF[wo.outcome],
            note=wo.number,
            data={"work_order": wo.number},
        )


# loaners -----------------------------------------------------------------------------------------


def _parse_loaner(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    serial = _text(payload, "serial").upper()
    loaner = Loaner.objects.filter(serial=serial, active=True).first()
    if loaner is None:
        raise InvalidInput.field("serial", _("No loaner unit with this serial."))
    return {"loaner": loaner}


def _apply_loan(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    try:
        with transaction.atomic():
            Loan.objects.create(work_order=wo, loaner=p["loaner"], lent_at=now)
    except IntegrityError as exc:
        raise DomainError(
            _("Loaner %(serial)s is already lent to another customer.")
            % {"serial": p["loaner"].serial},
            code="conflict",
        ) from exc
    return Effect(data={"serial": p["loaner"].serial})


def _loaner_back(wo: WorkOrder, now: datetime, effect: Effect) -> None:
    """The job ends (hand-over, cancellation): a loaner still out comes back with it, so none
    is left lent to a finished job."""
    loan = selectors.open_loan(wo)
    if loan is not None:
        Loan.objects.filter(pk=loan.pk).update(returned_at=now)
        effect.data["loaner_returned"] = loan.loaner.serial


def _apply_return_loan(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    updated = Loan.objects.filter(work_order=wo, loaner=p["loaner"], returned_at=None).update(
        returned_at=now
    )
    if not updated:
        raise InvalidInput.field("serial", _("This loaner is not out on this work order."))
    return Effect(data={"serial": p["loaner"].serial})


# mode, escalation, cancel, close -----------------------------------------------------------------


def _parse_change_mode(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    mode = _choice(payload, "mode", rules.MODES)
    if mode == wo.mode:
        raise InvalidInput.field("mode", _("The job is already in this mode."))
    return {"mode": mode, "reason": _text(payload, "reason")}


def _apply_change_mode(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    previous = wo.mode
    wo.mode = p["mode"]
    wo.technician = None  # a new mode is dispatched afresh
    wo.appointment_start = wo.appointment_end = None
    return Effect(
        note=p["reason"],
        data={"from_mode": previous, "mode": wo.mode},
        changed={"mode", "technician", "appointment_start", "appointment_end"},
    )


def _apply_escalate(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    """The technical center's case opens as a reaction to the event (knowledge.reactions)."""
    wo.escalated = True
    return Effect(note=p["note"], changed={"escalated"})


def _parse_reason(wo: WorkOrder, by: User, payload: dict[str, Any]) -> Parsed:
    return {"reason": _text(payload, "reason")}


def _apply_cancel(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    effect = Effect(note=p["reason"], data={"reason": p["reason"]})
    _loaner_back(wo, now, effect)
    return effect


def _apply_close(wo: WorkOrder, by: User, p: Parsed, now: datetime) -> Effect:
    wo.closed_at = now
    return Effect(changed={"closed_at"})


_PARSERS: dict[str, Callable[[WorkOrder, User, dict[str, Any]], Parsed]] = {
    "assign": _parse_assign,
    "schedule": _parse_schedule,
    "incident": _parse_note,
    "visit_incomplete": _parse_visit_incomplete,
    "escalate": _parse_note,
    "receive": _parse_receive,
    "choose_remedy": _parse_remedy,
    "diagnose": _parse_diagnose,
    "no_fault_found": _parse_findings,
    "quote": _parse_quote,
    "waive": _parse_waive,
    "exchange": _parse_exchange,
    "refund": _parse_refund,
    "wait_parts": _parse_wait_parts,
    "complete_repair": _parse_complete,
    "qc_pass": _parse_qc_pass,
    "qc_fail": _parse_qc_fail,
    "notify_pickup": _parse_notify,
    "hand_over": _parse_hand_over,
    "loan_unit": _parse_loaner,
    "return_loan": _parse_loaner,
    "change_mode": _parse_change_mode,
    "cancel": _parse_reason,
}
_APPLY: dict[str, Callable[[WorkOrder, User, Parsed, datetime], Effect]] = {
    "assign": _apply_assign,
    "schedule": _apply_schedule,
    "depart": _apply_depart,
    "arrive": _apply_arrive,
    "incident": _apply_incident,
    "visit_incomplete": _apply_visit_incomplete,
    "resume": _apply_resume,
    "receive": _apply_receive,
    "choose_remedy": _apply_choose_remedy,
    "diagnose": _apply_diagnose,
    "no_fault_found": _apply_no_fault,
    "quote": _apply_quote,
    "approve_quote": _apply_approve_quote,
    "decline_quote": _apply_decline_quote,
    "waive": _apply_waive,
    "exchange": _apply_exchange,
    "refund": _apply_refund,
    "wait_parts": _apply_wait_parts,
    "parts_arrived": _apply_parts_arrived,
    "complete_repair": _apply_complete,
    "qc_pass": _apply_qc_pass,
    "qc_fail": _apply_qc_fail,
    "notify_pickup": _apply_notify,
    "hand_over": _apply_hand_over,
    "loan_unit": _apply_loan,
    "return_loan": _apply_return_loan,
    "change_mode": _apply_change_mode,
    "escalate": _apply_escalate,
    "cancel": _apply_cancel,
    "close": _apply_close,
}


# --- photos, handover of a leaver -----------------------------------------------------------------

MAX_PHOTO_BYTES = 10 * 1024 * 1024
PHOTO_TYPES = {b"\xff\xd8\xff": "jpg", b"\x89PNG": "png", b"RIFF": "webp"}


@transaction.atomic
def photo_add(*, work_order: WorkOrder, by: User, content: bytes, caption: str = "") -> Photo:
    """A photo of the unit as received (appearance, damage, liquid indicator)."""
    if not rules.may_act(role_of(by), "receive"):
        raise Forbidden(_("Your role may not add photos to work orders."))
    if not work_order.is_open:
        raise DomainError(_("This work order is finished."), code="invalid_transition")
    if len(content) > MAX_PHOTO_BYTES:
        raise InvalidInput.field("image", _("The photo is larger than 10 MB."))
    ext = next((e for magic, e in PHOTO_TYPES.items() if content.startswith(magic)), None)
    if ext is None:
        raise InvalidInput.field("image", _("Upload a JPEG, PNG or WebP photo."))
    photo = Photo(work_order=work_order, caption=caption.strip()[:200], uploaded_by=by)
    count = work_order.photos.count() + 1
    photo.image.save(f"{count:02d}.{ext}", ContentFile(content), save=False)
    photo.save()
    record_event(
        subject=work_order,
        action="photo",
        actor=by,
        note=photo.caption,
        data={"work_order": work_order.number, "photo": photo.pk},
    )
    return photo


@transaction.atomic
def work_orders_hand_over(*, user: User, to: User, by: User) -> int:
    """Move every open job assigned to `user` to `to`, each with an `assign` event by `by`."""
    moved = 0
    for wo in (
        WorkOrder.objects.select_for_update()
        .filter(technician=user)
        .exclude(status__in=rules.CLOSED_STATUSES)
        .order_by("id")
    ):
        wo.technician = to
        wo.save(update_fields=["technician"])
        record_event(
            subject=wo,
            action="assign",
            actor=by,
            note=_("Handed over from %(from)s") % {"from": user.username},
            data={
                "work_order": wo.number,
                "from_technician": user.username,
                "technician": to.username,
                "handover": True,
            },
        )
        moved += 1
    return moved


@transaction.atomic
def work_order_finish_on_site(
    *,
    work_order: WorkOrder,
    by: User,
    actions_taken: str,
    parts_used: list[dict[str, Any]],
    result: str,
    checks: list[str],
) -> WorkOrder:
    """The technician's "finished" on the phone: `complete_repair` then `qc_pass`, both or
    neither (a refused QC leaves the job repairing, with no repair event and no part used)."""
    work_order_act(
        work_order=work_order,
        by=by,
        action="complete_repair",
        actions_taken=actions_taken,
        parts_used=parts_used,
        result=result,
    )
    return work_order_act(work_order=work_order, by=by, action="qc_pass", checks=checks)


@transaction.atomic
def work_order_assign_and_book(
    *,
    work_order: WorkOrder,
    by: User,
    technician: str,
    expected_technician: str | None,
    center: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    reason: str = "",
) -> WorkOrder:
    """The board's "assign" and "book the slot" as one step: `assign` to `technician` (checking
    that the job is still with `expected_technician`, moving it to `center` when given), then,
    with a window, `schedule` it (`reason` when it moves a booked window, e.g. `preempted`).
    Two moves of the table, each with its event; both or neither (a refused booking leaves the
    job with whoever had it, and writes no `assign` event)."""
    assign: dict[str, Any] = {"technician": technician, "expected_technician": expected_technician}
    if center:
        assign["center"] = center
    wo = work_order_act(work_order=work_order, by=by, action="assign", **assign)
    if start is None or end is None:
        return wo
    window: dict[str, Any] = {"start": start, "end": end}
    if reason:
        window["reason"] = reason
    return work_order_act(work_order=wo, by=by, action="schedule", **window)
