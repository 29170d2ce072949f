"""Syllables an English OCR model cut in two at a mark ("thy'c" for "thực", "nu’éc" for "nước").

The horn or hook of "ư", "ơ" or "ứ" often comes out as an apostrophe or a question mark, and
where it stands inside the letters it splits the syllable into two tokens.  The restorer would
then read each piece as a word of its own: the lone "c" became a second "thực" ("thực'thực",
seen on the English-OCR dev pages).  Vietnamese writes no apostrophe and no question mark
inside a word, so on English-OCR pages the residue is dropped and the pieces joined; the
decoder then reads "thyc" as the one garble it is ("thyc" -> "thực").
"""

from __future__ import annotations

import re

#: A residue glyph between letters, with one to three lower-case letters after it that end the
#: word (the rest of the syllable: a vowel with its coda, or a coda).
_SPLIT = re.compile(r"(?<=[^\W\d_])['’?]([^\W\d_]{1,3})(?![\w])")
_RESIDUE = ("'", "’", "?")


def _join(match: re.Match[str]) -> str:
    tail = match.group(1)
    return tail if tail.islower() else match.group(0)


def join_split_syllables(text: str) -> str:
    """`text` with every syllable split by a residue glyph joined again (cheap when the page
    has no apostrophe or question mark at all)."""
    if not any(mark in text for mark in _RESIDUE):
        return text
    return _SPLIT.sub(_join, text)
