"""Vietnamese diacritic restoration and OCR correction.

Interface used by the pipeline (keep these signatures):
- `restore(text: str) -> str`: same number of lines; correct text comes back unchanged.
- `needs_restoration(text: str) -> bool`: whether a page's text is damaged enough to restore.
- `page_mode(text) -> str`: "clean", "stripped" or "ocr"; pass it as `restore(cell, mode=...)`
  when restoring pieces of a page (table cells) too short to be judged on their own.
"""

from diacritics.restore import needs_restoration, page_mode, restore

__all__ = ["needs_restoration", "page_mode", "restore"]
