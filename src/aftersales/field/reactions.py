"""What field service does after the lower apps' timeline events (core.reactions)."""

from typing import Any

from aftersales.core.reactions import on
from aftersales.field.suggestions import automatic_pick
from aftersales.workorders.services import work_order_assign_at_creation


@on("workorders.workorder", "created")
def assign_automatically(event: Any, work_order: Any) -> None:
    """A job opened with nobody on it goes, in the same step, to the best suggestion whose home
    center assigns new jobs automatically (`automatic_pick`); a revisit waits for the dispatcher
    (CONTRACT.md "Follow-ups"). Runs before the notifications' reactions to the same event."""
    if work_order.technician_id is not None or "revisit_of" in event.data:
        return
    picked = automatic_pick(work_order)
    if picked is None:
        return
    technician, suggestion = picked
    work_order_assign_at_creation(
        work_order=work_order,
        created=event,
        technician=technician,
        reasons=[r.code for r in suggestion.reasons],
    )
