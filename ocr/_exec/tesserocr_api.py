"""libtesseract in-process, through tesserocr: the recogniser the `tesseract` CLI runs, without a process per call.

Why: every CLI call starts a new `tesseract` process that loads the `vie` model again (~0.08 s of
CPU), and a table page makes several calls (body, cell stacks, numeral and numbering re-reads),
where the plain-tesseract baseline of issues #3/#6 pays that load once per page. One API object
per language per process pays it once per worker.

Faithful by construction: the same Debian libtesseract as the CLI (tesserocr is built from source
against it; `unusable_reason()` refuses a library whose version differs from the CLI's, e.g. the PyPI wheel's
bundled one), the same variables the CLI sets (`--psm`, `--dpi` = `user_defined_dpi`), the same raw
pixels, and the TSV text parsed by the CLI path's own `_tsv_rows`; words, boxes and confidences were
checked identical to the CLI's on the bench pages (tests/test_ocr_tesserocr.py keeps checking).

Fork safety: the pipeline forks its workers from a fork server; a TessBaseAPI holds malloc'd state
that must not be used by two processes, so the cache is keyed by `os.getpid()` and every process
builds its own on first use (none is built in the fork server).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import replace
from functools import lru_cache
from typing import Any

import cv2
import numpy as np

# Imported first on purpose: it sets OMP_THREAD_LIMIT=1 in the environment, which libgomp reads when
# libtesseract (and with it libgomp) is loaded by `import tesserocr` below.
from ocr._exec.tesseract import TesseractError, TessWord, _tsv_rows, check_language

try:
    import tesserocr
except ImportError:  # the CLI path still works; `engines` logs the fallback once
    tesserocr = None

TESSDATA = "/usr/share/tesseract-ocr/5/tessdata"
"""Debian's language data, the CLI's own; used only when tesserocr was built with another default."""

_APIS: dict[tuple[int, str], Any] = {}


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0].strip() if text.strip() else ""


@lru_cache(maxsize=1)
def _cli_version() -> str:
    try:
        out = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return ""
    return _first_line(out.stdout or out.stderr)


@lru_cache(maxsize=1)
def unusable_reason() -> str | None:
    """Why the in-process engine cannot stand in for the CLI, or None when it can.

    Same-library check: a tesserocr wheel bundling another libtesseract would read pages
    differently from the `tesseract` baseline the issues measure against.
    """
    if tesserocr is None:
        return "tesserocr is not installed"
    lib = _first_line(tesserocr.tesseract_version())
    cli = _cli_version()
    if lib != cli:
        return f"tesserocr runs {lib!r} but the CLI is {cli!r}"
    return None


def _datapath() -> dict[str, str]:
    """`path=` for the API: none (tesserocr's compiled-in default) when that already is the CLI's data."""
    default, _ = tesserocr.get_languages()
    if not os.path.isdir(TESSDATA) or os.path.realpath(default) == os.path.realpath(TESSDATA):
        return {}
    return {"path": TESSDATA + "/"}


def _api(lang: str) -> Any:
    """This process's API for `lang`, built on first use (one model load per worker, never across fork)."""
    key = (os.getpid(), lang)
    api = _APIS.get(key)
    if api is None:
        if any(pid != key[0] for pid, _ in _APIS):
            _APIS.clear()  # inherited from the parent through fork: never touched, just forgotten
        check_language(lang)
        try:
            api = tesserocr.PyTessBaseAPI(lang=lang, **_datapath())
        except RuntimeError as exc:
            raise TesseractError(f"libtesseract could not load {lang!r}: {exc}") from exc
        _APIS[key] = api
    return api


def _set_image(api: Any, image: np.ndarray) -> bytes:
    """Raw pixels, as the CLI reads them from the PGM/PPM file (RGB order for colour); returned to keep alive."""
    if image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGRA2RGB if image.shape[2] == 4 else cv2.COLOR_BGR2RGB)
    pixels = np.ascontiguousarray(image, dtype=np.uint8)
    data = pixels.tobytes()
    depth = 1 if pixels.ndim == 2 else 3
    api.SetImageBytes(data, pixels.shape[1], pixels.shape[0], depth, pixels.shape[1] * depth)
    return data


Symbols = dict[tuple[int, int, int, int],
               tuple[tuple[str, tuple[int, int, int, int], tuple[tuple[str, float], ...]], ...]]


def _symbols(api: Any) -> Symbols:
    """Each word's characters with their boxes and alternatives, keyed by the word's (left, top, width,
    height) as in the TSV.

    Read from the recognition just done (no second pass): the TSV is written by the same result
    iterator, so a TSV word and its entry here share the box exactly.
    """
    it = api.GetIterator()
    out: dict = {}
    if it is None:
        return out
    ril = tesserocr.RIL
    current: list | None = None
    while True:
        if it.IsAtBeginningOf(ril.WORD):
            box = it.BoundingBox(ril.WORD)
            current = None
            if box is not None:
                x0, y0, x1, y1 = box
                current = out.setdefault((x0, y0, x1 - x0, y1 - y0), [])
        try:
            text, box = it.GetUTF8Text(ril.SYMBOL), it.BoundingBox(ril.SYMBOL)
        except RuntimeError:  # tesserocr: "No text returned" at an element without text (seal debris)
            text, box = "", None
        if current is not None and text and box is not None:
            # a choice can come back without text (None): it is no alternative reading
            alts = tuple((t, round(float(c.Confidence()), 1)) for c in it.GetChoiceIterator()
                         if (t := c.GetUTF8Text()))
            current.append((text, tuple(int(v) for v in box), alts))
        if not it.Next(ril.SYMBOL):
            break
    return {k: tuple(v) for k, v in out.items()}


def _tsv(api: Any, image: np.ndarray, psm: int, dpi: int, symbols: bool = False) -> tuple[str, Symbols]:
    api.SetPageSegMode(psm)
    api.SetVariable("user_defined_dpi", str(dpi))
    # the LSTM's per-character alternatives, wanted with the character boxes (same best path either way)
    api.SetVariable("lstm_choice_mode", "2" if symbols else "0")
    keep = _set_image(api, image)
    tsv = api.GetTSVText(0)
    syms = _symbols(api) if symbols and tsv is not None else {}
    api.Clear()  # drop this image's results now rather than hold them until the next call
    del keep
    if tsv is None:
        raise TesseractError("libtesseract failed on an image")
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    return head + tsv, syms


GIVES_SYMBOLS = True
"""This backend can return each word's character boxes (`symbols=True`); the CLI backend cannot."""


def image_to_words(image: np.ndarray, lang: str = "vie", psm: int = 3, dpi: int = 300,
                   symbols: bool = False) -> list[TessWord]:
    """Words with boxes and confidences, as `tesseract.image_to_words` gives them.

    `symbols=True` also fills each word's `symbols` (character boxes) and `choices` (the recogniser's
    alternatives per character) from the same recognition.
    """
    tsv, syms = _tsv(_api(lang), image, psm, dpi, symbols)
    words = _tsv_rows(tsv, 0)[0]
    if not symbols:
        return words
    out = []
    for w in words:
        chars = syms.get((w.left, w.top, w.width, w.height), ())
        out.append(replace(w, symbols=tuple((t, b) for t, b, _ in chars), choices=tuple(a for _, _, a in chars)))
    return out


def images_to_words(images: list[np.ndarray], lang: str = "vie", psm: int = 3, dpi: int = 300,
                    symbols: bool = False) -> list[list[TessWord]]:
    """`image_to_words` of each image (the CLI path batches to save model loads; here there are none to save)."""
    return [image_to_words(image, lang=lang, psm=psm, dpi=dpi, symbols=symbols) for image in images]


def detect_rotation(image: np.ndarray) -> tuple[int, float]:
    """As `tesseract.detect_rotation`: the CLI's `--psm 0` (OSD) answer, from DetectOrientationScript.

    The CLI prints `Rotate: (360 - orient_deg) % 360` and the confidence with two decimals;
    both are reproduced so callers cannot tell the two paths apart.
    """
    api = _api("osd")
    api.SetPageSegMode(tesserocr.PSM.OSD_ONLY)
    api.SetVariable("min_characters_to_try", "10")
    keep = _set_image(api, image)
    found = api.DetectOrientationScript()
    api.Clear()
    del keep
    if not found:
        return 0, 0.0
    return (360 - int(found["orient_deg"])) % 360, round(float(found["orient_conf"]), 2)
