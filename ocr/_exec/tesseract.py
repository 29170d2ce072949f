"""The tesseract binary, called through pytesseract.

The thread settings (`schema.threads`: `OMP_THREAD_LIMIT=1`) are applied before any call: the pipeline
runs pages and documents in parallel, and tesseract's OpenMP threads competing with that work
made it about 2.2x slower per page on our 2-core machines.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

import cv2
import numpy as np
import pytesseract

from schema.errors import EngineError, SetupError
from schema.threads import apply_thread_limits

apply_thread_limits()


class TesseractError(EngineError):
    """tesseract failed on an image."""


class TesseractMissing(SetupError, TesseractError):
    """tesseract or one of its language packs is not installed: a setup problem, found before any work."""


@dataclass(frozen=True)
class TessWord:
    """One recognised word with tesseract's own layout numbering (block/par/line)."""

    text: str
    left: int
    top: int
    width: int
    height: int
    conf: float
    block: int
    par: int
    line: int
    symbols: tuple[tuple[str, tuple[int, int, int, int]], ...] = field(default=(), compare=False, repr=False)
    """(character, (x0, y0, x1, y1)) per recognised character, in reading order; only the in-process
    engine fills it, and only when asked (`ocr.mark_check` uses it); empty otherwise."""
    choices: tuple[tuple[tuple[str, float], ...], ...] = field(default=(), compare=False, repr=False)
    """Per character of `symbols`, the recogniser's alternatives with their confidence (0-100), best
    first, its own reading included (`lstm_choice_mode=2`); filled with `symbols` (`ocr.word_choice`)."""

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


@lru_cache(maxsize=1)
def available_languages() -> frozenset[str]:
    """Installed traineddata names; cached because the answer cannot change during a run."""
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, OSError) as exc:
        raise TesseractMissing("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)") from exc


def check_language(lang: str) -> None:
    """Fail early with an actionable message rather than on the first page."""
    missing = [part for part in lang.split("+") if part not in available_languages()]
    if missing:
        packs = " ".join(f"tesseract-ocr-{m}" for m in missing)
        raise TesseractMissing(f"tesseract language data missing: {', '.join(missing)} (apt-get install {packs})")


@contextmanager
def _image_file(image: np.ndarray) -> Iterator[str]:
    """The image as an uncompressed PGM/PPM file for tesseract to read.

    pytesseract would PNG-encode a full page first (~1 s, measured, as long as
    a tenth of the OCR itself); writing raw pixels costs a few milliseconds.
    """
    suffix = ".pgm" if image.ndim == 2 else ".ppm"
    fd, path = tempfile.mkstemp(suffix=suffix, prefix="cchc-ocr-")
    os.close(fd)
    try:
        if not cv2.imwrite(path, image):
            raise TesseractError("could not write a temporary page image")
        yield path
    finally:
        os.unlink(path)


def image_to_words(image: np.ndarray, lang: str = "vie", psm: int = 3, dpi: int = 300) -> list[TessWord]:
    """Words with boxes and confidences from tesseract's TSV output (pixel coordinates of `image`)."""
    check_language(lang)
    try:
        with _image_file(image) as path:
            tsv = pytesseract.image_to_data(path, lang=lang, config=f"--psm {psm} --dpi {dpi}")
    except pytesseract.TesseractError as exc:
        raise TesseractError(f"tesseract failed: {exc}") from exc
    return _tsv_rows(tsv, 0)[0]


def images_to_words(images: list[np.ndarray], lang: str = "vie", psm: int = 3, dpi: int = 300) -> list[list[TessWord]]:
    """`image_to_words` of every image, from one tesseract process reading them as a list of pages.

    Each page is recognised on its own (same words, boxes and confidences as one call per image,
    checked on the bench pages); the saving is the start-up, ~0.08 s of CPU per call saved
    (loading the `vie` model), on table pages that read their body and their cells separately.
    """
    if len(images) == 1:
        return [image_to_words(images[0], lang=lang, psm=psm, dpi=dpi)]
    if not images:
        return []
    check_language(lang)
    try:
        with ExitStack() as stack:
            paths = [stack.enter_context(_image_file(image)) for image in images]
            listing = stack.enter_context(_list_file(paths))
            tsv = pytesseract.image_to_data(listing, lang=lang, config=f"--psm {psm} --dpi {dpi}")
    except pytesseract.TesseractError as exc:
        raise TesseractError(f"tesseract failed: {exc}") from exc
    return _tsv_rows(tsv, len(images))


@contextmanager
def _list_file(paths: list[str]) -> Iterator[str]:
    """A text file naming one image per line: tesseract reads it as a multi-page input."""
    fd, path = tempfile.mkstemp(suffix=".txt", prefix="cchc-ocr-")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write("\n".join(paths) + "\n")
        yield path
    finally:
        os.unlink(path)


def _tsv_rows(tsv: str, pages: int) -> list[list[TessWord]]:
    """Word rows of tesseract's TSV, one list per input page (by page_num); `pages=0`: one list for all.

    The same words and values pytesseract's `Output.DICT` gave (confidences truncated to whole
    numbers as it did), without building its eleven column lists first (~5 ms a call).
    """
    out: list[list[TessWord]] = [[] for _ in range(max(pages, 1))]
    rows = tsv.strip().split("\n")
    if len(rows) < 2:
        return out
    header = rows[0].split("\t")
    col = {name: i for i, name in enumerate(header)}
    c_conf, c_text, c_page = col["conf"], len(header) - 1, col["page_num"]
    c_left, c_top, c_width, c_height = col["left"], col["top"], col["width"], col["height"]
    c_block, c_par, c_line = col["block_num"], col["par_num"], col["line_num"]
    for row in rows[1:]:
        cells = row.split("\t")
        if len(cells) <= c_text:
            continue  # a word row always carries its text column
        if cells[0] == "level":
            continue  # repeated header (some versions write one per page)
        words = out[int(cells[c_page]) - 1 if pages else 0]
        conf = float(int(float(cells[c_conf])))
        text = cells[c_text].strip()
        if conf < 0 or not text:
            continue
        words.append(
            TessWord(
                text=text,
                left=int(float(cells[c_left])),
                top=int(float(cells[c_top])),
                width=int(float(cells[c_width])),
                height=int(float(cells[c_height])),
                conf=conf,
                block=int(float(cells[c_block])),
                par=int(float(cells[c_par])),
                line=int(float(cells[c_line])),
            )
        )
    return out


def image_to_text(image: np.ndarray, lang: str = "vie", psm: int = 3) -> str:
    """Plain text, exactly what `tesseract IMAGE - -l vie` prints; the benchmark's baseline."""
    check_language(lang)
    try:
        with _image_file(image) as path:
            return pytesseract.image_to_string(path, lang=lang, config=f"--psm {psm}")
    except pytesseract.TesseractError as exc:
        raise TesseractError(f"tesseract failed: {exc}") from exc


_ROTATE_RE = re.compile(r"Rotate:\s*(\d+)")
_CONF_RE = re.compile(r"Orientation confidence:\s*([\d.]+)")


def detect_rotation(image: np.ndarray) -> tuple[int, float]:
    """Clockwise rotation (0/90/180/270) that makes the page upright, and OSD's confidence.

    Returns (0, 0.0) when OSD finds too few characters, so callers keep the page as is.
    """
    check_language("osd")
    try:
        with _image_file(image) as path:
            out = pytesseract.image_to_osd(path, config="--psm 0 -c min_characters_to_try=10")
    except pytesseract.TesseractError:
        return 0, 0.0
    rot = _ROTATE_RE.search(out)
    conf = _CONF_RE.search(out)
    return (int(rot.group(1)) if rot else 0), (float(conf.group(1)) if conf else 0.0)
