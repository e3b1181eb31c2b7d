"""Service requests (服务请求) from every channel, the SLA policies their clocks run on, and the
request's own record of the jobs done for it."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import Unit
from aftersales.core.models import Event
from aftersales.customers.models import Customer
from aftersales.dispatch.models import ServiceCenter
from aftersales.tickets.rules import OPEN_STATUSES


class Kind(models.TextChoices):
    REPAIR = "repair", _("Repair")
    INSTALLATION = "installation", _("Installation")
    CONSULTATION = "consultation", _("Consultation")
    COMPLAINT = "complaint", _("Complaint")
    BOOKING = "booking", _("Booking")


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    WALK_IN = "walk_in", _("Walk-in")
    WEB = "web", _("Web")
    EMAIL = "email", _("E-mail")
    LETTER = "letter", _("Letter")
    IM = "im", _("Instant messaging")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    REOPENED = "reopened", _("Reopened")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class SlaUnit(models.TextChoices):
    BUSINESS_HOURS = "business_hours", _("business hours")
    BUSINESS_DAYS = "business_days", _("business days")
    HOURS = "hours", _("hours (around the clock)")


class SlaPolicy(models.Model):
    """How fast a request must be answered and resolved. Empty kind/channel/priority match any;
    the most specific policy wins."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    respond_amount = models.DecimalField(_("respond within"), max_digits=6, decimal_places=2)
    respond_unit = models.CharField(
        _("unit"), max_length=20, choices=SlaUnit.choices, default=SlaUnit.BUSINESS_HOURS
    )
    resolve_amount = models.DecimalField(_("resolve within"), max_digits=6, decimal_places=2)
    resolve_unit = models.CharField(
        _("unit"), max_length=20, choices=SlaUnit.choices, default=SlaUnit.BUSINESS_DAYS
    )
    pause_when_waiting = models.BooleanField(
        _("pause while waiting for the customer"),
        default=False,
        help_text=_("The resolve clock stops while the request waits for the customer."),
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(fields=["kind", "channel", "priority"], name="uniq_sla_policy")
        ]

    def __str__(self) -> str:
        scope = " · ".join(
            str(v)
            for v in (
                self.get_kind_display(),
                self.get_channel_display(),
                self.get_priority_display(),
            )
            if v
        )
        return scope or str(_("default"))


class Ticket(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    # The foreign keys' own indexes are left out where an index below leads with the same column
    # (and also gives the newest first): one index fewer to write per request.
    customer = models.ForeignKey(
        Customer,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,  # ticket_customer
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,  # ticket_unit
    )
    summary = models.CharField(_("summary"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    problem_class = models.CharField(_("problem class"), max_length=40, blank=True)
    preferred_time = models.CharField(_("preferred time"), max_length=100, blank=True)
    center = models.ForeignKey(
        ServiceCenter,
        verbose_name=_("service center"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,  # ticket_center
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_tickets",
        db_index=False,  # ticket_owner
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    respond_by = models.DateTimeField(_("respond by"), null=True, blank=True)
    resolve_by = models.DateTimeField(_("resolve by"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # `rules.pending_due`: when the promise an open request still owes falls due (null when it
    # owes none). Kept by the services; the "due soon" queue reads it in order from its index.
    pending_due = models.DateTimeField(_("pending due"), null=True, blank=True, editable=False)
    escalated = models.BooleanField(_("escalated"), default=False)
    resolution = models.CharField(_("resolution"), max_length=20, blank=True)
    # The 三包 decision shown at intake (as the warranty check returns it), kept as given.
    warranty = models.JSONField(
        _("warranty decision"), null=True, blank=True, encoder=DjangoJSONEncoder
    )

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [
            models.Index(fields=["status", "id"], name="ticket_status"),
            models.Index(fields=["owner", "status", "id"], name="ticket_owner_status"),
            models.Index(fields=["center", "status", "id"], name="ticket_center_status"),
            # Each list filter reads the newest first from its own index, whatever its share of
            # the rows (an owner or a kind with few requests or none included): without them
            # PostgreSQL walks the primary key backwards through every request looking for 50.
            models.Index(fields=["owner", "id"], name="ticket_owner"),
            models.Index(fields=["center", "id"], name="ticket_center"),
            models.Index(fields=["kind", "id"], name="ticket_kind"),
            models.Index(fields=["channel", "id"], name="ticket_channel"),
            models.Index(fields=["customer", "id"], name="ticket_customer"),
            models.Index(fields=["unit", "id"], name="ticket_unit"),
            models.Index(
                fields=["respond_by"],
                name="ticket_respond_by",
                condition=models.Q(responded_at=None),
            ),
            models.Index(
                fields=["resolve_by"],
                name="ticket_resolve_by",
                condition=models.Q(resolved_at=None),
            ),
            models.Index(fields=["escalated", "status", "id"], name="ticket_escalated"),
            models.Index(
                fields=["pending_due", "id"],
                name="ticket_pending_due",
                condition=models.Q(pending_due__isnull=False),
            ),
            # An owner's open requests, the most urgent promise first (a hotline agent's home,
            # who may hold thousands): read in order from this index, not sorted each time.
            models.Index(
                fields=["owner", "pending_due", "id"],
                name="ticket_owner_open_due",
                condition=models.Q(status__in=["new", "in_progress", "reopened"]),
            ),
            # The reports' requests of a period (reports.selectors: created from … to): a range
            # of this index, not every request (decision 84).
            models.Index(fields=["created_at"], name="ticket_created"),
        ]

    # Not a column: on the request `tickets.services.ticket_create` returns, its timeline as taken
    # (the `created` event), so the intake's answer reads nothing back (decision 61).
    intake_events: "list[Event] | None" = None

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        """Whether work can still be done on the request (tickets.rules.OPEN_STATUSES)."""
        return self.status in OPEN_STATUSES


class TicketJob(models.Model):
    """A job done for a request (a work order, recorded by its app through
    `tickets.services.ticket_job_record`): its timeline joins the request's, and its technician
    sees the request. The request's own record, so that its reads need not look upwards at the
    apps that do the jobs (docs/decisions.md)."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("service request"), on_delete=models.CASCADE, related_name="jobs"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()  # as core.models.Event's
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("technician"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,  # the (technician, ticket) index below serves it
    )

    class Meta:
        verbose_name = _("job of a request")
        verbose_name_plural = _("jobs of requests")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="uniq_ticket_job")
        ]
        indexes = [
            # A technician's requests (tickets.selectors.tickets_for), from the index alone.
            models.Index(fields=["technician", "ticket"], name="ticket_job_technician"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.content_type_id}/{self.object_id}"
