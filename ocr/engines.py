"""Recognition engines behind one small interface (as OCRmyPDF's `pluginspec`), chosen by name.

The rest of `ocr/` only needs two things from a recogniser: words with boxes and
confidences for an image, and which way up a page is (`OcrEngine`). Engines:

- `tesseract`: libtesseract in-process (ocr/_exec/tesserocr_api.py: one model load per worker
  instead of one per call) when tesserocr is installed and links the same libtesseract as the
  CLI, else the CLI, saying so once in the log. `CCHC_TESSERACT=cli` forces the CLI.
- `tesseract-cli`: the same recogniser through the `tesseract` program (pytesseract).
- `trueocr`: TrueOCR (PyPI `trueocr`, ONNX; measured ~1.1 s/page but CER 1.6% against
  tesseract's 0.1-0.5%, so not the default); a setup error when it is not installed.

The registry is open: `register_engine(name, factory)`, and modules named in `CCHC_OCR_PLUGINS`
(comma-separated) are imported on first lookup so they can register theirs; `CCHC_OCR_ENGINE`
names the default. The fault tests register an engine that hangs or aborts on one page this way,
in real worker processes. `page_context()` tells an engine which page of which file it is reading.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from types import ModuleType
from typing import Protocol

import numpy as np

from ocr import glyphs
from ocr._exec import tesseract, tesserocr_api
from ocr._exec.tesseract import TessWord
from schema.errors import SetupError

FORCE_CLI_ENV = "CCHC_TESSERACT"
"""`CCHC_TESSERACT=cli` makes the `tesseract` engine use the CLI even when tesserocr is usable."""
ENGINE_ENV = "CCHC_OCR_ENGINE"
"""Name of the engine used when a caller asks for the default (`DEFAULT_ENGINE`)."""
PLUGINS_ENV = "CCHC_OCR_PLUGINS"
"""Comma-separated modules imported before the first engine lookup; they call `register_engine`."""
DEFAULT_ENGINE = "tesseract"


@dataclass(frozen=True)
class PageContext:
    """Which page of which file is being read (for engines that care, and for error messages)."""

    source: str
    page_no: int


_CONTEXT: list[PageContext] = []


@contextlib.contextmanager
def page_context(source: str, page_no: int) -> Iterator[PageContext]:
    """Mark the page being read while the block runs; `current_page()` answers inside it."""
    ctx = PageContext(str(source), page_no)
    _CONTEXT.append(ctx)
    try:
        yield ctx
    finally:
        _CONTEXT.pop()


def current_page() -> PageContext | None:
    return _CONTEXT[-1] if _CONTEXT else None


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


class TrueOcrEngine:
    """TrueOCR (ONNX, one thread). It reads text lines, not words with boxes: each recognised line
    becomes one word spanning the image, in reading order, so layout code still gets lines."""

    name = "trueocr"

    def __init__(self) -> None:
        try:
            import trueocr
        except ImportError as exc:
            raise SetupError(f"OCR engine 'trueocr' is not installed ({exc}); pip install trueocr") from None
        self._model = trueocr.load_model(threads=1)

    def words(self, image: np.ndarray, psm: int = 3, dpi: int = 300) -> list[TessWord]:
        from PIL import Image

        pil = Image.fromarray(image[:, :, ::-1] if image.ndim == 3 else image)
        text = self._model.predict(pil).text
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        h, w = image.shape[:2]
        step = max(1, h // max(1, len(lines)))
        return [TessWord(text=ln, left=0, top=i * step, width=w, height=step, conf=90.0,
                         block=1, par=1, line=i + 1) for i, ln in enumerate(lines)]

    def rotation(self, image: np.ndarray) -> tuple[int, float]:
        return 0, 0.0  # TrueOCR has no orientation detection; upright pages are assumed


ENGINES: dict[str, Callable[[], OcrEngine]] = {
    "tesseract": TesseractEngine,
    "tesseract-cli": TesseractCliEngine,
    "trueocr": TrueOcrEngine,
}
_INSTANCES: dict[tuple[int, str], OcrEngine] = {}
_PLUGINS_LOADED: list[str] = []


def register_engine(name: str, factory: Callable[[], OcrEngine]) -> None:
    """Make `factory()` available as engine `name` (tests and plugins)."""
    ENGINES[name] = factory


def load_plugins() -> None:
    """Import the modules named in `CCHC_OCR_PLUGINS` once per process (they register engines)."""
    spec = os.environ.get(PLUGINS_ENV, "")
    if spec in _PLUGINS_LOADED:
        return
    for module in filter(None, (m.strip() for m in spec.split(","))):
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise SetupError(f"OCR plugin {module!r} named in {PLUGINS_ENV} cannot be imported: {exc}") from None
    _PLUGINS_LOADED.append(spec)


def engine_names() -> list[str]:
    load_plugins()
    return sorted(ENGINES)


def resolve_name(name: str | None) -> str:
    """`None` or "default" -> the engine named by `CCHC_OCR_ENGINE`, else tesseract."""
    if name in (None, "", "default"):
        return os.environ.get(ENGINE_ENV) or DEFAULT_ENGINE
    return name


def get_engine(name: str | None = None) -> OcrEngine:
    """Engine by CLI/pipeline name, one instance per process; a clear error lists what is available."""
    load_plugins()
    name = resolve_name(name)
    key = (os.getpid(), name)
    engine = _INSTANCES.get(key)
    if engine is None:
        try:
            factory = ENGINES[name]
        except KeyError:
            raise ValueError(f"unknown OCR engine {name!r} (available: {', '.join(sorted(ENGINES))})") from None
        engine = _INSTANCES[key] = factory()
    return engine
