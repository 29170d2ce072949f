"""Spans of a page that are copied through as they are: web and e-mail addresses.

An address is written without marks on purpose ("thuvienphapluat.vn/van-ban/bo-may-hanh-chinh"),
and its pieces are no running text: the restorer would give them marks ("bộ-máy-hành-chính") or
read them as OCR garbles ("van" -> "ban"), breaking the link and, in a table, the cell's text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)
_HINTS = ("://", "www.", "WWW.", "@")


def verbatim_tokens(parts: list[str]) -> set[int]:
    """Indices (odd: tokens) of `parts` ([gap, token, gap, ...] of one page) inside an address."""
    text = "".join(parts)
    if not any(h in text for h in _HINTS):
        return set()
    spans = [m.span() for m in _ADDRESS.finditer(text)]
    if not spans:
        return set()
    ends = list(accumulate(len(p) for p in parts))  # ends[i]: offset just past parts[i]
    out: set[int] = set()
    for start, end in spans:
        i = bisect_right(ends, start)  # first part that ends after the span starts
        while i < len(parts) and ends[i] - len(parts[i]) < end:
            if i % 2:
                out.add(i)
            i += 1
    return out
