"""OCR benchmark: cchc-ingest's OCR stage against plain `tesseract -l vie` on the same page images.

Pages are generated from clean text with known truth (-m tools.pdfgen.make_pdfs):
the Đồng Nai plan (3 portrait body pages + a ruled appendix table over 3 landscape
pages), scanned at three qualities -- clean (300 dpi), noisy (skew <= 2°, blur,
noise, uneven light, JPEG) and hard (200 dpi, 3° skew, low contrast, a red seal
over text, landscape pages stored turned 90°). Both systems see exactly the
embedded page images of the scanned PDF.

Reported per quality: CER and WER on the body pages (tables excluded: plain
tesseract has no table structure, so its table-page text is scored separately),
seconds per page over all pages, and for the appendix table the share of cells
read exactly right and of rows whose cells all landed in the right column.

A third system, TrueOCR (PyPI `trueocr`, ONNX models shipped in the wheel, runs
offline), is read on the same images when it is installed in the environment
(`pip install trueocr`; it is not a project dependency): CER/WER on the body pages
and CPU seconds per page, one ONNX thread to match `OMP_THREAD_LIMIT=1`. When it
is missing, the JSON says so.

Run: `make bench-ocr` (or `python -m bench.ocr_bench [--qualities noisy,hard] [--wrong-cells]`).
Prints a table and writes bench/results/ocr.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ocr import reader
from ocr._exec import tesseract as tess
from ocr.pdf_source import opened, page_image

RESULTS = Path(__file__).resolve().parent / "results" / "ocr.json"


# -- metrics -------------------------------------------------------------------------------------------

def norm(text: str) -> str:
    """NFC, whitespace collapsed: layout whitespace is not an OCR error."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def cer(truth: str, pred: str) -> float:
    t, p = norm(truth), norm(pred)
    return Levenshtein.distance(t, p) / max(len(t), 1)


def wer(truth: str, pred: str) -> float:
    t, p = norm(truth).split(), norm(pred).split()
    return Levenshtein.distance(t, p) / max(len(t), 1)


def _align_rows(truth: list[list[str]], pred: list[list[str]]) -> list[list[str] | None]:
    """Monotonic alignment of truth rows to predicted rows by whole-row similarity."""
    out: list[list[str] | None] = []
    j = 0
    for row in truth:
        key = norm(" ".join(row))
        best, best_score = None, 0.0
        for k in range(j, min(j + 4, len(pred))):
            score = fuzz.ratio(key, norm(" ".join(pred[k])))
            if score > best_score:
                best, best_score = k, score
        if best is not None and best_score >= 50:
            out.append(pred[best])
            j = best + 1
        else:
            out.append(None)
    return out


def _in_right_column(trow: list[str], prow: list[str], col: int) -> bool:
    """Did the text of truth cell `col` land in predicted column `col`?

    Placement, not recognition: a misread cell ("II" read as "H") is still in
    the right column; a cell is misplaced when it is lost, when text appears
    where the truth is empty, or when it matches another column's truth better.
    """
    t = norm(trow[col])
    p = norm(prow[col]) if col < len(prow) else ""
    if not t or not p:
        return not t and not p
    own = fuzz.ratio(t, p)
    return not any(
        fuzz.ratio(norm(other), p) > max(own, 50.0) for c, other in enumerate(trow) if c != col and norm(other)
    )


def _cell_exact(prow: list[str], col: int, truth: str) -> bool:
    """One cell read exactly: the rule both the score and the wrong-cell list use."""
    return col < len(prow) and norm(prow[col]) == norm(truth)


def table_scores(truth: list[list[str]], pred: list[list[str]]) -> dict[str, float]:
    """Share of truth cells read exactly, and of truth rows with every cell in the right column."""
    aligned = _align_rows(truth, pred)
    cells = exact = rows_right = 0
    for trow, prow in zip(truth, aligned, strict=True):
        ok = prow is not None
        for c, t in enumerate(trow):
            cells += 1
            if prow is None:
                continue
            if _cell_exact(prow, c, t):
                exact += 1
            ok = ok and _in_right_column(trow, prow, c)
        rows_right += ok
    return {
        "rows": len(truth),
        "rows_found": sum(r is not None for r in aligned),
        "rows_right": rows_right / max(len(truth), 1),
        "cells_exact": exact / max(cells, 1),
    }


def wrong_cells(truth: list[list[str]], pred: list[list[str]]) -> list[tuple[int, int, str, str | None]]:
    """(row, col, truth, ours) of every truth cell `table_scores` does not count as exact.

    `ours` is None when the row was not found at all. This is the list to look at
    before touching the clean-up: which marks are lost, on which quality.
    """
    out = []
    for r, (trow, prow) in enumerate(zip(truth, _align_rows(truth, pred), strict=True)):
        for c, t in enumerate(trow):
            if prow is None or not _cell_exact(prow, c, t):
                ours = None if prow is None else norm(prow[c]) if c < len(prow) else ""
                out.append((r, c, norm(t), ours))
    return out


def block_order_truth(info, char_width: float = 6.2, tol: float = 3.0) -> str:  # PageInfo
    """Page truth in block reading order: two-column zones (header, signature) left block, then right.

    The generator records every drawn string with its position; its own `truth`
    interleaves the two header columns line by line, which is how a naive
    line reader sees the page but not the reading order this stage promises.
    A zone starts at a baseline holding two strings and runs while every
    string stays on one side of the gap between them (widths estimated).
    """
    rows: list[list[tuple[float, float, str]]] = []
    for y, x, text in sorted(info.items):
        if rows and abs(y - rows[-1][0][0]) <= tol:
            rows[-1].append((y, x, text))
        else:
            rows.append([(y, x, text)])
    rows = [sorted(r, key=lambda it: it[1]) for r in rows]
    end = lambda it: it[1] + char_width * len(it[2])  # noqa: E731
    lines: list[str] = []
    i = 0
    while i < len(rows):
        row = rows[i]
        if len(row) < 2:
            lines.append(row[0][2])
            i += 1
            continue
        split = (end(row[0]) + row[1][1]) / 2
        j = i
        while j < len(rows) and all(end(it) < split or it[1] > split for it in rows[j]):
            j += 1
        j = max(j, i + 1)
        zone = [it for r in rows[i:j] for it in r]
        lines += [it[2] for it in zone if it[1] < split] + [it[2] for it in zone if it[1] >= split]
        i = j
    return "\n".join(lines)


# -- systems -------------------------------------------------------------------------------------------

def _cpu() -> float:
    """CPU seconds of this process and its finished children (tesseract runs as a child).

    Wall time on a shared 2-core machine swings with other jobs' load (load
    average ~10 while this was measured); CPU time does not, so the speed
    ratio is taken on CPU time and wall time is reported alongside.
    """
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def load_trueocr():  # trueocr.TrueOCR or None
    """TrueOCR with one thread, or None (with the reason) when it is not installed."""
    try:
        import trueocr
    except ImportError as exc:
        return None, f"not installed ({exc}); `make bench-ocr` installs it (extra `bench-ocr`)"
    return trueocr.load_model(threads=1), f"trueocr {trueocr.__version__}, models from the wheel, 1 thread"


def _trueocr_text(model, image: np.ndarray) -> str:
    import cv2
    from PIL import Image

    return model.predict(Image.fromarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB)) if image.ndim == 3
                         else Image.fromarray(image)).text


def side_by_side(pdf: Path, true_model=None) -> tuple[list, list[str], dict[str, list[float]], list[str]]:
    """Both systems page by page, alternating, so machine load hits them alike.

    Ours: each page read as `ocr.read_pdf` reads it (`reader._read_one`, then the
    in-order post-processing and table stitching that `read_pdf` applies; the
    pipeline's split reader relies on the same equivalence). Plain: `tesseract
    IMAGE - -l vie` on the page's embedded image, as a user would run it; TrueOCR
    (when given) on the same image.
    """
    import pdfplumber

    raw, plain, true_texts = [], [], []
    times: dict[str, list[float]] = {"wall_ours": [], "cpu_ours": [], "wall_plain": [], "cpu_plain": [],
                                     "wall_true": [], "cpu_true": []}
    with opened(pdf) as doc, pdfplumber.open(pdf) as plumber:
        previous_first = None
        for n in range(1, len(doc) + 1):
            start, start_cpu = time.perf_counter(), _cpu()
            page = reader._read_one(doc, plumber, n, "tesseract")
            first = page.lines[0].text if page.lines else None
            raw.append(reader._finish(page, previous_first))
            previous_first = first
            times["wall_ours"].append(time.perf_counter() - start)
            times["cpu_ours"].append(_cpu() - start_cpu)
            pdf_page = doc[n - 1]
            image = page_image(pdf_page).pixels
            pdf_page.close()
            start, start_cpu = time.perf_counter(), _cpu()
            plain.append(tess.image_to_text(image, lang="vie", psm=3))
            times["wall_plain"].append(time.perf_counter() - start)
            times["cpu_plain"].append(_cpu() - start_cpu)
            if true_model is not None:
                start, start_cpu = time.perf_counter(), _cpu()
                true_texts.append(_trueocr_text(true_model, image))
                times["wall_true"].append(time.perf_counter() - start)
                times["cpu_true"].append(_cpu() - start_cpu)
    return list(reader.stitch_stream(raw)), plain, times, true_texts


# -- documents -----------------------------------------------------------------------------------------

def build_documents(workdir: Path, qualities: list[str], seed: int) -> dict:
    """The digital plan, its truth, the appendix truth grid, and one scanned twin per quality."""
    from tools.pdfgen.make_pdfs import layout_plan, scan_pdf, spec_dongnai

    digital = workdir / "dongnai_digital.pdf"
    infos, table = layout_plan(spec_dongnai(), digital)
    scans = {}
    for q in qualities:
        scans[q] = scan_pdf(digital, workdir / f"dongnai_{q}.pdf", quality=q, seed=seed, stamp=True,
                            rotate_landscape=(q == "hard"))
    return {
        "truth": [block_order_truth(p) for p in infos],
        "truth_line_interleaved": [p.truth for p in infos],
        "table_pages": sorted({p + 1 for p in table.pages}),
        "grid": table.grid,
        "scans": scans,
    }


def _page_text(page) -> str:  # schema Page
    """What the page says, page number included (the truth has it, plain tesseract reads it)."""
    return "\n".join(t for t in (page.header_text, page.text) if t)


def run(qualities: list[str], seed: int = 0, show_wrong: bool = False) -> dict:
    true_model, true_note = load_trueocr()
    results: dict = {"qualities": {}, "tesseract": "5.3 vie (LSTM)", "omp_thread_limit": 1, "trueocr": true_note}
    with tempfile.TemporaryDirectory() as tmp:
        docs = build_documents(Path(tmp), qualities, seed)
        body = [i for i in range(len(docs["truth"])) if i + 1 not in docs["table_pages"]]
        for q in qualities:
            pages, plain, times, true_texts = side_by_side(docs["scans"][q], true_model)
            our_sec, our_cpu, plain_sec, plain_cpu = (
                times["wall_ours"], times["cpu_ours"], times["wall_plain"], times["cpu_plain"]
            )
            truth_body = "\n".join(docs["truth"][i] for i in body)
            tables = [t for p in pages for t in p.tables]
            stitched = max(tables, key=lambda t: t.n_rows) if tables else None
            grid = stitched.grid() if stitched else []
            tscore = table_scores(docs["grid"], grid)
            if show_wrong:
                for r, c, t, ours in wrong_cells(docs["grid"], grid):
                    print(f"{q} r{r}c{c}\n  truth {t!r}\n  ours  {ours!r}")
            results["qualities"][q] = {
                "pages": len(pages),
                "body_pages": len(body),
                "cer_ours": cer(truth_body, "\n".join(_page_text(pages[i]) for i in body)),
                "cer_plain": cer(truth_body, "\n".join(plain[i] for i in body)),
                "wer_ours": wer(truth_body, "\n".join(_page_text(pages[i]) for i in body)),
                "wer_plain": wer(truth_body, "\n".join(plain[i] for i in body)),
                "sec_per_page_ours": sum(our_sec) / len(our_sec),
                "sec_per_page_plain": sum(plain_sec) / len(plain_sec),
                "cpu_per_page_ours": sum(our_cpu) / len(our_cpu),
                "cpu_per_page_plain": sum(plain_cpu) / len(plain_cpu),
                "table_pages_stitched": stitched.pages if stitched else [],
                "table_rows_right": tscore["rows_right"],
                "table_cells_exact": tscore["cells_exact"],
                "table_rows_found": f"{tscore['rows_found']}/{tscore['rows']}",
                "rotations": [p.rotation for p in pages],
                "mean_confidence": float(np.mean([p.confidence for p in pages if p.confidence is not None])),
            }
            if true_texts:
                results["qualities"][q].update({
                    "cer_trueocr": cer(truth_body, "\n".join(true_texts[i] for i in body)),
                    "wer_trueocr": wer(truth_body, "\n".join(true_texts[i] for i in body)),
                    "cpu_per_page_trueocr": sum(times["cpu_true"]) / len(times["cpu_true"]),
                    "sec_per_page_trueocr": sum(times["wall_true"]) / len(times["wall_true"]),
                })
    return results


def print_table(results: dict) -> None:
    head = (f"{'quality':8} {'CER ours':>9} {'CER tess':>9} {'WER ours':>9} {'WER tess':>9} "
            f"{'cpu/pg ours':>11} {'cpu/pg tess':>11} {'ratio':>6} {'wall ours':>9} {'wall tess':>9} "
            f"{'rows ok':>8} {'cells ex':>8} {'rows':>6}")
    print(head)
    print("-" * len(head))
    for q, r in results["qualities"].items():
        print(f"{q:8} {r['cer_ours']:9.2%} {r['cer_plain']:9.2%} {r['wer_ours']:9.2%} {r['wer_plain']:9.2%} "
              f"{r['cpu_per_page_ours']:11.2f} {r['cpu_per_page_plain']:11.2f} "
              f"{r['cpu_per_page_ours'] / r['cpu_per_page_plain']:6.2f} "
              f"{r['sec_per_page_ours']:9.2f} {r['sec_per_page_plain']:9.2f} {r['table_rows_right']:8.1%} "
              f"{r['table_cells_exact']:8.1%} {r['table_rows_found']:>6}")
    print("CER/WER: body pages (truth in block reading order); cpu/pg: CPU seconds per page incl. tesseract, "
          "ratio = ours/plain; wall: seconds per page; rows ok / cells ex: the appendix table stitched over "
          "its pages (plain tesseract has no table structure).")
    print(f"TrueOCR: {results.get('trueocr')}")
    for q, r in results["qualities"].items():
        if "cer_trueocr" in r:
            print(f"  {q:8} CER {r['cer_trueocr']:.2%}  WER {r['wer_trueocr']:.2%}  "
                  f"cpu/pg {r['cpu_per_page_trueocr']:.2f}  wall/pg {r['sec_per_page_trueocr']:.2f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--qualities", default="clean,noisy,hard")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--wrong-cells", action="store_true", help="print every table cell not read exactly")
    args = parser.parse_args(argv)
    results = run([q.strip() for q in args.qualities.split(",") if q.strip()], args.seed, args.wrong_cells)
    print_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"saved {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
