"""Complaints (投诉): the complaint's own stage, findings and compensations, beside its request."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self) -> str:
        return self.ticket.number


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
