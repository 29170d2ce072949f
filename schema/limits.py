"""Configurable caps on what one input may cost, each failing with one clear line (`LimitError`).

- pixels per page image: a decompression bomb (a 30000 x 30000 scan is 900 megapixels, 2.7 GB as
  RGB) is refused from the image's header, before anything is decoded;
- pages per PDF: a 100,000-page file is refused before any page is read;
- bytes per text dump: a 100 MB `.txt` became one "plan" with 86,044 tasks and 2.1 GB of memory.

Defaults come from the environment (`CCHC_MAX_PAGE_PIXELS`, `CCHC_MAX_PAGES`, `CCHC_MAX_TEXT_BYTES`),
which the CLI sets from its options, so worker processes see the same limits. A value of 0 means
no limit. `pixel_observer` lets the worker report each page's size (its timeout scales with it).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from schema.errors import LimitError

PIXELS_ENV, PAGES_ENV, TEXT_ENV = "CCHC_MAX_PAGE_PIXELS", "CCHC_MAX_PAGES", "CCHC_MAX_TEXT_BYTES"
DEFAULT_MAX_PAGE_PIXELS = 180_000_000
"""Pillow's own decompression-bomb error threshold; an A3 page at 600 dpi is 70 megapixels."""
DEFAULT_MAX_PAGES = 5_000
DEFAULT_MAX_TEXT_BYTES = 20_000_000
"""A plan's text dump is 20-200 kB; 20 MB is a hundred times the longest seen."""


@dataclass(frozen=True)
class Limits:
    max_page_pixels: int = DEFAULT_MAX_PAGE_PIXELS
    max_pages: int = DEFAULT_MAX_PAGES
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES

    def env(self) -> dict[str, str]:
        """The same limits as environment variables, for worker processes."""
        return {PIXELS_ENV: str(self.max_page_pixels), PAGES_ENV: str(self.max_pages),
                TEXT_ENV: str(self.max_text_bytes)}


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def current() -> Limits:
    return Limits(_env_int(PIXELS_ENV, DEFAULT_MAX_PAGE_PIXELS), _env_int(PAGES_ENV, DEFAULT_MAX_PAGES),
                  _env_int(TEXT_ENV, DEFAULT_MAX_TEXT_BYTES))


pixel_observer: Callable[[int], None] | None = None
"""Called with each page image's pixel count before it is decoded (a worker's timeout scales with it)."""


def check_page_pixels(width: int, height: int, what: str = "page image") -> None:
    """Refuse an image over the pixel cap (from its header, nothing decoded yet); tell the observer."""
    pixels = int(width) * int(height)
    cap = current().max_page_pixels
    if cap and pixels > cap:
        raise LimitError(
            f"{what} is {width} x {height} = {pixels / 1e6:.0f} megapixels, over the limit of "
            f"{cap / 1e6:.0f} (decompression bomb?); raise it with --max-page-pixels"
        )
    if pixel_observer is not None:
        pixel_observer(pixels)


def check_page_count(pages: int) -> None:
    cap = current().max_pages
    if cap and pages > cap:
        raise LimitError(f"PDF has {pages} pages, over the limit of {cap}; raise it with --max-pages")


def check_text_size(size: int) -> None:
    cap = current().max_text_bytes
    if cap and size > cap:
        raise LimitError(
            f"text file is {size / 1e6:.1f} MB, over the limit of {cap / 1e6:.1f} MB; raise it with --max-text-bytes"
        )
