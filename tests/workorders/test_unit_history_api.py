"""What the unit remembers of its jobs: the service history and the failed repairs it counts."""

from tests.factories import CenterFactory
from tests.workorders.conftest import ok, to_ready_paid


def test_a_handed_over_job_shows_in_the_units_history_and_counts_as_a_repair(
    api_as, bought, open_job
):
    desk = api_as("front_desk", "desk")
    unit = bought(days_ago=400)
    _, wo = open_job(desk, unit)
    to_ready_paid(desk, wo)
    ok(
        desk,
        wo,
        "hand_over",
        rating=4,
        payment={"amount": "280.00", "method": "cash"},
        no_signature_reason="客户口头确认",
    )

    seen = desk.get(f"/units/{unit.serial}").json()

    assert [(h["work_order"], h["outcome"], h["fault_code"]) for h in seen["history"]] == [
        (wo, "repaired", "SCREEN")
    ]
    assert seen["warranty"]["failed_repairs"] == 1


def test_a_front_desk_cannot_open_a_job_for_another_center(api_as, bought, open_job):
    CenterFactory(code="sz")
    desk = api_as("front_desk", "desk")
    unit = bought(days_ago=30)
    ticket = desk.post(
        "/tickets",
        {
            "kind": "repair",
            "channel": "walk_in",
            "customer_id": unit.customer_id,
            "serial": unit.serial,
            "summary": "不开机",
        },
    ).json()["number"]

    answer = desk.post(f"/tickets/{ticket}/work-orders", {"mode": "carry_in", "center": "sz"})

    assert answer.status_code == 403 and answer.json()["error"]["code"] == "forbidden"
