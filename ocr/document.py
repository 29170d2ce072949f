"""The OCR stage's entry for one input file, whatever its kind: `read_document(path)`.

A `.pdf` streams through `read_pdf` (text layer or OCR per page); anything else is a text dump,
checked for binary junk first and split on form feeds.  Every page leaves this stage in NFC,
since cp1258 dumps decode with combining tone marks and every later stage expects composed text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from pathlib import Path

from ocr.reader import read_pdf
from ocr.sniff import check_text_file
from ocr.text_dump import read_text_dump
from schema.document import Page


def is_pdf(path: str | Path) -> bool:
    return Path(path).suffix.lower() == ".pdf"


def read_document(path: str | Path, engine: str = "tesseract") -> Iterator[Page]:
    """Pages of one input file, 1-based, in order; raises `ocr.errors.InputError` for unreadable input."""
    if not is_pdf(path):
        check_text_file(path)
        for page in read_text_dump(path):
            yield page.model_copy(update={"text": unicodedata.normalize("NFC", page.text)})
        return
    yield from read_pdf(path, engine=engine)
