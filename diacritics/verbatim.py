"""Spans of a page that are copied through as they are: web and e-mail addresses.

An address is written without marks on purpose ("thuvienphapluat.vn/van-ban/bo-may-hanh-chinh"),
and its pieces are no running text: the restorer would give them marks ("bộ-máy-hành-chính") or
read them as OCR garbles ("van" -> "ban"), breaking the link and, in a table, the cell's text.
"""

from __future__ import annotations

import re

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
    out: set[int] = set()
    pos = 0
    k = 0
    for i, part in enumerate(parts):
        end = pos + len(part)
        if i % 2:
            while k < len(spans) and spans[k][1] <= pos:
                k += 1
            if k < len(spans) and spans[k][0] < end and pos < spans[k][1]:
                out.add(i)
        pos = end
    return out
