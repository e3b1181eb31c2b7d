"""The survey link's page: no login, phone + score + comment, refusals in words, input kept."""

import re

from django.test import Client

from aftersales.followups.models import FollowUp


def survey_of(done):  # type: ignore[no-untyped-def]
    return FollowUp.objects.get(ticket__number=done.number, kind="satisfaction_survey")


def page(done):  # type: ignore[no-untyped-def]
    return f"/portal/rate/{done.number}/"


def test_the_link_opens_the_form_without_a_login(client, repaired):
    answer = client.get(page(repaired))

    assert answer.status_code == 200
    html = answer.content.decode()
    assert repaired.number in html and "服务评价" in html and "您对本次服务满意吗？" in html
    assert "5 · 非常满意" in html and "提交评价" in html
    assert 'name="phone"' in html and 'name="comment"' in html
    assert html.count('type="radio" name="score"') == 5
    assert "csrfmiddlewaretoken" in html
    assert 'name="viewport"' in html


def test_rating_on_the_page_answers_the_survey_and_thanks_the_customer(client, repaired):
    sent = client.post(page(repaired), {"phone": repaired.phone, "score": "5", "comment": "很好"})

    assert sent.status_code == 302 and sent["Location"].endswith("?rated=1")
    survey = survey_of(repaired)
    assert (survey.status, survey.score, survey.note) == ("done", 5, "很好")
    thanks = client.get(sent["Location"])
    assert thanks.status_code == 200 and 'name="phone"' not in thanks.content.decode()
    assert "感谢您的评价！" in thanks.content.decode()


def test_a_wrong_phone_is_refused_in_words_and_what_was_typed_is_kept(client, repaired):
    answer = client.post(
        page(repaired), {"phone": "139 0000 0000", "score": "2", "comment": "还没修好"}
    )

    assert answer.status_code == 404
    html = answer.content.decode()
    assert "没有与该单号和手机号相符的服务请求。" in html
    assert 'value="139 0000 0000"' in html and "还没修好</textarea>" in html
    assert _checked(html, "2")
    assert survey_of(repaired).status == "open"


def test_a_request_still_in_repair_says_so(client, in_repair):
    answer = client.post(page(in_repair), {"phone": in_repair.phone, "score": "4"})

    assert answer.status_code == 409
    assert "该服务请求尚未处理完毕，完成后即可评价。" in answer.content.decode()


def test_a_second_rating_is_refused(client, repaired):
    client.post(page(repaired), {"phone": repaired.phone, "score": "4"})

    again = client.post(page(repaired), {"phone": repaired.phone, "score": "1"})

    assert again.status_code == 409
    assert "该服务请求已经评价过了" in again.content.decode()
    assert survey_of(repaired).score == 4


def test_a_missing_score_is_named_on_its_field(client, repaired):
    answer = client.post(page(repaired), {"phone": repaired.phone})

    assert answer.status_code == 422
    assert survey_of(repaired).status == "open"


def test_the_form_is_protected_against_cross_site_posts(repaired):
    browser = Client(enforce_csrf_checks=True)

    forged = browser.post(page(repaired), {"phone": repaired.phone, "score": "1"})

    assert forged.status_code == 403
    assert survey_of(repaired).status == "open"


def _checked(html: str, value: str) -> bool:
    return bool(re.search(rf'<input[^>]*value="{value}"[^>]*checked', html))
