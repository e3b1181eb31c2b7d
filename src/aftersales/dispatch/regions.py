"""China's administrative divisions (GB/T 2260 codes): names of region codes and search.

A region code is 6 digits: province (xx0000), city (xxxx00), county (xxxxxx). Staff type names;
the records keep codes. The full list is loaded once from data/gbt2260.csv (its header names the source).
"""

from functools import cache
from importlib import resources

# Groups of counties a province administers directly: a name of a list, not of a place; a
# county's full name leaves them out (湖北省 仙桃市).
_GROUPS = ("省直辖县级行政区划", "自治区直辖县级行政区划")


@cache
def _names() -> dict[str, str]:
    """code → own name (e.g. 440106 → 天河区), read once from the shipped list."""
    text = resources.files(__package__).joinpath("data/gbt2260.csv").read_text(encoding="utf-8")
    names: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, name = line.split(",", 1)
            names[code] = name
    return names


def _path(code: str) -> list[str]:
    names = _names()
    parts = [code[:2] + "0000", code[:4] + "00", code]
    out: list[str] = []
    for part in dict.fromkeys(parts):
        name = names.get(part)
        if name and (part == code or name not in _GROUPS):
            out.append(name)
    return out


@cache
def _full_names() -> dict[str, str]:
    """code → full name, e.g. 440106 → 广东省 广州市 天河区."""
    return {code: " ".join(_path(code)) for code in _names()}


def is_region(code: str) -> bool:
    """Whether `code` is a known region code (province, city or county)."""
    return bool(code) and code in _names()


def region_name(code: str) -> str:
    """The full name of a region ("广东省 广州市 天河区"); an unknown code: the code itself."""
    code = (code or "").strip()
    return _full_names().get(code, code)


def _level(code: str) -> int:
    """0 county, 1 city, 2 province (counties are listed first)."""
    if code.endswith("0000"):
        return 2
    if code.endswith("00"):
        return 1
    return 0


def regions_matching(text: str, limit: int = 20) -> list[tuple[str, str]]:
    """(code, full name) of the regions whose name or code contains `text` (every word of it),
    counties first among those whose own name matches."""
    text = (text or "").strip()
    if not text:
        return []
    full, own = _full_names(), _names()
    terms = text.split()
    hits = [
        code
        for code, name in full.items()
        if all(t in code or t in name or t in name.replace(" ", "") for t in terms)
    ]
    # The place itself before those inside it (广州 → 广州市, then its districts), then counties
    # first, then by code.
    hits.sort(key=lambda c: (not any(t in own[c] or c.startswith(t) for t in terms), _level(c), c))
    return [(c, full[c]) for c in hits[:limit]]


def regions_named(text: str) -> list[str]:
    """Codes of the regions called exactly `text`: its own name (天河区) or the end of its full
    name, with or without spaces (广州市天河区); several for a name many places share (朝阳区)."""
    wanted = "".join((text or "").split())
    if not wanted:
        return []
    full, own = _full_names(), _names()
    return [c for c in own if own[c] == wanted or full[c].replace(" ", "").endswith(wanted)]
