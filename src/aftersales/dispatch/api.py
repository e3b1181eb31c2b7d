"""Service network endpoints."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

from aftersales.core.api import Answer, PageQuery, require_staff
from aftersales.core.errors import NotFound
from aftersales.core.pagination import keyset_page
from aftersales.dispatch import regions, selectors

router = Router(tags=["centers"])


class CenterOut(Answer):
    code: str
    name: str
    kind: str
    regions: list[str]


class CenterPage(Answer):
    items: list[CenterOut]
    next_cursor: str | None


@router.get("/centers", response=CenterPage)
def list_centers(request: HttpRequest, page: Query[PageQuery]) -> Any:
    """The active centers by code, in pages like every list."""
    require_staff(request)
    return keyset_page(selectors.centers(), limit=page.limit, cursor=page.cursor, order="code")


# --- regions (GB/T 2260) ---------------------------------------------------------------------


class RegionOut(Answer):
    code: str
    name: str  # the full name: 广东省 广州市 天河区


class RegionPage(Answer):
    items: list[RegionOut]
    next_cursor: str | None  # always null: the matches are one page, best first


@router.get("/regions", response=RegionPage, tags=["regions"])
def list_regions(request: HttpRequest, q: str = "", limit: int = 20) -> Any:
    """Regions whose name or code contains `q` (every word of it), counties first."""
    require_staff(request)
    found = regions.regions_matching(q, max(1, min(limit, 100)))
    return {"items": [{"code": c, "name": n} for c, n in found], "next_cursor": None}


@router.get("/regions/{code}", response=RegionOut, tags=["regions"])
def get_region(request: HttpRequest, code: str) -> Any:
    require_staff(request)
    if not regions.is_region(code):
        raise NotFound(_("No region with code %(code)s.") % {"code": code})
    return {"code": code, "name": regions.region_name(code)}
