"""Deadline cells ("Quý I/2024", "Tháng 02/2024", "Thường xuyên") → last allowed day and recurring flag.

Analysts sort tasks by "due by", so a deadline is normalised to the *last*
day the wording allows: a quarter ends on its last day, a month on its last
day, "trong năm 2024" on 31 December. Cells that name several deadlines
("Thường xuyên - Tại cấp huyện trong quý I/2024") take the latest dated one.
Recurring wordings (thường xuyên, hằng quý, hàng tháng, định kỳ ...) set the
flag; a recurring cell with no date keeps `date=None`.

Everything matches on folded text (`parsers.text.fold`) because OCR may have
damaged the marks ("Quy II/2024", "Thuong xuyén").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from pydantic import BaseModel

from parsers.text import fold

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR = r"((?:19|20)\d{2})"
_SEP = r"\s*[/.]\s*"

# "quý II/2024", "quý II-III/2024", "quý 2 năm 2024", "quý IV 2024"
_QUARTER = re.compile(
    r"\bquy\s+((?:iv|i{1,3}|[1-4]))(?:\s*(?:-|den|,|va)\s*((?:iv|i{1,3}|[1-4])))?"
    r"(?:\s*(?:/|nam|-|\.)\s*|\s+)" + _YEAR
)
# "tháng 02/2024", "tháng 3 năm 2024", "tháng 11-12/2024"
_MONTH = re.compile(
    r"\bthang\s+(\d{1,2})(?:\s*(?:-|den|,|va)\s*(\d{1,2}))?(?:\s*(?:/|nam|-|\.)\s*|\s+)" + _YEAR
)
# bare "02/2024" (a month) — only when not part of a full date
_BARE_MONTH = re.compile(r"(?<![\d/.\-])(\d{1,2})" + r"\s*/\s*" + _YEAR + r"(?![\d/])")
# "ngày 14/3/2024", "31/01/2024", "14 tháng 3 năm 2024"
_DATE = re.compile(r"(?<![\d\-])(\d{1,2})" + _SEP + r"(\d{1,2})" + _SEP + _YEAR)
_DATE_WORDS = re.compile(r"(?<!\d)(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+" + _YEAR)
# "6 tháng đầu năm (2024)", "06 tháng cuối năm"
_HALF = re.compile(r"\b0?6\s+thang\s+(dau|cuoi)\s+nam(?:\s+" + _YEAR + r")?")
# "năm 2024", "trong năm 2024", "cả năm 2024", bare "2024"
_YEAR_ONLY = re.compile(r"(?:\bnam\s+)?" + r"(?<!\d)" + _YEAR + r"(?!\d)")
# "giai đoạn 2021-2025", "2021 - 2025"
_RANGE = re.compile(_YEAR + r"\s*-\s*" + _YEAR)

_RECURRING = re.compile(
    r"\b(thuong xuyen|hang (?:ngay|tuan|thang|quy|nam)|hang (?:thang|quy|nam)|dinh ky|"
    r"lien tuc|moi (?:thang|quy|nam)|hang ky)\b"
)


_OCR_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bth\w{1,3}ng\s+xu\w{1,2}n\b"), "thuong xuyen"),
    (re.compile(r"\b(trong|ca|den)\s+n\w{1,2}m\b"), r"\1 nam"),
    (re.compile(r"\bn\w{1,2}m\s+(?=(?:19|20)\d{2}\b)"), "nam "),
    (re.compile(r"\bq\w{1,2}y\s+(?=[ivx1l]{1,3}\b|[ivx1l]{1,3}\s*/)"), "quy "),
    (re.compile(r"(?<=\bquy )([1il]{1,3}|[1il]v)(?=\s*[/\-]|\s+nam\b)"), lambda m: m.group(1).replace("1", "i").replace("l", "i")),
    # second quarter of a range, "Quý II-IIH/2024": OCR reads the last "I" as "H", "l" or "1"
    (
        re.compile(r"(?<=\bquy )((?:iv|i{1,3})\s*-\s*)([ivhl1]{1,3})(?=\s*/)"),
        lambda m: m.group(1) + m.group(2).replace("h", "i").replace("l", "i").replace("1", "i"),
    ),
    (re.compile(r"\bth\w{1,2}ng\s+(?=\d)"), "thang "),
    (re.compile(r"\bh\w{1,2}ng\s+(ngay|tuan|thang|quy|nam)\b"), r"hang \1"),
)
"""OCR letter damage seen in deadline cells: "Thudng xuyén", "Trong ndm 2024", "Quy 1V/2024", "Quý II-IIH/2024"."""


def deadline_fold(text: str) -> str:
    """Folded text with the deadline words OCR commonly damages put back (not `schema.vntext.ocr_fold`:
    this one repairs whole deadline words, that one single look-alike characters)."""
    folded = fold(text)
    for pattern, repl in _OCR_FIXES:
        folded = pattern.sub(repl, folded)  # type: ignore[arg-type]
    return folded


class Deadline(BaseModel):
    """A normalised deadline cell."""

    date: dt.date | None = None
    recurring: bool = False


def _month_end(year: int, month: int) -> dt.date | None:
    if not 1 <= month <= 12:
        return None
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _quarter_no(token: str) -> int:
    return _ROMAN[token] if token in _ROMAN else int(token)


def _candidates(text: str, plan_year: int | None) -> list[dt.date]:
    """Every date the folded text allows, each at its latest day; spans already consumed are masked."""
    found: list[dt.date] = []
    rest = text

    def take(pattern: re.Pattern[str], convert) -> None:  # type: ignore[no-untyped-def]
        nonlocal rest
        for m in pattern.finditer(rest):
            value = convert(m)
            if value is not None:
                found.append(value)
        rest = pattern.sub(lambda m: " " * len(m.group(0)), rest)

    def full_date(m: re.Match[str]) -> dt.date | None:
        try:
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        except ValueError:
            return None

    def quarter(m: re.Match[str]) -> dt.date | None:
        q = _quarter_no(m.group(2) or m.group(1))
        return _month_end(int(m.group(3)), 3 * q)

    def month(m: re.Match[str]) -> dt.date | None:
        return _month_end(int(m.group(3)), int(m.group(2) or m.group(1)))

    def bare_month(m: re.Match[str]) -> dt.date | None:
        return _month_end(int(m.group(2)), int(m.group(1)))

    def half(m: re.Match[str]) -> dt.date | None:
        year = int(m.group(2)) if m.group(2) else plan_year
        if year is None:
            return None
        return dt.date(year, 6, 30) if m.group(1) == "dau" else dt.date(year, 12, 31)

    def year_range(m: re.Match[str]) -> dt.date | None:
        return dt.date(int(m.group(2)), 12, 31)

    def year_only(m: re.Match[str]) -> dt.date | None:
        return dt.date(int(m.group(1)), 12, 31)

    take(_DATE_WORDS, full_date)
    take(_DATE, full_date)
    take(_QUARTER, quarter)
    take(_MONTH, month)
    take(_HALF, half)
    take(_BARE_MONTH, bare_month)
    take(_RANGE, year_range)
    take(_YEAR_ONLY, year_only)
    return found


_REFERENCE = re.compile(r"\b(?:so|nghi dinh|quyet dinh|ke hoach|thong tu|chi thi|nghi quyet)\s+(?:so\s+)?\d+/\S+")
_REF_DATE = re.compile(r"\bngay\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*(?:19|20)\d{2}")


def parse_deadline(text: str | None, plan_year: int | None = None) -> Deadline:
    """Normalise one deadline cell; `plan_year` resolves year-less wordings ("6 tháng đầu năm").

    Dates that belong to a cited document ("Theo Kế hoạch số 45/KH-UBND ngày
    22/01/2023") are not deadlines and are ignored.
    """
    if not text:
        return Deadline()
    folded = deadline_fold(text)
    recurring = bool(_RECURRING.search(folded))
    if _REFERENCE.search(folded):
        folded = _REF_DATE.sub(" ", _REFERENCE.sub(" ", folded))
    dates = _candidates(folded, plan_year)
    if not dates and not recurring and plan_year is not None and re.search(r"\b(trong|ca) nam\b|\bnam nay\b", folded):
        dates = [dt.date(plan_year, 12, 31)]
    return Deadline(date=max(dates) if dates else None, recurring=recurring)


_DEADLINE_HINT = re.compile(
    r"^\s*(?:-\s*)?(?:truoc|trong|den|cuoi|dau|ca|tu|hoan thanh|het)?\s*(?:ngay|thang|quy|nam)\s+\S+|"
    r"^\s*(?:-\s*)?(?:thuong xuyen|\d{1,2} thang (?:dau|cuoi)|hang (?:ngay|tuan|thang|quy|nam)|dinh ky|\d{1,2}/\d{1,2}/(?:19|20)\d{2}|"
    r"\d{1,2}/(?:19|20)\d{2}|(?:19|20)\d{2}\b)"
)


def looks_like_deadline(text: str) -> bool:
    """Whether a short text block reads as a deadline cell (used to classify scrambled OCR blocks)."""
    folded = deadline_fold(text)
    if not folded or len(folded) > 90:
        return False
    if _DEADLINE_HINT.search(folded) is None:
        return False
    if not _mostly_deadline_words(folded):
        return False
    return bool(_RECURRING.search(folded) or _candidates(folded, None) or re.search(r"\bnam\b", folded))


_FILLER = {"hoac", "sau", "khi", "co", "cac", "hoan", "thanh", "nhat", "la", "cham", "ket", "thuc"}


def _mostly_deadline_words(folded: str) -> bool:
    """Outside parentheses a deadline cell is deadline vocabulary: "Định kỳ hoặc đột xuất tổ chức
    đối thoại với doanh nghiệp" starts like one but is task wording; "Trong năm 2024 (sau khi có
    văn bản hướng dẫn)" is a deadline with a note."""
    words = re.findall(r"[a-z]+", re.sub(r"\([^)]*\)?", " ", folded))
    if not words:
        return True
    known = sum(w in _WORDS or w in _ROMAN or w in _FILLER for w in words)
    return known >= 0.6 * len(words)


_WORDS = {
    "thuong": "thường", "xuyen": "xuyên", "trong": "trong", "nam": "năm", "quy": "quý", "thang": "tháng",
    "hang": "hằng", "dinh": "định", "ky": "kỳ", "truoc": "trước", "ngay": "ngày", "dot": "đột", "xuat": "xuất",
    "va": "và", "den": "đến", "cuoi": "cuối", "dau": "đầu", "tu": "từ", "hoan": "hoàn", "thanh": "thành",
    "ca": "cả", "theo": "theo", "tuan": "tuần", "moi": "mỗi", "lien": "liên", "tuc": "tục",
}
_VALID = set(_WORDS.values()) | {"hàng", "quí", "kì"}
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


_QUARTER_NUMERAL = re.compile(
    r"(?i)(?<=qu[yý] )([IVHUl1|!\[\]]{1,4}(?:\s*[-–]\s*[IVHUl1|!\[\]]{1,4})?)(?:(?=\s*/\s*\d)|(?=20\d\d\b))")
"""The numeral of "Quý III/2024" as OCR damages it: serif I's read as "[", "]", "l", "L", "U", "1", "|", "H"."""
def _unglue(m: re.Match[str]) -> str:
    """A lower-case word glued to a capitalised one ("theoKế hoạch"): OCR lost the space in a narrow cell."""
    word = m.group(0)
    cuts = [i for i in range(2, len(word) - 1) if word[i - 1].islower() and word[i].isupper() and word[i + 1].islower()]
    for i in reversed(cuts):
        word = word[:i] + " " + word[i:]
    return word


_QUARTER_ROMAN = re.compile(r"^(?:I{1,3}|IV)(?:[-–](?:I{1,3}|IV))?$")


def _quarter_numeral(m: re.Match[str]) -> str:
    """Look-alikes of I turned into I when that makes a quarter numeral ("I[I/2024" → "III/2024")."""
    read = re.sub(r"\s+", "", m.group(1))
    if re.fullmatch(r"[\d\-–]+", read) and all(1 <= int(p) <= 4 for p in re.split(r"[-–]", read) if p):
        return m.group(1)  # "Quý 1/2024" printed with Arabic digits stays as printed
    base = re.sub(r"[lLuU1|!\[\]]", "I", read.replace("i", "I"))
    # an H is two serif I's run together ("H" for II, "HI" for III), or one I blotted ("IHI" for III)
    fixed = next((f for f in (re.sub("[hH]", "II", base), re.sub("[hH]", "I", base)) if _QUARTER_ROMAN.match(f)), "")
    if not fixed:
        return m.group(1)
    glued = m.string[m.end() : m.end() + 2] == "20"  # the slash lost: "Quý II2024"
    return fixed + "/" if glued else fixed


def _unglue_folded(word: str) -> list[str] | None:
    """A folded token that is deadline words run together ("thuongxuyen", "truocngay"): OCR lost the spaces in
    a narrow cell. The split must use up the whole token, into words of the closed vocabulary only."""
    if len(word) < 5:
        return None
    best: list[list[str] | None] = [None] * (len(word) + 1)
    best[0] = []
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            piece, head = word[start:end], best[start]
            if head is not None and (piece in _WORDS or piece in _ROMAN) and (
                    best[end] is None or len(head) + 1 < len(best[end])):
                best[end] = [*head, piece]
    found = best[-1]
    return found if found is not None and len(found) > 1 else None


def restore_deadline_text(text: str | None) -> str | None:
    """Deadline cell with OCR-damaged marks put back, when every word is deadline vocabulary.

    Deadline cells use a closed vocabulary ("Thường xuyên trong năm", "Quý
    IV/2024"), so a cell OCR'd as "Thuong xuyén trong ndm" can be restored
    word by word without a language model. Cells with any other word, or
    whose words are already correctly spelled, are returned unchanged.
    """
    if not text:
        return text
    text = re.sub(r"\w{4,}", _unglue, _QUARTER_NUMERAL.sub(_quarter_numeral, text))
    words = [w.lower() for w in _TOKEN.findall(text)]
    folded = deadline_fold(text)
    if all(w in _VALID or w in _ROMAN for w in words) and folded == fold(text):
        return text
    out: list[str] = []
    for piece in re.split(r"(\W+)", folded):
        if not piece or not piece.isalpha():
            out.append(piece)
        elif piece in _ROMAN:
            out.append(piece.upper())
        elif piece in _WORDS:
            out.append(_WORDS[piece])
        elif (parts := _unglue_folded(piece)) is not None:
            out.append(" ".join(_WORDS.get(w, w.upper()) for w in parts))
        else:
            return text
    restored = "".join(out).strip()
    return restored[:1].upper() + restored[1:] if text.strip()[:1].isupper() else restored


_DATED_YEAR = re.compile(r"(?P<pre>(?:(?<!\d)(?:0?[1-9]|1[0-2])|\b(?:I{1,3}|IV))\s*/\s*)20(?P<rest>[^\s/]{1,2})(?![\d/])")
"""The year of a month, date or quarter ("6/2025", "30/6/2025", "Quý I/2025"), its last digit as read."""


def repair_deadline_year(text: str | None, plan_year: int | None, common: frozenset[int] = frozenset()) -> str | None:
    """A deadline's year whose last digit OCR damaged, put back from the plan's year.

    A plan's deadlines fall in its own years, so a year read with a non-digit last character ("202!"),
    or one before the year the plan was issued ("30/6/2021" in a plan for 2025) that differs from the plan
    year only in its last digit, is the plan year. Years of referenced documents ("30/2020/NĐ-CP") do not
    match: their number is no month and a slash follows the year. A year that other deadline cells of the
    plan use too (`common`: a plan over several years) is kept.
    """
    if not text or plan_year is None:
        return text
    plan = str(plan_year)

    def fix(m: re.Match[str]) -> str:
        rest = m.group("rest")
        if rest.isdigit() and len(rest) == 2:
            year = 2000 + int(rest)
            keep = year >= plan_year - 1 or year in common or rest[0] != plan[2]
        else:  # "202!", "20.": the digits after "20" damaged
            keep = rest[0].isdigit() and rest[0] != plan[2]
        return m.group(0) if keep else m.group("pre") + plan

    return _DATED_YEAR.sub(fix, text)
