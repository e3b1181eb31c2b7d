"""The only code that changes 三包 policies: every published edit is a new version."""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from aftersales.core.services import record_event
from aftersales.warranty.models import Policy, PolicyVersion


def policy_snapshot(policy: Policy) -> dict[str, Any]:
    """The whole policy as plain data: what its (code, version) means, frozen."""
    return {
        "code": policy.code,
        "name": policy.name,
        "version": policy.version,
        "return_days": policy.return_days,
        "exchange_days": policy.exchange_days,
        "failed_repair_threshold": policy.failed_repair_threshold,
        "accessory_exchange_threshold": policy.accessory_exchange_threshold,
        "repair_delay_days": policy.repair_delay_days,
        "parts_delay_days": policy.parts_delay_days,
        "no_voucher_grace_days": policy.no_voucher_grace_days,
        "roll_forward": policy.roll_forward,
        "exchange_restarts_windows": policy.exchange_restarts_windows,
        "exclusions": list(policy.exclusions),
        "categories": [
            {
                "category": covered.category.code,
                "daily_rate": str(covered.daily_rate) if covered.daily_rate is not None else None,
                "parts": [
                    {
                        "code": p.code,
                        "name": p.name,
                        "kind": p.kind,
                        "period": [p.period_amount, p.period_unit],
                    }
                    for p in covered.parts.order_by("id")
                ],
            }
            for covered in policy.categories.select_related("category").order_by("id")
        ],
        "faults": [
            {"part": f.part, "code": f.code, "name": f.name} for f in policy.faults.order_by("id")
        ],
    }


@transaction.atomic
def policy_publish(*, policy: Policy, by: User | None) -> PolicyVersion:
    """Make the policy's current rows its next version. Decisions name the version they used, so
    an answer already given is never rewritten by a later edit."""
    Policy.objects.filter(pk=policy.pk).update(version=F("version") + 1, updated_at=timezone.now())
    policy.refresh_from_db(fields=["version", "updated_at"])
    published = PolicyVersion.objects.create(
        policy=policy, version=policy.version, snapshot=policy_snapshot(policy), published_by=by
    )
    record_event(subject=policy, action="published", actor=by, data={"version": policy.version})
    return published
