"""Work order pages: the job page and its actions, reception with the signed repair agreement,
the printed slips, the list and the loaners out. Files (photos, signatures) are served only to
staff who may see the job.

Each view parses (a form), calls one selector or service, and renders: the whole page, or for
htmx the fragment beside it in templates/workorders/partials/. Refusals (DomainError) go back
onto the form they came from, with what was typed.
"""

from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.core.errors import DomainError
from aftersales.core.roles import role_of
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.tickets.views import (
    staff_user,
    warranty_view,
)
from aftersales.warranty.forms import DAMAGE_CHOICES, REMEDY_LABELS, VOUCHER_CHOICES
from aftersales.workorders import rules, selectors, services
from aftersales.workorders.forms import (
    ACTION_LABELS,
    DANGER_ACTIONS,
    EVENT_LABELS,
    PRIMARY_ACTIONS,
    ActionForm,
    PhotoForm,
    ReceiveForm,
    WorkOrderFilterForm,
)
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.pages import add_photos, job_or_404, worded

PAGE_SIZE = 50


# Wording -------------------------------------------------------------------------------------


def _inspection_view(inspection: dict[str, Any]) -> list[tuple[str, str]]:
    """The intake inspection as the desk and the customer read it."""
    if not inspection:
        return []
    yes, no = _("Yes"), _("No")
    liquid = {"intact": _("Intact"), "triggered": _("Triggered")}
    return [
        (_("Appearance"), inspection.get("appearance") or "—"),
        (_("Accessories"), "、".join(inspection.get("accessories") or []) or _("None")),
        (_("Liquid indicator"), liquid.get(inspection.get("liquid_indicator", ""), "—")),
        (_("Anti-tamper seal intact"), yes if inspection.get("seal_intact") else no),
        (_("Serial inside matches outside"), yes if inspection.get("serial_matches") else no),
        (_("Remarks"), inspection.get("notes") or "—"),
    ]


def _action_form(action: str, wo: WorkOrder, data: Any = None) -> ActionForm:
    loan = selectors.open_loan(wo)
    initial = {"action": action, "serial": loan.loaner.serial if loan else ""}
    return ActionForm(
        data,
        initial=initial,
        auto_id=f"{action}-%s",
        technicians=list(selectors.technicians_at(wo.center)) if action == "assign" else [],
        remedies=wo.remedies,
        fee_items=selectors.fee_items(wo) if action == "quote" else [],
        parts=selectors.parts_for(wo) if action == "quote" else [],
    )


def _actions(wo: WorkOrder, role: str | None, refused: ActionForm | None) -> list[dict[str, Any]]:
    """The buttons the transition table allows now (and the role may press), each with its
    form; a refused action's form comes back open with its message and what was typed."""
    refused_action = refused.data.get("action", "") if refused is not None else ""
    actions = []
    for action in rules.allowed_actions(wo.status, wo.mode):
        if not rules.may_act(role, action):
            continue
        form = refused if refused and action == refused_action else _action_form(action, wo)
        actions.append(
            {
                "name": action,
                "label": ACTION_LABELS.get(action, action),
                "form": form,
                "fields": [form[name] for name in ActionForm.FIELDS.get(action, ())],
                "open": action == refused_action,
                "style": "primary"
                if action in PRIMARY_ACTIONS
                else "danger"
                if action in DANGER_ACTIONS
                else "secondary",
            }
        )
    return actions


def _page(wo: WorkOrder, user: Any, *, refused: ActionForm | None = None) -> dict[str, Any]:
    """Everything the work order page (and its printouts) show, worded."""
    shown = [a["name"] for a in _actions(wo, role_of(user), None)] if refused else []
    return {
        "wo": wo,
        "warranty": warranty_view(wo.decision),
        "chosen_remedy": REMEDY_LABELS.get(wo.chosen_remedy, wo.chosen_remedy),
        "inspection": _inspection_view(wo.inspection),
        "voucher": dict(VOUCHER_CHOICES).get(wo.voucher, wo.voucher),
        "damage": dict(DAMAGE_CHOICES).get(wo.damage_kind, wo.damage_kind),
        "photos": list(wo.photos.order_by("id")),
        "lines": list(wo.quote_lines.order_by("id")),
        "parts": list(wo.parts.order_by("id")),
        "loan": selectors.open_loan(wo),
        "events": [(e, EVENT_LABELS.get(e.action, e.action)) for e in selectors.timeline(wo)],
        "actions": _actions(wo, role_of(user), refused),
        "refused_elsewhere": refused.non_field_errors()
        if refused is not None and refused.data.get("action") not in shown
        else [],
        "photo_form": PhotoForm(),
    }


# The work order page ---------------------------------------------------------------------------


@staff_required
@require_GET
def work_order_detail(request: HtmxHttpRequest, number: str) -> HttpResponse:
    wo = job_or_404(request, number)
    return render(request, "workorders/detail.html", _page(wo, staff_user(request)))


@staff_required
@require_POST
def work_order_act(request: HtmxHttpRequest, number: str) -> HttpResponse:
    """One action from the page → `work_order_act` → the page again (htmx: its body)."""
    user, wo = staff_user(request), job_or_404(request, number)
    form = _action_form(request.POST.get("action", ""), wo, request.POST)
    status = 422
    if form.is_valid():
        try:
            services.work_order_act(work_order=wo, by=user, **form.arguments())
            status = 200
        except DomainError as exc:
            form.add_refusal(worded(exc, wo, form.cleaned_data["action"]))
            status = exc.status
    if status == 200 and not request.htmx:
        return redirect("workorders:detail", number=wo.number)
    context = _page(job_or_404(request, number), user, refused=form if status != 200 else None)
    template = "workorders/partials/_work_order.html" if request.htmx else "workorders/detail.html"
    return render(request, template, context, status=status)


@staff_required
@require_POST
def photo_upload(request: HtmxHttpRequest, number: str) -> HttpResponse:
    user, wo = staff_user(request), job_or_404(request, number)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid() and add_photos(form, wo, user):
        return redirect("workorders:detail", number=wo.number)
    context = {**_page(wo, user), "photo_form": form}
    return render(request, "workorders/detail.html", context, status=422)


# Reception --------------------------------------------------------------------------------------


def _reception(
    request: HttpRequest, wo: WorkOrder, form: Any, photos: Any, status: int = 200
) -> HttpResponse:
    context = {
        "wo": wo,
        "form": form,
        "photo_form": photos,
        "photos": list(wo.photos.order_by("id")),
        "warranty": warranty_view(wo.decision),
    }
    return render(request, "workorders/receive.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def work_order_receive(request: HtmxHttpRequest, number: str) -> HttpResponse:
    """Reception: photos are kept first (they survive a refusal), then `receive` with the
    inspection and the signed agreement; success → the receipt slip."""
    user, wo = staff_user(request), job_or_404(request, number)
    if request.method != "POST":
        return _reception(request, wo, ReceiveForm(), PhotoForm())
    form, photos = ReceiveForm(request.POST), PhotoForm(request.POST, request.FILES)
    if not (form.is_valid() and photos.is_valid() and add_photos(photos, wo, user)):
        return _reception(request, wo, form, photos, status=422)
    try:
        services.work_order_act(work_order=wo, by=user, action="receive", **form.arguments())
    except DomainError as exc:
        form.add_refusal(worded(exc, wo, "receive"))
        return _reception(
            request, job_or_404(request, number), form, PhotoForm(), status=exc.status
        )
    return redirect("workorders:receipt", number=wo.number)


# Printouts --------------------------------------------------------------------------------------


@staff_required
@require_GET
def work_order_print(request: HtmxHttpRequest, number: str, document: str) -> HttpResponse:
    """The receipt slip (80 mm), the work order sheet (A4) and the 三包 repair record (A4)."""
    wo = job_or_404(request, number)
    return render(request, f"workorders/print_{document}.html", _page(wo, staff_user(request)))


# Lists ------------------------------------------------------------------------------------------


@staff_required
@require_GET
def work_order_list(request: HtmxHttpRequest) -> HttpResponse:
    form = WorkOrderFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.work_order_list(
        staff_user(request),
        status=filters.get("status") or "",
        open_only=bool(filters.get("open")),
    )
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "workorders/list.html", context)


@staff_required
@require_GET
def loans(request: HtmxHttpRequest) -> HttpResponse:
    found = selectors.loans_out_for(staff_user(request))
    return render(request, "workorders/loans.html", {"loans": found})


# Files ------------------------------------------------------------------------------------------


@staff_required
def photo(request: HttpRequest, number: str, photo_id: int) -> FileResponse:
    found = job_or_404(request, number).photos.filter(pk=photo_id).first()
    if found is None:
        raise Http404
    return FileResponse(found.image.open("rb"))


@staff_required
def signature(request: HttpRequest, number: str, which: str) -> FileResponse:
    wo = job_or_404(request, number)
    image = {"agreement": wo.agreement_signature, "handover": wo.handover_signature}.get(which)
    if not image:
        raise Http404
    return FileResponse(image.open("rb"), content_type="image/png")
