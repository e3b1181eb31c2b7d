"""Follow-ups (回访): callbacks and surveys that fall due at a time, swept by the worker."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.tickets.models import Ticket


class FollowUp(models.Model):
    class Kind(models.TextChoices):
        CONSULTATION_CALLBACK = "consultation_callback", _("Consultation callback")
        REPAIR_CALLBACK = "repair_callback", _("Repair callback")
        SATISFACTION_SURVEY = "satisfaction_survey", _("Satisfaction survey")
        PICKUP_REMINDER = "pickup_reminder", _("Pickup reminder")
        COMPLAINT_FOLLOWUP = "complaint_followup", _("Complaint follow-up")
        VERIFICATION_CALL = "verification_call", _("Verification call")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    due_at = models.DateTimeField(_("due"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="followups",
    )
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("service request"),
        on_delete=models.CASCADE,
        related_name="followups",
    )
    work_order = models.ForeignKey(
        "workorders.WorkOrder",
        verbose_name=_("work order"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followups",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    satisfied = models.BooleanField(_("satisfied"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("score (1–5)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Why the call was put on the list, as data worded in the reader's language
    # (followups.presenters.reason): {"code": "web_rating", "score": 2}. Empty: its kind says why.
    reason = models.JSONField(_("reason"), default=dict, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    # Set once by the worker's sweep when the call fell due (the claim; see followups_claim_due).
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            models.Index(
                fields=["due_at"], name="followup_open_due", condition=models.Q(status="open")
            ),
            # The sweep's: only the calls still to claim, so a pass never walks the claimed ones.
            models.Index(
                fields=["due_at"],
                name="followup_sweep_due",
                condition=models.Q(status="open", queued_at__isnull=True),
            ),
            models.Index(fields=["ticket", "id"], name="followup_ticket"),
            # The reports' surveys answered in a period (a kind, done from … to; decision 84).
            models.Index(fields=["kind", "done_at"], name="followup_kind_done"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.ticket.number}"
