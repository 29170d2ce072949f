"""Reform-area sections of a CCHC plan: where each of the six areas (and "chỉ đạo, điều hành") is headed.

Plans follow Nghị quyết 76/NQ-CP: six reform areas, usually numbered 1-6
(Arabic or Roman) under a "nhiệm vụ" part, often with "chỉ đạo, điều hành"
as a seventh. Headings are matched on OCR-folded text with rapidfuzz against
the canonical names, so "S. Cai cach tai chinh cong" or "IV. CONG TAC CHI PAO
PIEU HANH" still count. Besides the area rows, the outline gives every line's
area, which the target parser uses to file figures under their section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from parsers.text import clean_line, ocr_fold
from schema.records import AreaRow

# Canonical headings per area (folded); several spellings the genre uses.
AREA_NAMES: dict[str, tuple[str, ...]] = {
    "the_che": ("cai cach the che", "cong tac cai cach the che", "xay dung va hoan thien the che"),
    "thu_tuc_hanh_chinh": ("cai cach thu tuc hanh chinh", "cong tac cai cach thu tuc hanh chinh"),
    "to_chuc_bo_may": (
        "cai cach to chuc bo may",
        "cai cach to chuc bo may hanh chinh",
        "cai cach to chuc bo may hanh chinh nha nuoc",
    ),
    "che_do_cong_vu": (
        "cai cach che do cong vu",
        "cai cach che do cong vu cong chuc",
        "xay dung va nang cao chat luong doi ngu can bo cong chuc vien chuc",
    ),
    "tai_chinh_cong": ("cai cach tai chinh cong", "cai cach tai chinh"),
    "chinh_quyen_so": (
        "xay dung va phat trien chinh quyen dien tu chinh quyen so",
        "xay dung phat trien chinh quyen dien tu chinh quyen so",
        "xay dung chinh quyen dien tu chinh quyen so",
        "xay dung va phat trien chinh phu dien tu chinh phu so",
        "xay dung chinh phu dien tu chinh phu so",
        "hien dai hoa hanh chinh",
        "hien dai hoa nen hanh chinh",
        "chuyen doi so",
    ),
    "chi_dao_dieu_hanh": (
        "cong tac chi dao dieu hanh",
        "cong tac chi dao dieu hanh cai cach hanh chinh",
        "cong tac chi dao dieu hanh thuc hien cai cach hanh chinh",
        "chi dao dieu hanh",
        "chi dao dieu hanh cai cach hanh chinh",
        "cong tac chi dao dieu hanh va thong tin tuyen truyen",
    ),
}

_NUMBERED = re.compile(
    r"^\W{0,3}(?P<num>(?:[ivxlt1]{1,4}|\d{1,2}|s)(?:\s?\.\s?\d{1,2})*)\s*[.,):/]?\s*[|]?\s+(?P<rest>\S.*)$"
)
_ROMAN = re.compile(r"^(?:[ivx]|ii|iii|iv|vi|vii|viii|ix|x|il|iti|ill|i1|1v|v1|vl|ll)$")
_LETTER = re.compile(r"^\W{0,2}[a-zđ]\)\s")
_WORDS = re.compile(r"[a-z0-9]+")

_NOI_NHAN = re.compile(r"^\W*noi\s*nhan\b")
_PHU_LUC = re.compile(r"^\W*_?phu\s*luc\b")
_STT = re.compile(r"^\W*stt\b")

HEADING_CUTOFF = 82.0


@dataclass
class Heading:
    index: int  # line index
    area: str | None
    text: str  # heading as printed (clean)
    roman: bool  # a part heading (upper case) that closes the sections before it
    score: float = 0.0
    depth: int = 1  # 0 for Roman numbering, 1 for "1.", 2 for "1.1." ...


@dataclass
class Outline:
    """Area sections of one document: line spans per area, and where the plan body ends."""

    body_end: int
    headings: list[Heading] = field(default_factory=list)
    spans: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end) line indices, area

    def area_at(self, index: int) -> str | None:
        for start, end, area in self.spans:
            if start <= index < end:
                return area
        return None


def _words(folded: str) -> str:
    return " ".join(_WORDS.findall(folded))


def area_of_heading(text: str) -> tuple[str | None, float]:
    """Area code a heading text names (after its numbering), with the match score."""
    key = _words(ocr_fold(text))
    if not key or len(key) > 90:
        return None, 0.0
    best: tuple[str | None, float] = (None, 0.0)
    for area, names in AREA_NAMES.items():
        for name in names:
            score = fuzz.ratio(key, name)
            if len(key) > len(name) + 8 and len(name) >= 15:
                # "Cải cách hành chính nhà nước" headings run on ("... thực hiện cải cách
                # hành chính"): accept a name at the start of a longer heading.
                prefix = fuzz.ratio(key[: len(name)], name)
                if prefix >= 92:
                    score = max(score, prefix - 5)
            if score > best[1]:
                best = (area, score)
    return best if best[1] >= HEADING_CUTOFF else (None, best[1])


def _is_roman_heading(num: str, rest: str) -> bool:
    letters = [c for c in rest if c.isalpha()]
    if not letters or len(rest.split()) > 16:
        return False
    upper = sum(1 for c in letters if c.isupper()) / len(letters)
    # Roman numerals are often read as "1", "l" or "IL": an upper-case numbered line
    # is a part heading whatever its number looks like.
    return upper >= 0.7 and (bool(_ROMAN.match(num)) or len(letters) >= 6)


def _is_table_line(raw: str) -> bool:
    return raw.count("\t") >= 2 or raw.count("|") >= 3


def find_headings(lines: list[tuple[int, str]]) -> list[Heading]:
    """Numbered lines naming a reform area, and upper-case Roman-numbered part headings."""
    out: list[Heading] = []
    for i, (_, raw) in enumerate(lines):
        text = clean_line(raw)
        if not text or len(text) > 140:
            continue
        folded = ocr_fold(text)
        m = _NUMBERED.match(folded)
        bold = raw.lstrip().startswith(("#", "**", "<b>"))
        if m is None and not bold:
            continue
        num = m.group("num").replace(" ", "") if m else ""
        rest = text[m.start("rest") :] if m else text
        rest = rest.lstrip("| ").strip()
        area, score = area_of_heading(rest)
        if area is None and i + 1 < len(lines):
            # Headings split over two lines.
            nxt = clean_line(lines[i + 1][1])
            if nxt and len(nxt) < 80:
                area2, score2 = area_of_heading(rest + " " + nxt)
                if area2 is not None:
                    area, score = area2, score2
        roman = bool(m) and _is_roman_heading(num, rest)
        if area is not None or roman:
            depth = 0 if _ROMAN.match(num) else (num.count(".") + 1 if num else 1)
            out.append(Heading(i, area, rest.rstrip(":. "), roman, score, depth))
    return out


def find_body_end(lines: list[tuple[int, str]], after: int, last_heading: int | None = None) -> int:
    """Where the plan body stops: the recipients list or an appendix after line `after`,
    else the first task table after the last area heading (a small table inside the body,
    such as a table of targets, does not end it)."""
    for i in range(after + 1, len(lines)):
        folded = ocr_fold(clean_line(lines[i][1]))
        if _NOI_NHAN.match(folded) or (_PHU_LUC.match(folded) and len(folded.split()) <= 12):
            return i
    start = max(after, last_heading or after)
    for i in range(start + 1, len(lines)):
        raw = lines[i][1]
        if _STT.match(ocr_fold(clean_line(raw))) or _is_table_line(raw):
            return i
    return len(lines)


def build_outline(lines: list[tuple[int, str]]) -> Outline:
    headings = find_headings(lines)
    first_area = next((h.index for h in headings if h.area), None)
    if first_area is None:
        return Outline(body_end=len(lines), headings=headings)
    prose_areas = [h.index for h in headings if h.area and not _is_table_line(lines[h.index][1])]
    body_end = find_body_end(lines, first_area, max(prose_areas) if prose_areas else None)
    spans: list[tuple[int, int, str]] = []
    body = [h for h in headings if h.index < body_end]
    for k, h in enumerate(body):
        if h.area is None:
            continue
        end = body_end
        for nxt in body[k + 1 :]:
            # An upper-case "1.1. MỤC TIÊU" inside "1. CẢI CÁCH THỂ CHẾ" does not close it.
            if nxt.area is not None or (nxt.roman and nxt.depth <= max(h.depth, 1)):
                end = nxt.index
                break
        spans.append((h.index, end, h.area))
    return Outline(body_end=body_end, headings=headings, spans=spans)


def extract_areas(lines: list[tuple[int, str]], plan_id: str, outline: Outline | None = None) -> list[AreaRow]:
    """One row per area: its longest section in the plan body (the task section), else its
    first mention in the appendix tables."""
    outline = outline or build_outline(lines)
    best: dict[str, tuple[int, int, int]] = {}
    for start, end, area in outline.spans:
        size = sum(len(lines[i][1]) for i in range(start + 1, end))
        if area not in best or size > best[area][2]:
            best[area] = (start, end, size)
    rows: list[AreaRow] = []
    for area, (start, end, _) in best.items():
        body = "\n".join(lines[i][1] for i in range(start + 1, end)).strip()
        heading = next(h.text for h in outline.headings if h.index == start)
        rows.append(
            AreaRow(
                plan_id=plan_id,
                area=area,  # type: ignore[arg-type]
                heading=heading,
                body=body,
                page_start=lines[start][0],
                page_end=lines[max(start, end - 1)][0],
            )
        )
    for h in outline.headings:
        if h.area and h.area not in best and h.index >= outline.body_end:
            best[h.area] = (h.index, h.index + 1, 0)
            rows.append(
                AreaRow(
                    plan_id=plan_id,
                    area=h.area,  # type: ignore[arg-type]
                    heading=h.text,
                    body="",
                    page_start=lines[h.index][0],
                    page_end=lines[h.index][0],
                )
            )
    order = list(AREA_NAMES)
    rows.sort(key=lambda r: order.index(r.area))
    return rows
