from django.contrib import admin

from aftersales.core.admin import ReadOnlyAdmin
from aftersales.notifications.models import Message, OptOut, Template


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ("code", "channel", "provider_template_id", "active")
    list_filter = ("channel", "active")


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    """What was sent to whom is part of the record (decision 71): readable, never added, edited
    or deleted here."""

    list_display = ("created_at", "template_code", "channel", "recipient", "status", "attempts")
    list_filter = ("status", "channel", "template_code")
    raw_id_fields = ("customer",)
    readonly_fields = [f.name for f in Message._meta.fields]


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ("customer", "created_at", "note")
    raw_id_fields = ("customer",)
