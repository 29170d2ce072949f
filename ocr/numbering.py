"""The numbering column of a ruled table (TT / STT): glyphs pulled apart before OCR.

Section rows are numbered with Roman numerals in a bold serif face, where the
serifs of neighbouring I's touch: tesseract reads "II" as "H", "III" as "HI"
or "II", "VII" as "VH" (measured on the bench tables, every quality). Cutting
the crop between letter stems and inserting white space makes each I a glyph
of its own; read that way, all Roman numerals of the clean and noisy bench
tables came out right. A cut never goes through a stem: stems are the columns
with ink in the middle band of the text height (serifs, dots and the foot of a
"1" lie above or below it), and the cut sits at the emptiest column between
two stems.

Words of a numbering cell are joined without spaces: a row number never
contains one ("1.1", "IV", "TT"), so the gaps inserted here cannot leak out.
"""

from __future__ import annotations

import numpy as np

from ocr.cleanup import true_runs

NARROW_COLUMN = 0.08
"""The first column counts as a numbering column when narrower than this share of the table."""
MIDDLE_BAND = 0.3
"""Stems are looked for between this share of the ink height from the top and from the bottom."""
GAP_SHARE = 0.35
"""White space inserted between glyphs, as a share of the ink height."""


def is_numbering_column(col: int, col_width: float, table_width: float) -> bool:
    """Leftmost and narrow: the row-number column of a task table."""
    return col == 0 and table_width > 0 and col_width < NARROW_COLUMN * table_width


def spread_glyphs(crop: np.ndarray, paper: int = 255, ink_below: int = 128) -> np.ndarray:
    """`crop` with white space inserted between neighbouring letter stems (size grows in x only)."""
    ink = crop < ink_below
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return crop
    top, bottom = int(rows[0]), int(rows[-1])
    height = bottom - top + 1
    inset = int(MIDDLE_BAND * height)
    band = ink[top + inset : bottom - inset + 1]
    stems = true_runs(band.any(axis=0)) if band.size else []
    if len(stems) < 2:
        return crop
    column_ink = ink.sum(axis=0)
    cuts = [a_end + 1 + int(np.argmin(column_ink[a_end + 1 : b_start])) for (_, a_end), (b_start, _) in
            zip(stems, stems[1:], strict=False)]
    gap = np.full((crop.shape[0], max(int(GAP_SHARE * height), 4)), paper, dtype=crop.dtype)
    parts, x = [], 0
    for cut in cuts:
        parts += [crop[:, x:cut], gap]
        x = cut
    parts.append(crop[:, x:])
    return np.hstack(parts)


def join_words(texts: list[str]) -> str:
    """A numbering cell's words as one token: the spaces came from the inserted gaps."""
    return "".join(texts)
