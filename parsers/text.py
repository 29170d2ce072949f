"""Parser-side text helpers: markup-free lines in reading order.

The folds every rule matches on (`fold`, `fold_keep`, `ocr_fold`, `strip_marks`, `nfc`) are the
shared Vietnamese text rules of `schema.vntext`, re-exported here for the parsers: OCR'd plans
arrive with diacritics lost or mangled, so every rule matches on a folded form (no marks, đ→d,
lower case) and fuzzy-matches with rapidfuzz; extracted values are then cut from the restored
text itself.
"""

from __future__ import annotations

import re

from schema.vntext import fold, fold_keep, nfc, ocr_fold, strip_marks

__all__ = ["clean_line", "document_lines", "fold", "fold_keep", "nfc", "ocr_fold", "strip_marks"]

_MARKUP = re.compile(r"</?b>|</?p>|\*\*|^#+\s*|^\s*[>|]\s*")


def clean_line(line: str) -> str:
    """A line without the markdown/HTML emphasis some OCR dumps carry (`**`, `###`, `<b>`)."""
    return _MARKUP.sub("", nfc(line)).strip()


def document_lines(pages: list) -> list[tuple[int, str]]:
    """All lines of a document in reading order, each with its 1-based page number."""
    out: list[tuple[int, str]] = []
    for page in pages:
        for line in (page.text or "").split("\n"):
            out.append((page.page_no, nfc(line.rstrip())))
    return out
