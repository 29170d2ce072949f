"""OCR stage: PDF (text layer, scanned or mixed) or text dump in, `schema.Page` objects out.

Interface used by the pipeline (keep these signatures):
- `read_document(path, engine="tesseract") -> Iterator[Page]`: any input file (PDF or text dump).
- `read_pdf(path, pages=None, engine="tesseract") -> Iterator[Page]` streams pages, 1-based page_no.
- `read_text_dump(path) -> list[Page]` splits a .txt OCR dump on form feeds.
- `read_raw_range(path, first, last)` and `postprocess(raw_pages)`: the same result as `read_pdf`
  when a big PDF is read in page ranges on several workers (`ocr/pdf_split.py`).
- `pdf_page_count(path) -> int`; `is_pdf(path) -> bool`.
- Errors are `ocr.errors.InputError` subclasses with a one-line message.
"""

from ocr.document import is_pdf, read_document
from ocr.errors import InputError
from ocr.pdf_source import pdf_page_count
from ocr.pdf_split import postprocess
from ocr.pdf_split import read_raw as read_raw_range
from ocr.reader import read_pdf
from ocr.text_dump import read_text_dump

__all__ = [
    "InputError",
    "is_pdf",
    "pdf_page_count",
    "postprocess",
    "read_document",
    "read_pdf",
    "read_raw_range",
    "read_text_dump",
]
