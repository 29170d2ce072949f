"""Pages with a usable text layer: pdfplumber words and tables, no OCR.

A text layer is exact and ~100x cheaper than OCR, so it is always preferred --
unless it is broken. Vietnamese PDFs often carry legacy-encoded fonts (TCVN3/VNI)
or missing ToUnicode maps, which extract as Latin-1 symbols, `(cid:NN)` or
private-use characters, or as plain ASCII with the tone marks gone. Such a page
is reported as unusable and the caller OCRs it instead.
"""

from __future__ import annotations

import re
import unicodedata

from ocr import layout
from schema.document import Cell, Line, Page, Table

MIN_CHARS = 25
"""Fewer visible characters than this: no text layer worth using (a scan, or a blank page)."""

_VIET_EXTRA = set("ăâđêôơưĂÂĐÊÔƠƯ")
_CID = re.compile(r"\(cid:\d+\)")


def _is_vietnamese_letter(ch: str) -> bool:
    base = unicodedata.normalize("NFD", ch)[0]
    return ch.isascii() or ch in _VIET_EXTRA or (base.isascii() and base.isalpha()) or (
        unicodedata.normalize("NFD", ch)[0] in _VIET_EXTRA
    )


def text_layer_problem(text: str) -> str | None:
    """Why this extracted text is unusable (None when it is fine).

    Garbage: cid codes, replacement or private-use characters, or many non-ASCII
    letters that are not Vietnamese (legacy font encodings). Missing marks: a
    long Vietnamese text without a single marked letter does not exist, so a
    text layer with none has lost them.
    """
    visible = [ch for ch in text if not ch.isspace()]
    if len(visible) < MIN_CHARS:
        return "no text"
    bad = len(_CID.findall(text)) * 6 + sum(
        1 for ch in visible if ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cc", "Cn")
    )
    if bad > 0.05 * len(visible):
        return "garbage characters"
    letters = [ch for ch in visible if ch.isalpha()]
    non_ascii = [ch for ch in letters if not ch.isascii()]
    foreign = [ch for ch in non_ascii if not _is_vietnamese_letter(ch)]
    symbols = [ch for ch in visible if not ch.isascii() and not ch.isalpha() and ch not in "–—“”‘’…•"]
    if len(foreign) + len(symbols) > 0.03 * len(visible):
        return "legacy font encoding"
    if len(letters) >= 40 and len(non_ascii) < 0.01 * len(letters):
        return "no Vietnamese diacritics"
    return None


def _tokens(page) -> list[layout.Token]:  # noqa: ANN001 - pdfplumber.page.Page
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5, y_tolerance=3)
    return [layout.Token(w["text"], w["x0"], w["top"], w["x1"], w["bottom"]) for w in words]


def _inside(tok: layout.Token, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (tok.x0 + tok.x1) / 2, (tok.y0 + tok.y1) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


def _positions(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _index(positions: list[float], v: float, tol: float = 2.0) -> int:
    return min(range(len(positions)), key=lambda i: abs(positions[i] - v))


def _table(found, page_no: int) -> Table | None:  # noqa: ANN001 - pdfplumber.table.Table
    """pdfplumber table -> Table, spans derived from cell boxes against the grid lines."""
    boxes = [c for c in found.cells if c]
    if not boxes:
        return None
    xs = _positions([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _positions([b[1] for b in boxes] + [b[3] for b in boxes])
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 1 or n_cols < 2:
        return None
    texts = found.extract()
    cells: list[Cell] = []
    for r, row in enumerate(found.rows):
        for j, box in enumerate(row.cells):
            if box is None:
                continue
            r0, r1 = _index(ys, box[1]), _index(ys, box[3])
            c0, c1 = _index(xs, box[0]), _index(xs, box[2])
            text = texts[r][j] if r < len(texts) and j < len(texts[r]) else ""
            cells.append(
                Cell(
                    row=r0,
                    col=c0,
                    row_span=max(r1 - r0, 1),
                    col_span=max(c1 - c0, 1),
                    text=" ".join((text or "").split()),
                    bbox=tuple(float(v) for v in box),  # type: ignore[arg-type]
                )
            )
    unique = {(c.row, c.col): c for c in cells}
    return Table(
        page=page_no,
        pages=[page_no],
        n_rows=n_rows,
        n_cols=n_cols,
        cells=sorted(unique.values(), key=lambda c: (c.row, c.col)),
        row_pages=[page_no] * n_rows,
        bbox=tuple(float(v) for v in found.bbox),  # type: ignore[arg-type]
    )


def read_text_layer(page, page_no: int) -> tuple[Page | None, str | None]:  # noqa: ANN001
    """(Page, None) when the text layer is usable, else (None, reason)."""
    problem = text_layer_problem(page.extract_text() or "")
    if problem:
        return None, problem
    tables = [t for t in (_table(f, page_no) for f in page.find_tables()) if t is not None]
    tokens = [t for t in _tokens(page) if not any(_inside(t, tb.bbox) for tb in tables if tb.bbox)]
    ordered = layout.reading_order(layout.split_segments(tokens, gap_factor=2.0))
    lines: list[Line] = [layout.to_line(b, s) for b, s in ordered]
    lines = insert_table_lines(lines, tables)
    return (
        Page(
            page_no=page_no,
            method="text_layer",
            text="\n".join(line.text for line in lines),
            width=float(page.width),
            height=float(page.height),
            lines=lines,
            tables=tables,
        ),
        None,
    )


def insert_table_lines(lines: list[Line], tables: list[Table]) -> list[Line]:
    """Table rows as text lines (cells joined by ' | ') placed where the table sits on the page."""
    out = list(lines)
    for table in tables:
        if table.bbox is None:
            continue
        rows = [" | ".join(cell.strip() for cell in row) for row in table.grid()]
        table_lines = [Line(text=row, bbox=None, block=-1) for row in rows if row.replace("|", "").strip()]
        top = table.bbox[1]
        at = next((i for i, ln in enumerate(out) if ln.bbox and ln.bbox[1] > top), len(out))
        out[at:at] = table_lines
    return out
