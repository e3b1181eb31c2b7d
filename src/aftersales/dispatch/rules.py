"""Pure rules of the service network."""

from collections.abc import Iterable


def region_prefix(code: str) -> str:
    """The part of a GB/T 2260 code a center serves: 440000 → 44, 440100 → 4401, 440106 → 440106."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


def serves_region(center_regions: Iterable[str], region: str) -> bool:
    """Whether a center with these region codes serves a customer in `region`."""
    return bool(region) and any(region.startswith(region_prefix(c)) for c in center_regions)


def most_specific_match(center_regions: Iterable[str], region: str) -> int:
    """How closely a center serves `region` (length of its best prefix; 0 = not at all)."""
    return max(
        (
            len(region_prefix(c))
            for c in center_regions
            if region and region.startswith(region_prefix(c))
        ),
        default=0,
    )
