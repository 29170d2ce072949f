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
    text = nfc(text)
    out = text.translate(_FOLD_DROP)
    if _OUTSIDE_TABLE.search(out):
        out = strip_marks(text).lower()  # outside the Latin/Vietnamese table: the slow, general way
    return _SPACE.sub(" ", out).strip()


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _fold_char(ch: str) -> str:
    f = strip_marks(ch).lower()
    return f[:1] if f else " "


# One-to-one fold of every Latin / Vietnamese code point, built once: folding is on the hot
# path of every rule (a whole document is folded several times).
_FOLD_TABLE = {
    cp: _fold_char(chr(cp))
    for rng in (range(0x0000, 0x0250), range(0x0300, 0x0370), range(0x1E00, 0x1F00))
    for cp in rng
}


_OUTSIDE_TABLE = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff]")
_FOLD_DROP = {**_FOLD_TABLE, **{cp: "" for cp in range(0x0300, 0x0370)}}


def fold_keep(text: str) -> str:
    """`fold` without collapsing spaces: same length as the NFC input, so a match in the
    folded string is a span of the original (values are then cut from the original)."""
    text = nfc(text)
    out = text.translate(_FOLD_TABLE)
    if len(out) != len(text):  # a code point outside the table folded to several characters
        out = "".join(_fold_char(ch) for ch in text)
    return out


# OCR of Vietnamese with an English model turns marked vowels into digits and
# symbols inside words ("s6" for "số", "x4" for "xã", "1én" for "lên", "Pidu"
# for "Điều"). Inside a token that also has letters these are mapped back to
# the letter they most often stand for, so keyword rules see "so", "xa", "len".
_DIGIT_AS_LETTER = str.maketrans({"0": "o", "1": "l", "3": "a", "4": "a", "6": "o", "8": "o", "$": "s", "¢": "e"})
_LETTER = re.compile(r"[a-z]")
_NUMBER_RUN = re.compile(r"\d{3,}")  # "o244" is a number with junk, not a word
_T = r"[^\s.,;:()\[\]\"'“”/|-]"  # a token character
_MIXED = re.compile(rf"{_T}*[0-9$¢]{_T}*")
_P_START = re.compile(rf"(?<!{_T})p(?=[a-gi-z])")


def _ocr_token(m: re.Match[str]) -> str:
    tok = m.group(0)
    if tok.isdigit() or not _LETTER.search(tok) or _NUMBER_RUN.search(tok):
        return tok
    return tok.translate(_DIGIT_AS_LETTER)


def ocr_fold(text: str) -> str:
    """Length-preserving fold that also undoes common OCR letter/digit confusions.

    NFC input keeps the one-to-one character mapping; rules match on this form
    and report spans that index the original text.
    """
    out = _MIXED.sub(_ocr_token, fold_keep(text))
    # "Đ" read as "P": Vietnamese words start with "ph", almost never with a bare "p".
    return _P_START.sub("d", out)


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
