"""Opening PDFs and getting one page image at a time.

Errors are mapped to `ocr.errors` classes here so every caller reports the same
one-line reason. Page images are produced lazily, one page at a time, so a
300-page scan never holds more than one page bitmap in memory.

A scanned page is usually one embedded image: decoding it takes ~0.1 s, while
rasterising the page (pdftoppm) took 7.6 s, so rendering with pypdfium2 is only
the fallback for pages that are not a single full-page image.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ocr.errors import CorruptPDFError, EmptyDocumentError, EncryptedPDFError, UnreadableFileError
from schema import limits

_PDFIUM_PASSWORD_ERROR = 4
_FULL_PAGE_SHARE = 0.85
"""An image covering at least this share of the page is treated as the page scan."""


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
    except FileNotFoundError:
        raise UnreadableFileError(f"{path}: file not found") from None
    except OSError as exc:
        raise UnreadableFileError(f"{path}: cannot read file ({exc.strerror or exc})") from exc
    if not head:
        raise EmptyDocumentError(f"{path}: empty file (0 bytes)")
    if b"%PDF-" not in head:
        raise UnreadableFileError(f"{path}: not a PDF (no %PDF- header)")


def _verdict_of_pdfminer(path: Path) -> str | None:
    """Why pdfium refused the file, as pdfminer sees it: "no pages", "encrypted" or None.

    pdfium refuses some valid page-less PDFs as 'data format error', and its error code is
    process-wide state that a failed load does not always reset: after an encrypted file, a
    page-less one read "password required" in the same worker.  pdfminer tells them apart.
    """
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(path) as pdf:
            return "no pages" if len(pdf.pages) == 0 else None
    except Exception as exc:  # any parse failure means "no verdict"
        # pdfplumber wraps pdfminer's exception as its first argument
        wrapped = (exc, *exc.args)
        return "encrypted" if any(isinstance(e, PDFPasswordIncorrect | PDFEncryptionError) for e in wrapped) else None


def open_pdf(path: str | Path) -> pdfium.PdfDocument:
    """Open a PDF or raise an `InputError` subclass with a one-line reason."""
    path = Path(path)
    _check_header(path)
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        verdict = _verdict_of_pdfminer(path)
        if verdict == "no pages":
            raise EmptyDocumentError(f"{path}: PDF has no pages") from None
        if verdict == "encrypted" or (verdict is None and getattr(exc, "err_code", None) == _PDFIUM_PASSWORD_ERROR):
            raise EncryptedPDFError(f"{path}: PDF is encrypted (password required)") from None
        raise CorruptPDFError(f"{path}: corrupt or truncated PDF ({exc})") from None
    if len(doc) == 0:
        doc.close()
        raise EmptyDocumentError(f"{path}: PDF has no pages")
    return doc


@contextmanager
def opened(path: str | Path) -> Iterator[pdfium.PdfDocument]:
    doc = open_pdf(path)
    try:
        yield doc
    finally:
        doc.close()


class LazyPlumber:
    """The same PDF as a pdfplumber document, opened on first use: most pages never need it
    (`ocr.text_layer.read_page`), so most documents are parsed once, by pdfium."""

    def __init__(self, path: str | Path) -> None:
        self.path = path
        self._pdf: Any = None

    @property
    def pages(self) -> list[Any]:
        if self._pdf is None:
            import pdfplumber

            self._pdf = pdfplumber.open(self.path)
        return self._pdf.pages

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()
            self._pdf = None

    def __enter__(self) -> LazyPlumber:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def pdf_page_count(path: str | Path) -> int:
    """Number of pages; raises the same InputErrors as reading would, and `LimitError` over the page cap."""
    with opened(path) as doc:
        count = len(doc)
    limits.check_page_count(count)
    return count


@dataclass
class PageImage:
    """A page bitmap (greyscale or RGB, top-left origin, upright per /Rotate) and its resolution."""

    pixels: np.ndarray
    dpi: float
    embedded: bool
    """True when taken straight from the embedded scan rather than rendered."""


def _single_page_image(page: pdfium.PdfPage) -> pdfium.PdfImage | None:
    width, height = page.get_size()
    images = list(page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2))
    if len(images) != 1:
        return None
    left, bottom, right, top = images[0].get_bounds()
    if (right - left) * (top - bottom) < _FULL_PAGE_SHARE * width * height:
        return None
    return images[0]


def _to_upright(pixels: np.ndarray, rotation: int) -> np.ndarray:
    """Apply the page's /Rotate (clockwise degrees) to a raw embedded image."""
    turns = (rotation // 90) % 4
    # cv2.rotate: the pixels of np.rot90(pixels, k=-turns) made contiguous, at a quarter of the CPU.
    return cv2.rotate(np.ascontiguousarray(pixels), _CLOCKWISE[turns]) if turns else pixels


_CLOCKWISE = {1: cv2.ROTATE_90_CLOCKWISE, 2: cv2.ROTATE_180, 3: cv2.ROTATE_90_COUNTERCLOCKWISE}


def page_image(page: pdfium.PdfPage, render_dpi: int = 300) -> PageImage:
    """The page's scan if it is one full-page image, else a pypdfium2 rendering at `render_dpi`."""
    rotation = page.get_rotation()
    image = _single_page_image(page)
    if image is not None:
        try:
            width, height = image.get_px_size()  # from the image's header: nothing decoded yet
        except pdfium.PdfiumError:
            width = height = 0
        limits.check_page_pixels(width, height)
        try:
            bitmap = image.get_bitmap(render=False)
            pixels = bitmap.to_numpy()
            if pixels.ndim == 3 and pixels.shape[2] == 4:
                pixels = pixels[:, :, :3]
            if pixels.ndim == 3 and pixels.shape[2] == 1:
                pixels = pixels[:, :, 0]
            if pixels.ndim == 3:  # pdfium hands out BGR; keep BGR, as OpenCV expects
                pixels = np.ascontiguousarray(pixels)
            left, _, right, _ = image.get_bounds()
            # Measured on the raw (unrotated) image against the image's own width on the page.
            dpi = pixels.shape[1] / (max(right - left, 1.0) / 72.0)
            return PageImage(_to_upright(pixels, rotation), float(dpi), True)
        except pdfium.PdfiumError:
            pass  # unusual colour space or filter: fall back to rendering
    page_w, page_h = page.get_size()
    limits.check_page_pixels(round(page_w * render_dpi / 72.0), round(page_h * render_dpi / 72.0), "page rendering")
    bitmap = page.render(scale=render_dpi / 72.0, grayscale=True)
    pixels = bitmap.to_numpy()
    if pixels.ndim == 3:
        pixels = pixels[:, :, 0]
    return PageImage(np.ascontiguousarray(pixels), float(render_dpi), False)
