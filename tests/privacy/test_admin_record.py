"""The record stays whole: follow-ups, escalation cases, messages and timeline events are read in
the Django admin, never added, edited or deleted there (decision 71)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from aftersales.core.models import Event
from aftersales.followups.models import FollowUp
from aftersales.knowledge.models import EscalationCase
from aftersales.notifications.models import Message
from tests.factories import PASSWORD, make_staff
from tests.privacy.conftest import NAME

RECORD = (FollowUp, EscalationCase, Message, Event)


def test_the_admin_refuses_to_delete_a_follow_up(history, client):
    call = FollowUp.objects.filter(ticket__customer=history.customer).first()
    make_staff("root", "admin")
    client.login(username="root", password=PASSWORD)

    page = client.get(f"/admin/followups/followup/{call.pk}/delete/")
    posted = client.post(f"/admin/followups/followup/{call.pk}/delete/", {"post": "yes"})
    bulk = client.post(
        "/admin/followups/followup/",
        {"action": "delete_selected", "_selected_action": [call.pk], "post": "yes"},
    )

    assert page.status_code == 403 and posted.status_code == 403
    assert bulk.status_code in (200, 302)  # the action is not offered: nothing happens
    assert FollowUp.objects.filter(pk=call.pk).exists()


@pytest.mark.parametrize("model", RECORD, ids=lambda m: m.__name__)
def test_the_record_is_read_only_for_a_superuser(db, model):
    boss = make_staff("root", "admin")
    request = RequestFactory().get("/admin/")
    request.user = boss
    model_admin = admin.site._registry[model]

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_the_record_is_still_listed_and_shown(history, client):
    make_staff("root", "admin")
    client.login(username="root", password=PASSWORD)
    call = FollowUp.objects.filter(ticket__customer=history.customer).first()
    message = Message.objects.filter(customer=history.customer).first()

    for path in (
        "/admin/followups/followup/",
        f"/admin/followups/followup/{call.pk}/change/",
        "/admin/knowledge/escalationcase/",
        "/admin/notifications/message/",
        f"/admin/notifications/message/{message.pk}/change/",
        "/admin/core/event/",
    ):
        assert client.get(path).status_code == 200, path
    assert NAME in client.get(f"/admin/notifications/message/{message.pk}/change/").content.decode()
