"""A call's outcome reads in words on the staff pages, never as its code."""

import pytest
from django.utils import translation

from aftersales.followups.presenters import outcome_label


@pytest.mark.parametrize(
    ("outcome", "zh", "en"),
    [
        ("satisfied", "满意", "Satisfied"),
        ("not_reached", "未联系上", "Not reached"),
        ("mismatch", "与记录不符", "Contradicts the record"),
        ("sms:not_reached", "未联系上（短信）", "Not reached (by SMS)"),
        ("phone:reached", "已联系上（电话）", "Reached (by phone)"),
        ("", "", ""),
    ],
)
def test_each_outcome_reads_in_words(outcome, zh, en):
    with translation.override("zh-hans"):
        assert outcome_label(outcome) == zh
    with translation.override("en"):
        assert outcome_label(outcome) == en
