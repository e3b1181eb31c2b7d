"""What the company services: categories, models, and the customers' individual units."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


class ProductModel(models.Model):
    code = models.CharField(_("model code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=100)
    brand = models.CharField(_("brand"), max_length=60)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    # The warranty policy's code; the warranty engine (its own issue) resolves it, else the category's.
    policy_code = models.CharField(_("warranty policy"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("product model")
        verbose_name_plural = _("product models")
        ordering = ["brand", "code"]

    def __str__(self) -> str:
        return f"{self.brand} {self.name}"


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
        Customer, verbose_name=_("customer"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="units",
    )
    purchase_date = models.DateField(_("purchase date"), null=True, blank=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    invoice_no = models.CharField(_("invoice number"), max_length=60, blank=True)
    seller = models.CharField(_("seller"), max_length=100, blank=True)
    price = models.DecimalField(_("price"), max_digits=12, decimal_places=2, null=True, blank=True)
    activation_date = models.DateField(_("activation date"), null=True, blank=True)
    manufacture_date = models.DateField(_("manufacture date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_USE)
    # Fed by work orders and complaints (their own issues); kept here so the decision is one read.
    extension_days = models.PositiveIntegerField(_("warranty extension days"), default=0)
    failed_repairs = models.PositiveIntegerField(_("failed repairs"), default=0)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [
            models.Index(fields=["serial"], name="unit_serial_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.serial
