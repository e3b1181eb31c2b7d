from django.core.management.base import BaseCommand

from aftersales.shell.demo import load_demo, print_logins


class Command(BaseCommand):
    help = "Load the demo service network, customers and units (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        logins = load_demo()
        print_logins(logins, self.stdout.write)
