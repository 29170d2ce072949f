"""Recognition engines behind one small interface (as OCRmyPDF's tesseract plugin).

The rest of `ocr/` only needs two things from a recogniser: words with boxes and
confidences for an image, and which way up a page is. A second engine (TrueOCR was
measured: ~1.1 s/page but CER 1.6% against tesseract's 0.1-0.5%) would plug in here
without touching clean-up, layout or table code.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

import numpy as np

from ocr import glyphs
from ocr._exec import tesseract
from ocr._exec.tesseract import TessWord


class OcrEngine(Protocol):
    name: str

    def words(self, image: np.ndarray, psm: int = 3, dpi: int = 300) -> list[TessWord]:
        """Recognised words in `image` pixel coordinates."""
        ...

    def rotation(self, image: np.ndarray) -> tuple[int, float]:
        """Clockwise rotation that makes the page upright, with a confidence."""
        ...


def words_many(engine: OcrEngine, images: list[np.ndarray], psm: int, dpi: int) -> list[list[TessWord]]:
    """Words of several images: in one engine call when the engine offers it, else one call each."""
    batch = getattr(engine, "words_many", None)
    if batch is not None:
        return batch(images, psm=psm, dpi=dpi)
    return [engine.words(image, psm=psm, dpi=dpi) for image in images]


class TesseractEngine:
    """tesseract `vie` (LSTM). `vie+eng` was measured never better and slower, so `vie` alone."""

    name = "tesseract"

    def __init__(self, lang: str = "vie") -> None:
        self.lang = lang

    def words(self, image: np.ndarray, psm: int = 3, dpi: int = 300) -> list[TessWord]:
        words = tesseract.image_to_words(image, lang=self.lang, psm=psm, dpi=dpi)
        return [w if glyphs.FRACTION_SLASH not in w.text else replace(w, text=glyphs.fix_word(w.text)) for w in words]

    def words_many(self, images: list[np.ndarray], psm: int = 3, dpi: int = 300) -> list[list[TessWord]]:
        """`words` of each image, all read by one tesseract process (one model load)."""
        return [[w if glyphs.FRACTION_SLASH not in w.text else replace(w, text=glyphs.fix_word(w.text)) for w in ws]
                for ws in tesseract.images_to_words(images, lang=self.lang, psm=psm, dpi=dpi)]

    def rotation(self, image: np.ndarray) -> tuple[int, float]:
        return tesseract.detect_rotation(image)


ENGINES = {"tesseract": TesseractEngine}


def get_engine(name: str) -> OcrEngine:
    """Engine by CLI/pipeline name; a clear error lists what is available."""
    try:
        return ENGINES[name]()
    except KeyError:
        raise ValueError(f"unknown OCR engine {name!r} (available: {', '.join(sorted(ENGINES))})") from None
