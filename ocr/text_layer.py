"""Pages with a usable text layer: words and ruled tables from the PDF itself, no OCR.

A text layer is exact and ~100x cheaper than OCR, so it is always preferred --
unless it is broken. Vietnamese PDFs often carry legacy-encoded fonts (TCVN3/VNI)
or missing ToUnicode maps, which extract as Latin-1 symbols, `(cid:NN)` or
private-use characters, or as plain ASCII with the tone marks gone. Such a page
is reported as unusable and the caller OCRs it instead.

Speed: pdfminer (under pdfplumber) interprets the content stream in Python,
~0.07-0.3 CPU s a page, which capped text-layer PDFs at ~5 pages/s. So the
characters and ruling lines are taken from pypdfium2 (C++, ~5-10 ms a page,
the document the caller already has open) in exactly the form pdfplumber
produces them (char and edge dicts), and pdfplumber's own word grouping and
table finder run on those: the same algorithms on the same geometry. pdfium
positions differ from pdfminer's by well under a point (it rounds glyph
widths to integers), never by a word gap. A page pdfium cannot describe that
way (rotated, form XObjects, curves, rotated text) or whose text looks broken
is read by pdfplumber as before, so the broken-text-layer reasons stay
pdfminer's.
"""

from __future__ import annotations

import ctypes
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfplumber.table import TableFinder
from pdfplumber.utils import extract_text, extract_words, line_to_edge, rect_to_edges

from ocr import layout
from schema.document import Cell, Line, Page, Table
from schema.vntext import is_latin_letter

MIN_CHARS = 25
"""Fewer visible characters than this: no text layer worth using (a scan, or a blank page)."""

_CID = re.compile(r"\(cid:\d+\)")


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
    foreign = [ch for ch in non_ascii if not is_latin_letter(ch)]
    symbols = [ch for ch in visible if not ch.isascii() and not ch.isalpha() and ch not in "–—“”‘’…•"]
    if len(foreign) + len(symbols) > 0.03 * len(visible):
        return "legacy font encoding"
    if len(letters) >= 40 and len(non_ascii) < 0.01 * len(letters):
        return "no Vietnamese diacritics"
    return None


WORD_SETTINGS: dict[str, Any] = {"keep_blank_chars": False, "use_text_flow": False, "x_tolerance": 1.5,
                                 "y_tolerance": 3}


def _tokens(words: list[dict[str, Any]]) -> list[layout.Token]:
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


def _table(found, page_no: int, chars: list[dict[str, Any]] | None = None) -> Table | None:
    """pdfplumber table -> Table, spans derived from cell boxes against the grid lines.

    `chars`: the page's characters when `found` was made from pdfium's view of the page.
    """
    boxes = [c for c in found.cells if c]
    if not boxes:
        return None
    xs = _positions([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _positions([b[1] for b in boxes] + [b[3] for b in boxes])
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    if n_rows < 1 or n_cols < 2:
        return None
    texts = found.extract() if chars is None else _cell_texts(found, chars)
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


def read_text_layer(page, page_no: int) -> tuple[Page | None, str | None]:
    """(Page, None) when the text layer is usable, else (None, reason). `page`: a pdfplumber page."""
    problem = text_layer_problem(page.extract_text() or "")
    if problem:
        return None, problem
    tables = [t for t in (_table(f, page_no) for f in page.find_tables()) if t is not None]
    words = page.extract_words(**WORD_SETTINGS)
    return _page(words, tables, float(page.width), float(page.height), page_no), None


def read_page(
    pdf_page: pdfium.PdfPage, page_no: int, plumber_page: Callable[[], Any]
) -> tuple[Page | None, str | None]:
    """`read_text_layer` for a pypdfium2 page, at pdfium speed where the page allows it.

    `plumber_page()` gives the same page as a pdfplumber page; it is only called
    (and closed again here) when pdfium's view is not enough: see the module notes.
    """
    layer = pdfium_layer(pdf_page)
    if layer is not None:
        chars, edges, width, height = layer
        words = extract_words(chars, **WORD_SETTINGS)
        problem = text_layer_problem(" ".join(w["text"] for w in words))
        if problem is None:
            view = _PageView(width, height, chars, edges)
            tables = [t for t in (_table(f, page_no, chars) for f in TableFinder(view).tables) if t is not None]
            return _page(words, tables, width, height, page_no), None
        if not chars:
            return None, "no text"  # no text objects at all: a scan or a blank page
    ppage = plumber_page()
    try:
        return read_text_layer(ppage, page_no)
    finally:
        ppage.close()


def _page(words: list[dict[str, Any]], tables: list[Table], width: float, height: float, page_no: int) -> Page:
    tokens = [t for t in _tokens(words) if not any(_inside(t, tb.bbox) for tb in tables if tb.bbox)]
    ordered = layout.reading_order(layout.split_segments(tokens, gap_factor=2.0))
    lines: list[Line] = [layout.to_line(b, s) for b, s in ordered]
    lines = insert_table_lines(lines, tables)
    return Page(
        page_no=page_no,
        method="text_layer",
        text="\n".join(line.text for line in lines),
        width=width,
        height=height,
        lines=lines,
        tables=tables,
    )


# -- the page as pdfplumber would describe it, from pypdfium2 ------------------------


class _PageView:
    """What pdfplumber's `TableFinder` and `Table.extract` read from a page."""

    def __init__(self, width: float, height: float, chars: list[dict[str, Any]], edges: list[dict[str, Any]]) -> None:
        self.bbox = (0.0, 0.0, width, height)
        self.width, self.height = width, height
        self.chars, self.edges = chars, edges


_TEXT, _PATH, _FORM = pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
_MOVETO, _LINETO = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO


def _address(handle: Any) -> int:
    return ctypes.cast(handle, ctypes.c_void_p).value or 0


def _matrix(obj: Any) -> tuple[float, float, float, float, float, float]:
    m = pdfium_c.FS_MATRIX()
    pdfium_c.FPDFPageObj_GetMatrix(obj, m)
    return m.a, m.b, m.c, m.d, m.e, m.f


def pdfium_layer(page: pdfium.PdfPage) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float, float] | None:
    """(chars, edges, width, height) in pdfplumber's terms, or None when the page needs pdfplumber."""
    width, height = page.get_size()
    if page.get_rotation() % 360 or tuple(page.get_mediabox()) != (0.0, 0.0, width, height) or (
        tuple(page.get_cropbox()) != (0.0, 0.0, width, height)
    ):
        return None
    width, height = _as_written(width), _as_written(height)  # y is flipped against the page height as written
    raw = page.raw
    text_objects: dict[int, tuple[float, float]] = {}  # object -> (descent per point of size, size)
    lines: list[dict[str, Any]] = []
    rects: list[dict[str, Any]] = []
    size, descent = ctypes.c_float(), ctypes.c_float()
    for i in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, i)
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == _FORM:
            return None
        if kind == _TEXT:
            a, b, c, d, _, _ = _matrix(obj)
            if b != 0 or c != 0 or a <= 0 or d <= 0 or not pdfium_c.FPDFTextObj_GetFontSize(obj, size):
                return None  # rotated or mirrored text: pdfplumber sorts out its direction
            font = pdfium_c.FPDFTextObj_GetFont(obj)
            if not font or not pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), descent):
                return None
            text_objects[_address(obj)] = (descent.value, size.value * d)
        elif kind == _PATH:
            shape = _path_shape(obj, height)
            if shape is None:
                return None
            if shape:
                (lines if shape["object_type"] == "line" else rects).append(shape)
    chars = _chars(page, text_objects, height)
    if chars is None:
        return None
    edges = [line_to_edge(ln) for ln in lines] + [e for r in rects for e in rect_to_edges(r)]
    return chars, edges, width, height


def _as_written(value: float) -> float:
    """pdfium hands out single-precision sizes: 595.2756 comes back as 595.27557...; the shortest decimal
    that is the same float32 is what the PDF says (and what pdfplumber reports)."""
    return float(str(np.float32(value)))


def _path_shape(obj: Any, height: float) -> dict[str, Any] | None:
    """A painted straight line or axis-aligned rectangle as pdfplumber's line/rect dict; {} for an
    unpainted path; None for anything else (curves, polygons, several subpaths)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fill, stroke):
        return None
    if fill.value == 0 and not stroke.value:
        return {}
    a, b, c, d, e, f = _matrix(obj)
    x, y = ctypes.c_float(), ctypes.c_float()
    kinds, points, closed = [], [], False
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
        kinds.append(pdfium_c.FPDFPathSegment_GetType(seg))
        closed = closed or bool(pdfium_c.FPDFPathSegment_GetClose(seg))
        points.append((a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f)))
    if kinds == [_MOVETO, _LINETO] and not closed:
        kind = "line"
    elif kinds in ([_MOVETO, _LINETO, _LINETO, _LINETO], [_MOVETO, _LINETO, _LINETO, _LINETO, _LINETO]) and (
        closed or points[-1] == points[0]
    ):
        p = points[:4]
        xs_equal = p[0][0] == p[1][0] and p[2][0] == p[3][0] and p[1][1] == p[2][1] and p[3][1] == p[0][1]
        ys_equal = p[0][1] == p[1][1] and p[2][1] == p[3][1] and p[1][0] == p[2][0] and p[3][0] == p[0][0]
        if not (xs_equal or ys_equal):
            return None
        kind = "rect"
    else:
        return None
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    top, bottom = min(p[1] for p in points), max(p[1] for p in points)
    return {"object_type": kind, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "y0": height - bottom, "y1": height - top, "width": x1 - x0, "height": bottom - top,
            "pts": points}


_text_object_at = ctypes.cast(
    pdfium_c.FPDFText_GetTextObject, ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
)
"""FPDFText_GetTextObject answering a plain address (a dict key) instead of a pointer object: 4x cheaper."""


def _chars(page: pdfium.PdfPage, text_objects: dict[int, tuple[float, float]], height: float
           ) -> list[dict[str, Any]] | None:
    """pdfplumber char dicts (text, x0, x1, top, bottom, upright, size) in content-stream order.

    As pdfminer places a character: x from its origin over its advance width, y from
    the baseline plus the font's descent, one font size high. A text object is one
    text-showing operator, so all its characters share one baseline.
    """
    textpage = page.get_textpage()
    try:
        raw = textpage.raw
        n = pdfium_c.FPDFText_CountChars(raw)
        rect = pdfium_c.FS_RECTF()
        ox, oy = ctypes.c_double(), ctypes.c_double()
        rows: dict[int, tuple[float, float]] = {}  # text object -> (top, bottom) of its characters
        get_unicode, get_box = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetLooseCharBox
        out: list[dict[str, Any]] = []
        for i in range(n):
            code = get_unicode(raw, i)
            if code in (0x20, 0x0A, 0x0D, 0x02) and pdfium_c.FPDFText_IsGenerated(raw, i):
                continue  # spaces and line breaks pdfium inferred; pdfminer has no such characters
            obj = _text_object_at(raw, i)
            row = rows.get(obj)
            if row is None:
                info = text_objects.get(obj)
                if info is None:
                    return None
                descent, size = info
                pdfium_c.FPDFText_GetCharOrigin(raw, i, ox, oy)
                y0 = oy.value + descent * size
                row = rows[obj] = (height - y0 - size, height - y0)
            get_box(raw, i, rect)
            text = chr(code) if 0 < code < 0xFFFE and not 0xD800 <= code < 0xE000 else "\ufffd"
            out.append({"text": text, "x0": rect.left, "x1": rect.right, "top": row[0], "bottom": row[1],
                        "doctop": row[0], "upright": True, "size": row[1] - row[0]})
        return out
    finally:
        textpage.close()


def _cell_texts(found, chars: list[dict[str, Any]]) -> list[list[str | None]]:
    """`pdfplumber.table.Table.extract()` (same rule: a character belongs to the box its centre is in),
    with the centres computed once instead of once per row and per cell."""
    if not chars:
        return [[None if cell is None else "" for cell in row.cells] for row in found.rows]
    h_mid = np.array([(c["x0"] + c["x1"]) / 2 for c in chars])
    v_mid = np.array([(c["top"] + c["bottom"]) / 2 for c in chars])
    out: list[list[str | None]] = []
    for row in found.rows:
        x0, top, x1, bottom = row.bbox
        in_row = np.flatnonzero((h_mid >= x0) & (h_mid < x1) & (v_mid >= top) & (v_mid < bottom))
        texts: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                texts.append(None)
                continue
            cx0, ctop, cx1, cbottom = cell
            hm, vm = h_mid[in_row], v_mid[in_row]
            picked = in_row[(hm >= cx0) & (hm < cx1) & (vm >= ctop) & (vm < cbottom)]
            texts.append(extract_text([chars[k] for k in picked]) if picked.size else "")
        out.append(texts)
    return out


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
