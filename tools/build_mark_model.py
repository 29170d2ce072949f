"""Build ocr/mark_model.npz, the acute-vs-hook classifier of `ocr.mark_check`.

    python -m tools.build_mark_model --tables 110 --bodies 16 --jobs 2     # the shipped model, ~6 min on 2 cores

Training pages: ruled task tables drawn by the repo's own generator (tools/pdfgen) from
paragraphs of the legal corpus's *training* side (`tools.corpus.iter_paragraphs(held_out=False)`;
never the benchmark's Đồng Nai text), scanned at the bench's "hard" quality (200 dpi, 3° skew,
blur, JPEG, low contrast, seals, landscape pages stored turned) with seeds of their own. Each page
goes through the pipeline's own clean-up and cell stacks and is read by tesseract with character
boxes; every character read with an acute or a hook whose word equals a drawn word up to those
marks (and only one such drawn word exists) is a sample, labelled from the drawn word. One table
in five is held out to report accuracy and to check the `mark_check.SURE` threshold.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np

from ocr import cleanup, mark_check, page_ocr, tables
from ocr.engines import get_engine, words_many
from ocr.pdf_source import opened, page_image
from tools.reproducible import write_npz

REPO = Path(__file__).resolve().parents[1]
_PUNCT = ".,;:()[]\"'“”!?-–/"


def _chunks(rng: random.Random, words: list[str], n: int) -> str:
    i = rng.randrange(max(len(words) - n, 1))
    return " ".join(words[i : i + n])


def training_rows(rng: random.Random, paragraphs: list[str], n_rows: int) -> list[list[str]]:
    """Task-table rows (and a section row now and then) cut from corpus paragraphs."""
    rows: list[list[str]] = []
    roman = ["I", "II", "III", "IV", "V", "VI"]
    k = 0
    while len(rows) < n_rows:
        words = rng.choice(paragraphs).split()
        if len(words) < 30:
            continue
        if rng.random() < 0.12:
            rows.append([roman[len(rows) % 6], _chunks(rng, words, rng.randint(3, 7)).upper()])
            continue
        k += 1
        rows.append([str(k), _chunks(rng, words, rng.randint(8, 22)), _chunks(rng, words, rng.randint(2, 5)),
                     _chunks(rng, words, rng.randint(3, 9)), f"Quý {roman[rng.randrange(4)]}/202{rng.randrange(4, 8)}",
                     _chunks(rng, words, rng.randint(3, 8))])
    return rows


def _truth_index(grid: list[list[str]]) -> dict[str, set[str]]:
    index: dict[str, set[str]] = {}
    for row in grid:
        for cell in row:
            for w in cell.split():
                w = w.strip(_PUNCT)
                if w:
                    index.setdefault(mark_check.fold(w), set()).add(w)
    return index


def word_samples(image: np.ndarray, words: list, index: dict[str, set[str]]) -> tuple[list, list]:
    """(features, (truth, tesseract's reading): 1 = hook) of the acute/hook characters of `words` read from `image`."""
    feats, labels = [], []
    for w in words:
        idx = mark_check.candidates(w)
        if not idx:
            continue
        core = w.text.strip(_PUNCT)
        lead = len(w.text) - len(w.text.lstrip(_PUNCT))
        truths = index.get(mark_check.fold(core), set())
        if len(truths) != 1:
            continue
        truth = next(iter(truths))
        for i in idx:
            j = i - lead
            if not 0 <= j < len(truth):
                continue
            want = mark_check.mark_of(truth[j])
            f = mark_check.features(image, w, i)
            if want is None or f is None:
                continue
            feats.append(f)
            labels.append((int(want == mark_check.HOOK), int(mark_check.mark_of(w.text[i]) == mark_check.HOOK)))
    return feats, labels


def page_samples(engine, pixels_page, index: dict[str, set[str]]) -> tuple[list, list]:
    """Samples of one scanned page, read as the pipeline reads it: cell stacks of its ruled tables, else its body."""
    grey, dpi, _, _ = page_ocr.prepare(pixels_page, engine)
    (h, v), short = cleanup.ruling_masks_lazy(grey, max(int(0.2 * dpi), 20))
    grids = tables.find_grids(h, v)
    if not grids:
        (words,) = words_many(engine, [grey], psm=page_ocr.BODY_PSM, dpi=int(dpi), symbols=True)
        return word_samples(grey, words, index)
    sh, sv = short()
    grids = tables.find_grids(h, v, sh, sv)
    clean = tables.erase_rulings(grey, h, v, grids, sv)
    feats, labels = [], []
    for g in grids:
        stacks = tables.cell_stacks(clean, g, int(dpi))
        read = words_many(engine, [b for b, _ in stacks], psm=6, dpi=tables.cell_dpi(int(dpi)), symbols=True)
        for (big, _), words in zip(stacks, read, strict=True):
            f, lab = word_samples(big, words, index)
            feats += f
            labels += lab
    return feats, labels


def body_pdf(rng: random.Random, paragraphs: list[str], path: Path) -> list[str]:
    """Two portrait pages of running corpus text in the plans' body style; returns the paragraphs drawn."""
    from tools.pdfgen.pdf_canvas import PageWriter, register_fonts
    from tools.pdfgen.pdf_document import _Body

    w = PageWriter(path, register_fonts(), title="body")
    body = _Body(w)
    body.new_page()
    drawn = []
    while body.portrait_pages < 3:
        text = rng.choice(paragraphs)[:700]
        style = "B" if rng.random() < 0.1 else "R"
        body.paragraph(text.upper()[:120] if style == "B" else text, style, justify=style == "R")
        drawn.append(text.upper()[:120] if style == "B" else text)
    w.save()
    return drawn


_PARAGRAPHS: list[str] = []


def _document(job: tuple[int, int, int, str]) -> tuple[list, list]:
    """Samples of training document `t` (a table when t < n_tables, else body pages); its own seed."""
    t, n_tables, seed, workdir = job
    from tools.pdfgen.make_pdfs import TASK_HEADER, build_table_pdf, scan_pdf

    start = time.process_time()
    rng = random.Random(seed * 100_003 + t)
    digital = Path(workdir) / f"train_{t}.pdf"
    if t < n_tables:
        grid = build_table_pdf(training_rows(rng, _PARAGRAPHS, 22), digital, list(TASK_HEADER))
    else:  # body pages: one "cell" per paragraph
        grid = [[text] for text in body_pdf(rng, _PARAGRAPHS, digital)]
    scanned = scan_pdf(digital, Path(workdir) / f"train_{t}_hard.pdf", quality="hard", seed=seed + t, stamp=True,
                       rotate_landscape=True)
    index = _truth_index(grid)
    engine = get_engine("tesseract")
    X, y = [], []
    with opened(scanned) as doc:
        for n in range(len(doc)):
            page = doc[n]
            image = page_image(page)
            page.close()
            f, lab = page_samples(engine, image, index)
            X += f
            y += lab
    print(f"{'table' if t < n_tables else 'body'} {t}: {len(y)} samples ({sum(a for a, _ in y)} hooks), "
          f"{time.process_time() - start:.1f} s CPU", flush=True)
    return X, y


def collect(n_tables: int, seed: int, workdir: Path, n_bodies: int = 0,
            jobs: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Samples of every training document, `jobs` documents at a time (forked workers); the same
    samples whatever `jobs` is (each document draws from its own seed)."""
    from tools.corpus import CORPUS_DIR, iter_paragraphs

    _PARAGRAPHS[:] = [p for p in iter_paragraphs(held_out=False, folders=(CORPUS_DIR,)) if len(p) > 200]
    todo = [(t, n_tables, seed, str(workdir)) for t in range(n_tables + n_bodies)]
    if jobs > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            done = pool.map(_document, todo, chunksize=1)
    else:
        done = [_document(job) for job in todo]
    X, y, group = [], [], []
    for t, (f, lab) in enumerate(done):
        X += f
        y += lab
        group += [t] * len(lab)
    return np.array(X, dtype=np.float32), np.array(y, dtype=np.int64).reshape(-1, 2), np.array(group)


def fit(X: np.ndarray, y: np.ndarray, seed: int = 0) -> mark_check.MarkModel:
    """Boosted trees on the raw crop pixels (measured on the held-out tables: far fewer acutes wrongly
    turned into hooks than a small MLP at the same number of hooks fixed)."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    clf = HistGradientBoostingClassifier(max_iter=600, max_leaf_nodes=63, random_state=seed)
    clf.fit(X, y)
    model = mark_check.MarkModel.from_sklearn(clf)
    check = X[:200]
    if not np.allclose(model.p_hook(check), clf.predict_proba(check)[:, 1], atol=1e-4):
        raise RuntimeError("exported trees disagree with scikit-learn")
    return model


def report(model: mark_check.MarkModel, X: np.ndarray, y: np.ndarray, label: str) -> None:
    """Marks right as tesseract read them, and after `mark_check` at a few thresholds."""
    truth, tess = y[:, 0], y[:, 1]
    p = model.p_hook(X)
    print(f"{label}: {len(y)} marks ({int(truth.sum())} hooks); tesseract right on {int((tess == truth).sum())} "
          f"(hooks read right {int(((tess == 1) & (truth == 1)).sum())}/{int(truth.sum())}, "
          f"acutes {int(((tess == 0) & (truth == 0)).sum())}/{int((truth == 0).sum())})")
    for sure in (0.5, 0.7, 0.8, 0.9, 0.95, 0.98):
        after = tess.copy()
        after[(tess == 0) & (p >= sure)] = 1  # as `mark_check.check_words`: acutes turned into hooks only
        fixed = int(((after == truth) & (tess != truth)).sum())
        broken = int(((after != truth) & (tess == truth)).sum())
        print(f"  sure={sure}: right {int((after == truth).sum())}, fixed {fixed}, broken {broken}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=24)
    parser.add_argument("--bodies", type=int, default=0, help="documents of body pages (2-3 pages each)")
    parser.add_argument("--jobs", type=int, default=1, help="documents read in parallel (same samples)")
    parser.add_argument("--seed", type=int, default=100)
    parser.add_argument("--out", type=Path, default=mark_check.MODEL)
    parser.add_argument("--samples", type=Path, default=None, help="cache the samples here (.npz)")
    args = parser.parse_args(argv)
    if args.samples and args.samples.exists():
        data = np.load(args.samples)
        X, y, group = data["X"], data["y"], data["group"]
    else:
        with tempfile.TemporaryDirectory() as tmp:
            X, y, group = collect(args.tables, args.seed, Path(tmp), args.bodies, args.jobs)
        if args.samples:
            np.savez_compressed(args.samples, X=X, y=y, group=group)
    held = group % 5 == 4
    print(f"{len(y)} samples from {len(set(group.tolist()))} tables")
    model = fit(X[~held], y[~held, 0])
    report(model, X[held], y[held], "held-out tables")
    final = fit(X, y[:, 0])
    write_npz(args.out, final.arrays())
    print(f"saved {args.out} ({args.out.stat().st_size} bytes, {len(y)} samples)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
