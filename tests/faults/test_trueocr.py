"""The `trueocr` engine against the real package (PyPI `trueocr` 0.1.1, models in the wheel) on a
real scanned page: the words and their boxes agree with tesseract's reading of the same image,
its page turns agree with tesseract's OSD, and an ingest through it loads the page, offline.

The generated scan is tilted (about 1.7 degrees), and TrueOCR straightens a page before reading
it, so the boxes only land on tesseract's if the adapter turns them back into the input image."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from ocr import engines
from tests.faults.helpers import SCAN, cli, query, scan_pdf


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(SCAN))
    try:
        return np.asarray(pdf[0].render(scale=300 / 72).to_pil().convert("L"))
    finally:
        pdf.close()


def _inside(w, box, slack: int = 15) -> bool:
    cx, cy = (w.left + w.right) / 2, (w.top + w.bottom) / 2
    return box.left - slack <= cx <= box.right + slack and box.top - slack <= cy <= box.bottom + slack


def test_words_and_boxes_agree_with_tesseract_on_a_tilted_scan(page):
    words = engines.get_engine("trueocr").words(page)
    ref = engines.get_engine("tesseract").words(page)
    once = {w.text: w for w in ref if sum(r.text == w.text for r in ref) == 1}
    both = [(w, once[w.text]) for w in words if w.text in once and sum(v.text == w.text for v in words) == 1]
    assert len(both) >= 100, len(both)  # words read the same by both, once each on the page
    hits = sum(_inside(w, r) for w, r in both)
    assert hits >= 0.9 * len(both), (hits, len(both))
    # one TrueOCR line is one line number, its words left to right
    for n in {w.line for w in words}:
        line = [w for w in words if w.line == n]
        assert [w.left for w in line] == sorted(w.left for w in line)
    assert all(0 <= w.conf <= 100 and w.width > 0 and w.height > 0 for w in words)


def test_one_line_mode_reads_a_cropped_line(page):
    ref = engines.get_engine("tesseract").words(page)
    lines: dict[tuple[int, int, int], list] = {}
    for w in ref:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    # a line of one column: the heading's two columns share tesseract's first lines
    line = next(ws for ws in lines.values() if len(ws) >= 6 and all(
        b.left - a.right < 2 * a.height for a, b in zip(ws, ws[1:], strict=False)))
    x0, y0 = min(w.left for w in line) - 10, min(w.top for w in line) - 10
    x1, y1 = max(w.right for w in line) + 10, max(w.bottom for w in line) + 10
    words = engines.get_engine("trueocr").words(np.ascontiguousarray(page[y0:y1, x0:x1]), psm=7)
    assert {w.line for w in words} == {1}
    assert len({w.text for w in words} & {w.text for w in line}) >= len(line) // 2, (words, line)


def test_page_turns_agree_with_tesseract_osd(page):
    engine, osd = engines.get_engine("trueocr"), engines.get_engine("tesseract")
    assert engine.rotation(page)[0] == 0
    for k in (1, 2, 3):
        turned = np.ascontiguousarray(np.rot90(page, k))
        assert engine.rotation(turned)[0] == osd.rotation(turned)[0] == 90 * k


def test_ingest_through_trueocr_loads_the_scan_without_network(tmp_path):
    """The whole CLI with the engine, in a network namespace of its own (no network at all) when
    this machine allows one, so nothing can be downloaded at run time."""
    scan = scan_pdf(tmp_path / "scan.pdf", 2)
    db = tmp_path / "db.duckdb"
    args = ("ingest", str(scan), "--db", str(db), "--out", str(tmp_path / "out"), "--workers", "1")
    offline = subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0
    r = cli(*args, extra_env={"CCHC_OCR_ENGINE": "trueocr"}, prefix=["unshare", "-n"] if offline else None)
    assert r.returncode == 0, r.stderr
    rows = query(db, "SELECT page_no, method, lower(text) FROM pages ORDER BY page_no")
    assert [(n, m) for n, m, _ in rows] == [(1, "ocr"), (2, "ocr")]
    assert "cải cách hành chính" in rows[0][2]
    assert query(db, "SELECT status FROM plans") == [("ok",)]
