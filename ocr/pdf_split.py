"""Reading one PDF in page ranges on several workers, with the same result as one `ocr.read_pdf` pass.

`ocr.read_pdf` does two things per page: read it (text layer or OCR — the
expensive, independent part) and then post-process it in order, using the
previous page (running headers set aside, tables continued over a page break
stitched). Splitting the document naively would lose that context at every
range boundary, so workers only do the first part (`read_raw`) and the
orchestrating task replays the second (`postprocess`) over all pages in order.
`tests/test_batch.py` checks that the two paths give identical pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ocr import reader
from ocr.engines import get_engine
from ocr.pdf_source import LazyPlumber, opened
from schema.document import Page


def read_raw(path: str | Path, first: int, last: int, engine: str = "tesseract") -> list[Page]:
    """Pages first..last (1-based, inclusive) as read, before in-order post-processing.

    Streams: each page image is released before the next page is read; only text and boxes are kept.
    """
    get_engine(engine)
    with opened(path) as doc:
        last = min(last, len(doc))
        with LazyPlumber(path) as plumber:
            return [reader._read_one(doc, plumber, n, engine) for n in range(first, last + 1)]


def _finished(pages: Iterable[Page]) -> Iterator[Page]:
    previous_first: str | None = None
    for page in pages:
        first = page.lines[0] if page.lines else None
        page = reader._finish(page, previous_first)
        previous_first = first.text if first else None
        yield page


def postprocess(raw_pages: Iterable[Page]) -> list[Page]:
    """What `ocr.read_pdf` does after reading each page, replayed over the whole document in order."""
    return list(reader.stitch_stream(_finished(sorted(raw_pages, key=lambda p: p.page_no))))
