"""The only code that changes work orders; this package's public face, which callers import
(`from aftersales.workorders import services`). Each action: one transaction, one event on the
work order (the request's timeline shows it under the action's name with the work order's
number). `acting` holds the one dispatcher, `work_order_act`, and its tables; each action's
parser and applier live in a module by subject (`visits`, `intake`, `remedies`, `diagnosis`,
`quotes`, `parts`, `repair`, `hand_over`, `loaners`, `lifecycle`); `payload` reads payloads,
`outcomes` holds `Effect` and the guards' messages, `decision` the 三包 check and repeat repairs,
`people` centers and technicians; `creation`, `photos` and `stock` (counts, discrepancies) hold
the services outside the table; `privacy` a privacy erase's part (decision 70).
"""

from aftersales.workorders.services.acting import (
    work_order_act,
    work_order_assign_and_book,
    work_order_finish_on_site,
)
from aftersales.workorders.services.creation import work_order_assign_at_creation, work_order_create
from aftersales.workorders.services.decision import work_orders_check_delays
from aftersales.workorders.services.outcomes import GUARD_MESSAGES
from aftersales.workorders.services.people import work_orders_hand_over
from aftersales.workorders.services.photos import photo_add
from aftersales.workorders.services.privacy import work_orders_privacy_erase
from aftersales.workorders.services.stock import (
    may_reconcile,
    stock_count,
    stock_discrepancy_resolve,
)

__all__ = [
    "GUARD_MESSAGES",
    "may_reconcile",
    "photo_add",
    "stock_count",
    "stock_discrepancy_resolve",
    "work_order_act",
    "work_order_assign_and_book",
    "work_order_assign_at_creation",
    "work_order_create",
    "work_order_finish_on_site",
    "work_orders_check_delays",
    "work_orders_hand_over",
    "work_orders_privacy_erase",
]
