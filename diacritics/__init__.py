"""Vietnamese diacritic restoration and OCR correction.

Interface used by the pipeline (keep these signatures):
- `restore(text: str) -> str`: same number of lines; correct text comes back unchanged.
- `needs_restoration(text: str) -> bool`: whether a page's text is damaged enough to restore.
"""

from diacritics.restore import needs_restoration, restore

__all__ = ["needs_restoration", "restore"]
