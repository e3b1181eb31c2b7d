"""A privacy erase's part in work orders (decision 70): a pure data rewrite, no event."""

from functools import partial

from django.db import models, transaction

from aftersales.core.redaction import Redactor, rewrite_person
from aftersales.workorders.models import (
    Photo,
    QuoteLine,
    StockDiscrepancy,
    StockMovement,
    WorkOrder,
)

# The free text of jobs a privacy erase rewrites (the privacy registry lists it; decision 72).
PRIVATE_TEXT: dict[type[models.Model], tuple[str, ...]] = {
    WorkOrder: ("inspection", "findings", "actions_taken", "comment", "no_signature_reason"),
    QuoteLine: ("description",),
    Photo: ("caption",),
    StockMovement: ("note",),
    StockDiscrepancy: ("resolution",),
}
# The customer's handwritten signatures: their name, in their hand.
SIGNATURES = ("agreement_signature", "handover_signature")


@transaction.atomic
def work_orders_privacy_erase(*, customer_id: int, own: Redactor, everywhere: Redactor) -> int:
    """The person's own jobs lose their name, phone and address wherever written in them (the
    inspection, findings, actions, their comment, the captions and lines) and their signature
    images (the files are deleted once the erase commits; `agreement_signed` stays); every job
    loses their phone number. Modes, statuses, outcomes, dates, fees, payments, parts and scores
    stay. No event: the erase writes its one event on the customer's timeline."""
    jobs = WorkOrder.objects.filter(ticket__customer_id=customer_id)
    theirs: dict[type[models.Model], models.QuerySet] = {  # type: ignore[type-arg]
        WorkOrder: jobs,
        QuoteLine: QuoteLine.objects.filter(work_order__in=jobs),
        Photo: Photo.objects.filter(work_order__in=jobs),
        StockMovement: StockMovement.objects.filter(work_order__in=jobs),
        StockDiscrepancy: StockDiscrepancy.objects.filter(work_order__in=jobs),
    }
    changed = rewrite_person(PRIVATE_TEXT, theirs, own=own, everywhere=everywhere)
    for field in SIGNATURES:
        signed = jobs.exclude(**{field: ""})
        for job in signed.only("pk", field):
            stored = getattr(job, field)
            storage, name = stored.storage, stored.name
            transaction.on_commit(partial(storage.delete, name))
        changed += signed.update(**{field: ""})
    return changed
