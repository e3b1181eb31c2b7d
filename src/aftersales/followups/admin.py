from django.contrib import admin

from aftersales.core.admin import ReadOnlyAdmin
from aftersales.followups.models import FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    allow_delete = True
    list_display = ("kind", "ticket", "due_at", "owner", "status", "attempts")
    list_filter = ("kind", "status")
    list_select_related = ("ticket", "owner")
