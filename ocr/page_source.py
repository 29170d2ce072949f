"""A PDF opened once for many page reads: what a worker keeps between the page ranges it is given.

Reopening a PDF per range cost 3.1 s per open on a 10,000-page file, 634 times; a worker now keeps
its last few documents open (pdfium, and pdfplumber only if a page needs it) and reads any page
of them on demand. Each page is read inside `engines.page_context`, so an engine (and an error
message) knows which page of which file it is on.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from pathlib import Path

from ocr import reader
from ocr.engines import page_context
from ocr.pdf_source import LazyPlumber, open_pdf
from schema import limits
from schema.document import Page


class OpenPdf:
    """pdfium document + lazy pdfplumber of one file."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.doc = open_pdf(path)
        self.plumber = LazyPlumber(path)

    def __len__(self) -> int:
        return len(self.doc)

    def read_raw(self, page_no: int, engine: str | None = None) -> Page:
        """One page as read, before the in-order post-processing (`ocr.postprocess`)."""
        with page_context(self.path, page_no):
            return reader._read_one(self.doc, self.plumber, page_no, engine)

    def close(self) -> None:
        self.plumber.close()
        self.doc.close()


class PdfCache:
    """The last `size` PDFs this process opened, keyed by path and (size, mtime): a changed file reopens."""

    def __init__(self, size: int = 2) -> None:
        self.size = size
        self._open: OrderedDict[tuple[str, int, int], OpenPdf] = OrderedDict()

    def get(self, path: str | Path) -> OpenPdf:
        st = os.stat(path)
        key = (str(path), st.st_size, st.st_mtime_ns)
        pdf = self._open.get(key)
        if pdf is not None:
            self._open.move_to_end(key)
            return pdf
        pdf = OpenPdf(path)
        self._open[key] = pdf
        while len(self._open) > self.size:
            _, old = self._open.popitem(last=False)
            old.close()
        return pdf

    def page_count(self, path: str | Path) -> int:
        count = len(self.get(path))
        limits.check_page_count(count)
        return count

    def close(self) -> None:
        while self._open:
            self._open.popitem()[1].close()
