"""Work orders (维修工单): the repair job in every service mode, with the fee standards it is
quoted from, the parts it waits for and uses, the loaner units it lends, and its photos."""

from dataclasses import replace
from decimal import Decimal

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.catalog.models import Category, ProductModel, Unit
from aftersales.core.payloads import Within
from aftersales.dispatch.models import ServiceCenter
from aftersales.tickets.models import Ticket
from aftersales.workorders import rules

ZERO = Decimal("0.00")


class Mode(models.TextChoices):
    REMOTE = "remote", _("Remote guidance")
    ON_SITE = "on_site", _("On-site")
    CARRY_IN = "carry_in", _("Carry-in")
    MAIL_IN = "mail_in", _("Mail-in")
    PULL_BACK = "pull_back", _("Pull-back")


class Status(models.TextChoices):
    CREATED = "created", pgettext_lazy("work order status", "Created")
    ASSIGNED = "assigned", _("Assigned")
    SCHEDULED = "scheduled", _("Scheduled")
    RECEIVED = "received", _("Received")
    DIAGNOSING = "diagnosing", _("Diagnosing")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting quote approval")
    AWAITING_PARTS = "awaiting_parts", _("Awaiting parts")
    REPAIRING = "repairing", _("Repairing")
    QC = "qc", _("Quality check")
    READY = "ready", pgettext_lazy("work order status", "Ready")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


# `ready` in the job's mode: the unit waits at the desk (Status.READY: ready for pickup), is
# shipped back, or the work is done at the customer's and waits for their sign-off.
READY_BY_MODE = {
    "on_site": pgettext_lazy("work order status", "Awaiting the customer's sign-off"),
    "remote": pgettext_lazy("work order status", "Awaiting the customer's confirmation"),
    "mail_in": pgettext_lazy("work order status", "Ready to ship back"),
}


class Outcome(models.TextChoices):
    REPAIRED = "repaired", _("Repaired")
    EXCHANGED = "exchanged", _("Exchanged")
    REFUNDED = "refunded", _("Refunded")
    NO_FAULT_FOUND = "no_fault_found", _("No fault found")
    RETURNED_UNREPAIRED = "returned_unrepaired", _("Returned unrepaired")


class FeeStandard(models.Model):
    """A fee standard (收费标准): prices of labour, visits, parts and inspection. Versioned: a
    new version is a new row with the same code; the newest valid version of each code applies.
    No center: every center; no category: every category."""

    code = models.SlugField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=100)
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: every center."),
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Empty: every category."),
    )
    valid_from = models.DateField(
        _("valid from"), default=timezone.localdate, validators=[Within("Day")]
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("fee standard")
        verbose_name_plural = _("fee standards")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="uniq_fee_standard_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class FeeItem(models.Model):
    class Kind(models.TextChoices):
        LABOR = "labor", _("Labour")
        PART = "part", _("Part")
        VISIT = "visit", _("Visit fee")
        INSPECTION = "inspection", _("Inspection fee")

    standard = models.ForeignKey(FeeStandard, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=40)
    description = models.CharField(_("description"), max_length=200)
    price = models.DecimalField(
        _("price"), max_digits=10, decimal_places=2, validators=[Within("Money")]
    )
    min_km = models.DecimalField(
        _("from km"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    max_km = models.DecimalField(
        _("below km"), max_digits=7, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="uniq_fee_item_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class Part(models.Model):
    """A spare part of a product model (备件)."""

    model = models.ForeignKey(
        ProductModel, verbose_name=_("model"), on_delete=models.PROTECT, related_name="parts"
    )
    code = models.CharField(_("part code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    price = models.DecimalField(
        _("list price"), max_digits=10, decimal_places=2, validators=[Within("Money")]
    )

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        constraints = [models.UniqueConstraint(fields=["model", "code"], name="uniq_part_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PartStock(models.Model):
    """A center's shelf, or (with `holder`) the van stock a technician of that center carries."""

    center = models.ForeignKey(ServiceCenter, on_delete=models.PROTECT, related_name="stock")
    part = models.ForeignKey(Part, on_delete=models.CASCADE, related_name="stock")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("van of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="van_stock",
    )
    on_hand = models.PositiveIntegerField(_("on hand"), default=0)
    reserved = models.PositiveIntegerField(_("reserved"), default=0)

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(
                fields=["center", "part"],
                condition=models.Q(holder=None),
                name="uniq_stock_center_part",
            ),
            models.UniqueConstraint(
                fields=["holder", "part"],
                condition=models.Q(holder__isnull=False),
                name="uniq_stock_van_part",
            ),
        ]

    def __str__(self) -> str:
        where = self.holder or self.center
        return f"{self.part} @ {where}"

    @property
    def available(self) -> int:
        return max(0, self.on_hand - self.reserved)


class Loaner(models.Model):
    """A spare unit (备用机) a center lends while the customer's own is in repair."""

    serial = models.CharField(_("serial"), max_length=64, unique=True)
    description = models.CharField(_("description"), max_length=100)
    center = models.ForeignKey(
        ServiceCenter, verbose_name=_("service center"), on_delete=models.PROTECT
    )
    active = models.BooleanField(_("in service"), default=True)

    class Meta:
        verbose_name = _("loaner unit")
        verbose_name_plural = _("loaner units")

    def __str__(self) -> str:
        return f"{self.serial} {self.description}"


def _signature_path(instance: "WorkOrder", filename: str) -> str:
    return f"workorders/{instance.number}/{filename}"


class WorkOrder(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    # The foreign keys' own indexes are left out where an index below leads with the same column
    # (and also gives the newest first): one index fewer to write per job.
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("service request"),
        on_delete=models.PROTECT,
        related_name="work_orders",
        db_index=False,  # wo_ticket
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
        db_index=False,  # wo_unit_handed_over
    )
    mode = models.CharField(_("service mode"), max_length=20, choices=Mode.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CREATED
    )
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
        db_index=False,  # wo_center
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technician"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
        db_index=False,  # wo_technician
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # On-site appointment and the field times.
    appointment_start = models.DateTimeField(_("appointment from"), null=True, blank=True)
    appointment_end = models.DateTimeField(_("appointment to"), null=True, blank=True)
    departed_at = models.DateTimeField(_("departed"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    paused = models.BooleanField(_("paused by an incident"), default=False)
    # Why the last visit did not finish the job (parts_missing, customer_absent, …); cleared on
    # the next arrival.
    visit_incomplete = models.CharField(_("visit not finished"), max_length=30, blank=True)
    # Reception (接机): the intake inspection and the signed repair agreement.
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    inspection = models.JSONField(_("intake inspection"), default=dict, blank=True)
    agreement_signed = models.BooleanField(_("repair agreement signed"), default=False)
    agreement_signature = models.FileField(
        _("agreement signature"), upload_to=_signature_path, blank=True
    )
    voucher = models.CharField(_("voucher"), max_length=20, blank=True)
    # Who handed the unit in: the end user, or a dealer (named) on their behalf.
    brought_by = models.CharField(_("brought in by"), max_length=20, blank=True)
    dealer_name = models.CharField(_("dealer"), max_length=100, blank=True)
    part = models.CharField(_("part"), max_length=40, default="host")
    tracking_in = models.CharField(_("inbound tracking no."), max_length=60, blank=True)
    tracking_out = models.CharField(_("return tracking no."), max_length=60, blank=True)
    # Entitlement: the current 三包 decision, and the customer's recorded choice.
    decision = models.JSONField(
        _("warranty decision"), null=True, blank=True, encoder=DjangoJSONEncoder
    )
    chosen_remedy = models.CharField(_("chosen remedy"), max_length=20, blank=True)
    remedy_chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    remedy_chosen_at = models.DateTimeField(_("remedy chosen"), null=True, blank=True)
    # Diagnosis (检测).
    findings = models.TextField(_("findings"), blank=True)
    fault_code = models.CharField(_("fault code"), max_length=40, blank=True)
    human_damage = models.BooleanField(_("human damage"), default=False)
    damage_kind = models.CharField(_("damage kind"), max_length=30, blank=True)
    repeat_repair = models.BooleanField(_("repeat repair"), default=False)
    repeat_of = models.ForeignKey(
        "self",
        verbose_name=_("repeat of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
    )
    # Quote and money.
    quote_approved = models.BooleanField(_("quote approved"), null=True, blank=True)
    quote_total = models.DecimalField(
        _("quote total"), max_digits=10, decimal_places=2, default=ZERO
    )
    inspection_fee = models.DecimalField(
        _("inspection fee"), max_digits=10, decimal_places=2, default=ZERO
    )
    waived = models.DecimalField(_("waived"), max_digits=10, decimal_places=2, default=ZERO)
    paid = models.DecimalField(_("paid"), max_digits=10, decimal_places=2, default=ZERO)
    payment_method = models.CharField(_("payment method"), max_length=30, blank=True)
    receipt_no = models.CharField(_("receipt number"), max_length=60, blank=True)
    refund_amount = models.DecimalField(
        _("refund amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    new_unit = models.ForeignKey(
        Unit,
        verbose_name=_("exchange unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Parts and repair.
    parts_back_to = models.CharField(max_length=20, blank=True)  # status waiting for parts
    expected_parts_date = models.DateField(_("parts expected"), null=True, blank=True)
    actions_taken = models.TextField(_("actions taken"), blank=True)
    result = models.CharField(_("repair result"), max_length=20, blank=True)
    qc_fail_count = models.PositiveIntegerField(_("QC fails"), default=0)
    qc_passed_at = models.DateTimeField(_("QC passed"), null=True, blank=True)
    repair_days = models.PositiveIntegerField(_("repair days"), default=0)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    # Hand-over (交机).
    handed_over_at = models.DateTimeField(_("handed over"), null=True, blank=True)
    # The customer's overall satisfaction (null once handed over: they declined to rate), and
    # the maker's work sheet's two scores apart: repair quality and service attitude.
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    quality_score = models.PositiveSmallIntegerField(_("repair quality"), null=True, blank=True)
    attitude_score = models.PositiveSmallIntegerField(_("service attitude"), null=True, blank=True)
    comment = models.TextField(_("customer's comment"), blank=True)
    handover_signature = models.FileField(
        _("hand-over signature"), upload_to=_signature_path, blank=True
    )
    no_signature_reason = models.CharField(
        _("why the customer did not sign"), max_length=200, blank=True
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    escalated = models.BooleanField(_("escalated"), default=False)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        indexes = [
            models.Index(fields=["status", "id"], name="wo_status"),
            models.Index(fields=["technician", "status", "id"], name="wo_technician_status"),
            models.Index(fields=["center", "status", "id"], name="wo_center_status"),
            # Each list filter reads the newest first from its own index, whatever its share of
            # the jobs (a technician or a mode with few or none included): without them
            # PostgreSQL walks the primary key backwards through every job looking for 50.
            models.Index(fields=["technician", "id"], name="wo_technician"),
            models.Index(fields=["center", "id"], name="wo_center"),
            models.Index(fields=["mode", "id"], name="wo_mode"),
            models.Index(fields=["ticket", "id"], name="wo_ticket"),
            models.Index(fields=["unit", "handed_over_at"], name="wo_unit_handed_over"),
            models.Index(
                fields=["technician", "appointment_start"], name="wo_technician_appointment"
            ),
            # The reports' jobs of a period (reports.selectors): handed over, and opened, from …
            # to: a range of each index, not every job (decision 84).
            models.Index(fields=["handed_over_at"], name="wo_handed_over"),
            models.Index(fields=["created_at"], name="wo_created"),
        ]

    def __str__(self) -> str:
        return self.number

    # Django's generated display, replaced (it does not overwrite a method the class defines).
    def get_status_display(self) -> str:  # type: ignore[no-redef]
        """The status in the user's words, which for `ready` depend on the mode (every page
        that shows a job's status reads this, Django's own display included)."""
        if self.status == Status.READY and self.mode in READY_BY_MODE:
            return str(READY_BY_MODE[self.mode])
        return str(dict(Status.choices).get(self.status, self.status))

    @property
    def is_open(self) -> bool:
        return self.status not in rules.CLOSED_STATUSES

    @property
    def rating_declined(self) -> bool:
        """Handed over without a rating: the customer was asked and declined."""
        return self.handed_over_at is not None and self.rating is None

    @property
    def remedies(self) -> tuple[str, ...]:
        return tuple((self.decision or {}).get("remedies") or ("paid_repair",))

    @property
    def past_delay_limit(self) -> bool:
        """The repair lasted past the policy's limit: the decision opened an exchange for it."""
        return rules.delay_reason(self.decision) is not None

    def as_job(self, *, loaner_out: bool = False) -> rules.Job:
        job = rules.Job(
            mode=self.mode,
            status=self.status,
            remedies=self.remedies,
            chosen_remedy=self.chosen_remedy,
            repeat_repair=self.repeat_repair,
            quote_approved=self.quote_approved,
            loaner_out=loaner_out,
            paused=self.paused,
            # The current visit's (its times are the job's: `Visit`).
            on_the_way=self.on_the_way,
            on_site=self.arrived_at is not None
            and not self.visit_incomplete
            and not self.on_the_way,
            visit_booked=self.appointment_start is not None
            and self.departed_at is None
            and self.arrived_at is None
            and not self.visit_incomplete,
            diagnosed=bool(self.findings),
        )
        return replace(job, amount_due=self.amount_due_for(job))

    @property
    def on_the_way(self) -> bool:
        """Set off for the current visit and not arrived (nor turned back: declared unfinished)."""
        return (
            self.departed_at is not None
            and (self.arrived_at is None or self.arrived_at < self.departed_at)
            and not self.visit_incomplete
        )

    def amount_due_for(self, job: rules.Job) -> Decimal:
        total = rules.charges(job, quote_total=self.quote_total, inspection_fee=self.inspection_fee)
        return rules.amount_due(total, waived=self.waived, paid=self.paid)

    @property
    def amount_due(self) -> Decimal:
        return self.as_job().amount_due


class QuoteLine(models.Model):
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="quote_lines")
    kind = models.CharField(_("kind"), max_length=20, choices=FeeItem.Kind.choices)
    code = models.CharField(_("code"), max_length=40, blank=True)
    description = models.CharField(_("description"), max_length=200)
    qty = models.PositiveIntegerField(_("quantity"), default=1)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    standard_price = models.DecimalField(
        _("fee standard price"), max_digits=10, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")

    def __str__(self) -> str:
        return self.description

    @property
    def total(self) -> Decimal:
        return self.unit_price * self.qty


class PartRequest(models.Model):
    """A part a job needs: reserved from stock or ordered, then arrived, then used."""

    class State(models.TextChoices):
        RESERVED = "reserved", _("Reserved")
        ORDERED = "ordered", _("Ordered")
        ARRIVED = "arrived", _("Arrived")
        USED = "used", _("Used")
        RELEASED = "released", _("Not needed")

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="parts")
    part = models.ForeignKey(Part, null=True, blank=True, on_delete=models.PROTECT)
    code = models.CharField(_("part code"), max_length=40)
    qty = models.PositiveIntegerField(_("quantity"), default=1)
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    expected_date = models.DateField(_("expected"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("part request")
        verbose_name_plural = _("part requests")

    def __str__(self) -> str:
        return f"{self.code} ×{self.qty}"

    @property
    def in_catalog(self) -> bool:
        """Every part named since decision 46 is the model's catalogue part; rows without one are
        history from when parts were typed freely, kept as they are ("not in catalogue")."""
        return self.part_id is not None


class StockMovement(models.Model):
    """One change of a stock row (a center's shelf, or a technician's van): every change of its
    `on_hand` or `reserved` writes one, with the job it was for and who made it, so a count can
    always be traced (decision 46)."""

    class Kind(models.TextChoices):
        RESERVED = "reserved", _("Reserved for a job")
        ARRIVED = "arrived", _("Arrived for a job")
        USED = "used", _("Used in a repair")
        RELEASED = "released", _("Reservation released")
        COUNTED = "counted", _("Stock count corrected")

    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="movements"
    )
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("van of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    qty = models.PositiveIntegerField(_("quantity"))
    on_hand_change = models.IntegerField(_("on hand change"), default=0)
    reserved_change = models.IntegerField(_("reserved change"), default=0)
    work_order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_movements",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        indexes = [models.Index(fields=["part", "at"], name="stock_move_part_at")]

    def __str__(self) -> str:
        return f"{self.part} {self.get_kind_display()} ×{self.qty}"


class StockDiscrepancy(models.Model):
    """A part used in a repair that no stock record held (neither the technician's van nor the
    center's free stock): the repair is done and the stock is not made negative; the center's
    manager finds out where the part came from and resolves it."""

    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stock_discrepancies",
    )
    part = models.ForeignKey(
        Part, verbose_name=_("part"), on_delete=models.PROTECT, related_name="discrepancies"
    )
    qty = models.PositiveIntegerField(_("quantity missing"))
    work_order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("work order"),
        on_delete=models.PROTECT,
        related_name="stock_discrepancies",
    )
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technician"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("found"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolution = models.TextField(_("how it was resolved"), blank=True)

    class Meta:
        verbose_name = _("stock discrepancy")
        verbose_name_plural = _("stock discrepancies")
        indexes = [models.Index(fields=["center", "resolved_at", "id"], name="stock_gap_open")]

    def __str__(self) -> str:
        return f"{self.part} ×{self.qty} ({self.work_order})"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class Loan(models.Model):
    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="loans")
    loaner = models.ForeignKey(Loaner, on_delete=models.PROTECT, related_name="loans")
    lent_at = models.DateTimeField(_("lent"), default=timezone.now)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        constraints = [
            # One loan open per loaner unit: it cannot be in two customers' hands.
            models.UniqueConstraint(
                fields=["loaner"], condition=models.Q(returned_at=None), name="uniq_loaner_out"
            )
        ]

    def __str__(self) -> str:
        return f"{self.loaner} → {self.work_order}"


def _photo_path(instance: "Photo", filename: str) -> str:
    return f"workorders/{instance.work_order.number}/photos/{filename}"


class Photo(models.Model):
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.image.name


class Visit(models.Model):
    """One trip of the technician to the customer for an on-site job (第N次上门): the window
    booked for it, when they set off and arrived, and why it did not finish the job. A visit
    begins with its booking, or unbooked with its departure; the job carries its current visit's
    window and times (`appointment_start/end`, `departed_at`, `arrived_at`, `visit_incomplete`)
    for the board, the calendar and the phone (docs/decisions.md 43)."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="visits")
    number = models.PositiveSmallIntegerField(_("visit"))
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technician"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    window_start = models.DateTimeField(_("window from"), null=True, blank=True)
    window_end = models.DateTimeField(_("window to"), null=True, blank=True)
    departed_at = models.DateTimeField(_("departed"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    visit_incomplete = models.CharField(_("visit not finished"), max_length=30, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["work_order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["work_order", "number"], name="uniq_visit_number")
        ]
        # The technicians' report's arrivals of a period (decision 84).
        indexes = [models.Index(fields=["arrived_at"], name="visit_arrived")]

    def __str__(self) -> str:
        return f"{self.work_order} #{self.number}"

    @property
    def taken_place(self) -> bool:
        """The technician got there, or the visit was declared unfinished (it is over)."""
        return self.arrived_at is not None or bool(self.visit_incomplete)
