"""OCR stage: PDF (text layer, scanned or mixed) or text dump in, `schema.Page` objects out.

Interface used by the pipeline (keep these signatures):
- `read_pdf(path, pages=None, engine="tesseract") -> Iterator[Page]` streams pages, 1-based page_no.
- `read_text_dump(path) -> list[Page]` splits a .txt OCR dump on form feeds.
- `pdf_page_count(path) -> int`.
- Errors are `ocr.errors.InputError` subclasses with a one-line message.
"""

from ocr.errors import InputError
from ocr.pdf_source import pdf_page_count
from ocr.reader import read_pdf
from ocr.text_dump import read_text_dump

__all__ = ["InputError", "pdf_page_count", "read_pdf", "read_text_dump"]
