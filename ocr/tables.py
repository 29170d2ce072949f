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

from dataclasses import dataclass

import cv2
import numpy as np

from ocr.cleanup import erase
from ocr.engines import OcrEngine
from schema.document import Cell, Table

MIN_TABLE_WIDTH = 0.25
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
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    return sorted(cells, key=lambda c: (c.row, c.col))


def find_grids(h: np.ndarray, v: np.ndarray) -> list[Grid]:
    """Ruled grids on the page from the horizontal and vertical ruling masks."""
    page_h, page_w = h.shape
    joined = cv2.dilate(cv2.bitwise_or(h, v), cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    grids: list[Grid] = []
    for i in range(1, n):
        x, y, w, hh, _ = stats[i]
        if w < MIN_TABLE_WIDTH * page_w or hh < 0.03 * page_h:
            continue
        hc, vc = h[y : y + hh, x : x + w], v[y : y + hh, x : x + w]
        ys = _positions((hc > 0).sum(axis=1), 0.05 * w, 6)
        xs = _positions((vc > 0).sum(axis=0), 0.3 * min(hh, 200), 6)
        if len(xs) < 3 or len(ys) < 3:
            continue
        xs = [x + p for p in xs]
        ys = [y + p for p in ys]
        grids.append(Grid((int(x), int(y), int(x + w), int(y + hh)), xs, ys, _recover_cells(h, v, xs, ys)))
    return sorted(grids, key=lambda g: g.box[1])


_GAP = 48
_PAD = 16
_MAX_STACK = 30000


def _cell_crop(clean: np.ndarray, box: tuple[int, int, int, int], inset: int = 5) -> np.ndarray | None:
    x0, y0, x1, y1 = box
    crop = clean[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
    if crop.size == 0 or (crop < 128).sum() < 15:
        return None
    return crop


def read_cells(clean: np.ndarray, grid: Grid, engine: OcrEngine, dpi: int = 300) -> list[Cell]:
    """OCR every cell of `grid` from `clean` (ruling lines already erased)."""
    crops: list[tuple[GridCell, np.ndarray]] = []
    for cell in grid.cells:
        crop = _cell_crop(clean, cell.box)
        if crop is not None:
            crops.append((cell, crop))
    texts: dict[tuple[int, int], list[tuple[float, float, float, str, float]]] = {}
    start = 0
    while start < len(crops):
        # Stacks are chunked so the composite stays within tesseract's image limits.
        chunk, height = [], _GAP
        while start < len(crops) and (not chunk or height + crops[start][1].shape[0] + _GAP < _MAX_STACK):
            chunk.append(crops[start])
            height += crops[start][1].shape[0] + _GAP
            start += 1
        width = max(c.shape[1] for _, c in chunk) + 2 * _PAD
        stack = np.full((height, width), 255, dtype=np.uint8)
        offsets = []
        y = _GAP
        for cell, crop in chunk:
            stack[y : y + crop.shape[0], _PAD : _PAD + crop.shape[1]] = crop
            offsets.append((y, y + crop.shape[0], cell))
            y += crop.shape[0] + _GAP
        for w in engine.words(stack, psm=6, dpi=dpi):
            mid = (w.top + w.bottom) / 2
            for top, bottom, cell in offsets:
                if top - _GAP / 2 <= mid < bottom + _GAP / 2:
                    texts.setdefault((cell.row, cell.col), []).append((w.top, w.left, mid, w.text, w.conf))
                    break
    cells = []
    for cell in grid.cells:
        words = texts.get((cell.row, cell.col), [])
        cells.append(
            Cell(
                row=cell.row,
                col=cell.col,
                row_span=cell.row_span,
                col_span=cell.col_span,
                text=_join_words(words),
                bbox=tuple(float(v) for v in cell.box),  # type: ignore[arg-type]
                confidence=round(sum(w[4] for w in words) / len(words), 2) if words else None,
            )
        )
    return cells


def _join_words(words: list[tuple[float, float, float, str, float]]) -> str:
    """Cell words in reading order; wrapped lines of one cell joined with a space, as printed."""
    lines: list[list[tuple[float, float, float, str, float]]] = []
    for w in sorted(words, key=lambda w: w[2]):
        if lines and abs(lines[-1][-1][2] - w[2]) < 0.5 * max(w[2] - w[0], 8):
            lines[-1].append(w)
        else:
            lines.append([w])
    return " ".join(" ".join(t[3] for t in sorted(line, key=lambda t: t[1])) for line in lines)


def grid_to_table(grid: Grid, cells: list[Cell], page_no: int) -> Table:
    return Table(
        page=page_no,
        pages=[page_no],
        n_rows=grid.n_rows,
        n_cols=grid.n_cols,
        header_rows=1,
        cells=cells,
        row_pages=[page_no] * grid.n_rows,
        bbox=tuple(float(v) for v in grid.box),  # type: ignore[arg-type]
    )


def erase_rulings(grey: np.ndarray, h: np.ndarray, v: np.ndarray) -> np.ndarray:
    return erase(grey, cv2.bitwise_or(h, v))
