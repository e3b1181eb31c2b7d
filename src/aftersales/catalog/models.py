"""What the company services: categories, models, and the customers' individual units."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.rules import FAULT_CODE_PATTERN, OTHER_FAULT
from aftersales.customers.models import Customer


class Category(models.Model):
    """A product category; its code is the warranty policy's category code (mobile_phone, …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One point of a category's checklists (master data, edited with the category): what the
    desk inspects at intake, the accessories it counts in, and the functions the quality check
    tests after a repair (DOMAIN.md §4: all functions, not only the reported one)."""

    class Kind(models.TextChoices):
        INTAKE = "intake", _("Intake inspection")
        ACCESSORY = "accessory", _("Accessory handed in")
        QC = "qc", _("Quality check")

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="checklist",
    )
    kind = models.CharField(_("checklist"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(
        _("name in English"),
        max_length=100,
        blank=True,
        help_text=_("Shown to staff who use the English pages; empty: the name."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["category", "kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "kind", "name"], name="uniq_checklist_item")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The item in the reader's language: English pages show `name_en` when there is one."""
        english = (translation.get_language() or "").startswith("en")
        return self.name_en if english and self.name_en else self.name


class FaultCode(models.Model):
    """One node of a category's fault-code tree (master data): a symptom (top level, what the
    customer reports: 不开机) or one of its causes (what the technician finds: 主板故障), pointing
    to its symptom. A work order's `fault_code` holds a code of its unit's category, or any other
    text (kept as text, counted under the category's "other" symptom, `OTHER`); "the same fault"
    is the same symptom (workorders.rules.same_fault). Retired codes are made inactive, not
    deleted: the jobs that carry them keep their symptom."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.CASCADE,
        related_name="fault_codes",
    )
    code = models.CharField(
        _("code"),
        max_length=40,
        validators=[
            RegexValidator(
                FAULT_CODE_PATTERN,
                _("Capital letters, digits, and . _ - only (e.g. NO_POWER.BATTERY)."),
            )
        ],
    )
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("symptom"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="causes",
        help_text=_("Empty for a symptom; a cause names the symptom it explains."),
    )
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("fault code")
        verbose_name_plural = _("fault codes")
        ordering = ["category", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="uniq_fault_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        """A two-level tree: a cause's symptom is a symptom of the same category."""
        if self.parent_id is None:
            return
        parent = self.parent
        if self.code == OTHER_FAULT:
            raise ValidationError({"parent": _("The “other” symptom has no symptom above it.")})
        if parent is None or parent.category_id != self.category_id:
            raise ValidationError({"parent": _("Choose a symptom of the same category.")})
        if parent.parent_id is not None or (self.pk and parent.pk == self.pk):
            raise ValidationError({"parent": _("Choose a symptom, not a cause.")})
        if self.pk and FaultCode.objects.filter(parent_id=self.pk).exists():
            raise ValidationError({"parent": _("This symptom has causes; it cannot become one.")})


class ProductModel(models.Model):
    code = models.CharField(_("model code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    brand = models.CharField(_("brand"), max_length=60)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    # A policy code kept and shown with the model; the 三包 decision does not read it: it takes
    # the policy covering the model's category (warranty.selectors.terms_for_category).
    policy_code = models.CharField(_("warranty policy"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("product model")
        verbose_name_plural = _("product models")
        ordering = ["brand", "code"]

    def __str__(self) -> str:
        # Names usually carry the brand already ("星河 P50"); don't say it twice.
        return self.name if self.name.startswith(self.brand) else f"{self.brand} {self.name}"


# The event on a unit's timeline when a job on it is handed over repaired (catalog.services).
REPAIRED = "repaired"


class Unit(models.Model):
    """One physical product, known by its serial number or IMEI."""

    class Status(models.TextChoices):
        IN_USE = "in_use", _("In use")
        IN_SERVICE = "in_service", _("In service")
        RETURNED_FAULTY = "returned_faulty", _("Returned faulty")
        EXCHANGED = "exchanged", _("Exchanged")

    serial = models.CharField(_("serial / IMEI"), max_length=64, unique=True)
    model = models.ForeignKey(ProductModel, verbose_name=_("model"), on_delete=models.PROTECT)
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    invoice_no = models.CharField(_("invoice number"), max_length=60, blank=True)
    seller = models.CharField(_("seller"), max_length=100, blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, null=True, blank=True)
    activation_date = models.DateField(_("activation date"), null=True, blank=True)
    manufacture_date = models.DateField(_("manufacture date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.IN_USE
    )
    # Kept here so the decision is one read. Repair days are added when a job passes QC, goodwill
    # days when a complaint's warranty extension is accepted; repair days extend the period and
    # are subtracted in depreciation, goodwill days only extend. `failed_repairs` is history from
    # before the system (the jobs handed over `repaired` are counted from the work orders); no
    # page, import or API sets it.
    repair_days = models.PositiveIntegerField(_("days in repair"), default=0)
    goodwill_days = models.PositiveIntegerField(_("goodwill extension days"), default=0)
    failed_repairs = models.PositiveIntegerField(_("failed repairs"), default=0)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.serial

    @property
    def extension_days(self) -> int:
        """Days added to the warranty period (修理占用和待修时间 plus goodwill)."""
        return self.repair_days + self.goodwill_days


def _import_upload_to(instance: "ImportJob", filename: str) -> str:
    # A random name: the file holds customers' phone numbers, so its URL must not be guessable.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "dat"
    return f"imports/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix[:10]}"


class ImportJob(models.Model):
    """One upload of customers and units: its file, the validation's progress and errors, the
    import's progress in the background (committed batch by batch) and the result."""

    class Status(models.TextChoices):
        VALIDATING = "validating", _("Validating")
        VALIDATED = "validated", _("Validated")
        IMPORTING = "importing", _("Importing")
        # A strict import met a row that failed although the check passed (the data changed
        # meanwhile): the batches before it stay imported; the rest may go on as good rows only.
        STOPPED = "stopped", _("Stopped")
        IMPORTED = "imported", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=_import_upload_to)
    # The file's rows, read once at upload, one JSON array per line: each poll validates a slice.
    rows_file = models.FileField(_("rows"), upload_to=_import_upload_to, blank=True)
    filename = models.CharField(_("file name"), max_length=255)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.VALIDATING
    )
    columns = models.JSONField(
        _("columns"), default=dict, blank=True
    )  # column → header in the file
    ignored_columns = models.JSONField(_("ignored columns"), default=list, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    validated_rows = models.PositiveIntegerField(_("rows validated"), default=0)
    error_rows = models.PositiveIntegerField(_("rows with errors"), default=0)
    # [{"row": 5, "column": "电话", "message": "…"}], the first MAX_STORED_ERRORS of them, by row.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    mode = models.CharField(_("mode"), max_length=20, blank=True)
    started_at = models.DateTimeField(_("import started"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Rows the import has gone through, in committed batches: where it resumes after a restart.
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    # Who runs the import now (a task's token) and until when: past it, another runner takes over.
    runner = models.CharField(max_length=32, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)
    rows_imported = models.PositiveIntegerField(_("rows imported"), default=0)
    customers_created = models.PositiveIntegerField(_("customers created"), default=0)
    customers_reused = models.PositiveIntegerField(_("existing customers"), default=0)
    units_created = models.PositiveIntegerField(_("units created"), default=0)

    MAX_STORED_ERRORS = 1000

    class Meta:
        verbose_name = _("customer and unit import")
        verbose_name_plural = _("customer and unit imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def good_rows(self) -> int:
        return self.total_rows - self.error_rows

    @property
    def percent(self) -> int:
        return 100 if not self.total_rows else self.validated_rows * 100 // self.total_rows

    @property
    def import_percent(self) -> int:
        return 100 if not self.total_rows else self.processed_rows * 100 // self.total_rows

    @property
    def rows_left(self) -> int:
        """Rows the import has not gone through yet (a stopped import may go on with them)."""
        return self.total_rows - self.processed_rows

    @property
    def more_errors(self) -> bool:
        """Only the first MAX_STORED_ERRORS errors are kept; the CLI's --dry-run lists them all."""
        return len(self.errors) >= self.MAX_STORED_ERRORS


class ImportedCustomer(models.Model):
    """A customer an import created or used: written with each batch, so the import's counts
    ("N customers created, M existing customers used") stay exact across batches and restarts."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="+")
    created = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["job", "customer"], name="uniq_imported_customer")
        ]

    def __str__(self) -> str:
        return f"{self.job_id} {self.customer_id}"
