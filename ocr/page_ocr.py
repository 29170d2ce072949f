"""One scanned page image in, one `Page` out: clean-up, tables, text, layout.

Orientation is settled cheaply first (projection-profile tests: whether text
runs vertically, then which side of the text lines carries the diacritics;
tesseract OSD only when that is too close to call, or when the first reading
is so poor that the page may be upside down), so most pages pay no OSD cost.
"""

from __future__ import annotations

import cv2
import numpy as np

from ocr import borderless, cleanup, layout, mark_check, tables, word_choice
from ocr.engines import OcrEngine, gives_symbols, words_many
from ocr.pdf_source import PageImage
from ocr.text_layer import insert_table_lines
from schema.document import Line, Page

UPSIDE_DOWN_CONF = 55.0
"""Mean word confidence below which OSD is asked whether the page is upside down."""
UPRIGHT_SURE = 0.15
"""|cleanup.upright_score| from which a quarter-turned page's side is taken without OSD
(measured: 0.32 or more on every bench page, either way up)."""
OSD_WIDTH = 1200
"""OSD runs on a downscaled copy: it needs shapes, not detail, and is 3x faster."""


def _osd_rotation(grey: np.ndarray, engine: OcrEngine) -> tuple[int, float]:
    scale = min(1.0, OSD_WIDTH / grey.shape[1])
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    return engine.rotation(small)


def prepare(image: PageImage, engine: OcrEngine) -> tuple[np.ndarray, float, int, float]:
    """(clean greyscale page, dpi, clockwise rotation applied, deskew angle applied)."""
    grey = cleanup.to_grey(image.pixels)
    grey = cleanup.denoise(grey)  # at the scan's own resolution, where specks are still one pixel
    grey, dpi = cleanup.normalise_dpi(grey, image.dpi)
    rotation = 0
    vertical, coarse = cleanup.orientation(grey)
    osd = _osd_rotation(grey, engine)[0] if vertical else None
    if vertical and osd in (0, 180):
        # A page of narrow table columns has a column profile as sharp as a turned page's;
        # tesseract's OSD reads the glyphs themselves (measured: 6 of 16 pages of a 7-column
        # portrait table at 200 dpi taken for turned, all read upright by OSD; ~0.12 s a page).
        vertical = False
        coarse = 0.0
    if not vertical:
        angle = cleanup.skew_angle(grey) if osd is not None else cleanup.skew_angle(grey, near=coarse)
    else:
        turned = cleanup.quarter_turn(grey, 90)
        small = cleanup.analysis_image(turned)  # one downscale + threshold for both tests
        angle = cleanup.skew_angle(turned, analysis=small)
        lean = cleanup.upright_score(turned, angle, analysis=small)
        if abs(lean) >= UPRIGHT_SURE:
            rotation = 90 if lean > 0 else 270
        else:  # too little text to tell: OSD's answer
            rotation = osd if osd in (90, 270) else 90
        grey = turned if rotation == 90 else cleanup.quarter_turn(turned, 180)  # a half turn keeps the skew
    if abs(angle) >= 0.1:
        grey = cleanup.rotate(grey, angle)
    grey = cleanup.finish_tones(grey)  # = whiten_paper(stretch_contrast(grey)), one pass
    return grey, dpi, rotation, angle


BODY_PSM = 6
"""Tesseract reads the cleaned page as one uniform block (`--psm 6`), not with its own page
layout analysis (`--psm 3`): the two-column zones are split by `layout` from the word gaps
anyway, and psm 3 dropped isolated text -- page numbers, a signer's name under seal debris.
Measured on the bench body pages: CER 0.52% -> 0.23% clean, 0.31% -> 0.10% noisy, 0.79% both
on hard, and about 6% less tesseract CPU (no layout analysis)."""


def _body_words(engine: OcrEngine, image: np.ndarray, dpi: int) -> list:
    """The body pass's words; on a low-resolution scan with acutes given a second look (`ocr.mark_check`),
    then tesseract's alternatives ranked by the words around them (`ocr.word_choice`)."""
    marks = mark_check.applies(dpi)
    if (marks or word_choice.applies()) and gives_symbols(engine):
        (words,) = words_many(engine, [image], psm=BODY_PSM, dpi=dpi, symbols=True)
        if marks:
            words = mark_check.check_words(words, image)
        return word_choice.choose_words(words)
    return engine.words(image, psm=BODY_PSM, dpi=dpi)


def _tokens(engine: OcrEngine, image: np.ndarray, dpi: int) -> list[layout.Token]:
    return [
        layout.Token(w.text, w.left, w.top, w.right, w.bottom, w.conf, (w.block, w.par, w.line))
        for w in _body_words(engine, image, dpi)
    ]


SPECK_HEIGHT = 0.45
"""Words shorter than this share of the median word height are suspect (seal or signature debris)."""


def drop_specks(tokens: list[layout.Token]) -> list[layout.Token]:
    """Remove 'words' tesseract made out of leftover seal/signature strokes.

    They are much shorter than real words and usually low-confidence; dashes
    and bullets are short too but read with high confidence, so they stay.
    """
    heights = sorted(t.y1 - t.y0 for t in tokens)
    if len(heights) < 10:
        return tokens
    median = heights[len(heights) // 2]

    def speck(t: layout.Token) -> bool:
        h = t.y1 - t.y0
        if h >= SPECK_HEIGHT * median:
            return False
        conf = t.conf if t.conf is not None else 100.0
        return conf < 60 or (h < 0.35 * median and t.text not in "-–—.,;:•+*")

    def debris(t: layout.Token) -> bool:
        return (t.conf if t.conf is not None else 100.0) < 50 and not any(ch.isalnum() for ch in t.text)

    return [t for t in tokens if not speck(t) and not debris(t)]


def _body_image(body: np.ndarray, has_tables: bool) -> tuple[np.ndarray | None, int, int]:
    """(image the body pass reads, its x, y offset on the page); None when there is nothing to read.

    On table pages only the box around the ink left outside the tables: a continuation
    page of an appendix is all table, and reading the blanked full page cost a second
    full-page tesseract pass for a page number or nothing.
    """
    if not has_tables:
        return body, 0, 0
    ink = cv2.erode((body < 128).astype(np.uint8), np.ones((2, 2), np.uint8))
    ys, xs = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if ys.size == 0 or int(ink.sum()) < 50:
        return None, 0, 0
    pad = 30
    y0, y1 = max(int(ys[0]) - pad, 0), min(int(ys[-1]) + pad + 1, body.shape[0])
    x0, x1 = max(int(xs[0]) - pad, 0), min(int(xs[-1]) + pad + 1, body.shape[1])
    return body[y0:y1, x0:x1], x0, y0


def _as_tokens(words: list, x0: int = 0, y0: int = 0) -> list[layout.Token]:
    return [layout.Token(w.text, w.left + x0, w.top + y0, w.right + x0, w.bottom + y0, w.conf, (w.block, w.par, w.line))
            for w in words]


def _body_tokens(engine: OcrEngine, body: np.ndarray, dpi: int, has_tables: bool) -> list[layout.Token]:
    """OCR of the page outside its tables (see `_body_image`)."""
    image, x0, y0 = _body_image(body, has_tables)
    return [] if image is None else _as_tokens(_body_words(engine, image, dpi), x0, y0)


def _read_body_and_cells(engine: OcrEngine, body: np.ndarray, clean: np.ndarray, grids: list[tables.Grid],
                         dpi: int) -> tuple[list[layout.Token], list[list], list[list[list]] | None]:
    """Body tokens, and the cell stacks of every grid with their first reading when they could share
    the body's tesseract process (same psm, same dpi): one model load per table page instead of two."""
    image, x0, y0 = _body_image(body, True)
    stacks = [tables.cell_stacks(clean, g, dpi) for g in grids]
    if tables.cell_dpi(dpi) != dpi or BODY_PSM != 6:
        return ([] if image is None else _as_tokens(_body_words(engine, image, dpi), x0, y0)), stacks, None
    bigs = [big for grid_stacks in stacks for big, _ in grid_stacks]
    alternatives = word_choice.applies() and gives_symbols(engine)  # `read_cells` ranks the cells' ones
    read = words_many(engine, ([image] if image is not None else []) + bigs, psm=BODY_PSM, dpi=dpi,
                      symbols=alternatives)
    tokens = _as_tokens(word_choice.choose_words(read.pop(0)), x0, y0) if image is not None else []
    firsts = []
    for grid_stacks in stacks:
        firsts.append(read[: len(grid_stacks)])
        del read[: len(grid_stacks)]
    return tokens, stacks, firsts


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def ocr_page(image: PageImage, page_no: int, engine: OcrEngine, flip_checked: bool = False) -> Page:
    """Recognise a page image: body text in reading order plus ruled tables cell by cell."""
    grey, dpi, rotation, _ = prepare(image, engine)
    # Short strokes: border stubs one text row high (0.2 in is taller than any 13 pt letter stem).
    (h, v), short_masks = cleanup.ruling_masks_lazy(grey, max(int(0.2 * dpi), 20))
    grids, short_v = tables.find_grids(h, v), None
    if grids:  # border stubs matter only where there is a grid
        short_h, short_v = short_masks()
        grids = tables.find_grids(h, v, short_h, short_v)
    clean = tables.erase_rulings(grey, h, v, grids, short_v)
    body = clean.copy()
    for g in grids:  # tables are read cell by cell; keep them out of the body pass
        x0, y0, x1, y1 = g.box
        body[max(y0 - 3, 0) : y1 + 3, max(x0 - 3, 0) : x1 + 3] = 255
    if grids:
        raw, stacks, firsts = _read_body_and_cells(engine, body, clean, grids, int(dpi))
    else:
        raw, stacks, firsts = _body_tokens(engine, body, int(dpi), False), [], None
    tokens = drop_specks(raw)
    conf = _mean([t.conf for t in tokens if t.conf is not None])
    if not flip_checked and rotation == 0 and tokens and conf is not None and conf < UPSIDE_DOWN_CONF:
        rot, osd_conf = _osd_rotation(grey, engine)
        if rot == 180 and osd_conf > 1.0:
            return _rotated_retry(image, page_no, engine)
    found = [tables.grid_to_table(g, tables.read_cells(clean, g, engine, int(dpi), stacks[k],
                                                       firsts[k] if firsts is not None else None), page_no)
             for k, g in enumerate(grids)]
    loose, segments = borderless.find_tables(layout.split_segments(tokens), page_no)
    found = sorted(found + loose, key=lambda t: t.bbox[1] if t.bbox else 0.0)
    ordered = layout.reading_order(segments)
    lines: list[Line] = [layout.to_line(b, s) for b, s in ordered]
    lines = insert_table_lines(lines, found)
    cell_confs = [c.confidence for t in found for c in t.cells if c.confidence is not None]
    word_confs = [t.conf for t in tokens if t.conf is not None] + cell_confs
    return Page(
        page_no=page_no,
        method="ocr",
        text="\n".join(line.text for line in lines),
        confidence=_mean(word_confs),
        width=float(grey.shape[1]),
        height=float(grey.shape[0]),
        rotation=rotation,
        lines=lines,
        tables=found,
    )


def _rotated_retry(image: PageImage, page_no: int, engine: OcrEngine) -> Page:
    """Upside-down scan: turn the raw image half a turn and read it again."""
    turned = PageImage(np.ascontiguousarray(np.rot90(image.pixels, 2)), image.dpi, image.embedded)
    page = ocr_page(turned, page_no, engine, flip_checked=True)
    return page.model_copy(update={"rotation": (page.rotation + 180) % 360})
