"""Recognition engines behind one small interface (as OCRmyPDF's tesseract plugin).

The rest of `ocr/` only needs two things from a recogniser: words with boxes and
confidences for an image, and which way up a page is. A second engine (TrueOCR was
measured: ~1.1 s/page but CER 1.6% against tesseract's 0.1-0.5%) would plug in here
without touching clean-up, layout or table code.

`tesseract` runs libtesseract in-process (ocr/_exec/tesserocr_api.py: one model load per
worker instead of one per call) when tesserocr is installed and links the same libtesseract
as the CLI, else the CLI (ocr/_exec/tesseract.py), saying so once in the log. Both give the
same words; `tesseract-cli` (or CCHC_TESSERACT=cli) forces the CLI.
"""

from __future__ import annotations

import logging
import os
from dataclasses import replace
from functools import lru_cache
from types import ModuleType
from typing import Protocol

import numpy as np

from ocr import glyphs
from ocr._exec import tesseract, tesserocr_api
from ocr._exec.tesseract import TessWord

FORCE_CLI_ENV = "CCHC_TESSERACT"
"""`CCHC_TESSERACT=cli` makes the `tesseract` engine use the CLI even when tesserocr is usable."""


class OcrEngine(Protocol):
    name: str

    def words(self, image: np.ndarray, psm: int = 3, dpi: int = 300) -> list[TessWord]:
        """Recognised words in `image` pixel coordinates."""
        ...

    def rotation(self, image: np.ndarray) -> tuple[int, float]:
        """Clockwise rotation that makes the page upright, with a confidence."""
        ...


def gives_symbols(engine: OcrEngine) -> bool:
    """Can `engine` return each word's character boxes (`TessWord.symbols`)? Only in-process tesseract can."""
    return bool(getattr(engine, "gives_symbols", False))


def words_many(engine: OcrEngine, images: list[np.ndarray], psm: int, dpi: int,
               symbols: bool = False) -> list[list[TessWord]]:
    """Words of several images: in one engine call when the engine offers it, else one call each.

    `symbols=True` asks for character boxes too, where the engine gives them (`gives_symbols`);
    elsewhere the words come without, as they always did.
    """
    batch = getattr(engine, "words_many", None)
    if batch is not None:
        if symbols and gives_symbols(engine):
            return batch(images, psm=psm, dpi=dpi, symbols=True)
        return batch(images, psm=psm, dpi=dpi)
    return [engine.words(image, psm=psm, dpi=dpi) for image in images]


@lru_cache(maxsize=1)
def default_backend() -> ModuleType:
    """In-process libtesseract when it can stand in for the CLI, else the CLI; decided (and logged) once."""
    if os.environ.get(FORCE_CLI_ENV, "").lower() == "cli":
        logging.getLogger(__name__).info("OCR: tesseract CLI (%s=cli)", FORCE_CLI_ENV)
        return tesseract
    reason = tesserocr_api.unusable_reason()
    if reason is not None:
        logging.getLogger(__name__).warning("OCR: tesseract CLI, one process per call (%s)", reason)
        return tesseract
    return tesserocr_api


def _fixed(words: list[TessWord]) -> list[TessWord]:
    return [w if glyphs.FRACTION_SLASH not in w.text else replace(w, text=glyphs.fix_word(w.text)) for w in words]


class TesseractEngine:
    """tesseract `vie` (LSTM). `vie+eng` was measured never better and slower, so `vie` alone."""

    name = "tesseract"

    def __init__(self, lang: str = "vie", backend: ModuleType | None = None) -> None:
        self.lang = lang
        self.backend = backend if backend is not None else default_backend()

    def words(self, image: np.ndarray, psm: int = 3, dpi: int = 300) -> list[TessWord]:
        return _fixed(self.backend.image_to_words(image, lang=self.lang, psm=psm, dpi=dpi))

    @property
    def gives_symbols(self) -> bool:
        """Character boxes come only from the in-process backend (the CLI's TSV has words only)."""
        return bool(getattr(self.backend, "GIVES_SYMBOLS", False))

    def words_many(self, images: list[np.ndarray], psm: int = 3, dpi: int = 300,
                   symbols: bool = False) -> list[list[TessWord]]:
        """`words` of each image; the CLI reads them all in one process (one model load)."""
        extra = {"symbols": True} if symbols and self.gives_symbols else {}
        return [_fixed(ws) for ws in self.backend.images_to_words(images, lang=self.lang, psm=psm, dpi=dpi, **extra)]

    def rotation(self, image: np.ndarray) -> tuple[int, float]:
        return self.backend.detect_rotation(image)


class TesseractCliEngine(TesseractEngine):
    """The same recogniser through the `tesseract` program, one process per call (the fallback)."""

    name = "tesseract-cli"

    def __init__(self, lang: str = "vie") -> None:
        super().__init__(lang, backend=tesseract)


ENGINES = {"tesseract": TesseractEngine, "tesseract-cli": TesseractCliEngine}


def get_engine(name: str) -> OcrEngine:
    """Engine by CLI/pipeline name; a clear error lists what is available."""
    try:
        return ENGINES[name]()
    except KeyError:
        raise ValueError(f"unknown OCR engine {name!r} (available: {', '.join(sorted(ENGINES))})") from None
