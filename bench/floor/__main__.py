"""`python -m bench.floor prepare ROWS` | `python -m bench.floor serve HOST:PORT` (bench.floor)."""

import os
import sys


def prepare(rows: int) -> None:
    """Create and migrate the floor's database, then make it hold exactly `rows` rows: top up
    what is missing, delete what earlier runs' requests added."""
    from django.db import connection
    from django.utils import timezone

    from bench.database import ensure_database
    from bench.floor.models import Intake

    ensure_database()
    have = Intake.objects.count()
    if have > rows:
        last = Intake.objects.order_by("pk").values_list("pk", flat=True)[rows - 1] if rows else 0
        Intake.objects.filter(pk__gt=last).delete()
    now = timezone.now()
    for start in range(min(have, rows), rows, 10_000):
        Intake.objects.bulk_create(
            Intake(
                kind="repair",
                channel="hotline",
                customer_id=k + 1,
                serial=f"{86412305000000 + k:015d}",
                summary="屏幕碎裂，触摸失灵",
                priority="normal",
                problem_class="display",
                created_at=now,
            )
            for k in range(start, min(start + 10_000, rows))
        )
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(Intake._meta.db_table)
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else f"ANALYZE {table}")


def main(argv: list[str]) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.floor.settings"
    import django

    django.setup()
    if len(argv) == 2 and argv[0] == "prepare":
        prepare(int(argv[1]))
        return 0
    if len(argv) == 2 and argv[0] == "serve":
        from django.core.management import call_command

        from aftersales.shell.management.commands.serve import Command

        call_command(Command(), argv[1])  # the application's own server, on the floor's URLs
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
