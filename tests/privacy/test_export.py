"""An administrator exports everything held about one person (PIPL's right to a copy): by API
as JSON or a workbook, and by `aftersales privacy export`; nothing of anyone else comes with it."""

import io
import json

import openpyxl
import pytest
from django.core.management import call_command

from aftersales.core.models import AccessRecord
from aftersales.followups.models import FollowUp
from aftersales.notifications.models import Message
from aftersales.privacy.selectors import SECTIONS
from tests.clock import PLAIN_DAY
from tests.privacy.conftest import ADDRESS, EMAIL, NAME, PHONE, PHONE_SPELLINGS, traces

pytestmark = pytest.mark.clock(PLAIN_DAY)


def test_the_export_holds_every_request_unit_job_follow_up_and_message_of_the_person(history):
    answer = history.admin.get(f"/customers/{history.customer.pk}/export")

    assert answer.status_code == 200
    export = answer.json()
    her = history.customer
    assert export["customer"]["name"] == NAME and export["customer"]["phone"] == PHONE
    assert {r["number"] for r in export["requests"]} == set(history.requests)
    assert {u["serial"] for u in export["units"]} == set(her.units.values_list("serial", flat=True))
    assert [w["number"] for w in export["work_orders"]] == [history.work_order]
    assert export["work_orders"][0]["paid"] == "280.00"
    assert {f["id"] for f in export["follow_ups"]} == set(
        FollowUp.objects.filter(ticket__customer=her).values_list("pk", flat=True)
    )
    assert {m["id"] for m in export["messages"]} == set(
        Message.objects.filter(customer=her).values_list("pk", flat=True)
    )
    assert len(export["messages"]) > 0 and len(export["follow_ups"]) > 0
    assert [c["ticket"] for c in export["complaints"]] == [history.requests[2]]
    assert [e["ticket"] for e in export["escalations"]] == [history.requests[1]]
    # Each request with its timeline, oldest first.
    repair = next(r for r in export["requests"] if r["number"] == history.requests[0])
    assert repair["events"][0]["action"] == "created"
    assert "note" in [e["action"] for e in repair["events"]]
    # Other records that hold her phone are shown as mentions: the neighbour's request, and the
    # access record of a search by her number.
    assert sorted(m["record"] for m in export["mentions"]) == [
        "core.AccessRecord",
        "tickets.Ticket",
    ]


def test_nothing_of_another_customer_comes_with_the_export(history):
    text = json.dumps(
        history.admin.get(f"/customers/{history.customer.pk}/export").json(), ensure_ascii=False
    )

    neighbour = history.neighbour
    assert neighbour.name not in text
    assert neighbour.phone not in text and neighbour.phone[3:] not in text
    assert history.neighbour_request not in text


def test_an_export_is_written_in_the_access_record(history):
    history.admin.get(f"/customers/{history.customer.pk}/export")

    record = AccessRecord.objects.filter(kind="privacy_export").get()
    assert record.user.username == "boss"
    assert record.subject == str(history.customer.pk)


def test_the_export_as_a_workbook_has_a_sheet_per_section_and_the_timelines(history):
    answer = history.admin.get(f"/customers/{history.customer.pk}/export", format="xlsx")

    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(answer.getvalue()), read_only=True)
    assert {
        "customer",
        "units",
        "requests",
        "work_orders",
        "follow_ups",
        "messages",
        "events",
    } <= set(book.sheetnames)
    requests = list(book["requests"].iter_rows(values_only=True))
    assert "number" in requests[0] and len(requests) == 1 + len(history.requests)


def test_the_command_exports_by_any_spelling_of_the_phone(history, tmp_path):
    out = io.StringIO()
    call_command("privacy", "export", "--phone", "139-1234-5678", stdout=out)
    workbook = tmp_path / "li.xlsx"
    call_command(
        "privacy",
        "export",
        "--phone",
        "0086 139 1234 5678",
        "--out",
        str(workbook),
        stderr=io.StringIO(),
    )

    assert {r["number"] for r in json.loads(out.getvalue())["requests"]} == set(history.requests)
    assert "requests" in openpyxl.load_workbook(workbook, read_only=True).sheetnames
    assert AccessRecord.objects.filter(kind="privacy_export").count() == 2


def test_only_an_administrator_exports_and_an_unknown_customer_is_not_found(history, api_as):
    hotline = api_as("hotline")

    refused = hotline.get(f"/customers/{history.customer.pk}/export")
    missing = history.admin.get("/customers/999999/export")

    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    assert not AccessRecord.objects.filter(kind="privacy_export").exists()


def test_every_row_that_holds_her_name_phone_or_address_is_in_her_export(history):
    """The export is checked against the database: each row of any table where her name, phone,
    address or e-mail is written appears in it (as hers, in a timeline, or as a mention)."""
    export = history.admin.get(f"/customers/{history.customer.pk}/export").json()
    shown: set[tuple[str, int]] = set()
    for section in SECTIONS:
        rows = export[section.name] if section.name != "customer" else [export["customer"]]
        for row in rows:
            shown.add((section.model._meta.label, row["id"]))
            shown.update(("core.Event", e["id"]) for e in row.get("events", []))
    shown.update(("admin.LogEntry", e["id"]) for e in export["admin_log"])
    shown.update(("core.AccessRecord", r["id"]) for r in export["access_records"])
    shown.update((m["record"], m["id"]) for m in export["mentions"])

    holding = {
        (label, pk) for label, pk, _field, _text in traces((NAME, ADDRESS, EMAIL, *PHONE_SPELLINGS))
    }

    # The export's own access record (written as it answers) is the only one it cannot show.
    assert holding - shown <= {
        ("core.AccessRecord", r.pk) for r in AccessRecord.objects.filter(kind="privacy_export")
    }
    assert len(holding) > 20
