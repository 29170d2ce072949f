"""Text-level repairs of an English-OCR page, run before decoding (line count and order kept).

Each repair is a general rule about how `tesseract -l eng` damages Vietnamese print, measured on
the English-OCR pages of the dev split (`bench.diacritics_dev --ocr-pages N`):
- dot leaders read as letters go back to dots (`leaders.py`);
- syllables cut in two at a mark residue are joined (`split_syllables.py`);
- single glyphs read for a dash or a letter are put back (`ocr_glyphs.py`).
"""

from __future__ import annotations

from diacritics.leaders import clean_leaders
from diacritics.ocr_glyphs import repair_glyphs
from diacritics.split_syllables import join_split_syllables

SPLIT_SYLLABLES = True
GLYPHS = True


def repair_ocr_text(text: str) -> str:
    """`text` with the repairs above applied (the same object when none applies)."""
    text = clean_leaders(text)
    if SPLIT_SYLLABLES:
        text = join_split_syllables(text)
    if GLYPHS:
        text = repair_glyphs(text)
    return text
