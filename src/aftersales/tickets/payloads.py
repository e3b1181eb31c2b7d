"""What each request action takes (CONTRACT.md "Service requests", the actions' table): one
schema per action, `PAYLOADS` by action name for the dispatcher (`services.ticket_act` reads a
payload only once the table and the role allowed the action), and `RequestAction`, their union
on `action`, which the OpenAPI document shows (desk.api). Checks that need the database (an
owner who is active staff) are the services'.

`resolve` has two shapes, one schema: a request's (`resolution` required) and a complaint's
(`customer_accepted` required, `resolution` optional, default `other`: CONTRACT.md
"Complaints"); the request's kind, given as the validation context (`{"kind": …}`), decides.
"""

from typing import Annotated, Literal, Self

from pydantic import Field, ValidationInfo, model_validator

from aftersales.core.payloads import OneOf, Payload, RequiredText, Text, by_action, missing
from aftersales.tickets import rules


class RequestNoteIn(Payload):
    action: Literal["note"]
    note: RequiredText
    customer_visible: bool = False


class RequestAssignOwnerIn(Payload):
    action: Literal["assign_owner"]
    owner: RequiredText  # a username: active staff (the services check)
    note: Text = ""


class RequestStartIn(Payload):
    action: Literal["start"]
    note: Text = ""


class ResolveIn(Payload):
    """A request's `resolve`: `resolution` required, `note`. A complaint's (the request's kind
    `complaint`): `customer_accepted` required, `resolution` default `other`, `note`."""

    action: Literal["resolve"]
    resolution: Annotated[str, OneOf(rules.RESOLUTIONS, blank=True)] = ""
    note: Text = ""
    customer_accepted: bool | None = Field(
        default=None, description="A complaint's resolve: whether the customer accepted."
    )

    @model_validator(mode="after")
    def _shape_of_the_kind(self, info: ValidationInfo) -> Self:
        kind = (info.context or {}).get("kind")
        if kind == "complaint":
            if self.customer_accepted is None:
                raise missing(ResolveIn, "customer_accepted")
            self.resolution = self.resolution or "other"
        elif not self.resolution:
            raise missing(ResolveIn, "resolution")
        return self


class RequestReopenIn(Payload):
    action: Literal["reopen"]
    note: RequiredText


class RequestCloseIn(Payload):
    action: Literal["close"]
    note: Text = ""


class RequestCancelIn(Payload):
    action: Literal["cancel"]
    reason: RequiredText


class RequestEscalateIn(Payload):
    """The question for the technical center."""

    action: Literal["escalate"]
    note: RequiredText


RequestAction = Annotated[
    RequestNoteIn
    | RequestAssignOwnerIn
    | RequestStartIn
    | ResolveIn
    | RequestReopenIn
    | RequestCloseIn
    | RequestCancelIn
    | RequestEscalateIn,
    Field(discriminator="action"),
]


PAYLOADS = by_action(RequestAction)
