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
