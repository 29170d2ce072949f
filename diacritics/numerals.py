"""Roman numerals of section headings that English OCR misread ("IL MỘT SỐ CHỈ TIÊU" for "II.").

A plan's sections are numbered I, II, III in capitals before a heading in capitals.  An English
OCR model reads the second and third stroke of "II"/"III" as the look-alike glyphs l, L, T or
1, and the language model cannot tell: "IL", "IT" are no syllables and a lone numeral has no
context.  The shape of the line decides instead: at a line start, an "I" followed only by such
look-alikes, before a heading word in capitals, is the numeral written with as many strokes.
"""

from __future__ import annotations

import re

#: "I" then one or two glyphs an OCR reads for a stroke of "I" (not all of them "I": that is
#: already right).
_GARBLED_NUMERAL = re.compile(r"^I[IlLT1]{1,2}$")
#: What may stand between the numeral and its heading: a full stop, white space.
_NUMERAL_GAP = re.compile(r"^\.?[ \t]+$|^\.[ \t]*$")


def _at_line_start(parts: list[str], i: int) -> bool:
    before = parts[i - 1]
    if i == 1:
        return not before.strip()
    return "\n" in before and not before[before.rindex("\n") + 1 :].strip()


def _is_caps_word(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters) and len(letters) == len(token)


def roman_headings(parts: list[str]) -> dict[int, str]:
    """{index into parts: numeral} for the garbled numerals of `parts` ([gap, token, gap, ...],
    as read, before restoration)."""
    out: dict[int, str] = {}
    for i in range(1, len(parts) - 2, 2):
        token = parts[i]
        if not _GARBLED_NUMERAL.match(token) or token == "I" * len(token) or not _at_line_start(parts, i):
            continue
        if _NUMERAL_GAP.match(parts[i + 1]) and _is_caps_word(parts[i + 2]):
            out[i] = "I" * len(token)
    return out
