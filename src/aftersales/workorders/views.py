"""Work order pages. Files (photos, signatures) are served only to staff who may see the job."""

from django.http import FileResponse, Http404, HttpRequest

from aftersales.core.errors import NotFound
from aftersales.core.views import staff_required
from aftersales.tickets.views import staff_user
from aftersales.workorders import selectors


@staff_required
def photo(request: HttpRequest, number: str, photo_id: int) -> FileResponse:
    try:
        wo = selectors.work_order_get_for(staff_user(request), number)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    found = wo.photos.filter(pk=photo_id).first()
    if found is None:
        raise Http404
    return FileResponse(found.image.open("rb"))


@staff_required
def signature(request: HttpRequest, number: str, which: str) -> FileResponse:
    try:
        wo = selectors.work_order_get_for(staff_user(request), number)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    image = {"agreement": wo.agreement_signature, "handover": wo.handover_signature}.get(which)
    if not image:
        raise Http404
    return FileResponse(image.open("rb"), content_type="image/png")
