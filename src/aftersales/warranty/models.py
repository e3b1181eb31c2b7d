"""三包 policies as data: an administrator edits them; every edit makes a new version.

The live rows (Policy and its categories, parts and faults) are what an administrator edits in
the admin. Each save through `services.policy_publish` bumps `version` and stores a snapshot of
the whole policy, so a decision that names (code, version) can always be traced to its terms.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aftersales.catalog.models import Category


class Policy(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)
    return_days = models.PositiveSmallIntegerField(
        _("return window (days)"), null=True, blank=True, help_text=_("Empty: no return window.")
    )
    exchange_days = models.PositiveSmallIntegerField(
        _("exchange window (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: no exchange window."),
    )
    failed_repair_threshold = models.PositiveSmallIntegerField(
        _("failed repairs before exchange or refund"),
        null=True,
        blank=True,
        default=2,
        help_text=_(
            "修理两次仍不能正常使用: 2 in the national rules. Empty: free repair only, however often."
        ),
    )
    accessory_exchange_threshold = models.PositiveSmallIntegerField(
        _("accessory exchanges before refund"), default=2
    )
    repair_delay_days = models.PositiveSmallIntegerField(
        _("repair delay through the repairer (days)"),
        default=30,
        help_text=_(
            "A unit not repaired after this many days through the repairer's fault may be exchanged."
        ),
    )
    parts_delay_days = models.PositiveSmallIntegerField(
        _("repair delay for want of parts (days)"),
        default=90,
        help_text=_("60 for phones, 90 for household goods."),
    )
    no_voucher_grace_days = models.PositiveSmallIntegerField(
        _("no voucher: period from manufacture date plus (days)"),
        null=True,
        blank=True,
        help_text=_("Phones: 90. Empty: without a voucher nothing is covered."),
    )
    roll_forward = models.BooleanField(_("move end dates off rest days"), default=True)
    exchange_restarts_windows = models.BooleanField(
        _("an exchanged unit gets new 7/15-day windows"), default=False
    )
    exclusions = models.JSONField(
        _("exclusions"),
        default=list,
        blank=True,
        help_text=_(
            "Damage kinds that are never covered: liquid, impact, unauthorized_repair, misuse, force_majeure."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("三包 policy")
        verbose_name_plural = _("三包 policies")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class PolicyCategory(models.Model):
    """A category the policy covers, with its own depreciation rate and parts."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="categories"
    )
    category = models.OneToOneField(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="warranty_terms",
    )
    daily_rate = models.DecimalField(
        _("daily depreciation rate"),
        max_digits=6,
        decimal_places=5,
        null=True,
        blank=True,
        help_text=_("0.00500 = 0.5 % a day. Empty: no refund."),
    )

    class Meta:
        verbose_name = _("covered category")
        verbose_name_plural = _("covered categories")

    def __str__(self) -> str:
        return f"{self.policy.code} · {self.category.code}"


class PolicyPart(models.Model):
    class Kind(models.TextChoices):
        HOST = "host", _("Host / whole unit")
        ACCESSORY = "accessory", _("Accessory")
        MAIN_PART = "main_part", _("Main part")

    class Unit(models.TextChoices):
        DAYS = "days", _("days")
        MONTHS = "months", _("months")
        YEARS = "years", _("years")

    terms = models.ForeignKey(
        PolicyCategory, verbose_name=_("category"), on_delete=models.CASCADE, related_name="parts"
    )
    code = models.SlugField(_("part code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    period_amount = models.PositiveSmallIntegerField(_("period"))
    period_unit = models.CharField(
        _("period unit"), max_length=10, choices=Unit.choices, default=Unit.MONTHS
    )

    class Meta:
        verbose_name = _("part")
        verbose_name_plural = _("parts")
        constraints = [models.UniqueConstraint(fields=["terms", "code"], name="uniq_policy_part")]

    def __str__(self) -> str:
        return f"{self.name} ({self.period_amount} {self.get_period_unit_display()})"


class PerformanceFault(models.Model):
    """A listed performance fault (性能故障) of the policy; `part` empty means the host."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="faults"
    )
    part = models.SlugField(_("part code"), max_length=40, blank=True)
    code = models.SlugField(_("fault code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("performance fault")
        verbose_name_plural = _("performance faults")
        ordering = ["part", "code"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "part", "code"], name="uniq_policy_fault")
        ]

    def __str__(self) -> str:
        return self.name


class PolicyVersion(models.Model):
    """An immutable snapshot of a policy as published: what a decision's (code, version) means."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "version"], name="uniq_policy_version")
        ]

    def __str__(self) -> str:
        return f"{self.policy.code} v{self.version}"
