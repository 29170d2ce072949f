"""Ruled tables on page images: grid detection, cell recovery, per-cell OCR.

Plain tesseract reads a ruled table line by line across the columns, which
interleaves the cells (see seeds 000 and 003). Here the grid is found with
OpenCV morphology (long thin openings keep only ruling lines), the cells are
recovered from the line positions -- a missing border between two slots means a
merged cell -- and every cell is recognised on its own. To keep one tesseract
start-up per page rather than one per cell, the cell crops are stacked into a
single tall image with white gaps and read once; each word maps back to its cell
by position, so text can never leak into a neighbouring column.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from ocr import mark_check, numbering, roman, word_choice
from ocr.cleanup import erase
from ocr.engines import OcrEngine, gives_symbols, words_many
from schema.document import Cell, Table

MIN_TABLE_WIDTH = 0.25
MIN_ROW_HEIGHT = 0.012
"""A grid's least height (share of the page): one table row of one text line. The last page of a table
printed without its header repeated may hold a single row; a grid of one row is still a table."""
"""Share of the page width a grid must span to count as a table (not a box or an underline)."""
BORDER_PRESENT = 0.5
"""Share of a slot edge that must be ruled for the edge to count as a border."""


@dataclass
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in page pixels


@dataclass
class Grid:
    box: tuple[int, int, int, int]
    xs: list[int]
    ys: list[int]
    cells: list[GridCell]

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1


def _positions(profile: np.ndarray, min_value: float, merge_px: int) -> list[int]:
    """Centres of runs where `profile` >= min_value, runs closer than merge_px joined."""
    idx = np.flatnonzero(profile >= min_value)
    if idx.size == 0:
        return []
    out: list[list[int]] = [[int(idx[0]), int(idx[0])]]
    for i in idx[1:]:
        if i - out[-1][1] <= merge_px:
            out[-1][1] = int(i)
        else:
            out.append([int(i), int(i)])
    return [(a + b) // 2 for a, b in out]


def _edge_share(mask: np.ndarray, horizontal: bool, at: int, start: int, end: int, band: int = 4) -> float:
    """Share of the edge segment [start, end) at coordinate `at` covered by ruling pixels."""
    margin = max((end - start) // 10, 2)
    start, end = start + margin, end - margin
    if end <= start:
        return 1.0
    if horizontal:
        strip = mask[max(at - band, 0) : at + band + 1, start:end]
        covered = strip.max(axis=0) > 0
    else:
        strip = mask[start:end, max(at - band, 0) : at + band + 1]
        covered = strip.max(axis=1) > 0
    return float(covered.mean()) if covered.size else 0.0


def _recover_cells(h: np.ndarray, v: np.ndarray, xs: list[int], ys: list[int]) -> list[GridCell]:
    """Slots joined across missing borders (union-find), each group one (possibly merged) cell."""
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    parent = list(range(n_rows * n_cols))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a: int, b: int) -> None:
        parent[find(a)] = find(b)

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and _edge_share(v, False, xs[c + 1], ys[r], ys[r + 1]) < BORDER_PRESENT:
                union(r * n_cols + c, r * n_cols + c + 1)
            if r + 1 < n_rows and _edge_share(h, True, ys[r + 1], xs[c], xs[c + 1]) < BORDER_PRESENT:
                union(r * n_cols + c, (r + 1) * n_cols + c)
    groups: dict[int, list[tuple[int, int]]] = {}
    for r in range(n_rows):
        for c in range(n_cols):
            groups.setdefault(find(r * n_cols + c), []).append((r, c))
    cells = []
    for slots in groups.values():
        r0, r1 = min(s[0] for s in slots), max(s[0] for s in slots)
        c0, c1 = min(s[1] for s in slots), max(s[1] for s in slots)
        if len(slots) != (r1 - r0 + 1) * (c1 - c0 + 1):
            # Not a rectangle: a border is broken (e.g. under a seal), not a merged cell.
            # Keep the slots apart so no pixel is read twice.
            cells += [GridCell(r, c, 1, 1, (xs[c], ys[r], xs[c + 1], ys[r + 1])) for r, c in slots]
            continue
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    return sorted(cells, key=lambda c: (c.row, c.col))


def find_grids(
    h: np.ndarray, v: np.ndarray, short_h: np.ndarray | None = None, short_v: np.ndarray | None = None
) -> list[Grid]:
    """Ruled grids on the page from the horizontal and vertical ruling masks.

    Grid lines are located with the long-stroke masks (`h`, `v`: nothing a letter
    could produce). Whether a border exists between two slots is checked on the
    short-stroke masks when given: under a merged section row the column borders
    of the next single-line row are only one row high, shorter than the long
    kernel, and would otherwise make that row one wide cell.
    """
    edge_h = short_h if short_h is not None else h
    edge_v = short_v if short_v is not None else v
    page_h, page_w = h.shape
    # Components are found on a 1/4-scale copy (the lines survive, 16x fewer pixels).
    small = cv2.resize(cv2.bitwise_or(h, v), None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    joined = cv2.dilate((small > 0).astype(np.uint8), cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    grids: list[Grid] = []
    for i in range(1, n):
        sx, sy, sw, sh, _ = stats[i]
        x, y = max(int(sx) * 4 - 4, 0), max(int(sy) * 4 - 4, 0)
        w, hh = min(int(sw) * 4 + 8, page_w - x), min(int(sh) * 4 + 8, page_h - y)
        if w < MIN_TABLE_WIDTH * page_w or hh < MIN_ROW_HEIGHT * page_h:
            continue
        hc, vc = h[y : y + hh, x : x + w], v[y : y + hh, x : x + w]
        ys = _positions((hc > 0).sum(axis=1), 0.05 * w, 6)
        xs = _positions((vc > 0).sum(axis=0), 0.3 * min(hh, 200), 6)
        if len(xs) < 3 or len(ys) < 2:  # one row of two cells or more: a table's last row alone on its page
            continue
        xs = [x + p for p in xs]
        ys = [y + p for p in ys]
        grids.append(Grid((int(x), int(y), int(x + w), int(y + hh)), xs, ys, _recover_cells(edge_h, edge_v, xs, ys)))
    return sorted(grids, key=lambda g: g.box[1])


HEADER_ROWS = 1
"""Rows at the top of every grid taken as its header (repeated on continuation pages)."""

CELL_DPI = 300
"""Cell strips are read at (at least) this resolution: a 200 dpi scan's cells enlarged 1.5x.

Measured on the bench tables with the numbering column spread (`ocr.numbering`):
enlarging 300 dpi cells 1.5x as well gave cells exactly right 89.3% / 95.3% (clean /
noisy) against 94.0% / 91.3% at their own size -- a wash within a few cells -- but cost
0.2-0.4 s of CPU per table page (2.25x the pixels for tesseract). On the 200 dpi pages
1.5x gained (75.3% -> 78.0%). Whole pages are not enlarged: there it glued words
together and cost accuracy (see cleanup.LOW_DPI)."""


def cell_scale(dpi: float) -> float:
    return max(1.0, CELL_DPI / dpi) if dpi > 0 else 1.0


_ROW_GAP = 40
_COL_GAP = 90
_PAD = 24
_MAX_STACK = 20000


def _ink_crop(clean: np.ndarray, box: tuple[int, int, int, int], inset: int = 6, margin: int = 6) -> np.ndarray | None:
    """The cell's ink, trimmed left and right only (None for an empty cell).

    The vertical extent is kept as ruled so that cells of one row keep their
    printed baselines aligned when placed side by side; trimming to the ink top
    would lift a bare "II" above the accents of its neighbour and tesseract then
    reads it as "I..".
    """
    x0, y0, x1, y1 = (int(v) for v in box)
    crop = clean[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
    if crop.size == 0:
        return None
    ink = crop < 150
    if ink.sum() < 15:
        return None
    xs = np.flatnonzero(ink.any(axis=0))
    return crop[:, max(xs[0] - margin, 0) : xs[-1] + margin + 1]


def _numbering_cells(grid: Grid) -> set[int]:
    """ids of the numbering column's body cells (see `ocr.numbering`).

    The header row is left as printed: its "TT" / "STT" is a word, and a T's
    crossbar cut in two read as an extra "T".
    """
    if grid.n_cols < 2 or not numbering.is_numbering_column(0, grid.xs[1] - grid.xs[0], grid.box[2] - grid.box[0]):
        return set()
    return {id(c) for c in grid.cells if c.col == 0 and c.col_span == 1 and c.row >= HEADER_ROWS}


def _row_strips(clean: np.ndarray, grid: Grid) -> list[tuple[np.ndarray, list[tuple[int, int, GridCell]]]]:
    """One strip per grid row: its cells' ink side by side, far apart, tops aligned.

    Reading a row as one text line gives tesseract the context it needs for
    short cells (a lone "3" or "II" read alone comes out as "s" or "H"), while
    the wide gaps guarantee no word straddles two cells.
    """
    x0, y0, x1, y1 = grid.box
    paper = int(np.median(clean[y0:y1:4, x0:x1:4]))  # fill gaps with the paper tone: no artificial edges
    numbered = _numbering_cells(grid)
    strips = []
    for r in range(grid.n_rows):
        parts = [(c, _ink_crop(clean, c.box)) for c in grid.cells if c.row == r]
        parts = [(c, numbering.spread_glyphs(crop, paper) if crop is not None and id(c) in numbered else crop)
                 for c, crop in parts]
        parts = [(c, crop) for c, crop in parts if crop is not None]
        if not parts:
            continue
        height = max(crop.shape[0] for _, crop in parts)
        width = sum(crop.shape[1] for _, crop in parts) + _COL_GAP * (len(parts) - 1) + 2 * _PAD
        strip = np.full((height, width), paper, dtype=np.uint8)
        spans = []
        x = _PAD
        for cell, crop in sorted(parts, key=lambda p: p[0].col):
            strip[: crop.shape[0], x : x + crop.shape[1]] = crop
            spans.append((x, x + crop.shape[1], cell))
            x += crop.shape[1] + _COL_GAP
        strips.append((strip, spans))
    return strips


def cell_stacks(clean: np.ndarray, grid: Grid, dpi: int = 300) -> list[tuple[np.ndarray, list]]:
    """The images `read_cells` has tesseract read (row strips stacked, enlarged to CELL_DPI), with their cell boxes."""
    strips = _row_strips(clean, grid)
    scale = cell_scale(dpi)
    stacks = []
    i = 0
    while i < len(strips):
        chunk, height = [], _ROW_GAP
        while i < len(strips) and (not chunk or height + strips[i][0].shape[0] + _ROW_GAP < _MAX_STACK):
            chunk.append(strips[i])
            height += strips[i][0].shape[0] + _ROW_GAP
            i += 1
        width = max(s.shape[1] for s, _ in chunk)
        stack = np.full((height, width), int(np.median(chunk[0][0])), dtype=np.uint8)
        boxes = []
        y = _ROW_GAP
        for strip, spans in chunk:
            stack[y : y + strip.shape[0], : strip.shape[1]] = strip
            boxes += [(y, y + strip.shape[0], x0, x1, cell) for x0, x1, cell in spans]
            y += strip.shape[0] + _ROW_GAP
        big = stack if scale == 1 else cv2.resize(stack, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        stacks.append((big, boxes))
    return stacks


def cell_dpi(dpi: int) -> int:
    """The resolution tesseract is told for the `cell_stacks` images."""
    return round(dpi * cell_scale(dpi))


def read_cells(clean: np.ndarray, grid: Grid, engine: OcrEngine, dpi: int = 300,
               stacks: list[tuple[np.ndarray, list]] | None = None, first_words: list[list] | None = None) -> list[Cell]:
    """OCR every cell of `grid` from `clean` (ruling lines already erased), one tesseract call per chunk.

    `stacks` / `first_words`: the `cell_stacks` and their words when the caller already had them
    read (with the page body, in one tesseract process).
    """
    if stacks is None:
        stacks = cell_stacks(clean, grid, dpi)
    scale = cell_scale(dpi)
    marks = mark_check.applies(dpi) and gives_symbols(engine)  # low-res scan: acute/hook second look
    alternatives = (marks or word_choice.applies()) and gives_symbols(engine)
    found: dict[tuple[int, int], list] = {}
    for k, (big, boxes) in enumerate(stacks):
        if first_words is not None:
            first = first_words[k]
        elif alternatives:
            first = words_many(engine, [big], psm=6, dpi=cell_dpi(dpi), symbols=True)[0]
        else:
            first = engine.words(big, psm=6, dpi=cell_dpi(dpi))
        if marks:
            first = mark_check.check_words(first, big)
        if alternatives:
            first = word_choice.choose_words(first)
        for w in _numerals_reread(engine, big, first, boxes, scale, cell_dpi(dpi)):
            cx, cy = (w.left + w.right) / 2 / scale, (w.top + w.bottom) / 2 / scale
            for top, bottom, x0, x1, cell in boxes:
                if top - _ROW_GAP / 2 <= cy < bottom + _ROW_GAP / 2 and x0 - _COL_GAP / 2 <= cx < x1 + _COL_GAP / 2:
                    found.setdefault((cell.row, cell.col), []).append(w)
                    break
    numbered = _numbering_cells(grid)
    cells = []
    for cell in grid.cells:
        words = [w for w in found.get((cell.row, cell.col), []) if not _debris(w, id(cell) in numbered)]
        text = numbering.join_words([w.text for w in sorted(words, key=lambda w: w.left)]) if id(cell) in numbered \
            else _join_words(words)
        cells.append(
            Cell(
                row=cell.row,
                col=cell.col,
                row_span=cell.row_span,
                col_span=cell.col_span,
                text=text,
                bbox=tuple(float(v) for v in cell.box),  # type: ignore[arg-type]
                confidence=round(sum(w.conf for w in words) / len(words), 2) if words else None,
            )
        )
    return cells


def _numerals_reread(engine: OcrEngine, big: np.ndarray, words: list, boxes: list, scale: float,
                     dpi: int) -> list:
    """`words` with Roman numerals in text cells read again glyph by glyph (see `ocr.roman`).

    Numbering-column cells are skipped: their glyphs were spread before the first reading.
    """
    def in_numbering(w) -> bool:
        cx, cy = (w.left + w.right) / 2 / scale, (w.top + w.bottom) / 2 / scale
        return any(top - _ROW_GAP / 2 <= cy < bottom + _ROW_GAP / 2 and x0 - _COL_GAP / 2 <= cx < x1 + _COL_GAP / 2
                   for top, bottom, x0, x1, cell in boxes if cell.col == 0)

    picked = [i for i, w in enumerate(words) if roman.suspect(w.text) and not in_numbering(w)]
    if not picked:
        return words
    second = roman.reread(engine, big, [((words[i].left, words[i].top, words[i].right, words[i].bottom), words[i].text)
                                         for i in picked], dpi)
    out = list(words)
    for i, text in zip(picked, second, strict=True):
        fixed = roman.corrected(words[i].text, text)
        if fixed != words[i].text:
            out[i] = replace(words[i], text=fixed)
    return out


def _debris(word, numbering_cell: bool = False) -> bool:  # word: TessWord
    """A low-confidence 'word' without a letter or digit: seal or ruling-line leftovers, not text.

    In a numbering cell a lone dot is the label's own ("2.1"): the glyphs were spread apart
    (`ocr.numbering`), so the dot stands alone and tesseract is unsure of it at 200 dpi.
    """
    if numbering_cell and word.text.strip() == ".":
        return False
    return word.conf < 80 and not any(ch.isalnum() for ch in word.text)


def _join_words(words: list) -> str:
    """Cell words line by line (tesseract's own line ids); wrapped lines joined by a space, as printed."""
    lines: dict[tuple[int, int, int], list] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    ordered = sorted(lines.values(), key=lambda ws: min(w.top for w in ws))
    return " ".join(" ".join(w.text for w in sorted(ws, key=lambda w: w.left)) for ws in ordered)


def grid_to_table(grid: Grid, cells: list[Cell], page_no: int) -> Table:
    return Table(
        page=page_no,
        pages=[page_no],
        n_rows=grid.n_rows,
        n_cols=grid.n_cols,
        header_rows=HEADER_ROWS,
        cells=cells,
        row_pages=[page_no] * grid.n_rows,
        bbox=tuple(float(v) for v in grid.box),  # type: ignore[arg-type]
    )


def erase_rulings(grey: np.ndarray, h: np.ndarray, v: np.ndarray, grids: list[Grid] | None = None,
                  short: np.ndarray | None = None) -> np.ndarray:
    """Ruling lines painted white; inside tables also the short border stubs (else read as "|")."""
    mask = cv2.bitwise_or(h, v)
    if grids and short is not None:
        inside = np.zeros_like(mask)
        for g in grids:
            x0, y0, x1, y1 = g.box
            inside[y0 : y1 + 1, x0 : x1 + 1] = 255
        mask = cv2.bitwise_or(mask, cv2.bitwise_and(short, inside))
    return erase(grey, mask)
