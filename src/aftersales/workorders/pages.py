"""What the desk's work-order pages (views.py) and the technician's phone pages (field.views)
share: the job the signed-in person may see, a refusal worded as the pages name actions, and
storing uploaded photos."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError
from aftersales.tickets.views import not_found_or_forbidden, staff_user
from aftersales.workorders import selectors, services
from aftersales.workorders.forms import ACTION_LABELS, PhotoForm
from aftersales.workorders.models import WorkOrder


def job_or_404(request: HttpRequest, number: str) -> WorkOrder:
    """The work order, if the signed-in person may see it (else 404)."""
    try:
        return selectors.work_order_get_for(staff_user(request), number)
    except DomainError as exc:
        raise not_found_or_forbidden(exc) from exc


def worded(exc: DomainError, wo: WorkOrder, action: str) -> DomainError:
    """The table's refusal with the action and the status as the page names them."""
    if exc.code != "invalid_transition":
        return exc
    message = _("“%(action)s” is not possible while the work order is %(status)s.") % {
        "action": ACTION_LABELS.get(action, action),
        "status": wo.get_status_display(),
    }
    return DomainError(message, code=exc.code, status=exc.status, details=exc.details)


def add_photos(form: PhotoForm, wo: WorkOrder, user: Any) -> bool:
    """Store each uploaded photo (`photo_add`); a refusal goes onto the form."""
    try:
        for upload in form.cleaned_data["photos"]:
            caption = form.cleaned_data.get("caption") or ""
            services.photo_add(work_order=wo, by=user, content=upload.read(), caption=caption)
    except DomainError as exc:
        form.add_refusal(exc)
        return False
    return True
