"""What a Chinese user reads for an English msgid (the source text until it is translated)."""

from django.utils import translation
from django.utils.html import escape


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def zh_html(msgid: str) -> str:
    """As a page writes it: HTML-escaped."""
    return escape(zh(msgid))
