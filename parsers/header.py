"""Header of an administrative document (Nghị định 30/2020 layout), read from damaged OCR.

The layout is fixed: issuing body top left ("ỦY BAN NHÂN DÂN / TỈNH X"),
number ("Số: 12/QĐ-UBND") under it, place and date top right, the document
type word (QUYẾT ĐỊNH / KẾ HOẠCH) centred, then the title. When word
positions are known the letterhead is first read column by column
(`parsers.header_letterhead`); OCR dumps run the two columns together on one
line, so each field is found by pattern on OCR-folded text
(`parsers.text.ocr_fold`) and cut from the original. Names come back with
diacritics from the gazetteer; issuers of every kind (councils, ministries,
steering committees) are named by `parsers.header_issuers`, numbers keep
their printed letters (`parsers.header_numbers`).

A plan issued with a decision has no number of its own: under its title it
says "(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày ...)", and that
decision's number and date are the plan's (CONTRACT.md). When the header date
is illegible the same number is usually repeated legibly later ("Ban hành
kèm theo Quyết định số 12/QĐ-UBND ngày 08/12/2021"), so the whole document
is searched for it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from parsers.header_issuers import (
    UBND,
    IssuerFound,
    code_of_body,
    issuer_of_block,
    issuer_of_number,
    unit_after,
)
from parsers.header_letterhead import reorder_header_lines
from parsers.header_numbers import DOC_NO, find_number, mend_issuer_code, normalise_doc_number
from parsers.localities import KIND_WORDS, Unit, level_of
from parsers.text import clean_line, fold, nfc, ocr_fold, strip_marks
from schema.document import Page
from schema.records import Header

__all__ = ["DOC_TYPE_WORDS", "HEADER_LINES", "canonical_title", "normalise_doc_number", "parse_header"]

HEADER_LINES = 40  # lines searched for number, date, type word and title

DOC_TYPE_WORDS: dict[str, str] = {
    "quyet dinh": "quyet_dinh",
    "ke hoach": "ke_hoach",
    "chuong trinh": "chuong_trinh",
    "nghi quyet": "nghi_quyet",
    "chi thi": "chi_thi",
    "thong tu": "thong_tu",
}
_TYPE_OF_CODE = {"QĐ": "quyet_dinh", "KH": "ke_hoach", "NQ": "nghi_quyet", "CT": "chi_thi", "CTr": "chuong_trinh",
                 "TT": "thong_tu"}
_DATE_WORDS = re.compile(
    r"\bng[a-z]{1,2}\W{0,2}\s*(?P<d>\w{1,4}?)\s*th[a-z]{1,3}\W{0,2}\s*(?P<m>\w{1,3}?)\s*n[a-z]{1,2}\W{0,2}\s*(?P<y>\d{4})"
)
_DATE_SLASH = re.compile(r"\bng[a-z]{1,2}\W{0,2}\s*(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})")
_YEAR_RANGE = re.compile(r"(20\d\d)\s*[-–—]\s*(20\d\d)")
# The national motto, to cut it off the issuer's lines when the columns run together; "Độc lập" may come
# back from OCR and restoration as "Được lập", so "… lập - Tự do" is enough.
_NATIONAL = re.compile(r"c[o0]ng\s*h[o0]a|d[o0]c\s*l[a-z]{1,2}p|\bdpoc\b|\bpoc\b|\bdoc\b|"
                       r"\b[a-z]{1,5}\s+l[a-z]{1,2}p\s*[-–]\s*t[a-z]{1,2}\s*d[o0]\b")
_SIGNER_ROLE = re.compile(r"^\W*(kt\.?\s*|tm\.?\s*|q\.?\s*)?(pho\s+)?chu\s*tich\W*$")
_NAME = re.compile(r"^[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){1,4}$")
_WORD = re.compile(r"[a-z0-9]+")
_NUMBER_LINE = re.compile(r"^\W{0,3}s[a-z0-9]{0,2}\s*:")
# "(Ban hành kèm theo Quyết định / Nghị quyết số ...)", as OCR-folded text
_ISSUED_WITH = re.compile(r"ban\s*h[a-z]{1,3}nh\s*k[a-z]{1,3}m\s*th[a-z]{1,3}\s*(quy[a-z]{1,3}t\s*d[a-z]{1,3}nh|"
                          r"ngh[a-z]{1,2}\s*quy[a-z]{1,3}t)")


def _parse_date(d: str, m: str, y: str) -> dt.date | None:
    """A date only when every part is legible digits and valid."""
    if not (d.isdigit() and m.isdigit() and y.isdigit()):
        return None
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _find_date(folded: str) -> tuple[dt.date | None, re.Match[str] | None]:
    for pat in (_DATE_WORDS, _DATE_SLASH):
        m = pat.search(folded)
        if m:
            return _parse_date(m.group("d"), m.group("m"), m.group("y")), m
    return None, None


def _unit_after(text: str, year: int | None) -> tuple[str, Unit] | None:
    """First '<unit word> <name>' in a piece of text that names a known unit."""
    found = unit_after(text, year)
    return (found[0], found[1]) if found else None


class _Doc:
    def __init__(self, lines: list[tuple[int, str]]):
        self.lines = lines
        self.clean = [clean_line(t) for _, t in lines]
        self.folded = [ocr_fold(t) for t in self.clean]

    def nonblank(self, limit: int) -> list[int]:
        return [i for i, t in enumerate(self.clean[:limit]) if t]


def _doc_number(doc: _Doc, stop: int) -> tuple[str | None, int | None]:
    for i in doc.nonblank(stop):
        found = find_number(doc.clean[i])
        if found and not re.search(r"c[aă]n\s*c", doc.folded[i][:12]) and not _ISSUED_WITH.search(doc.folded[i]):
            return found[0], i
    return None, None


def _issued_with(doc: _Doc, start: int, stop: int) -> tuple[str, dt.date | None, int] | None:
    """Number and date of the decision a plan is issued with, from the line under its title."""
    for i in range(start, min(stop, len(doc.clean))):
        m = _ISSUED_WITH.search(doc.folded[i])
        if m is None or m.start() > 12:
            continue
        text = doc.clean[i][m.end():] + " " + (doc.clean[i + 1] if i + 1 < len(doc.clean) else "")
        no = DOC_NO.search(text)
        if no is None:
            continue
        date, _ = _find_date(ocr_fold(text[no.end():]))
        return normalise_doc_number(*no.groups()), date, i
    return None
def _type_word_lines(doc: _Doc, limit: int) -> list[tuple[int, str]]:
    """Centred type-word lines ('QUYẾT ĐỊNH', 'KẾ HOẠCH') near the top, in order."""
    out = []
    for i in doc.nonblank(limit):
        words = " ".join(_WORD.findall(doc.folded[i]))
        if not words or len(words) > 24:
            continue
        letters = [c for c in doc.clean[i] if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) / len(letters) < 0.6:
            continue
        for key, code in DOC_TYPE_WORDS.items():
            if fuzz.ratio(words.rstrip(" "), key) >= 80:
                out.append((i, code))
                break
    return out


def _title_after(doc: _Doc, i: int) -> str | None:
    """Title lines following a type-word line, up to a blank line or the preamble."""
    parts: list[str] = []
    for j in range(i + 1, min(i + 6, len(doc.clean))):
        t = doc.clean[j]
        f = doc.folded[j]
        if not t:
            if parts:
                break
            continue
        if t.startswith("(") or re.match(r"^(c[a-z]{1,2}n c|thuc hien|theo de nghi|chu tich|[ivx]{1,4}\.\s|\d{1,2}\.\s)", f):
            break
        if set(t) <= set("-_=* "):
            break
        parts.append(t)
        if len(" ".join(parts)) > 200:
            break
    return " ".join(parts).strip(" *") or None


def _plan_title(raw: str | None, is_plan_line: bool) -> str | None:
    """The plan's title with its type word: 'Kế hoạch cải cách hành chính ... năm 2024'.

    Under a KẾ HOẠCH line the title is the rest ("Cải cách hành chính ...");
    a decision that issues a plan names it ("Ban hành Kế hoạch ..."); any
    other document keeps its own title.
    """
    if not raw:
        return None
    letters = [c for c in raw if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.7:
        raw = raw[0] + raw[1:].lower()
    if not is_plan_line:
        m = re.search(r"\bk[a-z]{0,2}\s*h[a-z]{1,3}ch\b", ocr_fold(raw))
        if m is None or m.start() > 30:
            return raw
        raw = raw[m.end() :].strip()
        if not raw:
            return None
    return "Kế hoạch " + raw[0].lower() + raw[1:]


def _years(text: str) -> tuple[int | None, int | None]:
    f = ocr_fold(text)
    m = _YEAR_RANGE.search(f)
    if m and re.search(r"giai|doan|\bgd\b", f[max(0, m.start() - 20) : m.start()]):
        return int(m.group(1)), int(m.group(2))
    # "năm 2024", also when OCR or restoration garbled the word ("nim", "kim").
    m = re.search(r"\b(?!doan\b)[a-z]{2,4}\s+(20\d\d)\b(?!\s*[-–—/])", f)
    if m:
        return int(m.group(1)), int(m.group(1))
    return None, None


def _period(title: str | None, doc: _Doc) -> tuple[int | None, int | None]:
    """Years from the title, else from the sentence that issues the plan ("ban hành Kế hoạch ... năm 2024")."""
    if title:
        found = _years(title)
        if found[0]:
            return found
    for i in doc.nonblank(120):
        f = doc.folded[i]
        if re.search(r"ban h[a-z]{1,3}nh\s+k[a-z]{0,2}\s*h[a-z]{1,3}ch", f) and not re.match(r"\W*c[a-z]{1,2}n\s*c", f):
            found = _years(doc.clean[i] + " " + (doc.clean[i + 1] if i + 1 < len(doc.clean) else ""))
            if found[0]:
                return found
    return None, None


def _issuer_from_block(doc: _Doc, year: int | None) -> tuple[str, Unit] | None:
    """'ỦY BAN NHÂN DÂN' then the unit, on the same or the next line (columns run together)."""
    for i in doc.nonblank(12):
        m = UBND.search(doc.folded[i])
        if not m or m.start() > 6:
            continue
        same = doc.clean[i][m.end() :]
        cut = _NATIONAL.search(ocr_fold(same))
        found = _unit_after(same[: cut.start()] if cut else same, year)
        if found:
            return found
        for j in range(i + 1, min(i + 3, len(doc.clean))):
            if not doc.clean[j]:
                continue
            text = doc.clean[j]
            cut = _NATIONAL.search(doc.folded[j])
            if cut and cut.start() > 0:
                text = text[: cut.start()]
            found = _unit_after(text, year)
            if found:
                return found
            break
    return None


def _signer(doc: _Doc, end: int) -> str | None:
    """Name under the last 'CHỦ TỊCH' / 'KT. CHỦ TỊCH' line of the plan body."""
    for i in range(min(end, len(doc.clean)) - 1, -1, -1):
        if _SIGNER_ROLE.match(doc.folded[i]) and doc.clean[i].isupper():
            for j in range(i + 1, min(i + 8, len(doc.clean))):
                t = doc.clean[j].strip("* ")
                if t and _NAME.match(t) and not t.isupper() and not _SIGNER_ROLE.match(doc.folded[j]):
                    return t
                if t and fold(t).startswith(("pho chu tich", "chu tich")):
                    continue
            return None
    return None




@dataclass
class _Number:
    """The document's number, the line it is on, its type, and the date of the decision it came from."""

    doc_number: str | None = None
    line: int | None = None
    doc_type: str | None = None
    decision_date: dt.date | None = None


def _number_and_type(doc: _Doc, types: list[tuple[int, str]]) -> _Number:
    """Own number in the letterhead; for a plan without one, the number of the decision it is issued with."""
    first_type = types[0][0] if types else HEADER_LINES
    doc_number, number_line = _doc_number(doc, max(first_type + 1, 4))
    doc_type = types[0][1] if types and types[0][0] < HEADER_LINES else None
    if doc_number:
        code = doc_number.split("/")[-1].split("-")[0]
        return _Number(doc_number, number_line, _TYPE_OF_CODE.get(code, doc_type))
    if doc_type in (None, "ke_hoach", "chuong_trinh"):
        found = _issued_with(doc, first_type + 1 if types else 0, first_type + 10)
        if found:
            return _Number(found[0], found[2], doc_type, found[1])
    elif doc_type in ("quyet_dinh", "nghi_quyet"):
        # An illegible number of a decision that issues a plan: the plan repeats it under its title.
        found = _issued_with(doc, first_type + 1, 400)
        if found:
            return _Number(found[0], None, doc_type, None)
    return _Number(doc_type=doc_type)


def _title_of(doc: _Doc, types: list[tuple[int, str]]) -> tuple[str | None, str | None]:
    """(raw title, plan title): after the KẾ HOẠCH type line; a decision's own title otherwise."""
    title_raw, is_plan_line = None, False
    for i, code in types:
        if code == "ke_hoach":
            title_raw, is_plan_line = _title_after(doc, i), True
            break
    if title_raw is None and types:
        title_raw = _title_after(doc, types[0][0])
    return title_raw, _plan_title(title_raw, is_plan_line)


def _place_and_date(doc: _Doc, types: list[tuple[int, str]]) -> tuple[dt.date | None, str | None]:
    """'Địa danh, ngày ... tháng ... năm ...' in the header, possibly over two lines."""
    first_type = types[0][0] if types else HEADER_LINES
    zone = "\n".join(doc.clean[: first_type + 2])
    d, m = _find_date(ocr_fold(zone))
    if m is None:
        return None, None
    line_start = max(zone.rfind("\n", 0, m.start()), zone.rfind("|", 0, m.start())) + 1
    before = zone[line_start : m.start()]
    no = DOC_NO.search(before)
    if no:
        before = before[no.end() :]
    return d, before.strip(" ,.*_") or None


def _issuer_block(doc: _Doc) -> list[str]:
    """The letterhead's issuer lines: the first lines up to the number, the national motto cut off."""
    block: list[str] = []
    for i in doc.nonblank(12):
        f = doc.folded[i]
        if _NUMBER_LINE.match(f) or DOC_NO.search(doc.clean[i]) or _find_date(f)[1] is not None:
            break
        cut = _NATIONAL.search(f)
        text = doc.clean[i][: cut.start()] if cut else doc.clean[i]
        if not text.strip(" -_*|"):
            if block:
                break
            continue
        block.append(text.strip(" -_*|"))
        if len(block) == 4:
            break
    return block


def _committee(doc: _Doc, title_raw: str | None, place: str | None, year: int | None) -> IssuerFound | None:
    """A people's committee: its letterhead, else the unit in the title or the sentence issuing the plan."""
    found = _issuer_from_block(doc, year)
    if found is None and title_raw:
        found = _unit_after(title_raw, year)
    if found is None:
        for i in range(min(len(doc.clean), 120)):
            m = re.search(r"\bubnd\b|u[yv] ban nh[a-z]{1,2} d[a-z]{1,2}", doc.folded[i])
            if m and re.search(r"ban h[a-z]{1,3}nh\s+k", doc.folded[i][m.end() :]):
                found = _unit_after(doc.clean[i][m.end() :], year)
                if found:
                    break
    if found is None and place:
        found = _unit_after("tỉnh " + place, year)
    if found is None:
        return None
    kind, unit = found
    return IssuerFound(f"UBND {kind} {unit.name}", level_of(kind, unit), unit.name, unit)


def _inner_plan_number(doc: _Doc, number_line: int | None) -> str | None:
    """The issued plan's own header line ("Số: 12/KH-UBND" at the start of a line), not a citation."""
    for i in range(number_line + 1 if number_line is not None else 0, len(doc.clean)):
        m = _NUMBER_LINE.match(doc.folded[i])
        no = DOC_NO.search(doc.clean[i]) if m else None
        if no:
            num = normalise_doc_number(*no.groups())
            if "/KH-" in num:
                return num
    return None


def parse_header(lines: list[tuple[int, str]], body_end: int | None = None,
                 pages: list[Page] | None = None) -> Header:
    """Header fields of one document; fields that are not legible stay None.

    With `pages` (word boxes), the first page's letterhead is read column by column first.
    """
    if pages:
        reordered = reorder_header_lines(pages, lines)
        body_end = None if body_end is None else body_end + len(reordered) - len(lines)
        lines = reordered
    doc = _Doc(lines)
    types = _type_word_lines(doc, HEADER_LINES * 3)
    number = _number_and_type(doc, types)
    title_raw, title = _title_of(doc, types)
    period_start, period_end = _period(title, doc)
    issue_date, place = _place_and_date(doc, types)
    if number.decision_date is not None:
        issue_date = number.decision_date
    elif issue_date is None and number.doc_number:
        issue_date = _date_repeated(doc, number.doc_number)
    year = issue_date.year if issue_date else period_start
    found = (issuer_of_block(_issuer_block(doc), year) or issuer_of_number(number.doc_number)
             or _committee(doc, title_raw, place, year))
    if place and found and found.locality and fold(place) and fuzz.ratio(fold(place), fold(found.locality)) >= 75:
        place = found.locality
    doc_number = mend_issuer_code(number.doc_number, code_of_body(found.issuer if found else None))
    return Header(
        doc_number=doc_number,
        doc_type=number.doc_type,
        issuer=found.issuer if found else None,
        admin_level=found.admin_level if found else None,  # type: ignore[arg-type]
        locality=found.locality if found else None,
        issue_date=issue_date,
        title=canonical_title(title, found.unit if found else None),
        period_start=period_start,
        period_end=period_end,
        signer=_signer(doc, body_end if body_end is not None else len(lines)),
        place=place,
        plan_doc_number=_inner_plan_number(doc, number.line) if number.doc_type == "quyet_dinh" else None,
        header_page=lines[number.line][0] if number.line is not None else (lines[0][0] if lines else None),
    )


def _date_repeated(doc: _Doc, doc_number: str) -> dt.date | None:
    """The issue date printed next to the document's own number elsewhere (appendix, closing)."""
    num, rest = doc_number.split("/", 1)
    if not num.isdigit():
        return None  # a party number ("1147-QĐ/BTGDVTW") is not repeated in this form
    code = rest.split("/")[-1].split("-")[0]
    code_pat = "(?:q|0|o)[a-z0-9]" if code == "QĐ" else re.escape(fold(code))
    pat = re.compile(rf"(?<!\d){int(num):d}\s*/\s*{code_pat}\s*[-–]?\s*[a-z]+\W{{0,3}}\s*(.{{0,40}})")
    for f in doc.folded:
        for m in pat.finditer(f.replace(f"0{num}", num) if num.startswith("0") else f):
            d, _ = _find_date(m.group(1))
            if d:
                return d
    return None


# Words of the genre's titles, for putting marks back on a damaged title.
_TITLE_WORDS = (
    "kế hoạch cải cách hành chính nhà nước năm giai đoạn trên địa bàn tỉnh thành phố thị xã huyện quận "
    "xã phường thị trấn của về việc thực hiện triển khai công tác chương trình"
).split()
_TITLE_PAIRS = (
    "kế hoạch",
    "cải cách",
    "hành chính",
    "nhà nước",
    "địa bàn",
    "giai đoạn",
    "thành phố",
    "thị xã",
    "thị trấn",
    "thực hiện",
    "triển khai",
    "công tác",
    "chương trình",
)
_TITLE_LEX = {fold(w): w for w in _TITLE_WORDS}
_PAIR_LEX = {fold(w): w for w in _TITLE_PAIRS}
_UNAMBIGUOUS = {"tren", "nam", "nuoc", "cai", "cach", "hanh", "chinh", "hoach", "doan", "giai"}


def _key(token: str) -> str:
    return " ".join(_WORD.findall(ocr_fold(token)))


def _cased(word: str, like: str) -> str:
    return word[0].upper() + word[1:] if like[:1].isupper() else word


def canonical_title(title: str | None, unit: Unit | None) -> str | None:
    """Marks back on a damaged title from the genre's vocabulary and the gazetteer name.

    Titles of the genre are formulaic ("Kế hoạch cải cách hành chính [nhà nước]
    năm 2024 [trên địa bàn] tỉnh X"), so a token is replaced only when it
    folds, alone or with its neighbour, to a word of that vocabulary; the unit
    name comes from the gazetteer; anything else stays as printed.
    """
    if not title:
        return None
    tokens = nfc(title).split()
    fixed = [False] * len(tokens)
    # Vocabulary fixes only on a CCHC plan title, where the wording is known.
    genre = fuzz.partial_ratio("cai cach hanh chinh", " ".join(_key(t) for t in tokens[:8])) >= 80
    if genre:
        i = 0
        while i < len(tokens) - 1:
            if not (fixed[i] or fixed[i + 1]):
                pair = _key(tokens[i]) + " " + _key(tokens[i + 1])
                best = max(_PAIR_LEX, key=lambda k: fuzz.ratio(k, pair))
                if fuzz.ratio(best, pair) >= 75 and best[0] == pair[0]:
                    a, b = _PAIR_LEX[best].split()
                    tokens[i], tokens[i + 1] = _cased(a, tokens[i]), _cased(b, tokens[i + 1])
                    fixed[i] = fixed[i + 1] = True
                    i += 2
                    continue
            i += 1
    if unit is not None:
        n = len(unit.name.split())
        target = fold(unit.name)
        kinds = {k.split()[-1] for k in KIND_WORDS}
        for i in range(1, len(tokens) - n + 1):
            if _key(tokens[i - 1]) not in kinds:
                continue  # the name follows its unit word: "tỉnh Quảng Ngãi"
            cand = " ".join(tokens[i : i + n])
            if fuzz.ratio(_key(cand), target) >= 75:
                trail = cand[len(cand.rstrip(".,;:")) :]
                tokens[i : i + n] = unit.name.split()
                tokens[i + n - 1] += trail
                for k in range(i, i + n):
                    fixed[k] = True
                break
    for i, tok in enumerate(tokens):
        key = _key(tok)
        if not genre or fixed[i] or not key or key[0].isdigit():
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if re.fullmatch(r"[a-z]{2,4}", key) and re.match(r"20\d\d\b", nxt) and key not in {"nam", "doan"}:
            # The word before the year in these titles is "năm", however it was read ("nim", "kim").
            tokens[i] = _cased("năm", tok)
        elif key in _TITLE_LEX and (tok == strip_marks(tok) or key in _UNAMBIGUOUS):
            # A marked word is taken as printed ("Quản" is not "quận") unless its
            # folded form has one reading in these titles ("trén" can only be "trên").
            tokens[i] = _cased(_TITLE_LEX[key], tok)
    return " ".join(tokens)
