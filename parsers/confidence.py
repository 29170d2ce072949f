"""Confidence (0-1) per extracted value: how likely it is to be right, for review and highlighting.

Three things make a value doubtful, and each is measured where the value was found
(`parsers.provenance` located it first):
- the OCR engine was unsure of the source words (word confidence; a text layer is sure);
- diacritic restoration had to rewrite them (the raw OCR text differs from the restored
  value: restoration is right most of the time, but every rewrite is a guess);
- the parser's rule or fuzzy match held loosely (the value could not be found back on its
  page, a target's figure is not in its own sentence, a task row has no lead agency).
The factors multiply: any one of them alone can make a value doubtful. Their weights are
set against the gold files (`bench/calibration.py` prints the table they are judged by).
"""

from __future__ import annotations

from rapidfuzz import fuzz

from parsers.text import fold
from schema.document import Page
from schema.records import AreaRow, Extraction, TargetRow, TaskRow, ValueBoxRow

TEXT_DUMP_OCR = 0.9
"""Assumed word confidence for a text dump, which carries none (its OCR is unknown)."""


def restoration_change(value: str, page: Page | None) -> float:
    """0 when the value is printed as-is in the raw (pre-restoration) text, towards 1 the more was rewritten.

    Restoration changes marks only, so the value's place in the restored text is (nearly) its place
    in the raw text: the raw window there is compared, never the whole page (a text dump is one
    page of the whole document).
    """
    if page is None or page.raw_text is None or not value:
        return 0.0
    text, raw = _casefolded(page)
    needle = value.casefold().strip()
    pos = text.find(needle)
    if pos < 0:  # a list or a rebuilt value: its first item or words stand for it
        for part in (needle.split(";")[0].strip(), needle[:40]):
            pos = text.find(part) if part else -1
            if pos >= 0:
                needle = part
                break
    if pos < 0:
        return 0.5  # not printed as stored: what restoration did cannot be told
    window = raw[max(0, pos - 40) : pos + len(needle) + 40]
    if needle in window:
        return 0.0
    exact = fuzz.partial_ratio(needle, window) / 100.0
    folded = fuzz.partial_ratio(fold(needle), fold(window)) / 100.0
    return max(0.0, min(1.0, folded - exact + (1.0 - folded)))


_CASEFOLDED: dict[int, tuple[str, str]] = {}


def _casefolded(page: Page) -> tuple[str, str]:
    """(restored, raw) text of a page, case-folded once per scoring pass."""
    key = id(page)
    if key not in _CASEFOLDED:
        _CASEFOLDED[key] = (page.text.casefold(), (page.raw_text or "").casefold())
    return _CASEFOLDED[key]


def _ocr_factor(box: ValueBoxRow, page: Page | None) -> float:
    if page is not None and page.method == "text_layer":
        return 1.0
    if box.ocr_confidence is not None:
        c = box.ocr_confidence
    elif page is not None and page.confidence is not None:
        c = page.confidence / 100.0
    else:
        c = TEXT_DUMP_OCR
    # tesseract's word confidence is informative below ~90: scale 0.6-0.95 onto 0.5-1
    return max(0.2, min(1.0, 0.5 + (c - 0.6) * (0.5 / 0.35)))


def _match_factor(score: float | None) -> float:
    s = score or 0.0
    if s >= 0.95:
        return 1.0
    if s >= 0.8:
        return 0.85
    if s >= 0.6:
        return 0.6
    return 0.4


UNSTRUCTURED_TASK = 0.55
"""Task cells pieced together from running OCR text (no grid, no tab-separated columns): which text
belongs to which column is itself a guess, so every such cell starts doubtful."""


def _structure_factor(box: ValueBoxRow, page: Page | None) -> float:
    """Task cells from a table grid or tab-separated rows are read as columns; others are not."""
    if box.record != "tasks" or page is None:
        return 1.0
    return 1.0 if _has_columns(page) else UNSTRUCTURED_TASK


def _has_columns(page: Page) -> bool:
    """A table grid, or three tab-separated lines at least; decided once a page per scoring pass."""
    key = id(page)
    if key not in _COLUMNS:
        _COLUMNS[key] = bool(page.tables) or sum(1 for line in (page.text or "").split("\n") if "\t" in line) >= 3
    return _COLUMNS[key]


_COLUMNS: dict[int, bool] = {}


class _Records:
    """The extraction's targets, tasks and areas by key (the first of each, as a scan in order finds),
    so scoring a box is not a scan of every record (boxes x tasks grew with the document squared)."""

    def __init__(self, ext: Extraction) -> None:
        self.targets: dict[str, TargetRow] = {}
        self.tasks: dict[str, TaskRow] = {}
        self.areas: dict[str, AreaRow] = {}
        for t in ext.targets:
            self.targets.setdefault(t.target_id, t)
        for t in ext.tasks:
            self.tasks.setdefault(t.task_id, t)
        for a in ext.areas:
            self.areas.setdefault(a.area, a)


def _rule_factor(ext: Extraction, box: ValueBoxRow, records: _Records | None = None) -> float:
    """How well the parser's own rule held for this kind of value."""
    records = records or _Records(ext)
    if box.record == "targets":
        t = records.targets.get(box.key)
        if t is None:
            return 1.0
        f = 1.0
        if t.unit == "%" and not 0 <= t.value <= 100:
            f *= 0.3
        if not t.metric or len(t.metric.split()) < 2:
            f *= 0.5
        return f
    if box.record == "tasks":
        t = records.tasks.get(box.key)
        if t is None:
            return 1.0
        if box.field == "lead_agencies" and not t.lead_agencies:
            return 0.3
        if box.field == "row_label" and not t.row_label:
            return 0.5
        return 1.0
    return 1.0


def value_text(ext: Extraction, box: ValueBoxRow, records: _Records | None = None) -> str:
    """The stored value as text, to compare with the raw OCR."""
    if box.record == "plans":
        v = getattr(ext.header, box.field, None)
        return "" if v is None or not isinstance(v, str) else v
    records = records or _Records(ext)
    if box.record == "targets":
        t = records.targets.get(box.key)
        return t.metric if t else ""
    if box.record == "areas":
        a = records.areas.get(box.key)
        return a.heading if a is not None else ""
    t = records.tasks.get(box.key)
    v = getattr(t, box.field, None) if t else None
    return "; ".join(v) if isinstance(v, list) else (v or "")


def score_values(ext: Extraction, pages: list[Page]) -> Extraction:
    """Set `confidence` (and its inputs) on every box row, on targets and tasks, and the header's."""
    by_no = {p.page_no: p for p in pages}
    records = _Records(ext)
    _CASEFOLDED.clear()
    _COLUMNS.clear()
    for box in ext.boxes:
        page = by_no.get(box.page) if box.page is not None else None
        change = restoration_change(value_text(ext, box, records), page)
        box.restoration_change = round(change, 3)
        conf = _ocr_factor(box, page) * _match_factor(box.match_score) * _rule_factor(ext, box, records)
        conf *= _structure_factor(box, page)
        conf *= 1.0 - 0.5 * change
        box.confidence = round(max(0.0, min(1.0, conf)), 3)
    lowest: dict[tuple[str, str], float] = {}
    for box in ext.boxes:
        k = (box.record, box.key)
        lowest[k] = min(lowest.get(k, 1.0), box.confidence or 0.0)
    for t in ext.targets:
        t.confidence = lowest.get(("targets", t.target_id))
    for t in ext.tasks:
        t.confidence = lowest.get(("tasks", t.task_id))
    _CASEFOLDED.clear()
    _COLUMNS.clear()
    header = [b.confidence for b in ext.boxes if b.record == "plans" and b.confidence is not None]
    ext.header.header_confidence = min(header) if header else None
    return ext
