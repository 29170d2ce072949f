"""Recognition engines behind one small interface (as OCRmyPDF's `pluginspec`), chosen by name.

The rest of `ocr/` only needs two things from a recogniser: words with boxes and
confidences for an image, and which way up a page is (`OcrEngine`). Engines:

- `tesseract`: libtesseract in-process (ocr/_exec/tesserocr_api.py: one model load per worker
  instead of one per call) when tesserocr is installed and links the same libtesseract as the
  CLI, else the CLI, saying so once in the log. `CCHC_TESSERACT=cli` forces the CLI.
- `tesseract-cli`: the same recogniser through the `tesseract` program (pytesseract).
- `trueocr`: TrueOCR (PyPI `trueocr`, extra `trueocr`; ONNX models in the wheel, runs offline;
  measured ~1.1 s/page but CER 1.6% against tesseract's 0.1-0.5%, so not the default); a setup
  error when it is not installed.

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


TRUEOCR_LINE_PSMS = frozenset({7, 8, 13})
"""Tesseract page-segmentation modes meaning "one line" or "one word": TrueOCR reads such an image
as one line (its `line` mode) instead of looking for lines in it."""


class TrueOcrEngine:
    """TrueOCR 0.1.1 (PyPI `trueocr`: ONNX models inside the wheel, nothing downloaded at run time),
    one thread.

    It gives text lines with boxes, not words: each line is split at its spaces and the line's box
    shared among the words in proportion to their characters (an estimate, so layout and table code
    get words on the right lines and about the right place). TrueOCR straightens the image before
    reading it; its boxes are turned back into the caller's image. Quarter turns are the caller's
    (`rotation`, from TrueOCR's own orientation model), so it is told not to turn pages itself.
    """

    name = "trueocr"

    def __init__(self) -> None:
        try:
            import trueocr
        except ImportError as exc:
            raise SetupError(f"OCR engine 'trueocr' is not installed ({exc}); pip install trueocr") from None
        self._model = trueocr.load_model(threads=1, auto_rotate=False)

    def words(self, image: np.ndarray, psm: int = 3, dpi: int = 300) -> list[TessWord]:
        from PIL import Image

        grey = _grey(image)
        mode = "line" if psm in TRUEOCR_LINE_PSMS else "page"
        data = self._model.predict(Image.fromarray(grey), mode=mode, save=False).data
        back = _unskew(grey.shape, float(data.get("skew_degrees") or 0.0))
        out: list[TessWord] = []
        for n, line in enumerate(data["lines"], start=1):
            out.extend(_line_words(line["text"], line["bbox"], 100.0 * line["confidence"], n, back, grey.shape))
        return out

    def rotation(self, image: np.ndarray) -> tuple[int, float]:
        """Clockwise quarter turns that make the page upright, from TrueOCR's orientation model
        (it answers only above 95% probability, so a turn is reported with confidence 95)."""
        from trueocr.page import VERTICAL

        turns = self._model._get_page_engine().orientation(_grey(image))
        if turns in (0, VERTICAL):  # vertical columns: not a turned page
            return 0, 0.0
        return 90 * turns, 95.0


def _grey(image: np.ndarray) -> np.ndarray:
    import cv2

    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)


def _unskew(shape: tuple[int, ...], degrees: float) -> np.ndarray | None:
    """The affine map from TrueOCR's straightened image back to its input (None: not turned).
    TrueOCR turns by `degrees` counter-clockwise about the centre, keeping the size."""
    if not degrees:
        return None
    import cv2

    h, w = shape[:2]
    return cv2.invertAffineTransform(cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0))


def _line_words(text: str, bbox: list[int], conf: float, line_no: int, back: np.ndarray | None,
                shape: tuple[int, ...]) -> list[TessWord]:
    """One TrueOCR line as words: x shared by character count, each box mapped by `back`."""
    x0, y0, x1, y1 = bbox
    per_char = (x1 - x0) / max(1, len(text))
    h, w = shape[:2]
    out: list[TessWord] = []
    pos = 0
    for word in text.split(" "):
        if word:
            box = [x0 + pos * per_char, y0, x0 + (pos + len(word)) * per_char, y1]
            if back is not None:
                corners = np.array([[box[0], box[1], 1], [box[2], box[1], 1], [box[0], box[3], 1],
                                    [box[2], box[3], 1]], np.float64) @ back.T
                box = [*corners.min(axis=0), *corners.max(axis=0)]
            left, top = max(0, round(box[0])), max(0, round(box[1]))
            right, bottom = min(w, round(box[2])), min(h, round(box[3]))
            out.append(TessWord(text=word, left=left, top=top, width=max(1, right - left),
                                height=max(1, bottom - top), conf=conf, block=1, par=1, line=line_no))
        pos += len(word) + 1
    return out


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
