"""三包 pages: a unit's facts and entitlement, and the front desk's check.

Views parse (a form), call one selector, render. What they add is wording: a decision's codes
become the sentences and labels a customer is shown (and may take home, printed).
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from aftersales.catalog.models import Unit
from aftersales.core.errors import InvalidInput
from aftersales.core.forms import add_refusal
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.warranty import selectors
from aftersales.warranty.forms import (
    DAMAGE_CHOICES,
    PART_GROUP,
    REMEDY_LABELS,
    UNIT_GROUP,
    VOUCHER_CHOICES,
    WarrantyCheckForm,
    unit_label,
)
from aftersales.warranty.rules import Decision, Reason

UNIT_FACTS = (
    "purchase_date",
    "invoice_date",
    "activation_date",
    "manufacture_date",
    "invoice_no",
    "seller",
    "price",
    "status",
    "repair_days",
    "goodwill_days",
    "failed_repairs",
)


# Wording -------------------------------------------------------------------------------------


def _money(amount: Decimal) -> str:
    return f"¥{amount:,.2f}"


def _percent(rate: Decimal) -> str:
    """0.2900 → "29", 0.0250 → "2.5" (the page adds the % sign)."""
    return f"{(rate * 100).normalize():f}"


def _short_date(day: date, today: date) -> str:
    """This year's dates as the desk says them (11-09); others in full (2027-11-02)."""
    return f"{day:%m-%d}" if day.year == today.year else day.isoformat()


def _fact(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "—" if value is None or value == "" else str(value)


def _reason_text(reason: Reason, part_names: dict[str, str]) -> str:
    """The reason in the reader's language, its coded values (liquid, copy, battery) in words."""
    params = dict(reason.params)
    if "kind" in params:
        params["kind"] = str(dict(DAMAGE_CHOICES).get(params["kind"], _("unspecified")))
    if "voucher" in params:
        params["voucher"] = str(dict(VOUCHER_CHOICES).get(params["voucher"], params["voucher"]))
    if "part" in params:
        params["part"] = part_names.get(params["part"], params["part"])
    return Reason(reason.code, params).message(_)


def _decision_view(decision: Decision, form: WarrantyCheckForm) -> dict[str, Any]:
    """Everything the decision panel (and its printout) shows, worded."""
    terms = form.categories.get(form.category_code)
    part_names = dict(terms.parts) if terms else {}
    data = form.cleaned_data
    refund_open = "refund" in decision.remedies
    unit = form.unit
    used: list[tuple[Any, Any]] = [
        (_("Serial / IMEI"), unit.serial if unit else "—"),
        (_("Model"), str(unit.model) if unit else "—"),
        (_("Customer"), unit.customer.name if unit and unit.customer else "—"),
        (_("Category"), terms.name if terms else form.category_code),
        (_("Part"), part_names.get(decision.part, decision.part)),
        (form.fields["purchase_date"].label, decision.purchase_date),
        (form.fields["invoice_date"].label, decision.invoice_date),
        (form.fields["report_date"].label, decision.report_date),
        (_("Fault"), form.fault_label()),
        (_("Damage found on inspection"), dict(DAMAGE_CHOICES)[data["damage"]]),
        (_("Voucher"), dict(VOUCHER_CHOICES)[data["voucher"]]),
        (form.fields["repair_days"].label, data.get("repair_days") or 0),
        (form.fields["failed_repairs"].label, data.get("failed_repairs") or 0),
        (
            _("Same model available"),
            _("Yes") if data["same_model_available"] else _("No"),
        ),
        (form.fields["price"].label, _money(data["price"]) if data.get("price") else "—"),
    ]
    return {
        "remedies": [{"code": r, "label": REMEDY_LABELS[r]} for r in decision.remedies],
        "reasons": [_reason_text(r, part_names) for r in decision.reasons],
        "warnings": [_reason_text(r, part_names) for r in decision.warnings],
        "refund_open": refund_open,
        "depreciation": _percent(decision.refund_deduction_rate),
        "refund_amount": _money(amount) if (amount := decision.refund_amount) is not None else "",
        "policy_name": terms.policy_name if terms else decision.policy_code,
        "facts_used": [(label, _fact(value)) for label, value in used],
    }


def _entitlement(unit: Unit, decision: Decision | None, today: date) -> str:
    """Today's entitlement in one sentence: what the customer may still ask for, until when."""
    if decision is None:
        if unit.purchase_date is None:
            return _("No purchase date is on file, so the 三包 entitlement cannot be worked out.")
        if unit.purchase_date > today:
            return _("The purchase date is in the future: check the unit's data.")
        return _("No 三包 policy covers this product category.")
    if not decision.covered:
        if decision.window == "expired" and decision.warranty_ends is not None:
            ends = decision.warranty_ends.isoformat()
            return _("The 三包 period ended on %(date)s: paid repair only.") % {"date": ends}
        return _("Not covered by 三包: paid repair only.")
    clauses = []
    remedies = decision.remedies
    if decision.window == "return" and "refund" in remedies and decision.return_ends:
        day = _short_date(decision.return_ends, today)
        clauses.append(_("return until %(date)s") % {"date": day})
    if decision.window in ("return", "exchange") and decision.exchange_ends:
        day = _short_date(decision.exchange_ends, today)
        if "exchange" in remedies:
            clauses.append(_("exchange until %(date)s") % {"date": day})
        if decision.window == "exchange" and "refund" in remedies:
            clauses.append(_("refund less depreciation until %(date)s") % {"date": day})
    if decision.window == "repair" and set(remedies) & {"exchange", "refund"}:
        clauses.append(_("exchange or refund after repeated failed repairs"))
    if "free_repair" in remedies and decision.warranty_ends:
        day = _short_date(decision.warranty_ends, today)
        if decision.extension_days:
            clause = _("free repair until %(date)s (extended by %(days)s days)")
        else:
            clause = _("free repair until %(date)s")
        clauses.append(clause % {"date": day, "days": decision.extension_days})
    separator = pgettext("list separator", ", ")
    return _("From today: %(clauses)s") % {"clauses": separator.join(clauses)}


# Pages ---------------------------------------------------------------------------------------


def unit_context(unit: Unit) -> dict[str, Any]:
    """The unit page's facts and what the unit is entitled to today (the shell's unit page adds
    its service history: shell.views.unit_detail)."""
    decision = selectors.entitlement_today(unit)
    today = timezone.localdate()
    return {
        "unit": unit,
        "labels": {name: unit_label(name) for name in UNIT_FACTS},
        "decision": decision,
        "entitlement": _entitlement(unit, decision, today),
        "reasons": [_reason_text(r, {}) for r in decision.reasons] if decision else [],
        "price": _money(unit.price) if unit.price is not None else "",
    }


@staff_required
def warranty_check(request: HtmxHttpRequest) -> HttpResponse:
    """The 三包 check: a whole page, or for htmx the decision (and the fields it redraws)."""
    today = timezone.localdate()
    if request.method == "POST":
        form = WarrantyCheckForm(request.POST, today=today)
    elif request.GET.get("serial"):
        form = WarrantyCheckForm.for_serial(request.GET["serial"], today=today)
    else:
        form = WarrantyCheckForm(today=today)

    decision = None
    if form.is_bound and form.is_valid() and form.ready:
        try:
            if form.unit is not None:
                decision = selectors.decide_for_unit(form.unit, **form.facts())
            else:
                decision = selectors.decide(category=form.category_code, facts=form.facts())
        except InvalidInput as exc:
            add_refusal(form, exc)

    context: dict[str, Any] = {
        "form": form,
        "decision": decision,
        "view": _decision_view(decision, form) if decision else None,
    }
    if not request.htmx:
        return render(request, "warranty/check.html", context)
    # Redraw only what the answer changes: never a field the clerk may be typing in.
    redraw = [
        *(UNIT_GROUP if form.unit_changed else ()),
        *(PART_GROUP if form.part_changed else ()),
    ]
    context.update(
        redraw_unit=form.unit_changed,
        redraw_fields=[form[name] for name in redraw],
        error_slots=[form[name] for name in form.fields if name not in redraw],
    )
    return render(request, "warranty/partials/_check_answer.html", context)
