"""Customer messages: templates per event and channel, the outbox, and who opted out."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.customers.models import Customer


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    EMAIL = "email", _("E-mail")


class Template(models.Model):
    """The words of one event's message on one channel; `{variables}` are filled in at queueing."""

    code = models.CharField(_("event code"), max_length=40)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    # The SMS provider's id for its approved copy of this template (Chinese gateways require one).
    provider_template_id = models.CharField(_("provider template id"), max_length=64, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        constraints = [
            models.UniqueConstraint(fields=["code", "channel"], name="template_code_channel")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.channel})"


class Message(models.Model):
    """One message to one customer: queued, then sent, failed or skipped (opted out)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED_OPT_OUT = "skipped_opt_out", _("Skipped (opted out)")

    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="messages"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    template_code = models.CharField(_("event code"), max_length=40)
    provider_template_id = models.CharField(_("provider template id"), max_length=64, blank=True)
    variables = models.JSONField(_("variables"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_try_at = models.DateTimeField(_("next try"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # "<event kind>:<object>:<event id or rung>": one event never sends twice.
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(
                fields=["next_try_at"],
                name="message_queued_next_try",
                condition=models.Q(status="queued"),
            ),
            models.Index(fields=["customer", "id"], name="message_customer"),
        ]

    def __str__(self) -> str:
        return f"{self.template_code} → {self.recipient} ({self.status})"


class OptOut(models.Model):
    """A customer who asked for no messages: theirs are recorded as skipped, never sent."""

    customer = models.OneToOneField(
        Customer, verbose_name=_("customer"), on_delete=models.CASCADE, related_name="opt_out"
    )
    created_at = models.DateTimeField(_("since"), default=timezone.now)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("message opt-out")
        verbose_name_plural = _("message opt-outs")

    def __str__(self) -> str:
        return str(self.customer)
