"""The in-process engine (libtesseract via tesserocr) against the CLI, on a real scanned page.

Same words, boxes and confidences as the `tesseract` program, in a forked worker too, and the
CLI fallback when tesserocr is missing or forced off.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest

from ocr._exec import tesseract, tesserocr_api
from ocr.engines import get_engine
from ocr.page_ocr import BODY_PSM, prepare
from ocr.pdf_source import opened, page_image
from tools.pdfgen.make_pdfs import build_digital_pdf, scan_pdf, spec_dongnai

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def scanned_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[np.ndarray, int]:
    """The top of page 1 of the generated plan, scanned (noisy, seal) and cleaned as the pipeline does."""
    work = tmp_path_factory.mktemp("tesserocr")
    digital = work / "plan.pdf"
    build_digital_pdf(spec_dongnai(), digital)
    doc, first = pdfium.PdfDocument(str(digital)), pdfium.PdfDocument.new()
    first.import_pages(doc, [0])  # scanning only page 1 saves seconds
    first.save(str(work / "page1.pdf"))
    first.close()
    doc.close()
    scan = scan_pdf(work / "page1.pdf", work / "scan.pdf", quality="noisy", seed=5)
    with opened(scan) as doc:
        grey, dpi, _, _ = prepare(page_image(doc[0]), get_engine("tesseract-cli"))
    return grey[: grey.shape[0] // 3], int(dpi)


def test_default_engine_runs_in_process() -> None:
    """`make install` builds tesserocr against the CLI's libtesseract: the fast path must be the one in use."""
    assert tesserocr_api.unusable_reason() is None
    assert get_engine("tesseract").backend is tesserocr_api
    assert get_engine("tesseract-cli").backend is tesseract


def test_same_words_as_the_cli(scanned_page: tuple[np.ndarray, int]) -> None:
    page, dpi = scanned_page
    cli = tesseract.image_to_words(page, psm=BODY_PSM, dpi=dpi)
    assert len(cli) > 30
    assert tesserocr_api.image_to_words(page, psm=BODY_PSM, dpi=dpi) == cli
    # Another mode and resolution on the same API object, then back: no state carried over.
    strip = page[: page.shape[0] // 3]
    assert tesserocr_api.image_to_words(strip, psm=3, dpi=2 * dpi) == tesseract.image_to_words(strip, psm=3, dpi=2 * dpi)
    colour = cv2.cvtColor(strip, cv2.COLOR_GRAY2BGR)
    colour[..., 0] = 255  # not grey any more: the channel order matters
    assert tesserocr_api.images_to_words([colour, page], psm=BODY_PSM, dpi=dpi) == \
        tesseract.images_to_words([colour, page], psm=BODY_PSM, dpi=dpi)


def test_same_orientation_as_the_cli(scanned_page: tuple[np.ndarray, int]) -> None:
    page, _ = scanned_page
    small = cv2.resize(page, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    for turn in (None, cv2.ROTATE_90_CLOCKWISE, cv2.ROTATE_180):
        image = small if turn is None else cv2.rotate(small, turn)
        assert tesserocr_api.detect_rotation(image) == tesseract.detect_rotation(image)
    blank = np.full((400, 400), 255, np.uint8)
    assert tesserocr_api.detect_rotation(blank) == tesseract.detect_rotation(blank) == (0, 0.0)


def _child_words(page: np.ndarray, dpi: int, queue: multiprocessing.Queue) -> None:
    words = tesserocr_api.image_to_words(page, psm=BODY_PSM, dpi=dpi)
    queue.put((words, sorted(pid for pid, _ in tesserocr_api._APIS)))


def test_forked_worker_builds_its_own_api(scanned_page: tuple[np.ndarray, int]) -> None:
    """The parent's API exists before the fork (the dangerous case): the child must not use it."""
    page, dpi = scanned_page
    parent = tesserocr_api.image_to_words(page, psm=BODY_PSM, dpi=dpi)
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    child = ctx.Process(target=_child_words, args=(page, dpi, queue))
    child.start()
    words, pids = queue.get(timeout=120)
    child.join(timeout=30)
    assert child.exitcode == 0
    assert words == parent
    assert pids == [child.pid]
    assert tesserocr_api.image_to_words(page, psm=BODY_PSM, dpi=dpi) == parent  # the parent's is unharmed


def _run(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("OMP_THREAD_LIMIT", "CCHC_TESSERACT")}
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env={**clean, **env},
                         capture_output=True, text=True, check=True, timeout=120)
    return out.stdout.strip() + "\n" + out.stderr.strip()


def test_cli_fallback_when_tesserocr_is_missing() -> None:
    code = ("import sys; sys.modules['tesserocr'] = None\n"  # makes `import tesserocr` raise ImportError
            "import numpy as np\nfrom ocr.engines import get_engine\n"
            "e = get_engine('tesseract'); print(e.backend.__name__)\n"
            "img = np.full((120, 600), 255, np.uint8); import cv2\n"
            "cv2.putText(img, 'HANOI 2024', (20, 80), cv2.FONT_HERSHEY_SIMPLEX, 2, 0, 4)\n"
            "print(' '.join(w.text for w in e.words(img, psm=7)))\n")
    out = _run(code)
    assert out.startswith("ocr._exec.tesseract\n")
    assert "2024" in out.splitlines()[1]
    assert "tesserocr is not installed" in out  # the one log line


def test_env_forces_the_cli() -> None:
    out = _run("from ocr.engines import get_engine; print(get_engine('tesseract').backend.__name__)",
               CCHC_TESSERACT="cli")
    assert out.startswith("ocr._exec.tesseract\n")


def test_libtesseract_loaded_with_one_openmp_thread() -> None:
    """OMP_THREAD_LIMIT=1 must reach libgomp, which reads it once, when libtesseract loads."""
    out = _run("import ctypes, ocr.engines\nprint(ctypes.CDLL('libgomp.so.1').omp_get_thread_limit())")
    assert out.splitlines()[0] == "1"
