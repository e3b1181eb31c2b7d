"""`aftersales privacy export --phone P [--out FILE]` and `aftersales privacy erase --phone P
--by USERNAME [--force]` (CONTRACT.md "Commands")."""

import json
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.core import xlsx
from aftersales.core.errors import DomainError
from aftersales.customers.models import Customer
from aftersales.customers.selectors import customers_by_phone
from aftersales.privacy import exporting, services


class Command(BaseCommand):
    help = "Export everything held about one person, or erase their name, phone and address."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="everything held about one person")
        export.add_argument("--phone", required=True, help="their phone, in any common spelling")
        export.add_argument(
            "--out", help="a file: .xlsx for a workbook, else JSON (default: stdout)"
        )
        export.add_argument("--by", help="the administrator asking (for the access record)")
        erase = actions.add_parser("erase", help="erase one person's name, phone and address")
        erase.add_argument("--phone", required=True, help="their phone, in any common spelling")
        erase.add_argument("--by", required=True, help="the administrator erasing it")
        erase.add_argument("--force", action="store_true", help="erase while a case is open")

    def handle(self, *args: Any, **options: Any) -> None:
        customer = self._customer(options["phone"])
        try:
            if options["action"] == "export":
                self._export(customer, options)
            else:
                self._erase(customer, options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _customer(self, phone: str) -> Customer:
        customer = customers_by_phone(phone).first()
        if customer is None:
            raise CommandError(_("No customer with the phone %(phone)s.") % {"phone": phone})
        return customer

    def _admin(self, username: str | None) -> User | None:
        if username is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No user %(username)s.") % {"username": username})
        return services.require_admin(user)

    def _export(self, customer: Customer, options: dict[str, Any]) -> None:
        export = services.customer_export(customer=customer, by=self._admin(options["by"]))
        out = options["out"]
        if out and out.lower().endswith(".xlsx"):
            xlsx.write(out, exporting.sheets(export))
        else:
            text = json.dumps(export, ensure_ascii=False, indent=2)
            if out:
                Path(out).write_text(text + "\n", encoding="utf-8")
            else:
                self.stdout.write(text)
        if out:
            self.stderr.write(
                _("Exported customer %(id)s to %(file)s.") % {"id": customer.pk, "file": out}
            )

    def _erase(self, customer: Customer, options: dict[str, Any]) -> None:
        by = self._admin(options["by"])
        assert by is not None
        erased = services.customer_erase(customer=customer, by=by, force=options["force"])
        changed = sum(erased["rows_changed"].values())
        self.stdout.write(
            _("Erased customer %(id)s (%(rows)s rows rewritten) by %(by)s at %(at)s.")
            % {
                "id": erased["id"],
                "rows": changed,
                "by": erased["erased_by"],
                "at": f"{timezone.localtime(erased['erased_at']):%Y-%m-%d %H:%M:%S %z}",
            }
        )
