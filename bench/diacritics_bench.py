"""Benchmark of diacritic restoration: cchc-ingest (`diacritics.restore`) side by side with pyvi.

Run: `make bench-diacritics` (or `python -m bench.diacritics_bench [--ocr-pages N]`).
Prints a table and saves bench/results/diacritics.json.  All text comes from the held-out side
of the corpus split (tools/corpus.py: files starting 0-2 of data/corpus/legal and legal_extra),
which nothing was tuned on.

Which model: the shipped `diacritics/vi_model.json.gz` is built on every corpus file, the
held-out ones too (it serves text nobody has seen), so it cannot be scored here.  The benchmark
builds its own model in process (`bench_model`: `tools.build_diacritics_model.build` without
the held-out files, ~7 CPU-s) with the shipped model's OCR channel, which was read from
training-side pages only (the model file says so; checked): that model has seen neither the
held-out text nor the held-out pages of test 2.  It is the shipped model less the held-out
files; the JSON's "model" entry and the printed table say so.  The shipped model's speed on
the same text is timed too (its accuracy there would be on its own training text: not kept).

4. proxy of the hidden set (the maintainers' other state documents, from the same crawl as
   `legal_extra/`): the `legal_extra/` held-out files restored with a model built on `legal/`
   only (train + dev), the way the model was built when that set read 97.46%, next to the
   benchmark's model on the same files (the folder's figure of test 1).

1. accent restoration: all held-out paragraphs with every mark stripped, restored in one call;
   syllable accuracy (case-sensitive, and ignoring case; also per corpus folder) and syllables
   per CPU-second on one core, timed in a process of its own that holds the model as a
   restoring process does (`fresh_process_seconds`);
2. real OCR damage: held-out text rendered to page images and read with `tesseract -l eng`
   (cached in bench/cache/ocr_heldout.jsonl); character error rate against the truth, before and
   after restoration (white space collapsed on both sides), and the residual word errors by
   kind (`error_kinds`: marks, letters, splits, joins, dropped, inserted);
3. already-correct text: share of characters changed when clean held-out text is restored.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from bench.diacritics_dev import use_model
from diacritics.text import TOKEN_RE, apply_case, is_word, strip_marks
from tools.build_diacritics_model import MODEL_PATH, OCR_TEXT, build, ocr_text_of
from tools.corpus import CORPUS_DIRS, REPO_ROOT, clean_markdown, corpus_files, iter_paragraphs

RESULTS = REPO_ROOT / "bench" / "results" / "diacritics.json"
OCR_CACHE = REPO_ROOT / "bench" / "cache" / "ocr_heldout.jsonl"

System = Callable[[str], str]
#: Cold runs of our restorer per timing, the fastest kept (pyvi, 7x slower, runs once).
OUR_REPEATS = 3


def _ours(trigram: bool = True) -> System:
    """cchc-ingest with the trigram or the bigram-only decoder (switched per call; caches are cleared so
    each configuration is timed cold)."""
    from diacritics import restore
    from diacritics.restore import set_trigram_pass

    def run(text: str) -> str:
        set_trigram_pass(trigram)
        try:
            return restore(text)
        finally:
            set_trigram_pass(True)

    return run


def _pyvi_line(line: str, fallback: bool) -> str:
    from pyvi import ViUtils

    try:
        return ViUtils.add_accents(line)
    except Exception:
        if not fallback:
            return line
    out = []
    for piece in re.split(r"(\s+)", line):
        try:
            out.append(ViUtils.add_accents(piece) if piece.strip() else piece)
        except Exception:
            out.append(piece)
    return "".join(out)


def pyvi_system(case_restored: bool, fallback: bool) -> System:
    """pyvi's add_accents line by line; optionally with the input's case put back per token and
    with a word-by-word retry of lines it raises on."""

    def run(text: str) -> str:
        lines = []
        for line in text.split("\n"):
            out = _pyvi_line(line, fallback)
            if case_restored:
                src = TOKEN_RE.findall(line)
                got = list(TOKEN_RE.finditer(out))
                if len(src) == len(got):
                    parts, pos = [], 0
                    for s, g in zip(src, got, strict=True):
                        parts.append(out[pos : g.start()])
                        parts.append(apply_case(s, g.group().lower()))
                        pos = g.end()
                    parts.append(out[pos:])
                    out = "".join(parts)
            lines.append(out)
        return "\n".join(lines)

    return run


def syllable_accuracy(truth: str, restored: str) -> tuple[float, float, int]:
    """Accuracy over the truth's syllables, aligned token by token (a line whose tokenisation
    changed is aligned by Levenshtein opcodes so one split token costs only its neighbours)."""
    ok = ok_fold = total = 0
    for t_line, r_line in zip(truth.split("\n"), restored.split("\n"), strict=False):
        t_tok = TOKEN_RE.findall(t_line)
        r_tok = TOKEN_RE.findall(r_line)
        if len(t_tok) == len(r_tok):
            pairs = list(zip(t_tok, r_tok, strict=True))
        else:
            pairs = []
            for op in Levenshtein.opcodes(t_tok, r_tok):
                if op.tag in ("equal", "replace"):
                    pairs.extend(
                        zip(t_tok[op.src_start : op.src_end], r_tok[op.dest_start : op.dest_end], strict=False)
                    )
        words = sum(1 for t in t_tok if is_word(t))
        total += words
        for t, r in pairs:
            if is_word(t):
                ok += t == r
                ok_fold += t.lower() == r.lower()
    return ok / total, ok_fold / total, total


def _fold(tokens: list[str]) -> str:
    return strip_marks("".join(tokens)).lower()


def _classify_block(src: list[str], dst: list[str], kinds: dict[str, int]) -> None:
    """Greedy walk through one stretch where truth and output differ."""
    i = j = 0
    while i < len(src) and j < len(dst):
        if _fold(src[i : i + 1]) == _fold(dst[j : j + 1]):
            kinds["marks"] += src[i] != dst[j]
            i, j = i + 1, j + 1
            continue
        for width in (2, 3, 4):  # one true token read as several, or several as one
            if j + width <= len(dst) and _fold(src[i : i + 1]) == _fold(dst[j : j + width]):
                kinds["splits"] += 1
                i, j = i + 1, j + width
                break
            if i + width <= len(src) and _fold(src[i : i + width]) == _fold(dst[j : j + 1]):
                kinds["joins"] += 1
                i, j = i + width, j + 1
                break
        else:
            kinds["letters"] += 1
            i, j = i + 1, j + 1
    kinds["dropped"] += len(src) - i
    kinds["inserted"] += len(dst) - j


def error_kinds(truth: str, text: str) -> dict[str, int]:
    """Residual word errors of a restored OCR page by kind, from a token alignment (white space
    and punctuation apart): "marks" (same letters, other marks or case), "letters" (other
    letters), "splits" (one true token read as several: "Sở" -> "S ở"), "joins" (several read as
    one: "Nội vụ" -> "Nộivụ"), "dropped" and "inserted" tokens; "tokens" counts the truth's."""
    t_tok = TOKEN_RE.findall(truth)
    x_tok = TOKEN_RE.findall(text)
    kinds = dict.fromkeys(("tokens", "marks", "letters", "splits", "joins", "dropped", "inserted"), 0)
    kinds["tokens"] = len(t_tok)
    block: list[int] = []  # [src start, src end, dest start, dest end] of consecutive differences
    for op in Levenshtein.opcodes(t_tok, x_tok):
        if op.tag == "equal":
            if block:
                _classify_block(t_tok[block[0] : block[1]], x_tok[block[2] : block[3]], kinds)
                block = []
            continue
        if block:
            block[1], block[3] = op.src_end, op.dest_end
        else:
            block = [op.src_start, op.src_end, op.dest_start, op.dest_end]
    if block:
        _classify_block(t_tok[block[0] : block[1]], x_tok[block[2] : block[3]], kinds)
    return kinds


def cer(truth: str, text: str) -> float:
    t = " ".join(truth.split())
    x = " ".join(text.split())
    return Levenshtein.distance(t, x) / max(1, len(t))


def timed(system: System, text: str, repeat: int = 1) -> tuple[str, float]:
    """Output and CPU seconds of the fastest of `repeat` runs: CPU time because the machine is
    shared (wall time is not one core), the fastest because runs of the same code on an idle
    machine still spread by +-5% (timeit's rule: the others measured something else too).
    Our systems clear their caches on every call, so each run is cold."""
    best = float("inf")
    out = ""
    for _ in range(repeat):
        start = time.process_time()
        out = system(text)
        best = min(best, time.process_time() - start)
    return out, best


def heldout_texts(limit_words: int) -> dict[str, str]:
    """Held-out paragraphs per corpus folder, in file order, up to `limit_words` in all (0: all)."""
    texts: dict[str, list[str]] = {}
    n = 0
    for path in corpus_files(held_out=True):
        for para in clean_markdown(path.read_text(encoding="utf-8")):
            if limit_words and n >= limit_words:
                break
            texts.setdefault(path.parent.name, []).append(para)
            n += len(para.split())
    return {folder: "\n".join(paras) for folder, paras in texts.items()}


def bench_model(folders: tuple = CORPUS_DIRS) -> tuple[dict, dict]:
    """The model the benchmark scores: the shipped model's recipe without the held-out files
    (of `folders`), OCR channel taken from the shipped model.  Returns (model, description)."""
    if ocr_text_of(MODEL_PATH) != OCR_TEXT:
        raise SystemExit(f"{MODEL_PATH}: OCR channel not recorded as read from {OCR_TEXT} pages; rebuild it "
                         "(python -m tools.build_diacritics_model) before scoring held-out pages with it")
    start = time.process_time()
    model = build(0, 1, confusions_from=MODEL_PATH, folders=folders, held_out_too=False)
    about = {
        "built_from": "corpus train + dev files of " + ", ".join(p.name for p in folders) + " (held-out files left out), "
                      "seed 001, word lists, place names; OCR channel of the shipped model (training-side pages)",
        "held_out_text": model["held_out_text"], "ocr_text": model["ocr_text"], "ocr_pages": model["ocr_pages"],
        "forms": len(model["vocab"]), "bigrams": len(model["bigram"]), "trigrams": len(model["trigram"]),
        "build_cpu_s": round(time.process_time() - start, 1),
    }
    return model, about


def fresh_process_seconds(model_path: Path, text: str, trigram: bool = True, repeats: int = OUR_REPEATS) -> float:
    """CPU seconds of the fastest of `repeats` cold restorations of `text` in a fresh process
    that holds the model as a restoring process does (built, then unpickled as
    `diacritics.model_cache` serves it; loading is not timed).  Timed in this process, next to
    the corpus, the model being built and pyvi, the same code read 96,700-104,300 syl/s from
    one run to the next on an idle machine: the heap's layout, not the decoder, decided the
    last 5%."""
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        text_path = Path(tmp) / "text.txt"
        text_path.write_text(text, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-m", "bench.diacritics_bench", "--time-restore", str(model_path), str(text_path),
             "1" if trigram else "0", str(repeats)],
            capture_output=True, text=True, check=True, cwd=REPO_ROOT,
        )
    return float(done.stdout.split()[-1])


def _time_restore(model_path: str, text_path: str, trigram: str, repeats: str) -> None:
    """The child of `fresh_process_seconds`: prints the CPU seconds."""
    use_model(Path(model_path), as_loaded=True)
    gc.collect()
    text = Path(text_path).read_text(encoding="utf-8")
    _, secs = timed(_ours(trigram == "1"), text, int(repeats))
    print(secs)


def shipped_model_speed(stripped: str, syllables: int) -> dict:
    """The shipped model (held-out text in it) restoring the same text: speed only."""
    import gzip

    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as fh:
        shipped = json.load(fh)
    about = {"path": str(MODEL_PATH.relative_to(REPO_ROOT)), "held_out_text": shipped.get("held_out_text"),
             "forms": len(shipped["vocab"]), "trigrams": len(shipped["trigram"])}
    del shipped
    return {**about, "syllables_per_s": syllables / fresh_process_seconds(MODEL_PATH, stripped)}


def hidden_set_proxy(by_folder: dict[str, str], bench_accuracy: float) -> dict:
    """Test 4: `legal_extra/` held-out files, restored in one call with a model built on `legal/`
    only (as when the hidden set read 97.46%) and, from test 1, with the benchmark's model."""
    model, about = bench_model(CORPUS_DIRS[:1])
    use_model(model)
    truth = by_folder[CORPUS_DIRS[1].name]
    out = _ours()("\n".join(strip_marks(line) for line in truth.split("\n")))
    return {"text": f"{CORPUS_DIRS[1].name} held-out files", "words": len(truth.split()),
            "legal_only_model": syllable_accuracy(truth, out)[0], "legal_only_model_about": about,
            "bench_model": bench_accuracy, "hidden_set_when_filed": 0.9746}


def ocr_pages(n_pages: int, workers: int) -> list[dict]:
    from tools.ocr_sim import ocr_pages as render_and_read

    paras = list(iter_paragraphs(held_out=True))
    random.Random(11).shuffle(paras)
    return render_and_read(paras, OCR_CACHE, max_pages=n_pages, workers=workers)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=0, help="held-out words for tests 1 and 3 (0: all of them)")
    ap.add_argument("--ocr-pages", type=int, default=40)
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--no-pyvi", action="store_true")
    ap.add_argument("--time-restore", nargs=4, metavar=("MODEL", "TEXT", "TRIGRAM", "REPEATS"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.time_restore:
        _time_restore(*args.time_restore)
        return

    systems: dict[str, System] = {"cchc-ingest": _ours(), "cchc-ingest bigram only": _ours(trigram=False)}
    if not args.no_pyvi:
        systems["pyvi"] = pyvi_system(False, False)
        systems["pyvi+case"] = pyvi_system(True, False)
        systems["pyvi+case+fallback"] = pyvi_system(True, True)
    model, about = bench_model()
    import gzip
    import tempfile

    scratch = Path(tempfile.mkdtemp(prefix="bench-diacritics-"))
    bench_path = scratch / "bench_model.json.gz"  # for the timing processes
    with gzip.open(bench_path, "wt", encoding="utf-8", compresslevel=1) as fh:
        json.dump(model, fh, ensure_ascii=False)
    use_model(model)  # for the outputs scored here; our speed is timed in a process of its own
    # The built JSON-like dict (some 330,000 lists of n-gram rows) is not what a restoring
    # process holds (it unpickles the decoder's view); kept alive, the garbage collector walks
    # it all through the timed run (-3.5% speed measured).
    del model
    gc.collect()

    by_folder = heldout_texts(args.words)
    truth = "\n".join(by_folder.values())
    stripped = "\n".join(strip_marks(line) for line in truth.split("\n"))
    results: dict = {"held_out_words": len(truth.split()), "model": about, "systems": {}}
    for name, system in systems.items():
        out, secs = timed(system, stripped, 1)
        if name.startswith("cchc-ingest"):  # the same code, timed in a process of its own
            secs = fresh_process_seconds(bench_path, stripped, trigram=name == "cchc-ingest")
        acc, acc_fold, n = syllable_accuracy(truth, out)
        results["systems"][name] = {
            "syllable_accuracy": acc,
            "syllable_accuracy_ignore_case": acc_fold,
            "syllables": n,
            "syllables_per_s": n / secs,
        }
        # the same output, scored per corpus folder (restoring keeps the line count)
        out_lines, start = out.split("\n"), 0
        for folder, text in by_folder.items():
            k = text.count("\n") + 1
            part = syllable_accuracy(text, "\n".join(out_lines[start : start + k]))
            results["systems"][name][f"syllable_accuracy_{folder}"] = part[0]
            start += k

    pages = ocr_pages(args.ocr_pages, args.workers)
    page_truth = ["\n".join(p["truth"]) for p in pages]
    page_ocr = [p["ocr"] for p in pages]
    raw_cer = sum(cer(t, o) * len(t) for t, o in zip(page_truth, page_ocr, strict=True)) / sum(map(len, page_truth))
    results["ocr"] = {"pages": len(pages), "cer_unrestored": raw_cer}
    kinds: dict[str, int] = {}
    for t, o in zip(page_truth, page_ocr, strict=True):
        for k, v in error_kinds(t, o).items():
            kinds[k] = kinds.get(k, 0) + v
    results["ocr"]["word_errors_unrestored"] = kinds
    for name, system in systems.items():
        outs = [system(o) for o in page_ocr]
        c = sum(cer(t, o) * len(t) for t, o in zip(page_truth, outs, strict=True)) / sum(map(len, page_truth))
        results["systems"][name]["ocr_cer"] = c
        kinds = {}
        for t, o in zip(page_truth, outs, strict=True):
            for k, v in error_kinds(t, o).items():
                kinds[k] = kinds.get(k, 0) + v
        results["systems"][name]["ocr_word_errors"] = kinds

    for name, system in systems.items():
        out = system(truth)
        changed = Levenshtein.distance(truth, out) / len(truth)
        results["systems"][name]["clean_chars_changed"] = changed

    results["shipped_model"] = shipped_model_speed(stripped, results["systems"]["cchc-ingest"]["syllables"])
    bench_path.unlink()
    scratch.rmdir()
    if CORPUS_DIRS[1].name in by_folder:
        results["hidden_set_proxy"] = hidden_set_proxy(
            by_folder, results["systems"]["cchc-ingest"][f"syllable_accuracy_{CORPUS_DIRS[1].name}"]
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"model scored: {about['built_from']}; {about['forms']} forms, {about['trigrams']} trigrams "
          f"(built in {about['build_cpu_s']} CPU s); the shipped model also has the held-out files")
    print(f"held-out words: {results['held_out_words']}, OCR pages: {len(pages)}, unrestored OCR CER: {raw_cer:.2%}")
    header = f"{'system':<24} {'syl acc':>8} {'acc nocase':>10} {'syl/s':>9} {'OCR CER':>8} {'clean chg':>9}"
    print(header)
    print("-" * len(header))
    for name, r in results["systems"].items():
        print(
            f"{name:<24} {r['syllable_accuracy']:>8.2%} {r['syllable_accuracy_ignore_case']:>10.2%} "
            f"{r['syllables_per_s']:>9.0f} {r['ocr_cer']:>8.2%} {r['clean_chars_changed']:>9.3%}"
        )
    for name, r in results["systems"].items():
        folders = ", ".join(f"{k.removeprefix('syllable_accuracy_')} {v:.2%}" for k, v in r.items()
                            if k.startswith("syllable_accuracy_") and k != "syllable_accuracy_ignore_case")
        kinds = r.get("ocr_word_errors", {})
        print(f"{name}: held-out by folder: {folders}; OCR word errors: {kinds}")
    print(f"unrestored OCR word errors: {results['ocr']['word_errors_unrestored']}")
    shipped = results["shipped_model"]
    print(f"shipped model ({shipped['forms']} forms, {shipped['trigrams']} trigrams, held-out text in it): "
          f"{shipped['syllables_per_s']:.0f} syl/s on the same stripped text (speed only)")
    if "hidden_set_proxy" in results:
        proxy = results["hidden_set_proxy"]
        print(f"hidden-set proxy, {proxy['text']} ({proxy['words']} words): model on legal/ only (as when the "
              f"hidden set read {proxy['hidden_set_when_filed']:.2%}) {proxy['legal_only_model']:.2%}; "
              f"benchmark's model {proxy['bench_model']:.2%}")
    print(f"saved {RESULTS.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
