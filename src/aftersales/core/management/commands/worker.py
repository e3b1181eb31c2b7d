from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run background tasks until stopped (the timer sweep joins it with the follow-ups issue)."
    )

    def handle(self, *args: object, **options: object) -> None:
        call_command("db_worker")
