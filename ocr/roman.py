"""Roman numerals inside text, read again with their glyphs pulled apart.

Outside the numbering column Roman numerals still occur in cells: quarters
("Quý II/2024", "Quý II-III/2024") in the deadline column. Their serif I's touch
just as in the numbering column (`ocr.numbering`), and tesseract reads "II" as
"11", "H" or "I1", "III" as "II" or "IIH". After the first reading, every word
that *could* be such a numeral -- only I/V/X/L and their look-alikes (H, l, 1,
|, !), optionally a range and a "/year" -- is cut out, spread glyph by glyph,
and read again, all of a page's suspects in one tesseract call. The second
reading replaces the numeral part only when it is a well-formed Roman numeral;
the year and punctuation stay as first read, and a word read back as Arabic
digits ("1/2024" printed that way) keeps its first reading.

Used on table cells only. Tried on body text too (headings "III."), it made the
bench body CER worse (noisy 0.10% -> 0.12%): a spread heading "I." with the
line above in its crop was read "L.", a well-formed numeral, and accepted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import cv2
import numpy as np

from ocr import numbering
from ocr.engines import OcrEngine
from schema.vntext import ROMAN_LETTERS, ROMAN_LOOKALIKES

_LOOKALIKE = re.escape(ROMAN_LETTERS + ROMAN_LOOKALIKES)
_SUSPECT = re.compile(rf"^([{_LOOKALIKE}]+(?:[-–][{_LOOKALIKE}]+)?)((?:/\d{{2,4}})?[_.,;:)]*)$")
_ROMAN_ONE = r"(?=[IVXL])L?X{0,3}(?:IX|IV|V?I{0,3})"
_ROMAN = re.compile(rf"^(?:{_ROMAN_ONE})(?:[-–](?:{_ROMAN_ONE}))?$")
_LINE_GAP = 30
PAD_SHARE = 0.2
_PAD = 20


def suspect(text: str) -> bool:
    """A word that may be a misread Roman numeral: look-alikes only, with a Roman letter or a '/year'."""
    m = _SUSPECT.match(text)
    if not m:
        return False
    numeral, tail = m.groups()
    return any(ch in ROMAN_LETTERS + ROMAN_LOOKALIKES and not ch.isdigit() for ch in numeral) or tail.startswith("/")


def _valid(numeral: str) -> bool:
    return bool(numeral) and bool(_ROMAN.match(numeral))


def corrected(first: str, second: str) -> str:
    """`first` with its numeral part taken from the spread reading `second`, when that is a Roman numeral."""
    m = _SUSPECT.match(first)
    if not m:
        return first
    numeral, tail = m.groups()
    read = re.split(r"[/.,;:)]", second.replace(" ", ""), maxsplit=1)[0]
    return read + tail if _valid(read) and read != numeral else first


def reread(engine: OcrEngine, image: np.ndarray, words: Sequence[tuple[tuple[int, int, int, int], str]], dpi: int,
           scale: float = 1.0) -> list[str]:
    """Spread readings of the words (box, first reading) in `image`: one tesseract call, '' where nothing was read.

    The whole word is spread, year included: a "0" then reads as "()", but only the numeral
    part of the second reading is used (measured: spreading the numeral alone made tesseract
    read the first I as "[" far more often).
    """
    crops = []
    for (x0, y0, x1, y1), _ in words:
        pad = max(int(PAD_SHARE * (y1 - y0)), 3)
        crop = image[max(y0 - pad, 0) : y1 + pad, max(x0 - pad, 0) : x1 + pad]
        if scale != 1:
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        crops.append(numbering.spread_glyphs(crop))
    if not crops:
        return []
    width = max(c.shape[1] for c in crops) + 2 * _PAD
    height = sum(c.shape[0] + _LINE_GAP for c in crops) + _LINE_GAP
    stack = np.full((height, width), 255, dtype=np.uint8)
    spans, y = [], _LINE_GAP
    for c in crops:
        stack[y : y + c.shape[0], _PAD : _PAD + c.shape[1]] = c
        spans.append((y, y + c.shape[0]))
        y += c.shape[0] + _LINE_GAP
    found: list[list] = [[] for _ in crops]
    for w in engine.words(stack, psm=6, dpi=round(dpi * scale)):
        cy = (w.top + w.bottom) / 2
        for i, (top, bottom) in enumerate(spans):
            if top - _LINE_GAP / 2 <= cy < bottom + _LINE_GAP / 2:
                found[i].append(w)
                break
    return [numbering.join_words([w.text for w in sorted(ws, key=lambda w: w.left)]) for ws in found]
