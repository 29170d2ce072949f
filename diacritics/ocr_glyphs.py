"""Single glyphs an English OCR model reads for Vietnamese print, put back before decoding.

Each is a shape confusion of `tesseract -l eng` seen on the English-OCR dev pages, not a word
list, and each rule fires only where the glyph cannot mean itself:
- the dash that opens an item line ("- Địa chỉ:") read as "=", "~" or "~-";
- "|" glued in front of a lower-case vowel: the letter l ("|w6i" for "lưới");
- "¥" glued to letters: a y or ư that carries a tilde ("K¥" for "Kỹ", "chi¥" for "chữ");
- "!" glued to the end of a word in capitals before another: the letter I that a stacked
  mark pushed aside ("GIO! HANH" for "GIỚI HÀNH").
"""

from __future__ import annotations

import re

from diacritics.text import is_caps_word

_ITEM_DASH = re.compile(r"(?m)^([ \t]*)(?:~-|[=~])(?=[ \t])")
#: "|" glued in front of a lower-case vowel (or "w", English OCR's "ư"): "l" is the onset.  A
#: table border glued to a cell's text ("|Nam 2024", "|kiểm tra", "|04/12/2024") is not touched:
#: it runs into a consonant, a capital or a digit, and "l" + consonant starts no syllable.
_BAR_L = re.compile(r"(?<![^\s(\"'“])\|(?=[aeiouywáàảãạăắằẳẵặâấầẩẫậéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵ])")
_YEN_AFTER_I = re.compile(r"(?<=[^\W\d_aeiouyAEIOUY])([iI])¥")
_YEN = re.compile(r"(?<=[^\W\d_])¥")
_BANG_I = re.compile(r"(?<=[^\W\d_])!(?=[ \t]+[^\W\d_])")
_WORD_BEFORE = re.compile(r"[^\W\d_]+$")
_WORD_AFTER = re.compile(r"[ \t]+([^\W\d_]+)")


def _bang(match: re.Match[str]) -> str:
    """"!" between two words in capitals is an "I"; elsewhere it is what it says."""
    text = match.string
    before = _WORD_BEFORE.search(text, 0, match.start())
    after = _WORD_AFTER.match(text, match.end())
    if before and after and is_caps_word(before.group()) and after.group(1).isupper():
        return "I"
    return "!"


def _yen_after_i(match: re.Match[str]) -> str:
    return "U" if match.group(1).isupper() else "u"


def _yen(match: re.Match[str]) -> str:
    before = _WORD_BEFORE.search(match.string, 0, match.start())
    return "Y" if before and is_caps_word(before.group()) else "y"


def repair_glyphs(text: str) -> str:
    """`text` with the glyphs above put back (each rule gated on its glyph being there)."""
    if "=" in text or "~" in text:
        text = _ITEM_DASH.sub(r"\1-", text)
    if "|" in text:
        text = _BAR_L.sub("l", text)
    if "¥" in text:
        text = _YEN.sub(_yen, _YEN_AFTER_I.sub(_yen_after_i, text))
    if "!" in text:
        text = _BANG_I.sub(_bang, text)
    return text
