"""Complaints (投诉): the complaint's own stage, findings and compensations, beside its request."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aftersales.complaints import rules
from aftersales.tickets.models import Ticket


class Complaint(models.Model):
    """What a request of kind `complaint` carries besides the request (CONTRACT.md "Complaints")."""

    class Stage(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("complaint stage", "Received")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        INVESTIGATED = "investigated", _("Investigated")
        PROPOSED = "proposed", _("Proposed")
        RESOLVED = "resolved", _("Resolved")

    class Responsibility(models.TextChoices):
        OURS = "ours", _("Ours")
        CUSTOMER = "customer", _("The customer's")
        UNCLEAR = "unclear", _("Unclear")

    class RootCause(models.TextChoices):
        """What went wrong at the root (rules.ROOT_CAUSES), in the handler's words."""

        PRODUCT_QUALITY = "product_quality", _("The product itself (design or manufacture)")
        REPAIR_QUALITY = "repair_quality", _("Repair workmanship")
        PARTS = "parts", _("Spare parts: missing, late or faulty")
        DELAY = "delay", _("Too slow: waiting, missed dates")
        STAFF_CONDUCT = "staff_conduct", _("Staff attitude or conduct")
        INFORMATION = "information", _("Wrong or missing information to the customer")
        PROCESS = "process", _("Our rules or process")
        CUSTOMER_USE = "customer_use", _("The customer's use or expectations")
        ENVIRONMENT = "environment", _("Installation site or environment")
        OTHER = "other", pgettext_lazy("root cause", "Other")

    class CapaState(models.TextChoices):
        OPEN = "open", pgettext_lazy("corrective action", "Open")
        DONE = "done", pgettext_lazy("corrective action", "Done")

    class Screening(models.TextChoices):
        """A complaint from the web form is screened first (DOMAIN.md §5)."""

        OURS = "ours", _("Ours")
        NOT_OURS = "not_ours", _("Not ours")

    ticket = models.OneToOneField(
        Ticket,
        verbose_name=_("service request"),
        on_delete=models.CASCADE,
        related_name="complaint",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.RECEIVED
    )
    responsibility = models.CharField(
        _("responsibility"), max_length=10, choices=Responsibility.choices, blank=True
    )
    wish = models.TextField(_("the customer's wish"), blank=True)
    about = models.ForeignKey(
        Ticket,
        verbose_name=_("about request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints_about",
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff concerned"),
        blank=True,
        related_name="complaints_concerning",
    )
    screening = models.CharField(
        _("screening"), max_length=10, choices=Screening.choices, blank=True
    )
    screening_note = models.TextField(_("screening explanation"), blank=True)
    promised_by = models.DateTimeField(_("promised by"), null=True, blank=True)
    escalated = models.BooleanField(_("escalated"), default=False)
    note = models.TextField(_("acknowledgement note"), blank=True)
    findings = models.TextField(_("findings"), blank=True)
    plan = models.TextField(_("plan"), blank=True)
    # The lesson learned (CAPA): recorded once the complaint is resolved (rules.TRANSITIONS).
    root_cause = models.CharField(
        _("root cause"), max_length=20, choices=RootCause.choices, blank=True
    )
    root_cause_note = models.TextField(_("root cause explained"), blank=True)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    capa_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrective action owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaint_actions",
    )
    capa_due = models.DateField(_("corrective action due"), null=True, blank=True)
    capa_state = models.CharField(
        _("corrective action state"), max_length=10, choices=CapaState.choices, blank=True
    )
    capa_done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrective action done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capa_done_at = models.DateTimeField(_("corrective action done"), null=True, blank=True)
    capa_done_note = models.TextField(_("what was done"), blank=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return self.ticket.number

    @property
    def capa_overdue(self) -> bool:
        """The corrective action is open past its due date (today in the business time zone)."""
        return rules.capa_overdue(self.capa_state, self.capa_due, timezone.localdate())


class Compensation(models.Model):
    """One thing offered to the customer; it takes effect (`applied_at`) when they accept."""

    class Kind(models.TextChoices):
        APOLOGY = "apology", _("Apology")
        GIFT = "gift", _("Gift")
        DISCOUNT = "discount", _("Discount")
        WARRANTY_EXTENSION = "warranty_extension", _("Warranty extension")
        REFUND = "refund", pgettext_lazy("compensation", "Refund")

    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        related_name="compensations",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.CharField(_("description"), max_length=200, blank=True)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    days = models.PositiveIntegerField(_("days"), null=True, blank=True)
    needs_approval = models.BooleanField(_("needs approval"), default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)

    class Meta:
        verbose_name = _("compensation")
        verbose_name_plural = _("compensations")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount or self.days or self.text}"

    @property
    def awaiting_approval(self) -> bool:
        return self.needs_approval and self.approved_at is None
