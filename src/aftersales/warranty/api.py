"""三包 endpoints: the decision and the policies (CONTRACT.md "Warranty (三包) decision")."""

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from aftersales.catalog.selectors import unit_get
from aftersales.core.api import Answer, require_staff
from aftersales.core.errors import InvalidInput
from aftersales.core.payloads import Day, Days, Money, Tally
from aftersales.warranty import selectors
from aftersales.warranty.presenters import decision_as_json

router = Router(tags=["warranty"])


class CheckIn(Schema):
    serial: str | None = None
    category: str | None = None
    part: str = "host"
    purchase_date: Day | None = None
    invoice_date: Day | None = None
    manufacture_date: Day | None = None
    activation_date: Day | None = None
    report_date: Day | None = None
    performance_fault: bool = True
    human_damage: bool = False
    damage_kind: (
        Literal["liquid", "impact", "unauthorized_repair", "misuse", "force_majeure"] | None
    ) = None
    voucher: Literal["valid", "copy", "missing", "mismatch", "altered"] = "valid"
    repair_days: Days | None = None
    failed_repairs: Tally | None = None
    same_model_available: bool = True
    price: Money | None = None


class ReasonOut(Answer):
    code: str
    message: str
    params: dict[str, str]


class PolicyRef(Answer):
    code: str
    version: int


class DecisionOut(Answer):
    covered: bool
    window: str
    remedies: list[str]
    days_since_purchase: int
    warranty_ends: date | None
    return_ends: date | None
    exchange_ends: date | None
    extension_days: int
    refund_deduction_rate: str
    refund_amount: str | None
    reasons: list[ReasonOut]
    warnings: list[ReasonOut]
    policy: PolicyRef
    part: str
    purchase_date: date
    invoice_date: date | None
    report_date: date
    period_start: date | None


@router.post("/warranty/check", response=DecisionOut)
def check(request: HttpRequest, payload: CheckIn) -> Any:
    require_staff(request)
    facts = payload.dict(exclude={"serial", "category"})
    if payload.serial:
        unit = unit_get(payload.serial)
        if unit is None:
            raise InvalidInput.field("serial", _("No unit is registered with this serial number."))
        decision = selectors.decide_for_unit(unit, **facts)
    else:
        if not payload.category:
            raise InvalidInput.field(
                "category", _("Give the serial of a registered unit, or the category.")
            )
        decision = selectors.decide(category=payload.category, facts=facts)
    return decision_as_json(decision)


class PartOut(Schema):
    code: str
    name: str
    kind: str
    period_amount: int
    period_unit: str


class CoveredCategoryOut(Schema):
    category: str
    daily_rate: str | None
    parts: list[PartOut]


class FaultOut(Schema):
    part: str
    code: str
    name: str


class PolicyOut(Schema):
    code: str
    name: str
    version: int
    return_days: int | None
    exchange_days: int | None
    failed_repair_threshold: int | None
    accessory_exchange_threshold: int
    no_voucher_grace_days: int | None
    roll_forward: bool
    exclusions: list[str]
    categories: list[CoveredCategoryOut]
    faults: list[FaultOut]

    @staticmethod
    def resolve_categories(obj: Any) -> list[dict[str, Any]]:
        return [
            {
                "category": c.category.code,
                "daily_rate": f"{c.daily_rate:.5f}".rstrip("0")
                if c.daily_rate is not None
                else None,
                "parts": list(c.parts.all()),
            }
            for c in obj.categories.all()
        ]

    @staticmethod
    def resolve_faults(obj: Any) -> list[Any]:
        return [
            {"part": f.part or "host", "code": f.code, "name": f.name} for f in obj.faults.all()
        ]


@router.get("/warranty/policies", response=list[PolicyOut])
def list_policies(request: HttpRequest) -> Any:
    require_staff(request)
    return selectors.policies()
