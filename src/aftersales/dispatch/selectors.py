"""Reads of the service network."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from aftersales.core import rules as calendar_rules
from aftersales.core.selectors import working_calendar
from aftersales.dispatch import rules
from aftersales.dispatch.models import ServiceCenter, StaffProfile


def centers() -> QuerySet[ServiceCenter]:
    return ServiceCenter.objects.filter(active=True).order_by("code")


def center_of(user: User | AnonymousUser) -> ServiceCenter | None:
    """The center a staff member works in, if any."""
    if not user.is_authenticated:
        return None
    profile = StaffProfile.objects.select_related("center").filter(user_id=user.pk).first()
    return profile.center if profile else None


def center_serving(region: str) -> ServiceCenter | None:
    """The active center whose regions match `region` most specifically."""
    best, best_len = None, 0
    for center in centers():
        length = rules.most_specific_match(center.regions, region)
        if length > best_len:
            best, best_len = center, length
    return best


def calendar_of(center: ServiceCenter | None) -> calendar_rules.WorkingCalendar:
    """The working calendar of a center (the default office week where it has none)."""
    return working_calendar(center.calendar if center else None)
