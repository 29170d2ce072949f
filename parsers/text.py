"""Text folding shared by all parsers.

OCR'd plans arrive with diacritics lost or mangled, so every rule matches on a
folded form (no marks, đ→d, lower case, single spaces) and fuzzy-matches with
rapidfuzz; extracted values are then cut from the restored text itself.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def strip_marks(text: str) -> str:
    """Remove Vietnamese diacritics, keeping length-independent letters (đ→d, Đ→D)."""
    decomposed = unicodedata.normalize("NFD", text)
    out = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", out.replace("đ", "d").replace("Đ", "D"))


def fold(text: str) -> str:
    """Marks stripped, lower case, whitespace collapsed: the form rules match against."""
    return _SPACE.sub(" ", strip_marks(text).lower()).strip()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)
