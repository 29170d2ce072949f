"""Borderless tables: columns found from whitespace alone.

Some plans print their task lists as aligned columns without rulings. The grid
finder (`ocr.tables`) sees no lines there, and the reading-order code would
join each printed line into one text line. Here a run of consecutive printed
lines that are each cut into at least MIN_COLS pieces by wide gaps (the same
`layout.split_segments` gaps) is tested for shared columns: the x-extents of
all pieces are projected onto the page width, and every stretch of x that no
piece of the run touches is a column gap. When at least MIN_COLS columns
remain, the run is a table: one row per printed line, each piece in the column
its extent falls in.

Deliberately conservative -- a false table would hide body text from the
parsers -- so the two-column header and signature blocks (two pieces per line)
never qualify, and a run must have MIN_ROWS lines. Cells spanning several
printed lines are not joined (a wrapped cell gives a row with empty cells).
"""

from __future__ import annotations

from ocr.layout import Segment, group_rows
from schema.document import Cell, Table

MIN_COLS = 3
MIN_ROWS = 3


def _column_spans(rows: list[list[Segment]]) -> list[tuple[float, float]]:
    """x-intervals covered by some piece of the run, left to right (whitespace between them)."""
    extents = sorted((s.x0, s.x1) for row in rows for s in row)
    spans: list[list[float]] = []
    for x0, x1 in extents:
        if spans and x0 <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], x1)
        else:
            spans.append([x0, x1])
    return [(a, b) for a, b in spans]


def _table(rows: list[list[Segment]], spans: list[tuple[float, float]], page_no: int) -> Table:
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        by_col: dict[int, list[Segment]] = {}
        for seg in row:
            by_col.setdefault(_col(seg, spans), []).append(seg)
        for c, (a, b) in enumerate(spans):
            segs = by_col.get(c, [])
            confs = [t.conf for s in segs for t in s.tokens if t.conf is not None]
            top = min((s.y0 for s in row), default=0.0)
            bottom = max((s.y1 for s in row), default=0.0)
            cells.append(Cell(
                row=r, col=c, text=" ".join(s.text for s in segs),
                bbox=(a, top, b, bottom),
                confidence=round(sum(confs) / len(confs), 2) if confs else None,
            ))
    x0 = spans[0][0]
    x1 = spans[-1][1]
    y0 = min(s.y0 for s in rows[0])
    y1 = max(s.y1 for s in rows[-1])
    return Table(page=page_no, pages=[page_no], n_rows=len(rows), n_cols=len(spans), header_rows=1,
                 cells=cells, row_pages=[page_no] * len(rows), bbox=(x0, y0, x1, y1))


def find_tables(segments: list[Segment], page_no: int) -> tuple[list[Table], list[Segment]]:
    """(borderless tables, the segments that are not part of one)."""
    rows = group_rows(segments)
    tables: list[Table] = []
    used: set[int] = set()
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and len(rows[j]) >= MIN_COLS:
            j += 1
        run = rows[i:j]
        # Shrink the run from the bottom until its pieces share MIN_COLS columns.
        while len(run) >= MIN_ROWS:
            spans = _column_spans(run)
            if len(spans) >= MIN_COLS and all(len({_col(s, spans) for s in row}) >= MIN_COLS for row in run):
                tables.append(_table(run, spans, page_no))
                used.update(id(s) for row in run for s in row)
                break
            run = run[:-1]
        i = max(j, i + 1)
    return tables, [s for s in segments if id(s) not in used]


def _col(seg: Segment, spans: list[tuple[float, float]]) -> int:
    return next(i for i, (a, b) in enumerate(spans) if a <= seg.x0 <= b)
