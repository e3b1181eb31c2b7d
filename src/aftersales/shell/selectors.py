"""Reads of the shell: what the search box finds across customers and the catalog."""

from typing import Any

from aftersales.catalog.selectors import unit_search
from aftersales.customers.selectors import customer_search, customers_by_phone


def global_search(query: str, limit: int = 8) -> dict[str, list[Any]]:
    """What the search box finds: customers by name or phone (any spelling), units by serial.

    Requests and work orders are not searched here: the requests console's search
    (`tickets.selectors.ticket_search`) finds a request by its number.
    """
    if not query:
        return {"customers": [], "units": []}
    customers = list(customers_by_phone(query)) or list(
        customer_search(query).order_by("name")[:limit]
    )
    units = list(unit_search(query).order_by("serial")[:limit])
    return {"customers": customers, "units": units}
