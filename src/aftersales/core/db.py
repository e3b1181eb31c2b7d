"""Query helpers that keep the same meaning, and an index, on SQLite and PostgreSQL."""

from django.db import connection
from django.db.models import Q


def starts_with(field: str, prefix: str) -> Q:
    """`field` starts with `prefix`, answered from an index on every database.

    SQLite's LIKE ignores ASCII case and so cannot use an ordinary index: the added range lets it
    search the index (and makes the match case-sensitive, as on PostgreSQL).
    """
    condition = Q(**{f"{field}__startswith": prefix})
    if connection.vendor == "sqlite":
        condition &= Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})
    return condition
