"""The customer rates a finished request on the web: the answer to its satisfaction survey."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from aftersales.core.models import Event
from aftersales.followups.models import FollowUp
from aftersales.tickets.models import Ticket
from tests.factories import CustomerFactory, make_staff


def events_of(followup_id, **filters):  # type: ignore[no-untyped-def]
    kind = ContentType.objects.get_for_model(FollowUp)
    return Event.objects.filter(content_type=kind, object_id=followup_id, **filters)


def rate(client, done, score=5, **body):  # type: ignore[no-untyped-def]
    payload = {"number": done.number, "phone": done.phone, "score": score, **body}
    return client.post("/portal/rating", payload)


def surveys(done):  # type: ignore[no-untyped-def]
    return FollowUp.objects.filter(ticket__number=done.number, kind="satisfaction_survey")


def test_a_good_score_answers_the_open_survey_without_anyone_calling(anonymous, repaired):
    [survey] = surveys(repaired)
    assert survey.status == "open"

    answer = rate(anonymous, repaired, score=4, comment="  师傅很专业  ")

    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert (body["number"], body["score"], body["comment"]) == (repaired.number, 4, "师傅很专业")
    survey.refresh_from_db()
    assert (survey.status, survey.score, survey.satisfied) == ("done", 4, True)
    assert (survey.outcome, survey.note, survey.done_by) == ("satisfied", "师傅很专业", None)
    assert not FollowUp.objects.filter(ticket__number=repaired.number, status="open").exists()
    [event] = events_of(survey.pk, action="completed")
    assert event.actor is None and event.data == {
        "outcome": "satisfied",
        "score": 4,
        "channel": "web",
    }
    assert repaired.ticket.status == "resolved"


def test_three_is_satisfied_the_threshold(anonymous, repaired):
    assert rate(anonymous, repaired, score=3).status_code == 201
    assert surveys(repaired).get().satisfied is True


def test_a_low_score_puts_a_callback_on_the_agents_list_and_reopens_nothing(anonymous, repaired):
    answer = rate(anonymous, repaired, score=2, comment="等了太久")

    assert answer.status_code == 201
    survey = surveys(repaired).get()
    assert (survey.status, survey.score, survey.satisfied) == ("done", 2, False)
    [callback] = FollowUp.objects.filter(ticket__number=repaired.number, status="open")
    assert callback.kind == "repair_callback"
    assert callback.work_order is not None and callback.work_order.number == repaired.work_order
    assert callback.note == "等了太久"  # what the customer wrote; why: as data, worded on the page
    assert callback.reason == {"code": "web_rating", "score": 2}
    assert repaired.ticket.status == "resolved"  # the agent's call decides about reopening
    scheduled = events_of(callback.pk, action="scheduled").get()
    assert scheduled.note == callback.note


def test_a_request_without_a_survey_gets_one_recorded_with_the_score(anonymous, repaired):
    surveys(repaired).delete()

    assert rate(anonymous, repaired, score=5).status_code == 201

    [survey] = surveys(repaired)
    assert (survey.status, survey.score, survey.satisfied, survey.outcome) == (
        "done",
        5,
        True,
        "satisfied",
    )
    assert survey.work_order is not None and survey.work_order.number == repaired.work_order
    assert events_of(survey.pk).values_list("action", flat=True).get() == ("completed")


def test_one_rating_per_request(anonymous, repaired):
    assert rate(anonymous, repaired, score=5).status_code == 201

    again = rate(anonymous, repaired, score=1)

    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_rated"
    assert again.json()["error"]["message"] == "该服务请求已经评价过了，谢谢您！"
    assert surveys(repaired).get().score == 5
    assert not FollowUp.objects.filter(ticket__number=repaired.number, status="open").exists()


def test_a_survey_answered_on_the_phone_counts_as_the_rating(anonymous, api_as, repaired):
    agent = api_as("hotline", "xiaoyan")
    survey = surveys(repaired).get()
    done = agent.post(
        f"/followups/{survey.pk}/complete", {"reached": True, "satisfied": True, "score": 5}
    )
    assert done.status_code == 200

    assert rate(anonymous, repaired, score=3).json()["error"]["code"] == "already_rated"


def test_a_request_still_in_repair_cannot_be_rated_yet(anonymous, in_repair):
    answer = rate(anonymous, in_repair, score=5)

    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "not_ready"
    assert not surveys(in_repair).exists()


def test_a_closed_request_can_be_rated(anonymous, repaired):
    Ticket.objects.filter(number=repaired.number).update(status="closed")
    assert rate(anonymous, repaired, score=4).status_code == 201


def test_a_wrong_phone_answers_exactly_like_an_unknown_number(anonymous, repaired):
    someone_else = CustomerFactory().phone
    wrong_phone = rate(anonymous, repaired, phone=someone_else)
    unknown = anonymous.post(
        "/portal/rating", {"number": "SR0000000000", "phone": repaired.phone, "score": 5}
    )
    garbled = rate(anonymous, repaired, phone="not a phone")

    assert wrong_phone.status_code == unknown.status_code == garbled.status_code == 404
    assert wrong_phone.content == unknown.content == garbled.content
    assert wrong_phone.json()["error"]["code"] == "not_found"
    assert surveys(repaired).get().status == "open"


def test_the_phone_may_be_typed_in_any_common_way(anonymous, repaired):
    e164 = repaired.ticket.customer.phone
    assert rate(anonymous, repaired, phone=e164.removeprefix("+")).status_code == 201


def test_a_score_outside_one_to_five_is_refused_and_changes_nothing(anonymous, repaired):
    for bad in (0, 6, 4.5, "5", True, None):
        answer = rate(anonymous, repaired, score=bad)
        assert answer.status_code == 422, bad
        assert answer.json()["error"]["code"] == "validation_error"
        assert list(answer.json()["error"]["details"]) == ["score"]
    too_long = rate(anonymous, repaired, score=5, comment="很" * 1001)
    assert list(too_long.json()["error"]["details"]) == ["comment"]
    survey = surveys(repaired).get()
    assert (survey.status, survey.score) == ("open", None)
    assert not events_of(survey.pk, action="completed").exists()


def test_no_login_is_needed_and_a_missing_field_is_named(anonymous, repaired):
    answer = anonymous.post("/portal/rating", {"number": repaired.number, "score": 5})
    assert answer.status_code == 422
    assert "phone" in answer.json()["error"]["details"]


def test_the_agent_sees_why_to_call_after_a_low_web_score(anonymous, client, repaired, center):
    rate(anonymous, repaired, score=1, comment="屏幕又花了")
    callback = FollowUp.objects.get(ticket__number=repaired.number, status="open")
    FollowUp.objects.filter(pk=callback.pk).update(due_at=timezone.now())  # it fell due
    client.force_login(make_staff("xiaoyan", "hotline", center))

    page = client.get("/callbacks/").content.decode()

    assert f'data-followup="{callback.pk}"' in page and "回访原因：" in page
    assert "屏幕又花了" in page and "客户在网上评了 1 分（满分 5 分）：请回电。" in page


def test_the_reason_for_the_call_reads_in_the_agents_language(anonymous, client, repaired, center):
    rate(anonymous, repaired, score=2, comment="屏幕又花了")
    callback = FollowUp.objects.get(ticket__number=repaired.number, status="open")
    FollowUp.objects.filter(pk=callback.pk).update(due_at=timezone.now())  # it fell due
    client.force_login(make_staff("xiaoyan", "hotline", center))

    page = client.get("/callbacks/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Rated 2 of 5 on the web: call the customer." in page
    assert "请回电" not in page and "屏幕又花了" in page  # the customer's own words stay theirs
