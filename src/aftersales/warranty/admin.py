from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from aftersales.core.admin import ReadOnlyAdmin
from aftersales.warranty import services
from aftersales.warranty.models import (
    PerformanceFault,
    Policy,
    PolicyCategory,
    PolicyPart,
    PolicyVersion,
)


class PolicyCategoryInline(admin.TabularInline):
    model = PolicyCategory
    extra = 0
    show_change_link = True  # its parts are edited on the category's own page


class PerformanceFaultInline(admin.TabularInline):
    model = PerformanceFault
    extra = 0


class PublishOnSave:
    """Every save in the admin publishes the policy as a new version (after the inlines are saved)."""

    def policy_of(self, obj: Any) -> Policy:
        raise NotImplementedError

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # type: ignore[misc]
        user = request.user if request.user.is_authenticated else None
        services.policy_publish(policy=self.policy_of(form.instance), by=user)  # type: ignore[arg-type]


@admin.register(Policy)
class PolicyAdmin(PublishOnSave, admin.ModelAdmin):
    list_display = ("code", "name", "version", "return_days", "exchange_days", "updated_at")
    readonly_fields = ("version", "updated_at")
    inlines = [PolicyCategoryInline, PerformanceFaultInline]

    def policy_of(self, obj: Policy) -> Policy:
        return obj


class PolicyPartInline(admin.TabularInline):
    model = PolicyPart
    extra = 0


@admin.register(PolicyCategory)
class PolicyCategoryAdmin(PublishOnSave, admin.ModelAdmin):
    list_display = ("category", "policy", "daily_rate")
    list_filter = ("policy",)
    inlines = [PolicyPartInline]

    def policy_of(self, obj: PolicyCategory) -> Policy:
        return obj.policy


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    """Published versions are history: readable, never edited."""

    list_display = ("policy", "version", "published_at", "published_by")
    list_filter = ("policy",)
    readonly_fields = ("policy", "version", "snapshot", "published_at", "published_by")
