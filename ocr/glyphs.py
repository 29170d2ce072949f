"""Characters tesseract `vie` outputs that the scanned plans never print.

The `vie` model sometimes reads a plain "/" in a date or quarter ("Quý I/2024")
as U+2044 FRACTION SLASH, and now and then as both ("I/⁄2024", one glyph read
twice). The plans are typed office documents with no typeset fractions, so the
fraction slash is always a misread "/".
"""

from __future__ import annotations

import re

FRACTION_SLASH = "\u2044"
_DOUBLE = re.compile(f"/{FRACTION_SLASH}|{FRACTION_SLASH}/")


def fix_word(text: str) -> str:
    """`text` with fraction slashes read as the solidus they are (a doubled read kept once)."""
    if FRACTION_SLASH not in text:
        return text
    return _DOUBLE.sub("/", text).replace(FRACTION_SLASH, "/")
