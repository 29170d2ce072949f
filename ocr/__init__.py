"""OCR stage: PDF (text layer, scanned or mixed) or text dump in, `schema.Page` objects out.

Interface used by the pipeline (keep these signatures):
- `read_pdf(path, pages=None, engine="tesseract") -> Iterator[Page]` streams pages, 1-based page_no.
- `read_text_dump(path) -> list[Page]` splits a .txt OCR dump on form feeds.
- `pdf_page_count(path) -> int`.
- Errors are `ocr.errors.InputError` subclasses with a one-line message.
"""

from ocr.errors import InputError
from ocr.text_dump import read_text_dump

__all__ = ["InputError", "read_text_dump"]
