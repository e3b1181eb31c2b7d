"""Photos of the unit as received: `photo_add` (JPEG, PNG or WebP, at most 10 MB, by a role that
may receive, while the job is open), with its own event.
"""

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from aftersales.core.errors import DomainError, Forbidden, InvalidInput
from aftersales.core.roles import role_of
from aftersales.core.services import record_event
from aftersales.workorders import rules
from aftersales.workorders.models import Photo, WorkOrder

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
