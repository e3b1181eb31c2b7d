"""Work order pages: the job page and its actions, reception with the signed repair agreement,
the printed slips, the list and the loaners out. Files (photos, signatures) are served only to
staff who may see the job.

Each view parses (a form), calls one selector or service, and renders: the whole page, or for
htmx the fragment beside it in templates/workorders/partials/. Refusals (DomainError) go back
onto the form they came from, with what was typed.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models.fields.files import FieldFile
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aftersales.catalog.selectors import checklist, fault_name, fault_tree
from aftersales.core import exports
from aftersales.core.errors import DomainError, InvalidInput
from aftersales.core.pagination import keyset_page
from aftersales.core.roles import role_of
from aftersales.core.views import HtmxHttpRequest, staff_required
from aftersales.tickets.views import (
    not_found_or_forbidden,
    staff_user,
    warranty_view,
)
from aftersales.warranty.forms import DAMAGE_CHOICES, REMEDY_LABELS, VOUCHER_CHOICES
from aftersales.workorders import selectors, services
from aftersales.workorders.forms import (
    ACTION_LABELS,
    DANGER_ACTIONS,
    ActionForm,
    PhotoForm,
    ReceiveForm,
    ResolveDiscrepancyForm,
    WorkOrderFilterForm,
)
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.pages import (
    add_photos,
    collects_payment,
    job_or_404,
    offers,
    visit_rows,
    worded,
)
from aftersales.workorders.presenters import event_label, promised_ready

PAGE_SIZE = 50


# Wording -------------------------------------------------------------------------------------


def _inspection_view(inspection: dict[str, Any]) -> list[tuple[str, str]]:
    """The intake inspection as the desk and the customer read it."""
    if not inspection:
        return []
    yes, no = _("Yes"), _("No")
    liquid = {"intact": _("Intact"), "triggered": _("Triggered")}
    checked = [(_("Points inspected"), "、".join(inspection["checked"]))]
    return [
        *(checked if inspection.get("checked") else []),
        (_("Appearance"), inspection.get("appearance") or "—"),
        (_("Accessories"), "、".join(inspection.get("accessories") or []) or _("None")),
        (_("Liquid indicator"), liquid.get(inspection.get("liquid_indicator", ""), "—")),
        (_("Anti-tamper seal intact"), yes if inspection.get("seal_intact") else no),
        (_("Serial inside matches outside"), yes if inspection.get("serial_matches") else no),
        (_("Remarks"), inspection.get("notes") or "—"),
    ]


def _brought_by(wo: WorkOrder) -> str:
    """Who handed the unit in, as the desk says it."""
    if wo.brought_by == "dealer":
        return _("Dealer: %(name)s") % {"name": wo.dealer_name or "—"}
    return _("The end user") if wo.brought_by == "end_user" else ""


def _scores(wo: WorkOrder) -> list[tuple[str, str]]:
    """The customer's scores at the hand-over (the rating: or that they declined to rate)."""
    if wo.handed_over_at is None:
        return []
    rating = f"{wo.rating} / 5" if wo.rating else _("Customer did not rate")
    scores = [(_("Overall satisfaction"), rating)]
    for label, score in (
        (_("Repair quality"), wo.quality_score),
        (_("Service attitude"), wo.attitude_score),
    ):
        if score:
            scores.append((label, f"{score} / 5"))
    return scores


def _action_form(action: str, wo: WorkOrder, data: Any = None) -> ActionForm:
    loan = selectors.open_loan(wo)
    initial = {"action": action, "serial": loan.loaner.serial if loan else ""}
    initial["fault_code"] = wo.fault_code
    return ActionForm(
        data,
        initial=initial,
        auto_id=f"{action}-%s",
        technicians=list(selectors.technicians_at(wo.center)) if action == "assign" else [],
        remedies=wo.remedies,
        fee_items=selectors.fee_items(wo) if action == "quote" else [],
        parts=selectors.parts_for(wo) if action == "quote" else [],
        mode=wo.mode,
        qc_checks=checklist(_category(wo), "qc") if action == "qc_pass" else (),
        fault_codes=fault_tree(_category(wo)) if action == "diagnose" else (),
    )


def _category(wo: WorkOrder) -> int | None:
    """The unit's category: its checklists (catalog) are the job's."""
    return wo.unit.model.category_id if wo.unit is not None else None


def _receive_form(wo: WorkOrder, data: Any = None) -> ReceiveForm:
    category = _category(wo)
    return ReceiveForm(
        data,
        intake_checks=checklist(category, "intake"),
        accessories=checklist(category, "accessory"),
    )


def _actions(wo: WorkOrder, role: str | None, refused: ActionForm | None) -> list[dict[str, Any]]:
    """The action bar: the steps possible now for this role (`pages.offers`), each with its
    form, the job's likely next step highlighted; a step blocked now shows disabled with why.
    A refused action's form comes back open with its message and what was typed."""
    refused_action = refused.data.get("action", "") if refused is not None else ""
    actions = []
    for offer in offers(wo, role):
        action = offer.action
        form = refused if refused and action == refused_action else _action_form(action, wo)
        label = ACTION_LABELS.get(action, action)
        if collects_payment(wo, action):
            label = _("Collect payment and hand over")
        actions.append(
            {
                "name": action,
                "label": label,
                "form": form,
                "fields": [form[name] for name in ActionForm.FIELDS.get(action, ())],
                "open": action == refused_action and not offer.blocked,
                "blocked": offer.blocked,
                "style": "primary"
                if offer.primary
                else "danger"
                if action in DANGER_ACTIONS
                else "secondary",
            }
        )
    return actions


def _page(wo: WorkOrder, user: Any, *, refused: ActionForm | None = None) -> dict[str, Any]:
    """Everything the work order page (and its printouts) show, worded."""
    selectors.with_details([wo])  # its lines, parts, visits and loaner: one query each
    actions = _actions(wo, role_of(user), refused)
    shown = [a["name"] for a in actions if not a["blocked"]]
    return {
        "wo": wo,
        "fault": fault_name(_category(wo), wo.fault_code),
        "warranty": warranty_view(wo.decision),
        "chosen_remedy": REMEDY_LABELS.get(wo.chosen_remedy, wo.chosen_remedy),
        "inspection": _inspection_view(wo.inspection),
        "voucher": dict(VOUCHER_CHOICES).get(wo.voucher, wo.voucher),
        "brought_by": _brought_by(wo),
        "scores": _scores(wo),
        "promised_ready": promised_ready(wo),
        "damage": dict(DAMAGE_CHOICES).get(wo.damage_kind, wo.damage_kind),
        "photos": list(wo.photos.order_by("id")),
        "lines": selectors.quote_lines_of(wo),
        "parts": selectors.parts_of(wo),
        # The catalogue of the unit's model with the stock, for the parts lists' choices.
        "part_choices": selectors.parts_with_stock(wo) if wo.is_open else [],
        "stock_gaps": list(wo.stock_discrepancies.select_related("part").order_by("id")),
        "loan": selectors.open_loan(wo),
        "visits": visit_rows(wo) if wo.mode == "on_site" else [],
        # The 三包 record's "date in": the intake, or on site the first visit's arrival.
        "date_in": wo.received_at or selectors.first_arrival(wo) or wo.created_at,
        "events": [(e, event_label(e.action)) for e in selectors.timeline(wo)],
        "actions": actions,
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
        return _reception(request, wo, _receive_form(wo), PhotoForm())
    form, photos = _receive_form(wo, request.POST), PhotoForm(request.POST, request.FILES)
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
def work_order_list(request: HtmxHttpRequest) -> HttpResponseBase:
    """Newest first, a page at a time by a cursor ("Older"): no count of the whole list, and
    the 50 rows straight from an index however deep the page."""
    user = staff_user(request)
    asked = request.GET.get("technician", "").strip()
    form = WorkOrderFilterForm(
        request.GET, technicians=selectors.list_technicians(user, asked=asked)
    )
    if request.GET.get("format") == "xlsx":  # the export button: every job these filters select
        return exports.list_answer(request, name="work-orders", params=form.export_params())
    found = selectors.work_order_list(user, **form.filters())
    cursor = request.GET.get("cursor") or None
    try:
        page = keyset_page(found, limit=PAGE_SIZE, cursor=cursor)
    except InvalidInput as exc:  # a cursor that is not ours
        return HttpResponseBadRequest(exc.message)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "form": form,
        "technician_name": form.technician_name(),
        "jobs": page["items"],
        "next_cursor": page["next_cursor"],
        "deeper": cursor is not None,
        "query": query.urlencode(),
    }
    return render(request, "workorders/list.html", context)


@staff_required
@require_GET
def loans(request: HtmxHttpRequest) -> HttpResponse:
    found = selectors.loans_out_for(staff_user(request))
    return render(request, "workorders/loans.html", {"loans": found})


# Stock discrepancies ------------------------------------------------------------------------------

RECONCILING_ROLES = frozenset({"branch_manager", "admin"})


def _discrepancies(
    request: HttpRequest,
    *,
    refused: tuple[int, ResolveDiscrepancyForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Parts used that no stock held: the open ones, each with its form, or those resolved."""
    user = staff_user(request)
    if role_of(user) not in RECONCILING_ROLES:
        raise PermissionDenied(_("Only branch managers reconcile stock."))
    resolved = request.GET.get("status") == "resolved"
    found = selectors.stock_discrepancies_for(user, open_only=not resolved)
    if resolved:
        found = found.filter(resolved_at__isnull=False)
    rows = [
        (
            gap,
            refused[1]
            if refused and refused[0] == gap.pk
            else ResolveDiscrepancyForm(auto_id=f"gap{gap.pk}-%s"),
        )
        for gap in found.order_by("-created_at", "-id")[: PAGE_SIZE * 4]
    ]
    context = {"rows": rows, "resolved": resolved}
    return render(request, "workorders/stock_discrepancies.html", context, status=status)


@staff_required
@require_GET
def stock_discrepancies(request: HtmxHttpRequest) -> HttpResponse:
    return _discrepancies(request)


@staff_required
@require_POST
def stock_discrepancy_resolve(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The center's manager reconciles one (`stock_discrepancy_resolve`): the list again."""
    user = staff_user(request)
    try:
        gap = selectors.stock_discrepancy_get_for(user, pk)
    except DomainError as exc:
        raise not_found_or_forbidden(exc) from exc
    form = ResolveDiscrepancyForm(request.POST, auto_id=f"gap{pk}-%s")
    status = 422
    if form.is_valid():
        try:
            services.stock_discrepancy_resolve(discrepancy=gap, by=user, fields=form.arguments())
            return redirect("workorders:stock_discrepancies")
        except DomainError as exc:
            form.add_refusal(exc)
            status = exc.status
    return _discrepancies(request, refused=(pk, form), status=status)


# Files ------------------------------------------------------------------------------------------


# The only way a photo or a signature reaches a browser: no URL serves the media folder itself
# (shell/urls.py). `private`: a proxy or shared cache in between never keeps a copy for others.


def _private_file(stored: FieldFile, content_type: str | None = None) -> FileResponse:
    try:
        opened = stored.open("rb")
    except OSError as exc:  # gone from the media folder: nothing to show
        raise Http404 from exc
    response = FileResponse(opened, content_type=content_type)
    patch_cache_control(response, private=True)
    return response


@staff_required
def photo(request: HttpRequest, number: str, photo_id: int) -> FileResponse:
    found = job_or_404(request, number).photos.filter(pk=photo_id).first()
    if found is None:
        raise Http404
    return _private_file(found.image)  # its type from its name, which photo_add chose


@staff_required
def signature(request: HttpRequest, number: str, which: str) -> FileResponse:
    wo = job_or_404(request, number)
    image = {"agreement": wo.agreement_signature, "handover": wo.handover_signature}.get(which)
    if not image:
        raise Http404
    return _private_file(image, "image/png")
