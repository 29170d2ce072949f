"""Read the two-column letterhead by column, from word positions, for text layers and OCR alike.

An official letterhead (Nghị định 30/2020) has the issuer block on the left (ỦY BAN NHÂN DÂN /
TỈNH X, the number under it) and the national motto on the right (CỘNG HÒA ... / Độc lập - Tự do
- Hạnh phúc, place and date under it). A reader that goes line by line across the page mixes the
two ("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI ..."), and with a wide issuer column the columns may not
even be told apart by the layout stage. Here the lines above the document-type word are split
into columns where their words leave a wide gap, and each column is read top to bottom: the
issuer block first, then the motto block. Text layers and OCR pages both carry word boxes
(`schema.document.Line.words`), so the rule is the same for both; a page without boxes (an OCR
text dump) is left as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from parsers.text import ocr_fold
from schema.document import Line, Page

_TYPE_WORD = re.compile(
    r"^\W*(k[e3]\s*h[o0]ach|quy[e3]t\s*d[i1]nh|ngh[i1]\s*quy[e3]t|ch[u]?[o0]ng\s*tr[i1]nh|th[o0]ng\s*t[u]|"
    r"ch[i1]\s*th[i1]|ngh[i1]\s*d[i1]nh|b[a4]o\s*c[a4]o|c[o0]ng\s*v[a4]n)\W*$")
_NATIONAL = re.compile(r"c[o0]ng\s*h[o0]a\s*x[a4]|d[o0]c\s*l[a4]p\s*-?\s*t[u]")
TOP_SHARE = 0.35  # the letterhead sits in the top third of the first page
GAP_LINES = 1.2  # a gap wider than this many line heights between two words separates columns


@dataclass
class Letterhead:
    """The letterhead's lines by column, and which of the page's lines (indices) it was read from."""

    left: list[str]
    right: list[str]
    indices: list[int]

    @property
    def lines(self) -> list[str]:
        return self.left + self.right


def _texts(page: Page) -> list[str]:
    """Each line's text after restoration when the page text still has one line per `Line`."""
    texts = page.text.split("\n")
    return texts if len(texts) == len(page.lines) else [ln.text for ln in page.lines]


def _zone(page: Page, texts: list[str]) -> list[int]:
    """Indices of the lines above the first document-type word, within the top of the page."""
    height = page.height or max((ln.bbox[3] for ln in page.lines if ln.bbox), default=0.0)
    boxed = sorted((i for i, ln in enumerate(page.lines) if ln.bbox and ln.words), key=lambda i: page.lines[i].bbox[1])
    limit = height * TOP_SHARE
    for i in boxed:
        if _TYPE_WORD.match(ocr_fold(texts[i])) and page.lines[i].bbox[1] < limit:
            limit = page.lines[i].bbox[1]
            break
    return [i for i in boxed if page.lines[i].bbox[3] <= limit + 2]


def _split_word(line: Line) -> int | None:
    """Index of the first word after a column gap inside one line, if it has one."""
    words = [w for w in line.words if w.bbox]
    if len(words) < 2 or len(words) != len(line.words):
        return None
    height = median(w.bbox[3] - w.bbox[1] for w in words)
    gaps = [(words[k + 1].bbox[0] - words[k].bbox[2], k + 1) for k in range(len(words) - 1)]
    gap, at = max(gaps)
    return at if gap > GAP_LINES * height else None


def _parts(line: Line, text: str) -> list[tuple[float, float, str]]:
    """(x centre, y top, text) of the line, or of each of its two column parts."""
    at = _split_word(line)
    if at is None:
        x0, y0, x1, _ = line.bbox  # type: ignore[misc]
        return [((x0 + x1) / 2, y0, text)]
    tokens = text.split()
    if len(tokens) != len(line.words):
        tokens = [w.text for w in line.words]
    left, right = line.words[:at], line.words[at:]
    return [((left[0].bbox[0] + left[-1].bbox[2]) / 2, line.bbox[1], " ".join(tokens[:at])),
            ((right[0].bbox[0] + right[-1].bbox[2]) / 2, line.bbox[1], " ".join(tokens[at:]))]


def _column_split(parts: list[tuple[float, float, str]], width: float) -> float:
    """x where the right column starts: left of the national motto, else the page's middle."""
    motto = [x for x, _, t in parts if _NATIONAL.search(ocr_fold(t))]
    lefts = [x for x, _, t in parts if x < min(motto, default=width * 0.5)]
    if motto and lefts:
        return (max(lefts) + min(motto)) / 2 if max(lefts) < min(motto) else min(motto) - 1
    return width * 0.5


def read_letterhead(page: Page) -> Letterhead | None:
    """The letterhead of a page with word boxes, read column by column; None without boxes or motto."""
    if not page.lines or not any(ln.words for ln in page.lines):
        return None
    texts = _texts(page)
    zone = _zone(page, texts)
    parts = [p for i in zone for p in _parts(page.lines[i], texts[i])]
    if not any(_NATIONAL.search(ocr_fold(t)) for _, _, t in parts):
        return None
    width = page.width or max(ln.bbox[2] for ln in page.lines if ln.bbox)
    split = _column_split(parts, width)
    ordered = sorted(parts, key=lambda p: p[1])
    left = [t for x, _, t in ordered if x < split and t.strip()]
    right = [t for x, _, t in ordered if x >= split and t.strip()]
    return Letterhead(left, right, zone)


def reorder_header_lines(pages: list[Page], lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The document's lines with the first page's letterhead read by column (issuer block, then motto block).

    `lines` are `parsers.text.document_lines(pages)`; only the letterhead lines of the first page
    with text change place (a line split in two columns becomes two lines).
    """
    first = next((p for p in pages if p.text.strip()), None)
    if first is None:
        return lines
    head = read_letterhead(first)
    if head is None or not head.left:
        return lines
    start = next((k for k, (page_no, _) in enumerate(lines) if page_no == first.page_no), 0)
    count = sum(1 for page_no, _ in lines if page_no == first.page_no)
    page_lines = [t for _, t in lines[start : start + count]]
    if len(page_lines) != len(first.lines):
        return lines
    taken = set(head.indices)
    rest = [t for i, t in enumerate(page_lines) if i not in taken]
    new = [(first.page_no, t) for t in head.lines + rest]
    return lines[:start] + new + lines[start + count :]
