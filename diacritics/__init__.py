"""Vietnamese diacritic restoration and OCR correction.

Interface used by the pipeline (keep these signatures):
- `restore(text: str) -> str`: same number of lines; correct text comes back unchanged.
- `needs_restoration(text: str) -> bool`: whether a page's text is damaged enough to restore.
- `page_mode(text) -> str`: "clean", "stripped" or "ocr"; pass it as `restore(cell, mode=...)`
  when restoring pieces of a page (table cells) too short to be judged on their own.
- `restore_document(pages) -> list[Page]`: a document's pages, damaged ones restored at document
  scope (one call), clean ones untouched; what OCR read is kept in `Page.raw_text`.
- `restore_page(page) -> Page`: the same for one page alone.
"""

from diacritics.document import restore_document, restore_page
from diacritics.restore import needs_restoration, page_mode, restore

__all__ = ["needs_restoration", "page_mode", "restore", "restore_document", "restore_page"]
