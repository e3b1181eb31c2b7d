"""The service network: centers and the staff who work in them."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from aftersales.core.models import BusinessCalendar

region_code = RegexValidator(r"^\d{6}$", _("A region is a 6-digit administrative division code."))


class ServiceCenter(models.Model):
    class Kind(models.TextChoices):
        CALL_CENTER = "call_center", _("Call center")
        TECHNICAL_CENTER = "technical_center", _("Technical center")
        REPAIR_CENTER = "repair_center", _("Repair center")
        BRANCH = "branch", _("Branch")
        FRANCHISE = "franchise", _("Franchise")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # GB/T 2260 codes: 440000 serves the province, 440100 the city, 440106 one district.
    regions = models.JSONField(_("regions served"), default=list, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    calendar = models.ForeignKey(
        BusinessCalendar,
        verbose_name=_("working calendar"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service center")
        verbose_name_plural = _("service centers")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class StaffProfile(models.Model):
    """Where a staff member works; technicians' skills and capacity come with dispatch."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self) -> str:
        return str(self.user)
