"""Demo data: a small, realistic Chinese service network. Idempotent: run it as often as you like.

One module per subject: `network` (calendars, centers, staff), `customers` (the catalog,
customers and their units), `cases` (requests and complaints), `workshop` (fee standards, parts,
loaners, carry-in jobs) and `field` (skills, leave, van stock, on-site visits).
"""

import random
from collections.abc import Callable

from django.db import transaction

from aftersales.shell.demo.cases import load_complaints, load_requests
from aftersales.shell.demo.customers import load_customers_and_units
from aftersales.shell.demo.field import load_field
from aftersales.shell.demo.network import DEMO_PASSWORD, load_network
from aftersales.shell.demo.workshop import load_workshop


@transaction.atomic
def load_demo(customers: int = 200, units: int = 300) -> list[tuple[str, str, str]]:
    """Load (or top up) the demo network and return the demo logins (username, role, center)."""
    rng = random.Random(20261123)  # fixed seed: the same names and numbers on every machine
    logins = load_network()
    load_customers_and_units(rng, customers=customers, units=units)
    load_requests()
    load_workshop()
    load_field()
    load_complaints()
    return logins


def print_logins(
    logins: list[tuple[str, str, str]], write: Callable[[str], object] = print
) -> None:
    write(f"演示账号 Demo logins (password / 密码: {DEMO_PASSWORD}):")
    for username, role, center in logins:
        write(f"  {username:<12} {role:<15} {center}")
