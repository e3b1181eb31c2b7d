"""What a person reads on a page: its text without tags, attributes, scripts or styles."""

import re
from html.parser import HTMLParser


class _Text(HTMLParser):
    SKIP = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def codes_shown(html: str, codes: "list[str] | tuple[str, ...] | set[str]") -> list[str]:
    """The machine codes that appear as words of the page's text (a code inside a longer word,
    or as an attribute, does not count)."""
    text = visible_text(html)
    return sorted(
        code
        for code in codes
        if re.search(rf"(?<![A-Za-z0-9_]){re.escape(code)}(?![A-Za-z0-9_])", text)
    )


def kpi_cards(html: str) -> dict[str, tuple[str, str, str]]:
    """Each KPI card on a page (the dashboard, a manager's home) → (its value (a link to the list
    behind it), the period it is compared with, the change), as people read them."""
    found = {}
    for key, body in re.findall(r'data-kpi="(\w+)">(.*?)</div>', html, re.S):
        value = re.search(r'class="kpi-value">(.*?)</p>', body, re.S)
        before = re.search(r'class="kpi-before">(.*?)</span>', body, re.S)
        change = re.search(r'class="kpi-change[^"]*">(.*?)</span>', body, re.S)
        assert value and before and change
        found[key] = (visible_text(value[1]).strip(), before[1].strip(), change[1].strip())
    return found
