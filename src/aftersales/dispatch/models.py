"""The service network: centers and the staff who work in them."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.core.models import BusinessCalendar
from aftersales.core.payloads import Within

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
    # Opening a job assigns the best suggestion at once (the job starts `assigned`).
    auto_assign = models.BooleanField(_("assign new jobs automatically"), default=False)

    class Meta:
        verbose_name = _("service center")
        verbose_name_plural = _("service centers")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class StaffProfile(models.Model):
    """Where a staff member works (a technician's skills, area, capacity: `TechnicianProfile`)."""

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


def new_calendar_key() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class TechnicianProfile(models.Model):
    """What dispatch needs to know about a technician: skills, area, capacity, working time.

    The home center is the staff profile's; `regions` narrow it (empty: the center's regions).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="technician_profile"
    )
    skills = models.JSONField(_("skills (category codes)"), default=list, blank=True)
    regions = models.JSONField(_("regions (empty: the center's)"), default=list, blank=True)
    daily_capacity = models.PositiveSmallIntegerField(_("jobs per day"), default=6)
    calendar = models.ForeignKey(
        BusinessCalendar,
        verbose_name=_("working calendar (empty: the center's)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    dispatchable = models.BooleanField(_("takes new jobs"), default=True)
    # The secret in the calendar feed's URL; a new one revokes the old link.
    calendar_key = models.CharField(max_length=64, default=new_calendar_key, unique=True)

    class Meta:
        verbose_name = _("technician")
        verbose_name_plural = _("technicians")

    def __str__(self) -> str:
        return str(self.user)


class Leave(models.Model):
    """Days a technician is away (annual leave, sick leave, training): no jobs on those days."""

    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technician"),
        on_delete=models.CASCADE,
        related_name="leaves",
    )
    first_day = models.DateField(_("first day"), validators=[Within("Day")])
    last_day = models.DateField(_("last day"), validators=[Within("Day")])
    reason = models.CharField(_("reason"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("leave")
        verbose_name_plural = _("leave")
        ordering = ["first_day"]
        indexes = [models.Index(fields=["technician", "last_day"])]

    def __str__(self) -> str:
        return f"{self.technician} {self.first_day}–{self.last_day}"


class HandIn(models.Model):
    """A technician's daily hand-in (交单): the day's sheets, service cards and fees, due by noon
    of the next working day; the branch manager sees who has not handed in."""

    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technician"),
        on_delete=models.PROTECT,
        related_name="hand_ins",
    )
    day = models.DateField(_("work day"))
    handed_in_at = models.DateTimeField(_("handed in"), default=timezone.now)
    sheets = models.PositiveSmallIntegerField(_("task sheets"), default=0)
    fees = models.DecimalField(_("fees"), max_digits=10, decimal_places=2, default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("daily hand-in")
        verbose_name_plural = _("daily hand-ins")
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["technician", "day"], name="uniq_hand_in_day")
        ]

    def __str__(self) -> str:
        return f"{self.technician} {self.day}"
