"""`read_pdf`: pages streamed one at a time, text layer first, OCR when needed.

Only one page image is alive at any time. The one thing that needs look-ahead
is a table continued on the next page: a page whose last table reaches the
bottom is held back (as text, not as an image) until the next page shows
whether the table goes on, then the continuation is stitched into it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from ocr import layout
from ocr.engines import get_engine
from ocr.page_ocr import ocr_page
from ocr.pdf_source import LazyPlumber, opened, page_image
from ocr.stitch import continues, stitch
from ocr.text_layer import read_page
from schema.document import Line, Page, Table

log = logging.getLogger(__name__)

TABLE_AT_BOTTOM = 0.72
"""A table whose bottom edge lies below this share of the page height may continue."""
TABLE_AT_TOP = 0.30
"""A continuation table starts above this share of the page height (after any running header)."""


def parse_pages(spec: str | None, count: int) -> list[int]:
    """'1-3,5' -> [1, 2, 3, 5] within 1..count; None -> every page."""
    if not spec:
        return list(range(1, count + 1))
    out: list[int] = []
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        a, _, b = part.partition("-")
        start = int(a) if a else 1
        end = int(b) if b else (count if _ else start)
        if start < 1 or end < start:
            raise ValueError(f"bad page range {part!r}")
        out.extend(p for p in range(start, min(end, count) + 1) if p not in out)
    return out


def _finish(page: Page, previous_first: str | None) -> Page:
    """Running headers and page numbers moved out of the text into `header_text`.

    Also replayed by `ocr.pdf_split` (with `_read_one`) when one PDF is read
    in page ranges on several workers; keep the two names and signatures.
    """
    if page.height is None:
        return page
    kept, aside = layout.set_aside_running_text(page.lines, page.height, previous_first)
    if aside is None:
        return page
    return page.model_copy(
        update={"lines": kept, "text": "\n".join(ln.text for ln in kept), "header_text": aside}
    )


def _read_one(doc, plumber, page_no: int, engine_name: str) -> Page:
    """`plumber` (pdfplumber document or `LazyPlumber`) is only touched for pages pdfium cannot read alone."""
    pdf_page = doc[page_no - 1]
    try:
        page, problem = read_page(pdf_page, page_no, lambda: plumber.pages[page_no - 1])
        if page is not None:
            return page
        if problem != "no text":
            log.info("page %d: text layer unusable (%s), OCR instead", page_no, problem)
        image = page_image(pdf_page)
    finally:
        pdf_page.close()
    return ocr_page(image, page_no, get_engine(engine_name))


def _reaches_bottom(table: Table, page: Page) -> bool:
    return table.bbox is not None and page.height is not None and table.bbox[3] > TABLE_AT_BOTTOM * page.height


def _starts_at_top(table: Table, page: Page) -> bool:
    return table.bbox is not None and page.height is not None and table.bbox[1] < TABLE_AT_TOP * page.height


def stitch_stream(pages: Iterable[Page]) -> Iterator[Page]:
    """Merge tables continued across consecutive pages into the page where they start.

    `held[0]` owns the open table (its last one); `held[1:]` are pages whose only
    table was merged into it. They are released as soon as the table closes.
    """
    held: list[Page] = []
    open_at_bottom = False
    for page in pages:
        if held:
            owner, last = held[0], held[-1]
            cont = page.tables[0] if page.tables else None
            if (
                open_at_bottom
                and cont is not None
                and page.page_no == last.page_no + 1
                and _starts_at_top(cont, page)
                and continues(owner.tables[-1], cont)
            ):
                owner.tables[-1] = stitch(owner.tables[-1], cont)
                open_at_bottom = _reaches_bottom(cont, page)
                page = page.model_copy(update={"tables": page.tables[1:]})
                if not page.tables:
                    held.append(page)
                    continue
            yield from held
            held = []
        if page.tables and _reaches_bottom(page.tables[-1], page):
            held, open_at_bottom = [page], True
        else:
            yield page
    yield from held


def read_pdf(path: str | Path, pages: list[int] | str | None = None, engine: str = "tesseract") -> Iterator[Page]:
    """Pages of a PDF, 1-based, in order: text layer where usable, OCR otherwise.

    Raises `ocr.errors.InputError` subclasses (before the first page) for files
    that are not readable PDFs.
    """
    get_engine(engine)  # unknown engine names fail before any work
    with opened(path) as doc:
        count = len(doc)
        wanted = parse_pages(pages, count) if isinstance(pages, str) or pages is None else list(pages)
        with LazyPlumber(path) as plumber:
            yield from stitch_stream(_pages(doc, plumber, wanted, engine))


def _pages(doc, plumber, wanted: list[int], engine: str) -> Iterator[Page]:
    previous_first: str | None = None
    for page_no in wanted:
        page = _read_one(doc, plumber, page_no, engine)
        first: Line | None = page.lines[0] if page.lines else None
        page = _finish(page, previous_first)
        previous_first = first.text if first else None
        yield page
