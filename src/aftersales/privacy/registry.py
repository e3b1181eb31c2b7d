"""Which fields hold a person's name, phone or address, and how the export and the erase cover
each (decision 72). `tests/privacy/test_registry.py` walks every model and fails on a field that
looks personal (`LOOKS_PERSONAL`) and is neither covered here nor declared not personal with a
reason — so a later app cannot forget its own."""

import re

from django.db import models

from aftersales.catalog import services as catalog_services
from aftersales.complaints import services as complaints_services
from aftersales.core import exports as core_exports
from aftersales.core import services as core_services
from aftersales.core.models import ExportJob
from aftersales.customers import services as customers_services
from aftersales.customers.models import Customer
from aftersales.dispatch import services as dispatch_services
from aftersales.followups import services as followups_services
from aftersales.knowledge import services as knowledge_services
from aftersales.notifications import services as notifications_services
from aftersales.tickets import services as tickets_services
from aftersales.workorders.models import WorkOrder
from aftersales.workorders.services import privacy as workorders_privacy

# Field names that suggest a name, a phone, an address or free text about someone.
LOOKS_PERSONAL = re.compile(
    r"name|phone|address|contact|recipient|email|body|note|text|descr|summary|comment|caption"
    r"|wish|plan|findings|question|answer|facts|detail|subject|reason|signature|repr|message"
    r"|variables|data|file|args|inspection|outcome|resolution|actions|seller|brought|errors"
)

# The free text each app's `*_privacy_erase` rewrites: on the person's own rows their name,
# phone and address; on every row their phone number (and e-mail).
PRIVATE_TEXT: dict[type[models.Model], tuple[str, ...]] = {
    **core_services.PRIVATE_TEXT,
    **core_exports.PRIVATE_TEXT,
    **dispatch_services.PRIVATE_TEXT,
    **catalog_services.PRIVATE_TEXT,
    **tickets_services.PRIVATE_TEXT,
    **complaints_services.PRIVATE_TEXT,
    **workorders_privacy.PRIVATE_TEXT,
    **followups_services.PRIVATE_TEXT,
    **knowledge_services.PRIVATE_TEXT,
    **notifications_services.PRIVATE_TEXT,
}


def _label(model: type[models.Model], field: str) -> str:
    return f"{model._meta.label}.{field}"


# Every covered field → how the erase treats it (the export shows every field of the person's
# rows, and the rows of others that mention their phone: privacy.selectors).
ERASED: dict[str, str] = {
    **{_label(Customer, f): "replaced" for f in customers_services.PRIVATE_FIELDS},
    **{_label(m, f): "rewritten" for m, fields in PRIVATE_TEXT.items() for f in fields},
    **{_label(WorkOrder, f): "deleted" for f in workorders_privacy.SIGNATURES},
    _label(ExportJob, "file"): "deleted",  # every kept export (core.exports.exports_privacy_erase)
    **{
        _label(m, f): "deleted"
        for m, fields in catalog_services.PRIVATE_FILES.items()
        for f in fields
    },
}

# Models rewritten only where they mention the person's phone (no row of them is theirs): the
# export shows those rows as `mentions`.
MENTIONS_ONLY: dict[str, str] = {
    "dispatch.HandIn": "a technician's daily hand-in note",
    "core.ExportJob": "a list export's filters (a search by their phone) and its kept file",
}

# Fields (app_label.Model.field) or whole models (app_label.Model) that look personal by name
# and are not, each with the reason.
NOT_PERSONAL: dict[str, str] = {
    # Django's and the libraries' own tables.
    "auth.Permission": "permission names",
    "auth.Group": "role names",
    "auth.User": "staff accounts, not customers: a leaving person is deactivated (handover)",
    "contenttypes.ContentType": "model names",
    "sessions.Session": "staff sign-ins: the user id and the idle clock, never a customer's data",
    "django_tasks_database.DBTaskResult": "task arguments are ids (a message, an import job)",
    # Master data and the company's own records.
    "core.BusinessCalendar": "working hours",
    "core.CalendarOverride": "holiday names",
    "core.IdempotencyRecord": "a replayable answer kept 24 hours; the erase drops every one "
    "that holds the person's data (core.services.kernel_privacy_erase)",
    "dispatch.ServiceCenter": "the company's service centers and their own address and phone",
    "dispatch.StaffProfile": "staff, not customers",
    "dispatch.Leave.reason": "a technician's leave",
    "catalog.Category": "product categories",
    "catalog.ChecklistItem": "checklist wording",
    "catalog.FaultCode": "fault-code names (symptoms and causes)",
    "catalog.ProductModel": "product models",
    "catalog.Unit.seller": "the shop that sold the unit, a business",
    "catalog.ImportJob.filename": "the uploaded file's name",
    "catalog.ImportJob.rows_file": "the rows of a running import, deleted when it ends",
    "warranty.Policy": "三包 policies",
    "warranty.PolicyPart": "parts of a policy",
    "warranty.PerformanceFault": "fault names",
    "warranty.PolicyVersion": "policy snapshots",
    "tickets.Ticket.resolution": "a resolution code",
    "workorders.FeeStandard": "fee standards",
    "workorders.FeeItem": "fee items",
    "workorders.Part": "spare parts",
    "workorders.Loaner": "the company's loan units",
    "workorders.WorkOrder.dealer_name": "the dealer who brought the unit in, a business",
    "workorders.WorkOrder.brought_by": "who brought it in: a code (customer or dealer)",
    "workorders.WorkOrder.outcome": "an outcome code",
    "workorders.Photo.image": "photos of the unit as received (the service record)",
    "notifications.Template": "message templates, with {name} placeholders only",
}
