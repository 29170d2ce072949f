"""The Vietnamese text rules every stage shares, written once.

- **Mark stripping** (`strip_marks`): tone and vowel marks removed and đ→d, "Điều" → "Dieu".
  Built on `vn_text` (`strip_stroke(deaccent(x))`), whose `deaccent` strips the combining block
  U+0300-U+036F and re-composes; on Vietnamese text that equals the NFD-strip + đ→d the stages
  wrote by hand before (`tests/test_vntext.py` checks it over the held-out corpus, the seeds and
  the gold files).
- **Folding** (`fold`, `fold_keep`): marks stripped and lower case, the form every parser rule
  matches on. `fold_keep` keeps one character per character, so a match in the folded string is
  a span of the original; `fold` also collapses white space. (`vn_text.fold` is not used here:
  it turns punctuation into spaces, and the rules match on "/", "%", "-" and ".".)
- **OCR look-alikes**: English-model OCR prints marked vowels as digits and symbols inside words
  ("s6" for "số", "1én" for "lên", "hi¢u" for "hiệu"); `letters_for_digits` maps them back and
  `ocr_fold` is `fold_keep` with that applied to mixed tokens. Inside a number the other way
  round (`LETTER_AS_DIGIT`: "3OO" is 300). Roman numerals have their own look-alikes
  (`ROMAN_LOOKALIKES`: "II" read "H", "11", "ll").
- **Agency head words** (`AGENCY_HEADS`): the words an agency's name opens with ("Sở", "Phòng",
  "Trung tâm"), one table that says which rule uses each.

This module is in `schema/`, the lowest layer, so OCR, restoration and the parsers all import
it and none imports another stage for a text rule.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Flag, auto

from vn_text import deaccent, strip_stroke

__all__ = [
    "AGENCY_HEADS",
    "DIGIT_AS_LETTER",
    "LETTER_AS_DIGIT",
    "ROMAN_LETTERS",
    "ROMAN_LOOKALIKES",
    "HeadUse",
    "agency_heads",
    "deaccent",
    "fold",
    "fold_keep",
    "is_latin_letter",
    "letters_for_digits",
    "nfc",
    "ocr_fold",
    "strip_marks",
]

_SPACE = re.compile(r"\s+")


def nfc(text: str) -> str:
    """Composed form: what every stage compares and stores (PDF text layers and OCR may give NFD)."""
    return unicodedata.normalize("NFC", text)


def strip_marks(text: str) -> str:
    """Tone and vowel marks removed and đ→d ("Điều" -> "Dieu"), NFC, case and length of letters kept."""
    return strip_stroke(deaccent(text))


def is_latin_letter(ch: str) -> bool:
    """A letter Vietnamese is written with: ASCII, đ/Đ, or an ASCII letter under marks (ế, ơ, ữ; other
    Latin letters with marks pass too). A PDF text layer full of other letters is a legacy font encoding."""
    base = strip_marks(ch)[:1]
    return ch.isascii() or (base.isascii() and base.isalpha())


def _fold_char(ch: str) -> str:
    f = strip_marks(ch).lower()
    return f[:1] if f else " "


# One-to-one fold of every Latin / Vietnamese code point, built once: folding is on the hot
# path of every parser rule (a whole document is folded several times).
_FOLD_TABLE = {
    cp: _fold_char(chr(cp))
    for rng in (range(0x0000, 0x0250), range(0x0300, 0x0370), range(0x1E00, 0x1F00))
    for cp in rng
}
_OUTSIDE_TABLE = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff]")
_FOLD_DROP = {**_FOLD_TABLE, **{cp: "" for cp in range(0x0300, 0x0370)}}


def fold(text: str) -> str:
    """Marks stripped, lower case, whitespace collapsed: the form rules match against."""
    text = nfc(text)
    out = text.translate(_FOLD_DROP)
    if _OUTSIDE_TABLE.search(out):
        out = strip_marks(text).lower()  # outside the Latin/Vietnamese table: the slow, general way
    return _SPACE.sub(" ", out).strip()


def fold_keep(text: str) -> str:
    """`fold` without collapsing spaces: same length as the NFC input, so a match in the
    folded string is a span of the original (values are then cut from the original)."""
    text = nfc(text)
    out = text.translate(_FOLD_TABLE)
    if len(out) != len(text):  # a code point outside the table folded to several characters
        out = "".join(_fold_char(ch) for ch in text)
    return out


# --- OCR look-alikes -------------------------------------------------------------------------

DIGIT_AS_LETTER: dict[str, str] = {"0": "o", "3": "a", "4": "a", "6": "o", "8": "o", "$": "s", "¢": "e"}
"""A digit or symbol inside a word → the letter English-model OCR most often printed it for
("s6" số, "x4" xã, "hi¢u" hiệu, "d0i" đổi). "1" depends on where it stands, see `letters_for_digits`."""
_DIGITS = str.maketrans(DIGIT_AS_LETTER)

LETTER_AS_DIGIT: dict[str, str] = {"o": "0", "q": "0", "d": "0", "l": "1", "i": "1", "|": "1", "z": "2",
                                   "s": "5", "b": "8", "g": "9"}
"""The other direction, inside a number (a field known to be digits, the "45" of "45/KH-UBND",
folded): a letter or symbol → the digit OCR read it for."""
_VOWELS = frozenset("aeiouy")

ROMAN_LETTERS = "IVXL"
ROMAN_LOOKALIKES = "Hl1|![]"
"""What tesseract prints for the serif I's of a Roman numeral whose glyphs touch ("II" as "H",
"11", "ll", "I|", brackets on 200 dpi scans); a word of ROMAN_LETTERS and these may be a misread numeral."""


def letters_for_digits(token: str) -> str:
    """A mixed token with its look-alike digits read as letters: "s6" → "so", "1én" → "lén", "t01" → "toi".

    "1" is "l" where it opens the word before a vowel ("1ập", "1à": Vietnamese "l" only begins a
    syllable) and "i" elsewhere ("th1", "n61", "k1ến"): the two maps the parsers used disagreed
    on it (one always "l", one always "i"); the seeds have both readings, split this way.
    """
    out = token.translate(_DIGITS)
    if out[:1] == "1" and fold_keep(out[1:2]) in _VOWELS:
        out = "l" + out[1:]
    return out.replace("1", "i")


_LETTER = re.compile(r"[a-z]")
_NUMBER_RUN = re.compile(r"\d{3,}")  # "o244" is a number with junk, not a word
_T = r"[^\s.,;:()\[\]\"'“”/|-]"  # a token character
_MIXED = re.compile(rf"{_T}*[0-9$¢]{_T}*")
_P_START = re.compile(rf"(?<!{_T})p(?=[a-gi-z])")


def _ocr_token(m: re.Match[str]) -> str:
    tok = m.group(0)
    if tok.isdigit() or not _LETTER.search(tok) or _NUMBER_RUN.search(tok):
        return tok
    return letters_for_digits(tok)


def ocr_fold(text: str) -> str:
    """Length-preserving fold that also undoes common OCR letter/digit confusions.

    NFC input keeps the one-to-one character mapping; rules match on this form
    and report spans that index the original text.
    """
    out = _MIXED.sub(_ocr_token, fold_keep(text))
    # "Đ" read as "P": Vietnamese words start with "ph", almost never with a bare "p".
    return _P_START.sub("d", out)


# --- Agency head words -----------------------------------------------------------------------


class HeadUse(Flag):
    """Which rules a head word takes part in, beyond "a name that opens with it is an agency"."""

    NONE = 0
    SPLIT = auto()
    """A run-on agency cell is cut before it ("Sở Tư pháp Phòng Nội vụ")."""
    AFTER_AND = auto()
    """After "và" it opens a second agency ("Sở Nội vụ và các cơ quan")."""
    BODY = auto()
    """It opens the name of one specific body, completed from the gazetteer in interleaved rows.
    Generic groups ("Các cơ quan", "UBND các phường") are not: there they are mostly the partner
    column, or objects in the task wording ("tham mưu UBND tỉnh")."""
    CELL_START = auto()
    """A short text block opening with it is a cut agency cell, not task wording. "Thanh tra"
    is not: plans open tasks with the verb ("Thanh tra, kiểm tra ...")."""


_S, _A, _B, _C = HeadUse.SPLIT, HeadUse.AFTER_AND, HeadUse.BODY, HeadUse.CELL_START
AGENCY_HEADS: tuple[tuple[str, HeadUse], ...] = (
    ("Sở", _S | _A | _B | _C),
    ("Phòng", _S | _A | _B | _C),
    ("Văn phòng", _S | _A | _B | _C),
    ("Trung tâm", _S | _A | _B | _C),
    ("Công an", _S | _A | _B | _C),
    ("Đài", _S | _A | _B | _C),
    ("Chi cục", _S | _B | _C),
    ("Bưu điện", _S | _B | _C),
    ("Kho bạc", _S | _B | _C),
    ("UBND", _S | _A | _C),
    ("Các", _S | _A),
    ("Cục", _S | _A),
    ("Báo", _S | _A),
    ("Ủy ban", _A),
    ("Bộ phận", _B | _C),
    ("Thanh tra", _B),
    ("Ban", HeadUse.NONE),
    ("Trường", HeadUse.NONE),
    ("Ngân hàng", HeadUse.NONE),
    ("Bảo hiểm", HeadUse.NONE),
    ("Hội", HeadUse.NONE),
    ("Hội đồng", HeadUse.NONE),
    ("Liên đoàn", HeadUse.NONE),
    ("Cơ quan", HeadUse.NONE),
    ("Đơn vị", HeadUse.NONE),
    ("Bộ", HeadUse.NONE),
    ("Tỉnh đoàn", HeadUse.NONE),
    ("Huyện đoàn", HeadUse.NONE),
    ("Đoàn", HeadUse.NONE),
    ("HĐND", HeadUse.NONE),
    ("Công chức", HeadUse.NONE),
    ("Viễn thông", HeadUse.NONE),
    ("Chủ tịch", HeadUse.NONE),
    ("Tổ", HeadUse.NONE),
    ("Viện", HeadUse.NONE),
    ("Bệnh viện", HeadUse.NONE),
)
"""Every head word an agency's name opens with, as plans print it, and the rules that use it."""


def agency_heads(use: HeadUse = HeadUse.NONE, *, printed: bool = False) -> tuple[str, ...]:
    """Head words taking part in `use` (all of them for NONE), folded ("van phong") unless
    `printed` ("Văn phòng"); longer heads first, so "van phong" is tried before "phong"."""
    heads = [h for h, uses in AGENCY_HEADS if use in uses]
    heads.sort(key=lambda h: -len(h.split()))
    return tuple(heads if printed else (fold(h) for h in heads))
