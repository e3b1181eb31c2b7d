"""What each work-order action takes (CONTRACT.md "Work orders", the actions' table): one schema
per action, `PAYLOADS` by action name for the dispatcher (`services.work_order_act` reads a
payload only once the table and the role allowed the action), and `WorkOrderAction`, their
union on `action`, which the OpenAPI document shows. Checks that need the job or the database
(a technician of that center, the fee standard's price) are the services'; the guards are
`rules.GUARDS`.
"""

from typing import Annotated, Literal, Self

from django.utils.translation import gettext as _
from pydantic import Field, ValidationInfo, field_validator, model_validator

from aftersales.core.payloads import (
    Count,
    Day,
    Moment,
    Money,
    OneOf,
    Payload,
    RequiredText,
    Score,
    Signature,
    Tally,
    Text,
    by_action,
    missing,
    refuse,
)
from aftersales.warranty.rules import DAMAGE_KINDS, VOUCHERS
from aftersales.workorders import rules


def _upper(value: str) -> str:
    return value.upper()


class NoteIn(Payload):
    """The steps that take nothing but an optional note."""

    action: Literal[
        "depart",
        "arrive",
        "resume",
        "start_diagnosis",
        "start_repair",
        "approve_quote",
        "decline_quote",
        "parts_arrived",
        "close",
    ]
    note: Text = ""


class RequiredNoteIn(Payload):
    """A field incident (what happened) or an escalation (the question)."""

    action: Literal["incident", "escalate"]
    note: RequiredText


class ReasonIn(Payload):
    """Why a job is cancelled, or why it failed its quality check."""

    action: Literal["cancel", "qc_fail"]
    reason: RequiredText


class AssignIn(Payload):
    action: Literal["assign"]
    technician: RequiredText
    center: Text = ""
    # Given (null: nobody): the technician the person saw; another one now → 409 conflict.
    expected_technician: str | None = None


class ScheduleIn(Payload):
    action: Literal["schedule"]
    start: Moment
    end: Moment
    # Required when the job already has a window (the services check: it needs the job).
    reason: Annotated[str, OneOf(rules.RESCHEDULE_REASONS, blank=True)] = ""

    @field_validator("end")
    @classmethod
    def _after_start(cls, end: object, info: ValidationInfo) -> object:
        start = info.data.get("start")
        if start is not None and end <= start:  # type: ignore[operator]
            raise refuse("window", _("The window must end after it starts."))
        return end


class VisitIncompleteIn(Payload):
    action: Literal["visit_incomplete"]
    reason: Annotated[str, OneOf(rules.INCOMPLETE_REASONS)]
    note: Text = ""


class InspectionIn(Payload):
    """The unit as it was handed in."""

    appearance: Text = ""
    # The points of the category's intake checklist looked at (catalog.ChecklistItem), as read.
    checked: list[str] = []
    accessories: list[str] = []
    liquid_indicator: Annotated[str, OneOf(("intact", "triggered"), blank=True)] = "intact"
    seal_intact: bool = True
    serial_matches: bool = True
    notes: Text = ""

    @field_validator("accessories", "checked", mode="before")
    @classmethod
    def _listed(cls, value: object) -> object:
        return [] if value is None else value

    @field_validator("accessories", "checked")
    @classmethod
    def _without_blanks(cls, value: list[str]) -> list[str]:
        return [a.strip() for a in value if a.strip()]

    @field_validator("liquid_indicator")
    @classmethod
    def _intact_unless_said(cls, value: str) -> str:
        return value or "intact"


class ReceiveIn(Payload):
    action: Literal["receive"]
    inspection: InspectionIn
    agreement_signed: bool = False
    agreement_signature: Signature = None
    # Whether the 三包凭证 and invoice were presented (valid), only a copy, or none (missing)…;
    # absent: not recorded (the decision reads it as presented).
    voucher: Annotated[str, OneOf(VOUCHERS, blank=True)] = ""
    # Who hands the unit in: the end user, or a dealer (then named).
    brought_by: Annotated[str, OneOf(rules.BROUGHT_BY, blank=True)] = ""
    dealer_name: Text = ""
    part: Text = ""
    tracking_no: Text = ""  # mail-in: required (the services check: it needs the job's mode)

    @model_validator(mode="after")
    def _dealer_named(self) -> Self:
        if self.brought_by == "dealer" and not self.dealer_name:
            raise missing(ReceiveIn, "dealer_name")
        return self


class ChooseRemedyIn(Payload):
    action: Literal["choose_remedy"]
    remedy: RequiredText


class DiagnoseIn(Payload):
    action: Literal["diagnose"]
    findings: RequiredText
    fault_code: Text = ""
    human_damage: bool = False
    damage_kind: Annotated[str, OneOf(DAMAGE_KINDS, blank=True)] = ""

    @field_validator("fault_code")
    @classmethod
    def _code(cls, value: str) -> str:
        return value.upper()


class NoFaultIn(Payload):
    action: Literal["no_fault_found"]
    findings: RequiredText


class QuoteLineIn(Payload):
    kind: Annotated[str, OneOf(rules.LINE_KINDS)]
    code: Text = ""
    description: Text = ""  # default: the fee standard's or the part's name
    qty: Count = 1
    unit_price: Money | None = None  # default: the fee standard's price
    distance_km: Money | None = None  # a visit line priced by distance


class QuoteIn(Payload):
    action: Literal["quote"]
    lines: list[QuoteLineIn]

    @field_validator("lines")
    @classmethod
    def _some(cls, lines: list[QuoteLineIn]) -> list[QuoteLineIn]:
        if not lines:
            raise refuse("lines", _("A quote needs at least one line."))
        return lines


class WaiveIn(Payload):
    action: Literal["waive"]
    amount: Money | None = None  # default: all that is due
    reason: RequiredText


class ExchangeIn(Payload):
    action: Literal["exchange"]
    new_serial: RequiredText


class RefundIn(Payload):
    action: Literal["refund"]
    amount: Money | None = None  # default: the decision's refund amount


class PartIn(Payload):
    """A part of the parts catalogue of the unit's model, by its code: the services refuse any
    other (422 on `parts.<i>.code` / `parts_used.<i>.code`: it needs the database)."""

    code: RequiredText
    qty: Count = 1

    @field_validator("code")
    @classmethod
    def _code(cls, value: str) -> str:
        return value.upper()


class WaitPartsIn(Payload):
    action: Literal["wait_parts"]
    parts: list[PartIn]
    expected_date: Day

    @field_validator("parts")
    @classmethod
    def _some(cls, parts: list[PartIn]) -> list[PartIn]:
        if not parts:
            raise refuse("parts", _("Name the parts the job waits for."))
        return parts


class CompleteRepairIn(Payload):
    action: Literal["complete_repair"]
    actions_taken: RequiredText
    parts_used: list[PartIn] = []
    result: Annotated[str, OneOf(rules.REPAIR_RESULTS, blank=True)] = "ok"

    @field_validator("parts_used", mode="before")
    @classmethod
    def _listed(cls, value: object) -> object:
        return [] if value is None else value

    @field_validator("result")
    @classmethod
    def _ok_unless_said(cls, value: str) -> str:
        return value or "ok"


class QcPassIn(Payload):
    action: Literal["qc_pass"]
    checks: list[str]

    @field_validator("checks")
    @classmethod
    def _some(cls, checks: list[str]) -> list[str]:
        checks = [c.strip() for c in checks if c.strip()]
        if not checks:
            raise refuse(
                "checks", _("List the functions checked (all of them, not only the fault).")
            )
        return checks


class NotifyPickupIn(Payload):
    action: Literal["notify_pickup"]
    channel: Annotated[str, OneOf(("phone", "sms"))]
    reached: bool


class PaymentIn(Payload):
    amount: Money
    method: Text = ""  # default: cash
    receipt_no: Text = ""

    @field_validator("method")
    @classmethod
    def _cash_unless_said(cls, value: str) -> str:
        return value or "cash"


class HandOverIn(Payload):
    action: Literal["hand_over"]
    # The overall satisfaction the figures count; absent: the customer declined to rate (never
    # forced: a required score invites staff to type it themselves).
    rating: Score | None = None
    # The maker's work sheet rates repair quality and service attitude apart (both optional).
    quality_score: Score | None = None
    attitude_score: Score | None = None
    comment: Text = ""
    # On-site and carry-in: the customer's signature, or why they did not sign (a guard).
    signature: Signature = None
    no_signature_reason: Text = ""
    payment: PaymentIn | None = None
    tracking_no: Text = ""  # mail-in: the return parcel's


class LoanerIn(Payload):
    action: Literal["loan_unit", "return_loan"]
    serial: RequiredText

    @field_validator("serial")
    @classmethod
    def _serial(cls, value: str) -> str:
        return value.upper()


class ChangeModeIn(Payload):
    action: Literal["change_mode"]
    mode: Annotated[str, OneOf(rules.MODES)]
    reason: RequiredText


class ResolveDiscrepancyIn(Payload):
    """How the center's manager reconciled a stock discrepancy: what they found, and (counted)
    how many of the part are now on the center's shelf, which corrects its stock."""

    note: RequiredText
    counted: Tally | None = None


WorkOrderAction = Annotated[
    NoteIn
    | RequiredNoteIn
    | ReasonIn
    | AssignIn
    | ScheduleIn
    | VisitIncompleteIn
    | ReceiveIn
    | ChooseRemedyIn
    | DiagnoseIn
    | NoFaultIn
    | QuoteIn
    | WaiveIn
    | ExchangeIn
    | RefundIn
    | WaitPartsIn
    | CompleteRepairIn
    | QcPassIn
    | NotifyPickupIn
    | HandOverIn
    | LoanerIn
    | ChangeModeIn,
    Field(discriminator="action"),
]


PAYLOADS = by_action(WorkOrderAction)
