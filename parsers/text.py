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


# OCR of Vietnamese with an English model turns marked vowels into digits and
# symbols inside words ("s6" for "số", "x4" for "xã", "1én" for "lên", "Pidu"
# for "Điều"). Inside a token that also has letters these are mapped back to
# the letter they most often stand for, so keyword rules see "so", "xa", "len".
_DIGIT_AS_LETTER = str.maketrans({"0": "o", "1": "l", "3": "a", "4": "a", "6": "o", "8": "o", "$": "s", "¢": "e"})
_NUMBER_RUN = re.compile(r"\d{3,}")  # "o244" is a number with junk, not a word
_TOKEN = re.compile(r"[^\s.,;:()\[\]\"'“”/|-]+")


def fold_keep(text: str) -> str:
    """`fold` without collapsing spaces: same length as the NFC input, so a match in the
    folded string is a span of the original (values are then cut from the original)."""
    out = []
    for ch in nfc(text):
        f = strip_marks(ch).lower()
        out.append(f[:1] if len(f) >= 1 else " ")
    return "".join(out)


def _ocr_token(m: re.Match[str]) -> str:
    tok = m.group(0)
    if (
        any(c.isalpha() for c in tok)
        and any(c.isdigit() or c in "$¢" for c in tok)
        and not _NUMBER_RUN.search(tok)
    ):
        tok = tok.translate(_DIGIT_AS_LETTER)
    if len(tok) > 1 and tok[0] == "p" and tok[1] != "h":
        # "Đ" read as "P": Vietnamese words start with "ph", almost never with bare "p".
        tok = "d" + tok[1:]
    return tok


def ocr_fold(text: str) -> str:
    """Length-preserving fold that also undoes common OCR letter/digit confusions.

    NFC input keeps the one-to-one character mapping; rules match on this form
    and report spans that index the original text.
    """
    return _TOKEN.sub(_ocr_token, fold_keep(text))


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
