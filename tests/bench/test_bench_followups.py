"""The bench's timer-sweep backlog at --rows 300: due, unqueued follow-ups of every kind (pickup
reminders on a work order), swept to the end — each claimed once — and put back so the next run
starts the same. (One worker here: the forked workers would not see the test's uncommitted rows.)"""

import io

import pytest
from django.utils import timezone

from aftersales.core.models import Event
from aftersales.followups.models import FollowUp
from aftersales.notifications.models import Message
from bench import followups
from bench import seed as seeding

ROWS = 300


@pytest.mark.django_db
def test_the_backlog_is_seeded_swept_to_the_end_and_reset() -> None:
    report = seeding.seed(ROWS, out=io.StringIO(), batch=100)
    assert report.followups == report.added_followups == followups.followups_for(ROWS)
    assert seeding.seed(ROWS, out=io.StringIO()).added_followups == 0
    due = followups.bench_followups()
    assert due.filter(
        status="open", queued_at__isnull=True, due_at__lte=timezone.now()
    ).count() == (ROWS)
    kinds = set(due.values_list("kind", flat=True))
    assert FollowUp.Kind.PICKUP_REMINDER in kinds and len(kinds) >= 4
    reminders = due.filter(kind=FollowUp.Kind.PICKUP_REMINDER)
    assert not reminders.filter(work_order__isnull=True).exists()

    for _run in range(2):  # the second run starts from the same backlog
        result = followups.sweep_backlog(limit=64, workers=1)
        assert result.followups == ROWS and result.passes == ROWS // 64 + 1  # the last is short
        assert result.claimed_once and result.events == ROWS
        # Each job's first call texts nothing (decision 31): the bench pairs the calls up.
        jobs = reminders.values("work_order").distinct().count()
        assert 0 < result.pickup_sms == reminders.count() - jobs
        assert not due.filter(queued_at__isnull=True).exists()
        assert Event.objects.filter(action="queued").count() == ROWS
        assert Message.objects.filter(dedupe_key__startswith=followups.REMINDER_KEY).count() == (
            result.pickup_sms
        )
        assert "1 worker, batches of 64 until empty" in followups.format_backlog(result)
        assert followups.reset_followups() == ROWS
        assert not Event.objects.filter(action="queued").exists()
        assert not Message.objects.filter(dedupe_key__startswith=followups.REMINDER_KEY).exists()
