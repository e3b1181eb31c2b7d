from django.core.management.base import BaseCommand, CommandError, CommandParser

from aftersales.core.errors import DomainError
from aftersales.core.roles import ROLES
from aftersales.dispatch.services import staff_upsert


class Command(BaseCommand):
    help = "Create or update a staff user with one role (and optionally a service center)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--password", required=True)
        parser.add_argument("--center", default=None, help="service center code")
        parser.add_argument("--name", default="", help="the person's name as shown in the UI")

    def handle(self, *args: object, **options: str) -> None:
        try:
            user = staff_upsert(
                username=options["username"],
                role=options["role"],
                password=options["password"],
                center_code=options["center"],
                name=options["name"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"{user.username}: {options['role']}"))
