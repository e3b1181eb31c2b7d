"""The shared kernel's data: the event timeline, human numbers, business calendars, API tokens."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Event(models.Model):
    """One row per state change: the audit trail, the customer's progress view, the KPIs' source."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=40)
    note = models.TextField(_("note"), blank=True)
    customer_visible = models.BooleanField(_("visible to the customer"), default=False)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            # A kind of event on a day across subjects: the hand-in's visits (`arrive`) of a day.
            models.Index(fields=["content_type", "action", "at"], name="event_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class NumberSequence(models.Model):
    """The last number handed out per prefix and day (SR2611230001 is SR, 2026-11-23, #1)."""

    prefix = models.CharField(max_length=8)
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "day"], name="uniq_sequence_day")]

    def __str__(self) -> str:
        return f"{self.prefix}{self.day:%y%m%d} #{self.last}"


class ReferenceVersion(models.Model):
    """One row: the version of the reference data each process keeps (core.reference). A change
    of any table it watches writes a new random value here, in the change's own transaction; a
    process holding another value reads that data again (decision 60)."""

    version = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.version


class BusinessCalendar(models.Model):
    """A working week with several intervals a day (lunch breaks, split shifts)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # {"mon": [["09:00", "12:00"], ["13:30", "18:00"]], …, "sun": []}
    weekly_hours = models.JSONField(_("weekly hours"), default=dict)

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")

    def __str__(self) -> str:
        return self.name


class CalendarOverride(models.Model):
    """An administrator's correction of the state calendar, or one calendar's special day.

    Without a calendar it corrects the statutory calendar for everyone (it wins over the `holidays`
    package, whose China data is only official up to the current year). With a calendar it sets that
    calendar's hours on that date (empty hours: closed).
    """

    calendar = models.ForeignKey(
        BusinessCalendar,
        verbose_name=_("calendar"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(_("working day"))
    hours = models.JSONField(_("hours"), default=list, blank=True)
    name = models.CharField(_("name"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="uniq_override_day"),
            models.UniqueConstraint(
                fields=["date"], condition=models.Q(calendar=None), name="uniq_global_override_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 is stored. It works while it is not revoked nor expired,
    its user is active and their password is the one it was issued under (`password_fingerprint`,
    core.accounts; decision 55)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked = models.BooleanField(default=False)
    password_fingerprint = models.CharField(max_length=64, default="", editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST with an Idempotency-Key, replayed for 24 hours (never an
    answer that carries a secret: core.idempotency, decision 57)."""

    key = models.CharField(max_length=255)
    # Hash of the Authorization header, or of the client's address for an anonymous caller.
    caller = models.CharField(max_length=64)
    path = models.CharField(max_length=500)
    body_hash = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField(null=True)  # null while the first request runs
    response_body = models.BinaryField(default=b"")
    content_type = models.CharField(max_length=100, blank=True)
    # When its request started: a retry taking over a key whose lease ran out (status still
    # null long after) restarts it.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["caller", "key"], name="uniq_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.path}"


class AccessKind(models.TextChoices):
    """What someone looked at or took away of a customer's personal data."""

    CUSTOMER = "customer", _("customer page")
    UNIT = "unit", _("unit history")
    LIST_EXPORT = "list_export", _("list export")
    PRIVACY_EXPORT = "privacy_export", _("privacy export")
    PRIVACY_ERASE = "privacy_erase", _("privacy erase")


class AccessRecord(models.Model):
    """One row each time someone sees or exports a customer's personal data (who, when, what):
    written by `core.services.record_access` with a single INSERT, read by the administrator."""

    at = models.DateTimeField(_("time"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,  # anonymous (a key-only feed) or the system
        blank=True,
        on_delete=models.PROTECT,  # who saw it outlives the account: deactivate, never delete
        related_name="+",
        db_index=False,  # the (user, at) index below serves it
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AccessKind.choices)
    subject = models.CharField(_("what was seen"), max_length=100)
    client = models.CharField(_("client address"), max_length=64, blank=True)
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["at"], name="access_at"),
            models.Index(fields=["user", "at"], name="access_user_at"),
            models.Index(fields=["subject", "at"], name="access_subject_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.subject}"


class ExportJob(models.Model):
    """A list page's export written in the background (a list longer than
    `EXPORT_INLINE_MAX_ROWS`; decision 83): who asked, which registered export (`core.exports`)
    with the page's filters, how far the writing is, and the file, kept `EXPORT_KEEP_DAYS` days
    under `EXPORT_DIR` for its one reader to download."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("export status", "Waiting")
        RUNNING = "running", pgettext_lazy("export status", "Being written")
        DONE = "done", pgettext_lazy("export status", "Ready")
        FAILED = "failed", pgettext_lazy("export status", "Failed")
        REMOVED = "removed", pgettext_lazy("export status", "No longer kept")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,  # staff are deactivated, never deleted
        related_name="+",
    )
    export = models.CharField(_("list"), max_length=40)  # the registered export's key
    params = models.JSONField(_("filters"), default=dict, blank=True)  # as the page read them
    list_url = models.CharField(_("list page"), max_length=500, blank=True)  # with its filters
    language = models.CharField(_("language"), max_length=10)  # the header's and the error's
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in all"), null=True, blank=True)
    file = models.CharField(_("file"), max_length=100, blank=True)  # its name under EXPORT_DIR
    error = models.TextField(_("why it failed"), blank=True)
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # When the writer last recorded progress: one silent too long died with its worker.
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [models.Index(fields=["status", "finished_at"], name="export_status_finished")]

    def __str__(self) -> str:
        return f"{self.export} #{self.pk}"

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, self.rows_written * 100 // self.rows_total)
