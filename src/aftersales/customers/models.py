"""Customers: people and organisations, one per phone number."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.dispatch.models import region_code


class Customer(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANIZATION = "organization", _("Organisation")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(
        _("phone"), max_length=20, unique=True, help_text=_("E.164, e.g. +8613800138000")
    )
    contact_person = models.CharField(_("contact person"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    region = models.CharField(_("region"), max_length=6, blank=True, validators=[region_code])
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        # Pattern indexes serve the search box's "starts with" on PostgreSQL (ignored on SQLite).
        indexes = [
            models.Index(
                fields=["name"], name="customer_name_prefix", opclasses=["varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.phone}"
