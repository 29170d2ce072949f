"""Joining a table that continues over the next page(s) into one `Table`.

Appendix task tables in the plans run over several landscape pages: the header
row is repeated on each page, and a row that does not fit is split, its second
half starting the next page with an empty number (TT) cell. A continuation is
recognised by geometry -- the table ends at the bottom of one page, the next
page's first table has the same number of columns with the same relative column
widths -- and merged: repeated header dropped, split row joined, row pages kept.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from schema.document import Cell, Table

COLUMN_TOLERANCE = 0.04
"""Max difference of relative column boundaries (share of table width) between pages."""


def column_profile(table: Table) -> list[float] | None:
    """Relative x positions of the column boundaries, from single-span cells."""
    edges: dict[int, float] = {}
    for c in table.cells:
        if c.bbox is None or c.col_span != 1:
            continue
        edges.setdefault(c.col, c.bbox[0])
        edges.setdefault(c.col + 1, c.bbox[2])
    if len(edges) < table.n_cols + 1 or table.bbox is None:
        return None
    x0, _, x1, _ = table.bbox
    width = max(x1 - x0, 1.0)
    return [(edges[i] - x0) / width for i in range(table.n_cols + 1)]


def continues(prev: Table, nxt: Table) -> bool:
    """Same column count and, when boxes are known, the same relative column layout."""
    if prev.n_cols != nxt.n_cols:
        return False
    a, b = column_profile(prev), column_profile(nxt)
    if a is None or b is None:
        return True
    return all(abs(p - q) <= COLUMN_TOLERANCE for p, q in zip(a, b, strict=False))


def _row_text(table: Table, row: int) -> str:
    return " | ".join(table.grid()[row]) if 0 <= row < table.n_rows else ""


def _is_repeated_header(prev: Table, nxt: Table) -> bool:
    if prev.header_rows < 1 or nxt.n_rows < 1:
        return False
    head = " ".join(_row_text(prev, r) for r in range(prev.header_rows))
    first = " ".join(_row_text(nxt, r) for r in range(min(prev.header_rows, nxt.n_rows)))
    return bool(head.strip()) and fuzz.ratio(head.lower(), first.lower()) >= 80


def _is_split_row(prev: Table, nxt: Table, row: int) -> bool:
    """A row continued from the previous page: its number cell is empty, other cells have text, and it
    reads as the rest of a cut row -- a column the last row filled is empty here (its short cells ended
    on the first page), or its first text starts in lower case (mid-sentence).

    A row without a number that is complete (every column the row above filled has text again, upper
    case start) is a sub-row of its own that happens to open the page, not a half.
    """
    cells = {c.col: c for c in nxt.cells if c.row == row}
    first = cells.get(0)
    if first is None or first.col_span > 1 or first.text.strip():
        return False
    texts = {col: c.text.strip() for col, c in cells.items() if col > 0}
    if not any(texts.values()):
        return False
    last = prev.n_rows - 1
    above = {c.col for c in prev.cells if c.row == last and c.row_span == 1 and c.col_span == 1 and c.col > 0
             and c.text.strip()}  # the last row's own cells (a merged "Mục tiêu" cell above it is not)
    if any(not texts.get(col) for col in above):
        return True
    opening = next((texts[col] for col in sorted(texts) if texts[col]), "")
    return opening[:1].islower()


def stitch(prev: Table, nxt: Table) -> Table:
    """`nxt` appended to `prev` (same columns), repeated header dropped, split row joined."""
    skip = prev.header_rows if _is_repeated_header(prev, nxt) else 0
    cells: list[Cell] = [c.model_copy() for c in prev.cells]
    row_pages = list(prev.row_pages) or [prev.page] * prev.n_rows
    n_rows = prev.n_rows
    nxt_page = nxt.row_pages[0] if nxt.row_pages else nxt.page
    join_first = skip < nxt.n_rows and n_rows > prev.header_rows and _is_split_row(prev, nxt, skip)
    if join_first:
        last = n_rows - 1
        by_col = {c.col: c for c in cells if c.row <= last < c.row + c.row_span}
        for c in nxt.cells:
            if c.row != skip or not c.text.strip():
                continue
            target = by_col.get(c.col)
            if target is None:
                cells.append(c.model_copy(update={"row": last}))
            else:
                target.text = f"{target.text} {c.text}".strip() if target.text.strip() else c.text
        skip += 1
    for c in nxt.cells:
        if c.row < skip:
            continue
        cells.append(c.model_copy(update={"row": c.row - skip + n_rows}))
    extra = nxt.n_rows - skip
    row_pages += (nxt.row_pages[skip:] if nxt.row_pages else [nxt_page] * extra)
    pages = sorted(set(prev.pages or [prev.page]) | set(nxt.pages or [nxt.page]))
    return Table(
        page=prev.page,
        pages=pages,
        n_rows=n_rows + extra,
        n_cols=prev.n_cols,
        header_rows=prev.header_rows,
        cells=cells,
        row_pages=row_pages,
        bbox=prev.bbox,
    )
