"""Spans of a page that are copied through as they are: web and e-mail addresses.

An address is written without marks on purpose ("thuvienphapluat.vn/van-ban/bo-may-hanh-chinh"),
and its pieces are no running text: the restorer would give them marks ("bộ-máy-hành-chính") or
read them as OCR garbles ("van" -> "ban"), breaking the link and, in a table, the cell's text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
#: A mail address around one "@" (looked for only where the text has an "@" between word
#: characters: English OCR writes "@" for "ở", so a page may hold many that are no address).
_MAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MAIL_AT = re.compile(r"\w@\w")


def _address_spans(text: str) -> list[tuple[int, int]]:
    web = "://" in text or "www." in text or "WWW." in text or "Www." in text
    spans = [m.span() for m in _URL.finditer(text)] if web else []
    for at in _MAIL_AT.finditer(text):
        start = text.rfind(" ", 0, at.start()) + 1
        start = max(start, text.rfind("\n", 0, at.start()) + 1)
        m = _MAIL.match(text, start)
        if m and m.end() > at.start() + 1:
            spans.append(m.span())
    return sorted(set(spans))


def verbatim_tokens(parts: list[str]) -> set[int]:
    """Indices (odd: tokens) of `parts` ([gap, token, gap, ...] of one page) inside an address."""
    text = "".join(parts)
    spans = _address_spans(text)
    if not spans:
        return set()
    ends = list(accumulate(map(len, parts)))  # ends[i]: offset just past parts[i]
    out: set[int] = set()
    for start, end in spans:
        i = bisect_right(ends, start)  # first part that ends after the span starts
        while i < len(parts) and ends[i] - len(parts[i]) < end:
            if i % 2:
                out.add(i)
            i += 1
    return out
