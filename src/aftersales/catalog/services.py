"""The only code that changes categories, models and units."""

import itertools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from aftersales.catalog import rules
from aftersales.catalog.importing import (
    Row,
    RowError,
    error_column,
    errors_for,
    parse_row,
    read_file,
)
from aftersales.catalog.models import REPAIRED, Category, ImportJob, ProductModel, Unit
from aftersales.catalog.rules import normalize_serial
from aftersales.core.errors import DomainError, Duplicate, InvalidInput
from aftersales.core.services import record_event
from aftersales.customers.models import Customer
from aftersales.customers.services import customer_create

UNIT_FIELDS = (
    "invoice_date",
    "invoice_no",
    "seller",
    "price",
    "activation_date",
    "manufacture_date",
)


@transaction.atomic
def category_ensure(*, code: str, name: str) -> Category:
    """The category with this code, created if missing (idempotent: demo data and migrations)."""
    category, _created = Category.objects.get_or_create(code=code, defaults={"name": name})
    return category


def model_create(
    *,
    by: User | None,
    code: str,
    name: str,
    brand: str,
    category: str,
    policy: str | None = None,
) -> ProductModel:
    """Register a product model in a known category; its code is unique."""
    found = Category.objects.filter(code=category).first()
    if found is None:
        raise InvalidInput.field("category", _("Unknown category %(code)s.") % {"code": category})
    for field, value in (("code", code), ("name", name), ("brand", brand)):
        if not value.strip():
            raise InvalidInput.field(field, _("This field is required."))
    try:
        with transaction.atomic():
            model = ProductModel.objects.create(
                code=code.strip(),
                name=name.strip(),
                brand=brand.strip(),
                category=found,
                policy_code=policy or "",
            )
            record_event(subject=model, action="created", actor=by)
    except IntegrityError as exc:
        existing = ProductModel.objects.get(code=code.strip())
        raise Duplicate(
            _("A model with this code already exists."), details={"code": existing.code}
        ) from exc
    return model


def check_unit_facts(purchase_date: date | None, fields: dict[str, Any]) -> None:
    """Refuse dates in the future and negative prices (InvalidInput naming the field)."""
    today = timezone.localdate()
    for name, value in (
        ("purchase_date", purchase_date),
        *((k, fields.get(k)) for k in ("invoice_date", "activation_date", "manufacture_date")),
    ):
        if value is not None and value > today:
            raise InvalidInput.field(name, _("This date is in the future."))
    price = fields.get("price")
    if price is not None and Decimal(price) < 0:
        raise InvalidInput.field("price", _("The price cannot be negative."))


def unit_register(
    *,
    by: User | None,
    serial: str,
    model: str,
    customer_id: int | None,
    purchase_date: date | None,
    **fields: Any,
) -> Unit:
    """Register a customer's unit by its serial/IMEI (unique, never reused)."""
    serial = normalize_serial(serial)
    if not serial:
        raise InvalidInput.field("serial", _("The serial number is required."))
    product = ProductModel.objects.filter(code=model).first()
    if product is None:
        raise InvalidInput.field("model", _("Unknown model %(code)s.") % {"code": model})
    customer = None
    if customer_id is not None:
        customer = Customer.objects.filter(pk=customer_id).first()
        if customer is None:
            raise InvalidInput.field("customer_id", _("No customer with this id."))
    fields = {k: v for k, v in fields.items() if k in UNIT_FIELDS and v is not None}
    check_unit_facts(purchase_date, fields)
    if Unit.objects.filter(serial=serial).exists():
        raise Duplicate(
            _("A unit with this serial is already registered."), details={"serial": serial}
        )
    try:
        with transaction.atomic():
            unit = Unit.objects.create(
                serial=serial,
                model=product,
                customer=customer,
                purchase_date=purchase_date,
                invoice_date=fields.pop("invoice_date", None) or purchase_date,
                **fields,
            )
            record_event(subject=unit, action="created", actor=by)
    except IntegrityError as exc:
        raise Duplicate(
            _("A unit with this serial is already registered."), details={"serial": serial}
        ) from exc
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, by: User | None, **changes: Any) -> Unit:
    """Correct a unit's registration (owner, model, sale facts). Status and the warranty counters
    are not edited here: the work orders and complaints that change them have their own services."""
    editable = {"model", "customer", "purchase_date", *UNIT_FIELDS}
    changes = {k: v for k, v in changes.items() if k in editable}
    if unit.status in RETIRED and changes:
        raise DomainError(
            _("Unit %(serial)s was %(status)s: it can never be sold or registered again.")
            % {"serial": unit.serial, "status": unit.get_status_display()},
            code="unit_retired",
        )
    check_unit_facts(changes.get("purchase_date"), changes)
    for key, value in changes.items():
        setattr(unit, key, value)
    unit.save(update_fields=list(changes) or None)
    record_event(subject=unit, action="updated", actor=by, data={"fields": sorted(changes)})
    return unit


# --- Importing customers and units from a file (docs/import.md) --------------------------------


@dataclass
class ImportResult:
    """What an import did, or (rolled back) would have done."""

    committed: bool = False
    rows_imported: int = 0
    error_rows: int = 0
    errors: list[RowError] = dataclass_field(default_factory=list)
    customers_created: int = 0
    customers_reused: int = 0
    units_created: int = 0


@dataclass
class _Run:
    """What the rows of one import share: the model codes, and the customers made or matched."""

    codes: set[str]
    created: set[int] = dataclass_field(default_factory=set)
    reused: set[int] = dataclass_field(default_factory=set)
    units: int = 0

    def model_code(self, code: str) -> str:
        """The registered code meant: `code` itself, else one that differs only in case (xh-p50)."""
        if code in self.codes:
            return code
        return next((c for c in self.codes if c.casefold() == code.casefold()), code)


class _RollBack(Exception):
    """Raised inside an atomic block to undo it: a bad row, a trial run, a strict import with errors."""


def import_rows(
    *,
    by: User | None,
    rows: Sequence[Row],
    labels: Mapping[str, str],
    mode: str = rules.STRICT,
    dry_run: bool = False,
    progress: Callable[[int, int], object] | None = None,
) -> ImportResult:
    """Import customers (matched by phone) and their units from file rows, in one transaction.

    Each row runs in a savepoint through `customer_create` and `unit_register`, so it is checked by
    exactly the rules of every other channel and a bad row leaves nothing behind; every error of
    every row is collected. Then `dry_run` rolls everything back (that is the validation),
    `strict` rolls everything back if any row failed, `good_rows_only` keeps the good rows.
    A phone already on file reuses that customer as it is: the row's customer columns are ignored.
    """
    if mode not in rules.MODES:
        raise InvalidInput.field("mode", _("Unknown import mode %(mode)s.") % {"mode": mode})
    run = _Run(codes=set(ProductModel.objects.values_list("code", flat=True)))
    result = ImportResult()
    try:
        with transaction.atomic():
            for done, row in enumerate(rows, start=1):
                errors = _import_row(by=by, row=row, run=run)
                if errors:
                    result.error_rows += 1
                    result.errors.extend(errors_for(row.number, errors, dict(labels)))
                else:
                    result.rows_imported += 1
                if progress is not None:
                    progress(done, len(rows))
            result.customers_created, result.customers_reused = len(run.created), len(run.reused)
            result.units_created = run.units
            if dry_run or not result.rows_imported or (mode == rules.STRICT and result.error_rows):
                raise _RollBack
            result.committed = True
    except _RollBack:
        pass
    return result


def _import_row(*, by: User | None, row: Row, run: _Run) -> dict[str, str]:
    """Import one row in a savepoint; its errors (column → message), empty when it went in."""
    parsed = parse_row(row)
    errors: dict[str, str] = {}
    try:
        with transaction.atomic():
            phone = parsed.customer.get("phone")
            customer = Customer.objects.filter(phone=phone).first() if phone else None
            is_new = customer is None
            if customer is None:
                errors.update(parsed.customer_errors)
                if not errors:
                    try:
                        customer = customer_create(by=by, **parsed.customer)
                    except DomainError as exc:
                        errors[error_column(exc, "phone")] = exc.message
            if parsed.unit is not None:
                errors.update(parsed.unit_errors)
                # Only cells that could be read go to the service; without serial or model it
                # has nothing to check.
                unit = {k: v for k, v in parsed.unit.items() if k not in parsed.unit_errors}
                if "serial" in unit and "model" in unit:
                    try:
                        unit_register(
                            by=by,
                            serial=unit.pop("serial"),
                            model=run.model_code(unit.pop("model")),
                            customer_id=customer.pk if customer is not None else None,
                            purchase_date=unit.pop("purchase_date", None),
                            **unit,
                        )
                    except DomainError as exc:
                        errors.setdefault(error_column(exc, "serial"), exc.message)
            if errors:
                raise _RollBack
    except _RollBack:
        return errors
    assert customer is not None
    if is_new:
        run.created.add(customer.pk)
    elif customer.pk not in run.created:
        run.reused.add(customer.pk)
    run.units += parsed.unit is not None
    return {}


def import_job_start(*, by: User, upload: IO[bytes], filename: str) -> ImportJob:
    """Read an uploaded CSV/XLSX file and open its import job; InvalidInput if the file is unusable.

    The rows are read once, here, and kept as JSON lines beside the file, so that each poll of the
    page validates its slice without reading the workbook again.
    """
    source = read_file(upload)
    upload.seek(0)
    lines = "\n".join(row.to_json() for row in source.rows) + "\n"
    with transaction.atomic():
        job = ImportJob(
            created_by=by,
            filename=filename[-255:],
            columns=source.labels,
            ignored_columns=list(source.ignored),
            total_rows=len(source.rows),
        )
        job.file.save(filename, upload, save=False)
        job.rows_file.save("rows.jsonl", ContentFile(lines.encode()), save=False)
        job.save()
        record_event(
            subject=job,
            action="created",
            actor=by,
            data={"filename": job.filename, "rows": job.total_rows},
        )
    return job


def _job_rows(job: ImportJob, start: int = 0, count: int | None = None) -> list[Row]:
    """Rows `start`… of the job's working copy; none if it cannot be read (then the job fails)."""
    end = None if count is None else start + count
    try:
        with job.rows_file.open("rb") as lines:
            return [Row.from_json(line) for line in itertools.islice(lines, start, end)]
    except (OSError, ValueError):  # gone (a cleaned media folder), or no file at all
        return []


TRIAL_BATCH = 50  # rows per trial transaction: short, so other writers (SQLite) wait little


def import_job_validate_next(
    *, job: ImportJob, by: User, max_rows: int = 500, seconds: float = 1.0
) -> ImportJob:
    """Validate the job's next rows, for about `seconds`, by trial imports that are rolled back.

    The page calls this on every poll, so validation needs no background worker, and the time
    budget keeps each poll short on a slow machine while a fast one takes `max_rows` at a time.
    Two polls of the same rows (two open tabs) cannot both count: the progress moves on by a
    conditional update.
    """
    if job.status != ImportJob.Status.VALIDATING:
        return job
    start = job.validated_rows
    deadline = time.monotonic() + seconds
    rows = _job_rows(job, start, max_rows)
    if not rows:  # the working copy is gone or short: nothing more can be checked
        return _fail(job, by)
    checked, error_rows, errors = 0, 0, list(job.errors)
    for first in range(0, len(rows), TRIAL_BATCH):
        batch = rows[first : first + TRIAL_BATCH]
        result = import_rows(by=by, rows=batch, labels=job.columns, dry_run=True)
        checked += len(batch)
        error_rows += result.error_rows
        errors.extend(e.as_dict() for e in result.errors)
        if time.monotonic() >= deadline:
            break
    done = start + checked >= job.total_rows
    with transaction.atomic():
        claimed = ImportJob.objects.filter(
            pk=job.pk, status=ImportJob.Status.VALIDATING, validated_rows=start
        ).update(
            validated_rows=start + checked,
            error_rows=F("error_rows") + error_rows,
            errors=errors[: ImportJob.MAX_STORED_ERRORS],
            status=ImportJob.Status.VALIDATED if done else ImportJob.Status.VALIDATING,
        )
        job.refresh_from_db()
        if claimed and done:
            record_event(
                subject=job, action="validated", actor=by, data={"error_rows": job.error_rows}
            )
    return job


def _fail(job: ImportJob, by: User) -> ImportJob:
    """The job's rows cannot be read any more (the media folder was cleaned): it cannot go on."""
    with transaction.atomic():
        claimed = ImportJob.objects.filter(
            pk=job.pk, status__in=(ImportJob.Status.VALIDATING, ImportJob.Status.VALIDATED)
        ).update(status=ImportJob.Status.FAILED, finished_at=timezone.now())
        job.refresh_from_db()
        if claimed:
            record_event(subject=job, action="failed", actor=by)
    return job


def import_job_run(*, job: ImportJob, by: User, mode: str) -> ImportJob:
    """Import a validated job's rows in one transaction: all of them, or only the good ones.

    `strict` is refused while the file has errors; `good_rows_only` is the user's explicit
    confirmation to leave the bad rows out. Rows are checked again as they go in: if the data
    changed since the validation, the job's errors say so (and `strict` imports nothing).
    """
    if mode not in rules.MODES:
        raise InvalidInput.field("mode", _("Unknown import mode %(mode)s.") % {"mode": mode})
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportJob.Status.VALIDATED:
            raise DomainError(
                _("This import cannot be run now (status: %(status)s).")
                % {"status": job.get_status_display()}
            )
        if mode == rules.STRICT and job.error_rows:
            raise DomainError(
                _(
                    "The file has errors: correct them and upload it again, or import only the good rows."
                )
            )
        if not job.good_rows:
            raise DomainError(_("No row of this file can be imported."))
        rows = _job_rows(job)
        if rows:
            _import_job_rows(job=job, by=by, rows=rows, mode=mode)
    return job if rows else _fail(job, by)


def _import_job_rows(*, job: ImportJob, by: User, rows: list[Row], mode: str) -> None:
    result = import_rows(by=by, rows=rows, labels=job.columns, mode=mode)
    job.error_rows = result.error_rows
    job.errors = [e.as_dict() for e in result.errors[: ImportJob.MAX_STORED_ERRORS]]
    if result.committed:
        job.status = ImportJob.Status.IMPORTED
        job.mode = mode
        job.finished_at = timezone.now()
        job.rows_imported = result.rows_imported
        job.customers_created = result.customers_created
        job.customers_reused = result.customers_reused
        job.units_created = result.units_created
        _drop_rows_file(job)
    job.save()
    if result.committed:
        record_event(
            subject=job,
            action="imported",
            actor=by,
            data={
                "mode": mode,
                "rows": job.rows_imported,
                "customers_created": job.customers_created,
                "customers_reused": job.customers_reused,
                "units_created": job.units_created,
            },
        )


def import_job_cancel(*, job: ImportJob, by: User) -> ImportJob:
    """Give up an import that has not run; its file stays for the record, its rows are dropped."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in (ImportJob.Status.VALIDATING, ImportJob.Status.VALIDATED):
            raise DomainError(
                _("This import cannot be discarded now (status: %(status)s).")
                % {"status": job.get_status_display()}
            )
        job.status = ImportJob.Status.CANCELLED
        job.finished_at = timezone.now()
        _drop_rows_file(job)
        job.save()
        record_event(subject=job, action="cancelled", actor=by)
    return job


def _drop_rows_file(job: ImportJob) -> None:
    """Forget the job's rows (they were only needed until the import ran), once the change commits."""
    if job.rows_file:
        storage, name = job.rows_file.storage, job.rows_file.name
        transaction.on_commit(lambda: storage.delete(name))
        job.rows_file = ""  # type: ignore[assignment]


# --- Changes made by the repair work (work orders call these) ----------------------------------

RETIRED = frozenset({Unit.Status.RETURNED_FAULTY, Unit.Status.EXCHANGED})


@transaction.atomic
def unit_set_status(*, unit: Unit, status: str, by: User | None, note: str = "") -> Unit:
    """In service, back in use, exchanged or returned faulty. A retired serial (exchanged or
    returned) stays retired: it can never be sold or put back in use."""
    if unit.status in RETIRED and status != unit.status:
        raise DomainError(
            _("Unit %(serial)s was %(status)s: its serial can never be used again.")
            % {"serial": unit.serial, "status": unit.get_status_display()},
            code="unit_retired",
        )
    previous = unit.status
    unit.status = status
    unit.save(update_fields=["status"])
    record_event(
        subject=unit, action="status", actor=by, note=note, data={"from": previous, "to": status}
    )
    return unit


@transaction.atomic
def unit_add_repair_days(*, unit: Unit, days: int, by: User | None, note: str = "") -> Unit:
    """Days in repair inside the warranty period extend it (修理占用和待修时间)."""
    Unit.objects.filter(pk=unit.pk).update(repair_days=F("repair_days") + days)
    unit.refresh_from_db(fields=["repair_days"])
    record_event(subject=unit, action="repair_days", actor=by, note=note, data={"days": days})
    return unit


def unit_repaired(
    *, unit: Unit, by: User | None, work_order: str, fault_code: str, at: datetime
) -> None:
    """A job on the unit was handed over repaired: the unit's timeline keeps it, so the 三包
    decision counts earlier repairs without reading work orders (catalog.selectors)."""
    record_event(
        subject=unit,
        action=REPAIRED,
        actor=by,
        note=work_order,
        data={"work_order": work_order, "fault_code": fault_code},
        at=at,
    )


def unit_add_goodwill_days(*, unit: Unit, days: int, by: User | None, note: str = "") -> Unit:
    """A settled complaint's warranty extension: goodwill days extend the period only."""
    Unit.objects.filter(pk=unit.pk).update(goodwill_days=F("goodwill_days") + days)
    unit.refresh_from_db(fields=["goodwill_days"])
    record_event(subject=unit, action="goodwill_days", actor=by, note=note, data={"days": days})
    return unit
