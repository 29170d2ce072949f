"""Document numbers ("Số: 12/2024/TT-BGDĐT") found in damaged text and written back as printed.

A number is `<n>/[<year>/]<type code>-<issuer code>`. Its letters are kept as printed: the issuer
code says who issued it (HĐND, BGDĐT, UBTVQH15, TTg), so "HDND" or "BGDDT" would name no one.
OCR loses exactly those letters (Đ read as D, P, B or 0; "1" read as "l"), so a code is matched
letter by letter against the codes the state prints (`parsers/data/doc_codes.tsv` and the
central bodies' codes of `parsers/data/issuing_bodies.tsv`), where a printed Đ accepts what OCR
makes of it; a code that matches none is kept as read, upper-cased.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from parsers.text import fold

DATA = Path(__file__).with_name("data")

_STRAY = "ŒœÆæØøÞþŁł"
"""Glyphs of no Vietnamese word that tesseract puts in a code for a bold Đ or a blot ("BCŒĐ" for BCĐ)."""
DOC_NO = re.compile(
    r"(?<![\d/])(\d{1,5})\s*[^\w/\n]{0,3}\s*/\s*(?:(\d{4})\s*/\s*)?([A-Za-z0-9ĐđÐð]{1,5})\s*[-–]\s*"
    r"([A-Za-zĐđÐð&][A-Za-zĐđÐð&" + _STRAY + r"]{1,9}\d{0,2})"
)
# Party bodies print "<n>-<type>/<body>": "1147-QĐ/BTGDVTW", "55-NQ/TU".
PARTY_NO = re.compile(r"(?<![\d/-])(\d{1,5})\s*-\s*([A-Za-zĐđ]{1,4})\s*/\s*([A-Za-zĐđ]{2,12}\d{0,2})(?![\w/])")
_QD = {"qd", "0d", "od", "qb", "0b", "ob", "qp", "0p", "op", "qo", "q"}
_UBND = {"UBND", "UBNĐ", "UBNP", "UBNB", "UBN0"}
_AS_D = set("DĐPBO0Ð")  # what OCR makes of a printed Đ
_AS_DIGIT = {"1": set("1lI|"), "0": set("0oO"), "5": set("5sS")}


@lru_cache(maxsize=1)
def printed_codes() -> tuple[str, ...]:
    """Every code whose printed letters are known, longest first."""
    codes: set[str] = set()
    for name in ("doc_codes.tsv", "issuing_bodies.tsv"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                codes.add(line.split("\t")[-1].strip())
    return tuple(sorted(codes, key=lambda c: (-len(c), c)))


def _same_letter(read: str, printed: str) -> bool:
    if printed == "Đ":
        return read.upper() in _AS_D
    if printed in _AS_DIGIT:
        return read in _AS_DIGIT[printed]
    return read.upper() == printed.upper()


def printed_code(read: str) -> str:
    """The code as printed: an exact (case-blind) match first, then one that tolerates OCR's Đ and digits."""
    read = read.replace("ð", "đ").replace("Ð", "Đ")
    codes = printed_codes()
    for code in codes:
        if code.upper() == read.upper():
            return code
    for code in codes:
        if len(code) == len(read) and all(_same_letter(r, p) for r, p in zip(read, code, strict=True)):
            return code
    plain = re.sub(f"[{_STRAY}]", "", read)
    if plain != read and plain:
        return printed_code(plain)  # a stray glyph inside the code
    return read.upper()


def normalise_doc_number(num: str, year: str | None, code: str, suffix: str) -> str:
    """'12', None, 'QD', 'UBND' -> '12/QĐ-UBND'; '12', '2024', 'TT', 'BGDDT' -> '12/2024/TT-BGDĐT'.

    The type code of a decision is read liberally (OCR turns "QĐ" into "0D", "Qb", "op"...);
    legal documents keep their year.
    """
    key = fold(code).replace("đ", "d")
    code_n = "QĐ" if key in _QD or key.startswith("q") else printed_code(code)
    suf = "UBND" if suffix.upper() in _UBND else printed_code(suffix)
    return f"{num}/{year + '/' if year else ''}{code_n}-{suf}"


def find_number(text: str) -> tuple[str, re.Match[str]] | None:
    """The first document number in a piece of text, normalised, with its match (state or party format)."""
    m = DOC_NO.search(text)
    if m:
        return normalise_doc_number(*m.groups()), m
    m = PARTY_NO.search(text)
    if m:
        num, code, body = m.groups()
        return f"{num}-{printed_code(code)}/{printed_code(body)}", m
    return None


def mend_issuer_code(doc_number: str | None, code: str | None) -> str | None:
    """A number whose issuer code OCR garbled past reading ("4385/QĐ-BVHL" from "BVHL'1UL") when the letterhead
    names a central body whose code starts with the same three letters: the body's code as printed."""
    if not doc_number or not code or "-" not in doc_number:
        return doc_number
    head, read = doc_number.rsplit("-", 1)
    if read in printed_codes() or read == code or len(read) < 3 or not code.upper().startswith(read[:3].upper()):
        return doc_number
    return f"{head}-{code}"
