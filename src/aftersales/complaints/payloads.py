"""What each complaint step takes (CONTRACT.md "Complaints", the steps' table; docs/api.md): one
schema per step, `PAYLOADS` by step name for `services.complaint_act` (which reads a payload
only once the role and the stage allowed the step), and `ComplaintStep`, their union on
`action`. `resolve` is the request's own schema (tickets.payloads.ResolveIn), read with the
request's kind: on a complaint `customer_accepted` is required. Checks that need the complaint,
the clock or the database (a promise in the future, a unit to extend, staff who exist) are the
services'."""

from typing import Annotated, Any, Literal, Self

from pydantic import Field, ValidationInfo, WithJsonSchema, field_validator, model_validator

from aftersales.complaints import rules
from aftersales.core.payloads import (
    Day,
    Moment,
    OneOf,
    Payload,
    RequiredText,
    Text,
    by_action,
    missing,
    refuse,
)
from aftersales.tickets.payloads import ResolveIn


class ComplaintScreenIn(Payload):
    """A web complaint's first look: ours (on to the handler), or not ours with the explanation
    the customer gets (`note`, then required)."""

    action: Literal["screen"]
    ours: bool
    note: Text = ""

    @model_validator(mode="after")
    def _explained(self) -> Self:
        if not self.ours and not self.note:
            raise missing(ComplaintScreenIn, "note")
        return self


class ComplaintAcknowledgeIn(Payload):
    action: Literal["acknowledge"]
    note: RequiredText
    # In the future (the services check); absent: COMPLAINT_PROMISE_WORKING_DAYS working days.
    promised_by: Moment | None = None


class ComplaintInvestigateIn(Payload):
    action: Literal["investigate"]
    findings: RequiredText
    responsibility: Annotated[str, OneOf(rules.RESPONSIBILITIES)]
    # Usernames of the staff it concerns (replaces the list); absent: the list stays.
    staff: list[str] | None = None


OFFER_VALUE = WithJsonSchema(
    {
        "anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}],
        "description": "warranty_extension: whole days (≥ 1); discount, refund: an amount "
        'such as "50.00" (> 0); gift: its text (required); apology: its text (optional)',
    }
)


class ComplaintCompensationIn(Payload):
    kind: Annotated[str, OneOf(rules.COMPENSATION_KINDS)]
    value: Annotated[Any, OFFER_VALUE] = Field(default=None, validate_default=True)

    @field_validator("value")
    @classmethod
    def _worth_its_kind(cls, value: Any, info: ValidationInfo) -> Any:
        kind = info.data.get("kind")
        if kind is not None:  # an unknown kind is refused on `kind`
            parsed = rules.parse_offer(kind, value)
            if isinstance(parsed, str):
                raise refuse("offer", parsed)
        return value

    def offer(self) -> rules.Offer:
        """The offer as it is recorded (days, an amount, or text)."""
        parsed = rules.parse_offer(self.kind, self.value)
        assert isinstance(parsed, rules.Offer)  # validated: `_worth_its_kind`
        return parsed


class ComplaintProposeIn(Payload):
    action: Literal["propose"]
    plan: RequiredText
    compensation: list[ComplaintCompensationIn] = []

    @field_validator("compensation", mode="before")
    @classmethod
    def _listed(cls, value: object) -> object:
        return [] if value is None else value


class ComplaintApproveIn(Payload):
    """Approve that compensation, or every one waiting without an id."""

    action: Literal["approve_compensation"]
    compensation_id: int | None = None
    note: Text = ""


class ComplaintRecordCapaIn(Payload):
    """The lesson of a resolved complaint: its root cause (one of `rules.ROOT_CAUSES`, with
    words), the corrective action, who owns it (a username) and by when (a date, from today to
    a year ahead — the services check the day and the person)."""

    action: Literal["record_capa"]
    root_cause: Annotated[str, OneOf(rules.ROOT_CAUSES)]
    root_cause_note: Text = ""
    corrective_action: RequiredText
    owner: RequiredText
    due: Day


class ComplaintCompleteCapaIn(Payload):
    """The corrective action is done (by its owner, or a manager): what was done."""

    action: Literal["complete_capa"]
    note: Text = ""


ComplaintStep = Annotated[
    ComplaintScreenIn
    | ComplaintAcknowledgeIn
    | ComplaintInvestigateIn
    | ComplaintProposeIn
    | ComplaintApproveIn
    | ResolveIn
    | ComplaintRecordCapaIn
    | ComplaintCompleteCapaIn,
    Field(discriminator="action"),
]

PAYLOADS = by_action(ComplaintStep)
