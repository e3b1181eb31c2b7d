"""The only code that changes categories, models and units."""

import itertools
import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, timedelta
from functools import partial
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F, Q
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
from aftersales.catalog.models import (
    REPAIRED,
    Category,
    FaultCode,
    ImportedCustomer,
    ImportJob,
    ProductModel,
    Unit,
)
from aftersales.catalog.rules import normalize_serial
from aftersales.core.errors import DomainError, Duplicate, InvalidInput
from aftersales.core.payloads import Day, Money, read_value
from aftersales.core.redaction import Redactor, rewrite
from aftersales.core.services import record_event
from aftersales.customers.models import Customer
from aftersales.customers.services import customer_create

OTHER_FAULT_NAME = "其他"
OTHER_FAULT_POSITION = 999  # last in the list

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
    fault_other_ensure(category=category)
    return category


def fault_other_ensure(*, category: Category) -> FaultCode:
    """The category's "other" symptom (`OTHER`), created if missing: what the tree does not name
    is counted under it (idempotent; the category's creation, the admin and the import call it)."""
    other, _created = FaultCode.objects.get_or_create(
        category=category,
        code=rules.OTHER_FAULT,
        defaults={"name": OTHER_FAULT_NAME, "position": OTHER_FAULT_POSITION},
    )
    return other


@dataclass(frozen=True)
class FaultImport:
    created: int
    updated: int


@transaction.atomic
def fault_codes_import(*, by: User | None, rows: Sequence[Row]) -> FaultImport:
    """Add or update fault codes from a sheet's rows (catalog.importing.read_fault_codes), by
    category and code; symptoms first, then the causes naming them. All or nothing: any row in
    error imports no row (InvalidInput, `details.rows`: [{"row", "column", "message"}]). One
    `fault_codes_imported` event per category changed."""
    categories = {
        c.code: c
        for c in Category.objects.filter(
            code__in={r.values.get("category", "").strip() for r in rows}
        )
    }
    errors: list[RowError] = []
    parsed: list[tuple[int, Category, str, dict[str, Any], str]] = []
    seen: set[tuple[int, str]] = set()
    for row in rows:
        v = row.values
        category = categories.get(v.get("category", "").strip())
        code = rules.normalize_fault_code(v.get("code", ""))
        parent = rules.normalize_fault_code(v.get("parent", ""))
        fields: dict[str, Any] = {"name": v.get("name", "").strip()}
        problems: dict[str, str] = {}
        if category is None:
            problems["category"] = _("Unknown category %(code)s.") % {"code": v.get("category", "")}
        if not re.fullmatch(rules.FAULT_CODE_PATTERN, code) or len(code) > 40:
            problems["code"] = _("Capital letters, digits, and . _ - only (e.g. NO_POWER.BATTERY).")
        if not fields["name"] or len(fields["name"]) > 100:
            problems["name"] = _("A name of at most 100 characters is required.")
        if parent and code == rules.OTHER_FAULT:
            problems["parent"] = _("The “other” symptom has no symptom above it.")
        try:
            fields["active"] = rules.parse_active(v.get("active", ""))
        except ValueError as exc:
            problems["active"] = str(exc)
        if v.get("position", "").strip():
            if not v["position"].strip().isdigit() or int(v["position"]) > 32767:
                problems["position"] = _("A whole number from 0.")
            else:
                fields["position"] = int(v["position"])
        if category is not None and (category.pk, code) in seen:
            problems["code"] = _("This code is in the file twice.")
        if problems:
            errors += [
                RowError(row.number, column, message) for column, message in problems.items()
            ]
            continue
        assert category is not None
        seen.add((category.pk, code))
        parsed.append((row.number, category, code, fields, parent))
    existing = {
        (f.category_id, f.code): f
        for f in FaultCode.objects.filter(category__in=categories.values()).select_related("parent")
    }
    # Each code's parent once the file is in: the file's word, else what is stored.
    parent_after = {key: (f.parent.code if f.parent else "") for key, f in existing.items()}
    parent_after |= {(c.pk, code): parent for _n, c, code, _f, parent in parsed}
    has_causes = {(c, p) for (c, _code), p in parent_after.items() if p}
    for number, category, code, _fields, parent in parsed:
        if parent and parent_after.get((category.pk, parent), "-") != "":
            message = _("%(code)s is not a symptom of this category.") % {"code": parent}
            errors.append(RowError(number, "parent", message))
        elif parent and (category.pk, code) in has_causes:
            message = _("This symptom has causes; it cannot become one.")
            errors.append(RowError(number, "parent", message))
    if errors:
        count = len({e.row for e in errors})
        raise InvalidInput(
            _("%(count)d rows have errors; nothing was imported.") % {"count": count},
            details={"rows": [e.as_dict() for e in sorted(errors, key=lambda e: e.row)]},
        )
    counts: dict[int, Counter[str]] = {}
    for _number, category, code, fields, parent in sorted(parsed, key=lambda p: bool(p[4])):
        fields["parent"] = existing[(category.pk, parent)] if parent else None
        node = existing.get((category.pk, code))
        if node is None:
            existing[(category.pk, code)] = FaultCode.objects.create(
                category=category, code=code, **fields
            )
            counts.setdefault(category.pk, Counter())["created"] += 1
        elif any(getattr(node, k) != value for k, value in fields.items()):
            for k, value in fields.items():
                setattr(node, k, value)
            node.save()
            counts.setdefault(category.pk, Counter())["updated"] += 1
    for category_id, counted in counts.items():
        category = next(c for c in categories.values() if c.pk == category_id)
        fault_other_ensure(category=category)
        record_event(subject=category, action="fault_codes_imported", actor=by, data=dict(counted))
    created = sum(c["created"] for c in counts.values())
    updated = sum(c["updated"] for c in counts.values())
    return FaultImport(created=created, updated=updated)


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
    """Refuse dates outside the years a date may take or in the future, and a price that is not
    an amount (core.payloads' bounds), with InvalidInput naming the field: for the API, the
    admin and the import alike."""
    today = timezone.localdate()
    for name, value in (
        ("purchase_date", purchase_date),
        *((k, fields.get(k)) for k in ("invoice_date", "activation_date", "manufacture_date")),
    ):
        if value is not None and read_value(Day, name, value) > today:
            raise InvalidInput.field(name, _("This date is in the future."))
    if fields.get("price") is not None:
        read_value(Money, "price", fields["price"])


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

# Rows are imported in batches, each its own transaction: at most BATCH_ROWS rows and about
# BATCH_SECONDS, so that the other writers (the desk, the worker) wait about a second at most —
# SQLite locks the whole database while one transaction writes (decision 58).
BATCH_ROWS = 200
BATCH_SECONDS = 1.0
# Between two batches on SQLite: longer than a waiting writer sleeps between two tries (100 ms),
# so it gets the lock before the next batch takes it again.
SQLITE_PAUSE = 0.15
# A background task imports for about this long, then queues its continuation: other tasks (the
# customers' messages) run in between, and a worker asked to stop waits at most this.
SLICE_SECONDS = 10.0
# A runner that renewed its lease this long ago died (a killed worker): the sweep hands its
# import to a new one, which goes on after the last committed batch.
LEASE = timedelta(minutes=2)
# Imports of at most this many rows run in the request that confirms them; larger ones in the
# background (`aftersales worker`).
INLINE_ROWS = BATCH_ROWS


@dataclass
class ImportResult:
    """What an import did, or (rolled back) would have done."""

    committed: bool = False  # rows went in
    rows_imported: int = 0
    error_rows: int = 0
    errors: list[RowError] = dataclass_field(default_factory=list)
    customers_created: int = 0
    customers_reused: int = 0
    units_created: int = 0
    # A strict import's row that failed although the check passed (the data changed meanwhile):
    # nothing from its batch on was imported, the batches before it were.
    stopped_at: int | None = None


@dataclass
class _Batch:
    """What one batch did, or (rolled back) would have done."""

    rows: int = 0  # rows gone through
    imported: int = 0
    error_rows: int = 0
    errors: list[RowError] = dataclass_field(default_factory=list)
    created: dict[str, int] = dataclass_field(default_factory=dict)  # phone → new customer's id
    used: dict[str, int] = dataclass_field(default_factory=dict)  # phone → existing customer's id
    units: int = 0
    committed: bool = False
    stopped_at: int | None = None


@dataclass
class _Codes:
    """The registered model codes, read once per import."""

    codes: set[str]

    @classmethod
    def read(cls) -> "_Codes":
        return cls(set(ProductModel.objects.values_list("code", flat=True)))

    def model_code(self, code: str) -> str:
        """The registered code meant: `code` itself, else one that differs only in case (xh-p50)."""
        if code in self.codes:
            return code
        return next((c for c in self.codes if c.casefold() == code.casefold()), code)


class _RollBack(Exception):
    """Raised inside an atomic block to undo it: a bad row, a trial run, a strict import's stop."""


def import_rows(
    *,
    by: User | None,
    rows: Sequence[Row],
    labels: Mapping[str, str],
    mode: str = rules.STRICT,
    dry_run: bool = False,
    progress: Callable[[str, int, int], object] | None = None,
) -> ImportResult:
    """Import customers (matched by phone) and their units from file rows, committing in batches
    (`BATCH_ROWS`, `BATCH_SECONDS`): never one long transaction that would hold every other writer.

    Each row runs in a savepoint through `customer_create` and `unit_register`, so it is checked by
    exactly the rules of every other channel and a bad row leaves nothing behind; every error of
    every row is collected. `dry_run` rolls every batch back: that is the validation. `strict`
    first checks every row so (nothing is imported if any has an error), then imports them; a row
    that fails although the check passed (the data changed meanwhile) stops the import there —
    the batches before it stay imported (`stopped_at`). `good_rows_only` imports the good rows and
    leaves the others out. A phone already on file reuses that customer as it is: the row's
    customer columns are ignored. `progress(phase, done, total)`, phase "check" or "import",
    follows each row.
    """
    if mode not in rules.MODES:
        raise InvalidInput.field("mode", _("Unknown import mode %(mode)s.") % {"mode": mode})
    codes = _Codes.read()
    if mode == rules.STRICT and not dry_run:
        checked = _import_all(
            by=by, rows=rows, labels=labels, mode=mode, codes=codes, dry_run=True, progress=progress
        )
        if checked.error_rows or not checked.rows_imported:
            return checked
    return _import_all(
        by=by, rows=rows, labels=labels, mode=mode, codes=codes, dry_run=dry_run, progress=progress
    )


def _import_all(
    *,
    by: User | None,
    rows: Sequence[Row],
    labels: Mapping[str, str],
    mode: str,
    codes: _Codes,
    dry_run: bool,
    progress: Callable[[str, int, int], object] | None,
) -> ImportResult:
    result = ImportResult()
    created: set[str] = set()
    used: set[str] = set()
    phase = "check" if dry_run else "import"
    done = 0

    def row_done() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(phase, done, len(rows))

    while done < len(rows):
        if done:
            _pause_between_batches()
        start = done
        batch = _import_batch(
            by=by,
            rows=rows[start:],
            labels=labels,
            mode=mode,
            codes=codes,
            dry_run=dry_run,
            on_row=row_done,
        )
        done = start + batch.rows
        result.errors.extend(batch.errors)
        result.error_rows += batch.error_rows
        if batch.stopped_at is not None:
            result.stopped_at = batch.stopped_at
            break
        result.rows_imported += batch.imported
        result.units_created += batch.units
        result.committed |= batch.committed and batch.imported > 0
        created.update(batch.created)
        used.update(batch.used)
    result.customers_created = len(created)
    result.customers_reused = len(used - created)
    return result


def _import_batch(
    *,
    by: User | None,
    rows: Sequence[Row],
    labels: Mapping[str, str],
    mode: str,
    codes: _Codes,
    dry_run: bool = False,
    before: Callable[[], object] | None = None,
    after: Callable[[_Batch], object] | None = None,
    on_row: Callable[[], object] | None = None,
) -> _Batch:
    """Import the first rows of `rows` in one transaction: at most BATCH_ROWS, for about
    BATCH_SECONDS. `before` and `after` run in the same transaction (a background import checks
    it still holds the job, then records its progress with the rows): an exception from them
    undoes the batch and propagates. A strict import's first failing row rolls the batch back."""
    batch = _Batch()
    deadline = time.monotonic() + BATCH_SECONDS
    try:
        with transaction.atomic():
            if before is not None:
                before()
            for row in rows[:BATCH_ROWS]:
                errors = _import_row(by=by, row=row, codes=codes, batch=batch)
                batch.rows += 1
                if on_row is not None:
                    on_row()
                if errors:
                    batch.error_rows += 1
                    batch.errors.extend(errors_for(row.number, errors, dict(labels)))
                    if mode == rules.STRICT and not dry_run:
                        batch.stopped_at = row.number
                        raise _RollBack
                else:
                    batch.imported += 1
                if time.monotonic() >= deadline:
                    break
            if dry_run:
                raise _RollBack
            if after is not None:
                after(batch)
            batch.committed = True
    except _RollBack:
        pass
    return batch


def _pause_between_batches() -> None:
    """On SQLite, let a writer that waits for the lock take it before the next batch does."""
    if connection.vendor == "sqlite":
        time.sleep(SQLITE_PAUSE)


def _import_row(*, by: User | None, row: Row, codes: _Codes, batch: _Batch) -> dict[str, str]:
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
                            model=codes.model_code(unit.pop("model")),
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
        batch.created[customer.phone] = customer.pk
    elif customer.phone not in batch.created:
        batch.used.setdefault(customer.phone, customer.pk)
    batch.units += parsed.unit is not None
    return {}


def import_job_start(*, by: User, upload: IO[bytes], filename: str) -> ImportJob:
    """Read an uploaded CSV/XLSX file and open its import job; InvalidInput if the file is unusable.

    The rows are read once, here, and kept as JSON lines beside the file, so that each poll of the
    page validates its slice, and each batch of the import reads its rows, without reading the
    workbook again.
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


def _fail(job: ImportJob, by: User | None) -> ImportJob:
    """The job's rows cannot be read any more (the media folder was cleaned): it cannot go on.
    What an import had committed before stays (its counts say what)."""
    with transaction.atomic():
        claimed = ImportJob.objects.filter(
            pk=job.pk,
            status__in=(
                ImportJob.Status.VALIDATING,
                ImportJob.Status.VALIDATED,
                ImportJob.Status.IMPORTING,
            ),
        ).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(), runner="", lease_until=None
        )
        job.refresh_from_db()
        if claimed:
            _count_customers(job)
            job.save(update_fields=["customers_created", "customers_reused"])
            record_event(
                subject=job, action="failed", actor=by, data={"rows_imported": job.rows_imported}
            )
    return job


def import_job_run(*, job: ImportJob, by: User, mode: str) -> ImportJob:
    """Import a validated job's rows — all of them (`strict`) or only the good ones — or go on
    with a stopped job's rows, good rows only.

    `strict` is refused while the file has errors; `good_rows_only` is the user's explicit
    confirmation to leave the bad rows out. The rows are imported in batches, each committed on
    its own: a job of at most INLINE_ROWS rows here, a larger one in the background
    (`import_job_continue`, a task of `aftersales worker`), whose progress the page shows. Rows
    are checked again as they go in: if the data changed since the validation, the job's errors
    say so, and `strict` stops at that row (`stopped`: the batches before it stay imported).
    """
    if mode not in rules.MODES:
        raise InvalidInput.field("mode", _("Unknown import mode %(mode)s.") % {"mode": mode})
    runner = uuid.uuid4().hex
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status == ImportJob.Status.STOPPED:
            if mode != rules.GOOD_ROWS_ONLY:
                raise DomainError(
                    _("This import stopped at a row with errors: it can only go on without them.")
                )
        elif job.status != ImportJob.Status.VALIDATED:
            raise DomainError(
                _("This import cannot be run now (status: %(status)s).")
                % {"status": job.get_status_display()}
            )
        elif mode == rules.STRICT and job.error_rows:
            raise DomainError(
                _(
                    "The file has errors: correct them and upload it again, or import only the good rows."
                )
            )
        elif not job.good_rows:
            raise DomainError(_("No row of this file can be imported."))
        now = timezone.now()
        job.status, job.mode, job.started_by = ImportJob.Status.IMPORTING, mode, by
        job.started_at = job.started_at or now
        job.runner, job.lease_until = runner, now + LEASE
        job.errors, job.error_rows = [], 0  # counted again as the rows go in
        job.save()
        record_event(
            subject=job,
            action="started",
            actor=by,
            data={"mode": mode, "from_row": job.processed_rows},
        )
        background = job.rows_left > INLINE_ROWS
        if background:
            transaction.on_commit(lambda: _enqueue_continuation(job.pk, runner))
    if background:
        return job
    return import_job_continue(job_id=job.pk, runner=runner)


def _enqueue_continuation(job_id: int, runner: str) -> None:
    from aftersales.catalog.tasks import import_job_task

    import_job_task.enqueue(job_id, runner)


class _Lost(Exception):
    """The runner's lease ran out and another runner took the job over: this one stops."""


def import_job_continue(*, job_id: int, runner: str, seconds: float = SLICE_SECONDS) -> ImportJob:
    """Go on importing a job for about `seconds`, batch after batch from its last committed one,
    then queue the rest (the background task of a job; a small job runs it in the request).

    Only the job's runner goes on — the one it was given to, or any once the lease of the one
    before ran out (a killed worker). Each batch checks, in its own transaction, that this runner
    still holds the job and that no batch went in since it read where to start: so two runners
    never both import, and no row is imported twice, whatever is killed when.
    """
    now = timezone.now()
    claimed = (
        ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.IMPORTING)
        .filter(Q(runner=runner) | Q(lease_until__lt=now) | Q(lease_until=None))
        .update(runner=runner, lease_until=now + LEASE)
    )
    job = ImportJob.objects.get(pk=job_id)
    if not claimed:
        return job
    try:
        lines = job.rows_file.open("rb")
    except (OSError, ValueError):
        return _fail(job, job.started_by)
    deadline = time.monotonic() + seconds
    codes = _Codes.read()
    errors = list(job.errors)
    with lines:
        source = (Row.from_json(line) for line in itertools.islice(lines, job.processed_rows, None))
        pending: list[Row] = []
        while True:
            pending.extend(itertools.islice(source, BATCH_ROWS - len(pending)))
            if not pending:
                return _finish(job, runner)
            start = job.processed_rows

            def hold(start: int = start) -> None:
                held = ImportJob.objects.filter(
                    pk=job_id,
                    status=ImportJob.Status.IMPORTING,
                    runner=runner,
                    processed_rows=start,
                ).update(lease_until=timezone.now() + LEASE)
                if not held:
                    raise _Lost

            def record(batch: _Batch) -> None:
                _record_batch(job, batch, errors)

            try:
                batch = _import_batch(
                    by=job.started_by,
                    rows=pending,
                    labels=job.columns,
                    mode=job.mode,
                    codes=codes,
                    before=hold,
                    after=record,
                )
            except _Lost:
                job.refresh_from_db()
                return job
            if batch.stopped_at is not None:
                return _stop(job, runner, batch)
            pending = pending[batch.rows :]
            if time.monotonic() >= deadline:
                return _queue_rest(job, runner)
            _pause_between_batches()


def _record_batch(job: ImportJob, batch: _Batch, errors: list[dict[str, Any]]) -> None:
    """A batch's rows went in: its progress, its errors and the customers it made or used, in
    its transaction (`job` follows)."""
    ImportedCustomer.objects.bulk_create(
        [ImportedCustomer(job=job, customer_id=pk, created=True) for pk in batch.created.values()]
        + [ImportedCustomer(job=job, customer_id=pk, created=False) for pk in batch.used.values()],
        ignore_conflicts=True,  # a customer made or used by an earlier batch counts once
    )
    if batch.errors and len(errors) < ImportJob.MAX_STORED_ERRORS:
        errors.extend(e.as_dict() for e in batch.errors)
        del errors[ImportJob.MAX_STORED_ERRORS :]
    job.processed_rows += batch.rows
    job.rows_imported += batch.imported
    job.error_rows += batch.error_rows
    job.units_created += batch.units
    job.errors = errors
    job.lease_until = timezone.now() + LEASE
    job.save(
        update_fields=[
            "processed_rows",
            "rows_imported",
            "error_rows",
            "units_created",
            "errors",
            "lease_until",
        ]
    )


def _count_customers(job: ImportJob) -> None:
    mine = ImportedCustomer.objects.filter(job=job)
    job.customers_created = mine.filter(created=True).count()
    job.customers_reused = mine.filter(created=False).count()


def _release(job: ImportJob, holder: str, **changes: Any) -> bool:
    """End the turn of the runner `holder` with `changes` — if the job is still its own."""
    still_mine = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.IMPORTING, runner=holder
    )
    return bool(still_mine.update(**changes))


def _finish(job: ImportJob, runner: str) -> ImportJob:
    """Every row has gone through: the job is imported and its working copy dropped."""
    with transaction.atomic():
        done = _release(
            job,
            runner,
            status=ImportJob.Status.IMPORTED,
            finished_at=timezone.now(),
            runner="",
            lease_until=None,
        )
        job.refresh_from_db()
        if done:
            _count_customers(job)
            _drop_rows_file(job)
            job.save(update_fields=["customers_created", "customers_reused", "rows_file"])
            record_event(
                subject=job,
                action="imported",
                actor=job.started_by,
                data={
                    "mode": job.mode,
                    "rows": job.rows_imported,
                    "customers_created": job.customers_created,
                    "customers_reused": job.customers_reused,
                    "units_created": job.units_created,
                },
            )
    return job


def _stop(job: ImportJob, runner: str, batch: _Batch) -> ImportJob:
    """A strict import's row failed although the check passed: the job stops before its batch,
    with that row's errors; the user may go on with the good rows only, or discard the rest."""
    errors = [e.as_dict() for e in batch.errors]
    with transaction.atomic():
        stopped = _release(
            job,
            runner,
            status=ImportJob.Status.STOPPED,
            runner="",
            lease_until=None,
            errors=errors,
            error_rows=F("error_rows") + batch.error_rows,
        )
        job.refresh_from_db()
        if stopped:
            _count_customers(job)
            job.save(update_fields=["customers_created", "customers_reused"])
            record_event(
                subject=job,
                action="stopped",
                actor=job.started_by,
                data={"row": batch.stopped_at, "rows": job.rows_imported},
            )
    return job


def _queue_rest(job: ImportJob, runner: str) -> ImportJob:
    """This task's time is up: the rest is a new task, which this runner's lease keeps for it."""
    with transaction.atomic():
        if _release(job, runner, lease_until=timezone.now() + LEASE):
            transaction.on_commit(lambda: _enqueue_continuation(job.pk, runner))
    job.refresh_from_db()
    return job


def import_jobs_resume() -> int:
    """Hand every import whose runner stopped renewing its lease (its worker was killed) to a
    new task, which goes on after the last committed batch. The worker's sweep calls this."""
    now = timezone.now()
    resumed = 0
    for job_id, lease_until in ImportJob.objects.filter(
        Q(lease_until__lt=now) | Q(lease_until=None), status=ImportJob.Status.IMPORTING
    ).values_list("pk", "lease_until"):
        runner = uuid.uuid4().hex
        with transaction.atomic():
            if ImportJob.objects.filter(
                pk=job_id, status=ImportJob.Status.IMPORTING, lease_until=lease_until
            ).update(runner=runner, lease_until=now + LEASE):
                transaction.on_commit(partial(_enqueue_continuation, job_id, runner))
                resumed += 1
    return resumed


def import_job_cancel(*, job: ImportJob, by: User) -> ImportJob:
    """Give up an import that has not run, or the rest of a stopped one; its file stays for the
    record, its rows are dropped (what a stopped import imported stays)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status not in (
            ImportJob.Status.VALIDATING,
            ImportJob.Status.VALIDATED,
            ImportJob.Status.STOPPED,
        ):
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


# --- A privacy erase's part (decision 70) ------------------------------------------------------

# What a privacy erase rewrites in imports (the privacy registry lists it; decision 72).
PRIVATE_TEXT: dict[type[models.Model], tuple[str, ...]] = {ImportJob: ("errors",)}
PRIVATE_FILES: dict[type[models.Model], tuple[str, ...]] = {ImportJob: ("file",)}


@transaction.atomic
def imports_privacy_erase(*, customer_id: int, everywhere: Redactor) -> int:
    """The uploaded files of the imports that brought the person in are deleted (their rows are
    in the database; the import's record and counts stay), and every import's stored errors lose
    their phone number. A pure data rewrite, no event: the erase writes its one event on the
    customer's timeline. (An import still running keeps its rows file until it ends.)"""
    jobs = ImportJob.objects.filter(
        pk__in=ImportedCustomer.objects.filter(customer_id=customer_id).values("job_id")
    ).exclude(file="")
    for job in jobs.only("pk", "file"):
        storage, name = job.file.storage, job.file.name
        transaction.on_commit(partial(storage.delete, name))
    changed = jobs.update(file="")
    return changed + rewrite(ImportJob.objects.all(), PRIVATE_TEXT[ImportJob], everywhere)
