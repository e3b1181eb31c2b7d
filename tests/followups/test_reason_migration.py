"""A callback listed after a low web rating before its reason was data: migrating moves the
sentence its note kept (in Chinese, the server's language then) into `reason`, and the note
keeps what the customer wrote, so the console words it in the agent's language."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from aftersales.followups.models import FollowUp
from tests.factories import make_staff, repair_request

BEFORE = ("followups", "0006_sweep_index")


@pytest.mark.django_db(transaction=True)
def test_the_old_sentence_becomes_the_reason_and_the_note_keeps_the_comment(center):
    ticket = repair_request(make_staff("lixy", "hotline", center))
    call_command("migrate", *BEFORE, verbosity=0)  # as the database was
    old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
    OldFollowUp = old.get_model("followups", "FollowUp")
    listed = dict(ticket_id=ticket.pk, due_at=timezone.now(), status="open")
    low = OldFollowUp.objects.create(
        kind="consultation_callback",
        note="客户在网上评了 2 分（满分 5 分）：请回电。 等了太久",
        **listed,
    )
    plain = OldFollowUp.objects.create(kind="repair_callback", note="客户要求下午回电", **listed)

    call_command("migrate", "followups", verbosity=0)

    low_now, plain_now = FollowUp.objects.get(pk=low.pk), FollowUp.objects.get(pk=plain.pk)
    assert (low_now.reason, low_now.note) == ({"code": "web_rating", "score": 2}, "等了太久")
    assert (plain_now.reason, plain_now.note) == ({}, "客户要求下午回电")
