"""Where each extracted value was printed: a box on its page, found after parsing.

The parsers keep a value's page and source text, not its geometry, and they
are rewritten often; so geometry is recovered here, as a post-pass over the
finished `Extraction`, from what the OCR stage kept: word boxes of text layers
(PDF points) and of OCR lines (page pixels), and the cell boxes of table
grids. A value is searched on folded text (no marks, lower case), because OCR
lines carry the unrestored spelling while values carry the restored one.

Boxes come out in the page's own units; `pipeline.process` scales the OCR
pages' pixel boxes to PDF points once it knows the PDF page size
(`scale_to_points`). Text dumps have no geometry: their boxes stay None but
the value still gets its page, its match score and its confidence inputs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from parsers.text import fold, nfc
from schema.document import BBox, Page
from schema.records import Extraction, ValueBoxRow

HEADER_FIELDS = (
    "doc_number",
    "doc_type",
    "issuer",
    "admin_level",
    "locality",
    "issue_date",
    "title",
    "period_start",
    "period_end",
    "signer",
    "place",
)
TASK_FIELDS = ("row_label", "content", "output", "lead_agencies", "partner_agencies", "deadline_text")
_DOC_TYPE_WORDS = {
    "ke_hoach": "ke hoach",
    "quyet_dinh": "quyet dinh",
    "chuong_trinh": "chuong trinh",
    "nghi_quyet": "nghi quyet",
    "chi_thi": "chi thi",
}
_LEVEL_WORDS = {"tinh": "tinh", "huyen": "huyen", "xa": "xa"}


@dataclass
class Hit:
    """One value found on a page: box in page units, words' mean confidence (0-100 or None), score 0-1."""

    page: int
    bbox: BBox | None
    word_confidence: float | None
    score: float
    text: str = ""


def union(boxes: list[BBox]) -> BBox | None:
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


class PageIndex:
    """A page's words in reading order as one folded string, with each word's span, box and confidence."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.spans: list[tuple[int, int, BBox | None, float | None]] = []
        parts: list[str] = []
        pos = 0
        for line in page.lines:
            words = line.words or []
            if not words:  # a line without word boxes counts as one word with the line's box
                words_iter = [(line.text, line.bbox, line.confidence)]
            else:
                words_iter = [(w.text, w.bbox or line.bbox, w.confidence) for w in words]
            for text, bbox, conf in words_iter:
                f = fold(text)
                if not f:
                    continue
                self.spans.append((pos, pos + len(f), bbox, conf))
                parts.append(f)
                pos += len(f) + 1
        self.text = " ".join(parts)
        if not self.text:  # a text dump: its text is all there is, without geometry
            self.text = fold(page.text or "")

    def find(self, needle: str, min_score: float = 60.0) -> Hit | None:
        """The best fuzzy occurrence of `needle` (any spelling) on this page, or None."""
        q = fold(needle)
        if not q or not self.text:
            return None
        if len(q) > len(self.text):
            q = q[: len(self.text)]
        idx = self.text.find(q)
        if idx >= 0:
            start, end, score = idx, idx + len(q), 100.0
        else:
            al = fuzz.partial_ratio_alignment(q, self.text, score_cutoff=min_score)
            if al is None:
                return None
            start, end, score = al.dest_start, al.dest_end, al.score
        picked = [(b, c) for s, e, b, c in self.spans if s < end and e > start]
        boxes = [b for b, _ in picked if b is not None]
        confs = [c for _, c in picked if c is not None]
        return Hit(
            page=self.page.page_no,
            bbox=union(boxes),
            word_confidence=sum(confs) / len(confs) if confs else None,
            score=score / 100.0,
            text=self.text[start:end],
        )


class DocumentIndex:
    """Page indexes built on demand; finds a value on its page first, then on the pages around it."""

    def __init__(self, pages: list[Page]) -> None:
        self.pages = {p.page_no: p for p in pages}
        self._idx: dict[int, PageIndex] = {}

    def page(self, no: int) -> PageIndex | None:
        if no not in self.pages:
            return None
        if no not in self._idx:
            self._idx[no] = PageIndex(self.pages[no])
        return self._idx[no]

    def find(self, needle: str | None, page: int | None, spread: int = 1) -> Hit | None:
        if not needle or not str(needle).strip():
            return None
        order = [page] if page is not None else []
        order += [page + d for d in range(-spread, spread + 1) if d] if page is not None else sorted(self.pages)
        best: Hit | None = None
        for no in order:
            idx = self.page(no) if no is not None else None
            hit = idx.find(str(needle)) if idx else None
            if hit and (best is None or hit.score > best.score + 0.05):
                best = hit
            if best and best.score >= 0.99:
                break
        return best


def _date_forms(d: dt.date) -> list[str]:
    return [
        f"ngay {d.day:02d} thang {d.month:02d} nam {d.year}",
        f"ngay {d.day} thang {d.month} nam {d.year}",
        f"{d.day:02d}/{d.month:02d}/{d.year}",
    ]


def _header_needles(field: str, value: object, header: dict) -> list[str]:
    """How a header value is likely printed (folded), best guess first."""
    if value is None:
        return []
    if field == "issue_date" and isinstance(value, dt.date):
        return _date_forms(value)
    if field == "doc_type":
        return [_DOC_TYPE_WORDS.get(str(value), str(value).replace("_", " "))]
    if field == "admin_level":
        loc = header.get("locality")
        return [f"{_LEVEL_WORDS.get(str(value), value)} {loc}"] if loc else []
    if field == "issuer":
        loc = header.get("locality")
        return [str(loc)] if loc else [str(value)]
    if field in ("period_start", "period_end"):
        title = header.get("title")
        return [str(title)] if title else [str(value)]
    if field == "doc_number":
        return [str(value), str(value).split("/")[0] + "/"]
    return [str(value)]


def _box_row(plan_id: str, record: str, key: str, field: str, hit: Hit | None, page: int | None) -> ValueBoxRow:
    bbox = hit.bbox if hit else None
    return ValueBoxRow(
        plan_id=plan_id,
        record=record,
        key=key,
        field=field,
        page=hit.page if hit else page,
        x0=bbox[0] if bbox else None,
        y0=bbox[1] if bbox else None,
        x1=bbox[2] if bbox else None,
        y1=bbox[3] if bbox else None,
        ocr_confidence=(hit.word_confidence / 100.0) if hit and hit.word_confidence is not None else None,
        match_score=hit.score if hit else 0.0,
        source_text=hit.text if hit else None,
    )


def _header_boxes(ext: Extraction, doc: DocumentIndex, plan_id: str) -> list[ValueBoxRow]:
    header = ext.header.model_dump()
    page = ext.header.header_page or min(doc.pages, default=1)
    out: list[ValueBoxRow] = []
    for field in HEADER_FIELDS:
        value = header.get(field)
        if value is None:
            continue
        hit = None
        for needle in _header_needles(field, value, header):
            cand = doc.find(needle, page, spread=1 if field != "title" else 0)
            if cand and (hit is None or cand.score > hit.score):
                hit = cand
            if hit and hit.score >= 0.99:
                break
        out.append(_box_row(plan_id, "plans", plan_id, field, hit, page))
    return out


def _area_boxes(ext: Extraction, doc: DocumentIndex, plan_id: str) -> list[ValueBoxRow]:
    """An area's heading as printed on its first page (key: the area code)."""
    return [
        _box_row(plan_id, "areas", a.area, "heading", doc.find(a.heading, a.page_start, spread=0), a.page_start)
        for a in ext.areas
        if a.heading
    ]


def _target_boxes(ext: Extraction, doc: DocumentIndex, plan_id: str) -> list[ValueBoxRow]:
    out: list[ValueBoxRow] = []
    for t in ext.targets:
        hit = doc.find(t.source_text or t.metric, t.page)
        row = _box_row(plan_id, "targets", t.target_id, "value", hit, t.page)
        # a figure absent from its own sentence means the value was misread or misattached
        number = f"{t.value:g}"
        if row.source_text is not None and number not in row.source_text and number not in fold(t.source_text):
            row.match_score = (row.match_score or 0.0) * 0.5
        out.append(row)
        t.bbox_page, t.bbox_x0, t.bbox_y0, t.bbox_x1, t.bbox_y1 = row.page, row.x0, row.y0, row.x1, row.y1
    return out


@dataclass
class _GridRow:
    page: int
    cells: list[tuple[str, BBox | None, float | None]]  # folded text, box, confidence

    @property
    def bbox(self) -> BBox | None:
        return union([b for _, b, _ in self.cells if b is not None])


def _grid_rows(pages: list[Page]) -> list[_GridRow]:
    rows: list[_GridRow] = []
    for page in pages:
        for table in page.tables:
            by_row: dict[int, list] = {}
            for c in table.cells:
                by_row.setdefault(c.row, []).append((fold(c.text), c.bbox, c.confidence))
            for r, cells in sorted(by_row.items()):
                p = table.row_pages[r] if r < len(table.row_pages) else table.page
                rows.append(_GridRow(page=p, cells=cells))
    return rows


def _task_field_text(task: object, field: str) -> str:
    value = getattr(task, field, None)
    if isinstance(value, list):
        return "; ".join(value)
    return nfc(str(value)) if value else ""


class _GridCandidates:
    """The table cells a task may sit in: those of rows on its page or the pages beside it, in grid
    order, flattened once per page (a task's search was over every row of the document)."""

    def __init__(self, grid: list[_GridRow]) -> None:
        self.grid = grid
        self._by_page: dict[int | None, tuple[list[str], list[int]]] = {}
        self._rows_on: dict[int, list[int]] = {}  # page -> its rows' indexes, in grid order
        for i, row in enumerate(grid):
            self._rows_on.setdefault(row.page, []).append(i)

    def near(self, page: int | None) -> tuple[list[str], list[int]]:
        """(cell texts of 3 characters or more, the grid row of each), rows within a page of `page`."""
        if page not in self._by_page:
            if page is None:
                rows = range(len(self.grid))
            else:
                rows = sorted(i for p in (page - 1, page, page + 1) for i in self._rows_on.get(p, ()))
            texts: list[str] = []
            owners: list[int] = []
            for i in rows:
                for t, _, _ in self.grid[i].cells:
                    if len(t) >= 3:
                        texts.append(t)
                        owners.append(i)
            self._by_page[page] = (texts, owners)
        return self._by_page[page]

    def best_row(self, content: str, page: int | None) -> _GridRow | None:
        """The row holding the cell most like the task's text (the first such row on a tie), if it scores 70+."""
        texts, owners = self.near(page)
        # No score_cutoff: the 70 is checked here, on the score itself, exactly as a loop over the cells would.
        found = process.extractOne(content[:120], texts, scorer=fuzz.partial_ratio)
        return self.grid[owners[found[2]]] if found is not None and found[1] >= 70 else None


def _best_cell(text: str, row: _GridRow) -> tuple[float, str, BBox | None, float | None] | None:
    """The row's cell most like `text` (the first on a tie) when it scores 50 or more."""
    # an empty cell scores 0 (None: skipped), whatever the scorer makes of two empty strings
    found = process.extractOne(text[:120], [t or None for t, _, _ in row.cells], scorer=fuzz.partial_ratio)
    if found is None or found[1] < 50:
        return None
    _, b, c = row.cells[found[2]]
    return found[1], found[0], b, c


def _task_boxes(ext: Extraction, pages: list[Page], doc: DocumentIndex, plan_id: str) -> list[ValueBoxRow]:
    grid = _GridCandidates(_grid_rows(pages))
    out: list[ValueBoxRow] = []
    for task in ext.tasks:
        content = fold(task.content or task.output or "")
        best = grid.best_row(content, task.page) if content and grid.grid else None
        rows: list[ValueBoxRow] = []
        if best is not None:
            for field in TASK_FIELDS:
                text = fold(_task_field_text(task, field))
                if not text:
                    continue
                cell = _best_cell(text, best)
                hit = Hit(best.page, cell[2], cell[3], cell[0] / 100.0, cell[1]) if cell else None
                if hit and hit.word_confidence is None:
                    hit.word_confidence = _words_confidence(doc, best.page, hit.bbox)
                rows.append(_box_row(plan_id, "tasks", task.task_id, field, hit, best.page))
            row_box, row_page = best.bbox, best.page
        else:
            for field in TASK_FIELDS:
                text = _task_field_text(task, field)
                if not text:
                    continue
                hit = doc.find(text[:200], task.page)
                rows.append(_box_row(plan_id, "tasks", task.task_id, field, hit, task.page))
            row_box = union([(r.x0, r.y0, r.x1, r.y1) for r in rows if r.x0 is not None])  # type: ignore[misc]
            row_page = next((r.page for r in rows if r.field == "content"), task.page)
        task.bbox_page = row_page
        if row_box is not None:
            task.bbox_x0, task.bbox_y0, task.bbox_x1, task.bbox_y1 = row_box
        out += rows
    return out


def _words_confidence(doc: DocumentIndex, page: int, bbox: BBox | None) -> float | None:
    """Mean OCR confidence of the words inside a cell box (cells carry none of their own)."""
    idx = doc.page(page)
    if idx is None or bbox is None:
        return None
    x0, y0, x1, y1 = bbox
    confs = [
        c
        for _, _, b, c in idx.spans
        if b is not None and c is not None and (b[0] + b[2]) / 2 >= x0 and (b[0] + b[2]) / 2 <= x1
        and (b[1] + b[3]) / 2 >= y0 and (b[1] + b[3]) / 2 <= y1
    ]
    return sum(confs) / len(confs) if confs else None


def attach_provenance(ext: Extraction, pages: list[Page], plan_id: str) -> Extraction:
    """Fill `ext.boxes` (one row per header field, target and task cell) and the targets' and tasks'
    own box columns, in page units; confidence is added by `parsers.confidence`."""
    doc = DocumentIndex(pages)
    ext.boxes = [
        *_header_boxes(ext, doc, plan_id),
        *_area_boxes(ext, doc, plan_id),
        *_target_boxes(ext, doc, plan_id),
        *_task_boxes(ext, pages, doc, plan_id),
    ]
    return ext


def scale_to_points(ext: object, pages: list[Page], sizes: dict[int, tuple[float, float]]) -> None:
    """Turn the boxes of OCR'd pages (pixels) into PDF points, given each PDF page's size in points.

    `ext` is an `Extraction` or a `ParsedPlan` (both hold `boxes`, `targets`, `tasks`). Text-layer
    pages are already in points; a page whose size is unknown keeps no box rather than a wrong one.
    """
    factor: dict[int, tuple[float, float] | None] = {}
    for p in pages:
        if p.method == "text_layer":
            factor[p.page_no] = (1.0, 1.0)
        elif p.method == "ocr" and p.width and p.height and p.page_no in sizes:
            w, h = sizes[p.page_no]
            factor[p.page_no] = (w / p.width, h / p.height)
        else:
            factor[p.page_no] = None
    unit = {n for n, f in factor.items() if f == (1.0, 1.0)}  # boxes there stay as they are

    def conv(page: int | None, box: tuple) -> tuple | None:
        f = factor.get(page) if page is not None else None
        if f is None or any(v is None for v in box):
            return None
        return (box[0] * f[0], box[1] * f[1], box[2] * f[0], box[3] * f[1])

    for b in ext.boxes:  # type: ignore[attr-defined]
        if b.page in unit:
            continue
        new = conv(b.page, (b.x0, b.y0, b.x1, b.y1))
        b.x0, b.y0, b.x1, b.y1 = new if new else (None, None, None, None)
    for r in [*ext.targets, *ext.tasks]:  # type: ignore[attr-defined]
        if r.bbox_page in unit:
            continue
        new = conv(r.bbox_page, (r.bbox_x0, r.bbox_y0, r.bbox_x1, r.bbox_y1))
        r.bbox_x0, r.bbox_y0, r.bbox_x1, r.bbox_y1 = new if new else (None, None, None, None)
