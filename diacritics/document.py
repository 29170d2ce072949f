"""Restoration at the scope of a whole document: which pages to restore, and how their cells follow.

The restorer itself works on text (`diacritics.restore`). What a scanned plan needs on top of that
is a decision per page (clean pages stay frozen, damaged ones are restored), table cells restored
with their page's judgement (a cell is too short to tell how it was damaged), and one restoration
call for all damaged pages so that what one page settles carries to the others.  That scope is
this stage's business, not the orchestrator's.
"""

from __future__ import annotations

from collections.abc import Iterable

from diacritics.restore import needs_restoration, page_mode, restore
from schema.document import Page


def _needs_restoring(page: Page) -> bool:
    return bool(page.text.strip()) and needs_restoration(page.text)


def _restored(page: Page, text: str) -> Page:
    """The page with its restored text, what OCR read kept in `raw_text`, its table cells restored too."""
    if not page.tables:
        return page.model_copy(update={"raw_text": page.text, "text": text})
    # A cell is too short to judge how it was damaged; the page it sits on says.
    mode = page_mode(page.text)
    tables = [
        t.model_copy(update={"cells": [c.model_copy(update={"text": restore(c.text, mode=mode)}) for c in t.cells]})
        for t in page.tables
    ]
    return page.model_copy(update={"raw_text": page.text, "text": text, "tables": tables})


def restore_page(page: Page) -> Page:
    """Restore diacritics where a page needs it, keeping what OCR read in `raw_text`."""
    if not _needs_restoring(page):
        return page
    return _restored(page, restore(page.text, mode=page_mode(page.text)))


def restore_document(pages: Iterable[Page]) -> list[Page]:
    """Restore a document's damaged pages in one `restore` call (pages joined by form feeds), not
    one call a page: the restorer then works at document scope.  What a document settles on one
    page carries to the others (a reading its other pages make clear, its one tone-placement
    convention, "Ủy"/"Hủy" rather than "Uỷ"/"Huỷ"); on the dev split, 300-word pages of mark-less
    text went from 98.54% to 98.63% of syllables right.  Each page is still judged on its own
    (clean pages stay frozen; English-OCR and mark-less pages differ)."""
    pages = list(pages)
    # A page whose text holds a form feed of its own cannot be joined: it is restored alone.
    out = [restore_page(p) if "\f" in p.text else p for p in pages]
    todo = [i for i, p in enumerate(pages) if "\f" not in p.text and _needs_restoring(p)]
    if todo:
        texts = restore("\f".join(pages[i].text for i in todo)).split("\f")
        for i, text in zip(todo, texts, strict=True):
            out[i] = _restored(pages[i], text)
    return out
