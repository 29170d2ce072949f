"""Section rows of an appendix task table ("I | CẢI CÁCH THỂ CHẾ") → reform area code.

Appendix tables group tasks under headings that name the reform area, in
Roman or Arabic numbering, sometimes damaged by OCR ("Cai cich thé ché").
Matching is on folded text: a keyword phrase per area, found exactly or with
rapidfuzz `partial_ratio` so one or two damaged letters do not lose the area.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from parsers.text import fold

# Ordered: the first area whose phrase is found wins, so the more specific
# phrases ("thu tuc hanh chinh") come before broader ones that may co-occur.
AREA_PHRASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("chi_dao_dieu_hanh", ("chi dao dieu hanh", "chi dao, dieu hanh", "cong tac chi dao")),
    ("the_che", ("cai cach the che", "the che")),
    ("thu_tuc_hanh_chinh", ("cai cach thu tuc hanh chinh", "thu tuc hanh chinh", "cai cach tthc")),
    ("to_chuc_bo_may", ("cai cach to chuc bo may", "to chuc bo may")),
    ("che_do_cong_vu", ("cai cach che do cong vu", "che do cong vu", "doi ngu can bo, cong chuc")),
    ("tai_chinh_cong", ("cai cach tai chinh cong", "tai chinh cong")),
    (
        "chinh_quyen_so",
        (
            "chinh quyen dien tu",
            "chinh quyen so",
            "chinh phu dien tu",
            "chinh phu so",
            "hien dai hoa hanh chinh",
            "chuyen doi so",
        ),
    ),
)

_LEAD = re.compile(r"^(?:[ivxl]+|\d+(?:\.\d+)*)\s*[.):|]?\s+|^[-–•*]\s*")
_LEAD_WORDS = re.compile(r"^(?:cai cach|cong tac|xay dung va phat trien|xay dung|linh vuc|ve)\s+")
_ROMAN = re.compile(r"^[IVXL]+\.?$")


def area_of_heading(text: str, strict: bool = False) -> str | None:
    """Area code a heading names, or None.

    `strict` (used for Arabic-numbered sub-headings) accepts a phrase only at
    the start of the heading, after "Cải cách"/"Công tác"/"Xây dựng và phát
    triển": "1. Cải cách thể chế" is an area, "1. Kiểm soát thủ tục hành
    chính" inside the TTHC section is not a new one.
    """
    folded = _LEAD.sub("", fold(re.sub(r"<[^>]+>", " ", text)))
    if not folded or len(folded) > 140:
        return None
    head = _LEAD_WORDS.sub("", folded)
    for area, phrases in AREA_PHRASES:
        for phrase in phrases:
            if strict:
                if head.startswith(phrase) or folded.startswith(phrase):
                    return area
                continue
            if phrase in folded:
                return area
    # damaged start ("Cii cach thé ché"): the heading's first words close to the full area name
    for area, phrases in AREA_PHRASES:
        full = phrases[0]
        if len(folded) >= len(full) - 2 and fuzz.ratio(full, folded[: len(full)]) >= (85 if strict else 80):
            return area
    if strict:
        return None
    for area, phrases in AREA_PHRASES:
        for phrase in phrases:
            if len(phrase) >= 10 and len(folded) >= 0.8 * len(phrase) and fuzz.partial_ratio(phrase, folded) >= 88:
                return area
    return None


def is_roman(label: str) -> bool:
    """Roman section numbers ("I", "IV.") mark area sections in most appendices."""
    return bool(_ROMAN.match(label.strip()))


AREA_TITLES: dict[str, str] = {area: phrases[0] for area, phrases in AREA_PHRASES}
"""Each area's full name (folded), for titles too damaged for `area_of_heading`."""
AREA_ORDER: tuple[str, ...] = (
    "the_che", "thu_tuc_hanh_chinh", "to_chuc_bo_may", "che_do_cong_vu", "tai_chinh_cong", "chinh_quyen_so",
)
"""The order of the six reform areas in the Government's programme (NQ 76/NQ-CP), which plans follow;
"chỉ đạo điều hành" comes first or last."""


def closest_area(title: str, minimum: float = 60) -> str | None:
    """The area whose full name a damaged section title is most like (token-set ratio >= `minimum`), or None."""
    folded = _LEAD.sub("", fold(re.sub(r"<[^>]+>", " ", title)))
    if len(folded) < 6:
        return None
    best = process.extractOne(folded, AREA_TITLES, scorer=fuzz.token_set_ratio, score_cutoff=minimum)
    return best[2] if best else None


def next_area(seen: list[str]) -> str | None:
    """The area a section whose row was missed most likely has: the first of the programme's order after the last seen."""
    last = seen[-1] if seen else None
    start = AREA_ORDER.index(last) + 1 if last in AREA_ORDER else 0
    if last == "chi_dao_dieu_hanh" and len(seen) > 1:
        return None  # "chỉ đạo điều hành" closed the list
    for area in AREA_ORDER[start:]:
        if area not in seen:
            return area
    return "chi_dao_dieu_hanh" if "chi_dao_dieu_hanh" not in seen else None


AREA_WORDS: dict[str, tuple[str, ...]] = {
    "the_che": ("van ban quy pham", "vbqppl", "qppl", "the che", "phap luat", "theo doi thi hanh"),
    "thu_tuc_hanh_chinh": ("thu tuc hanh chinh", "tthc", "mot cua", "ho so", "phan anh, kien nghi", "niem yet"),
    "to_chuc_bo_may": ("bo may", "sap xep", "chuc nang, nhiem vu", "vi tri viec lam", "don vi su nghiep",
                       "tinh gian bien che"),
    "che_do_cong_vu": ("cong chuc", "vien chuc", "cong vu", "boi duong", "tuyen dung", "ky luat, ky cuong"),
    "tai_chinh_cong": ("tai chinh", "ngan sach", "tu chu", "kinh phi", "thanh toan", "dinh muc"),
    "chinh_quyen_so": ("chuyen doi so", "chinh quyen so", "dien tu", "truc tuyen", "du lieu", "so hoa",
                       "phan mem", "he thong thong tin", "ky so"),
    "chi_dao_dieu_hanh": ("kiem tra", "tuyen truyen", "chi dao", "bao cao", "chi so", "khen thuong"),
}
"""Words the tasks of each area use: what a section's rows say when its own title was lost."""


def area_of_rows(contents: list[str], candidates: list[str]) -> str | None:
    """The candidate area the rows' words name most (at least twice, and more than any other), or None."""
    text = " ".join(fold(c) for c in contents)
    scores = sorted(((sum(text.count(w) for w in AREA_WORDS.get(a, ())), a) for a in candidates), reverse=True)
    if not scores or scores[0][0] < 2 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return None
    return scores[0][1]
