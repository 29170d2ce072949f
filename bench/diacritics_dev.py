"""Tuning harness for the restorer on the dev split (never on the held-out files).

Run: `python -m bench.diacritics_dev [--model PATH] [--scope doc|all|page] [--page-words N] [--errors FILE]`,
or `python -m bench.diacritics_dev --curve 25,50,75,100 [--folders legal,legal_extra]` for the
learning curve (dev models built in process on those shares of the training words), or
`--ocr-pages N [--workers W]` for CER on N English-OCR pages of dev text.
The model at PATH must be built with `python -m tools.build_diacritics_model --dev-prefixes 345
--confusions-from diacritics/vi_model.json.gz --out PATH` (which also leaves the held-out files out), so the dev files (names starting
3, 4 or 5, in both corpus folders) are unseen.  Each dev document is stripped of its marks and restored in one call
(`--scope doc`, like a document restored in one `restore()` call) or all of them in one call
(`--scope all`, like the benchmark); `--page-words N` cuts each document into pages of about N
words (at line ends) joined by form feeds, as the pipeline restores a document, and `--scope
page` restores those pages one call each instead.  Prints case-sensitive syllable accuracy; `--errors`
writes one `truth<TAB>restored<TAB>left<TAB>right` line per wrong syllable.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from diacritics.text import TOKEN_RE, is_word, strip_marks
from tools.corpus import DEV_PREFIXES, clean_markdown, dev_files

DEV_MODEL = Path("/tmp/dev_model.json.gz")


def dev_documents() -> list[str]:
    """The dev split's documents (both corpus folders), cleaned, one string each."""
    return ["\n".join(clean_markdown(path.read_text(encoding="utf-8"))) for path in dev_files()]


def paginate(doc: str, words: int) -> str:
    """The document's lines cut into pages of about `words` words, joined by form feeds."""
    pages: list[str] = []
    lines: list[str] = []
    count = 0
    for line in doc.split("\n"):
        lines.append(line)
        count += len(line.split())
        if count >= words:
            pages.append("\n".join(lines))
            lines, count = [], 0
    if lines:
        pages.append("\n".join(lines))
    return "\f".join(pages)


def _typed(current: object, value: str) -> object:
    """`value` as the type of the setting it replaces; "0", "false", "no" and "" are False
    (`bool("0")` is True, which once made `--set CACHE_ENABLED=0` a silent no-op)."""
    if isinstance(current, bool):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return type(current)(value)


def use_model(model: Path | dict, settings: list[str] | None = None, as_loaded: bool = False) -> None:
    """Point the restorer at a dev model (the shipped file was built with the dev files): a
    model file, or a model dict fresh from `tools.build_diacritics_model.build`.  `as_loaded`:
    the decoder's view goes through a pickle round trip first, which is how every restoring
    process gets it (`diacritics.model_cache` unpickles it): a view built in this process from
    a fresh dict lies scattered among the dict's allocations, and the benchmark would time
    that (3-5% slower in A/Bs on the held-out text) instead of what users run."""
    import gzip
    import importlib
    import json

    model_mod = importlib.import_module("diacritics.model")
    restore_mod = importlib.import_module("diacritics.restore")
    if isinstance(model, dict):
        data = model
    else:
        with gzip.open(model, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    for setting in settings or ():  # "model.NAME=VALUE": a diacritics.model constant
        name, value = setting.split("=")
        if name.startswith("model."):
            name = name.removeprefix("model.")
            setattr(model_mod, name, _typed(getattr(model_mod, name), value))
    dev = model_mod.Model(data)
    if as_loaded:
        import pickle

        dev = pickle.loads(pickle.dumps(dev, protocol=pickle.HIGHEST_PROTOCOL))
    restore_mod.load_model = lambda *a, **k: dev  # type: ignore[assignment]
    for setting in settings or ():  # "NAME=VALUE": a diacritics.restore constant
        name, value = setting.split("=")
        if not name.startswith("model."):
            setattr(restore_mod, name, _typed(getattr(restore_mod, name), value))
    restore_mod.set_trigram_pass(True)


def compare(truth: str, restored: str, errors: list[tuple[str, str, str, str]]) -> tuple[int, int]:
    ok = total = 0
    for t_line, r_line in zip(truth.split("\n"), restored.split("\n"), strict=False):
        t_tok = TOKEN_RE.findall(t_line)
        r_tok = TOKEN_RE.findall(r_line)
        if len(t_tok) != len(r_tok):
            pairs = []
            for op in Levenshtein.opcodes(t_tok, r_tok):
                if op.tag in ("equal", "replace"):
                    pairs.extend(zip(range(op.src_start, op.src_end), r_tok[op.dest_start : op.dest_end], strict=False))
        else:
            pairs = list(enumerate(r_tok))
        total += sum(1 for t in t_tok if is_word(t))
        for k, r in pairs:
            t = t_tok[k]
            if not is_word(t):
                continue
            if t == r:
                ok += 1
            else:
                left = " ".join(t_tok[max(0, k - 3) : k])
                right = " ".join(t_tok[k + 1 : k + 4])
                errors.append((t, r, left, right))
    return ok, total


def evaluate(scope: str = "doc", page_words: int = 0) -> tuple[int, int, list, dict[str, tuple[int, int]], float]:
    """Restore the dev documents with the current model: (right, total, errors, per folder
    (right, total), syllables per CPU second)."""
    import importlib

    restore_mod = importlib.import_module("diacritics.restore")
    paths = dev_files()
    docs = dev_documents()
    folders = [p.parent.name for p in paths]
    if page_words or scope == "page":
        docs = [paginate(doc, page_words or 300) for doc in docs]
    if scope == "all":
        docs, folders = ["\n".join(docs)], ["all"]
    ok = total = 0
    errors: list[tuple[str, str, str, str]] = []
    by_folder: dict[str, tuple[int, int]] = {}
    start = time.process_time()
    for doc, folder in zip(docs, folders, strict=True):
        stripped = "\n".join(strip_marks(line) for line in doc.split("\n"))
        if scope == "page":
            out = "\f".join(restore_mod.restore(page) for page in stripped.split("\f"))
        else:
            out = restore_mod.restore(stripped)
        a, b = compare(doc, out, errors)
        ok += a
        total += b
        fa, fb = by_folder.get(folder, (0, 0))
        by_folder[folder] = (fa + a, fb + b)
    return ok, total, errors, by_folder, total / (time.process_time() - start)


def learning_curve(fractions: list[float], folders: str) -> list[dict]:
    """Dev accuracy of models built on growing shares of the training words (dev files left
    out, OCR channel of the shipped model), each share a fixed set of whole documents."""
    from tools.build_diacritics_model import MODEL_PATH, build, training_files
    from tools.corpus import CORPUS_DIRS

    chosen = tuple(p for p in CORPUS_DIRS if p.name in folders.split(","))
    rows = []
    for fraction in fractions:
        files = training_files(DEV_PREFIXES, fraction, chosen)
        words = sum(len(" ".join(clean_markdown(p.read_text(encoding="utf-8"))).split()) for p in files)
        use_model(build(0, 1, dev_prefixes=DEV_PREFIXES, confusions_from=MODEL_PATH, train_fraction=fraction, folders=chosen))
        ok, total, errors, by_folder, speed = evaluate()
        row = {"fraction": fraction, "folders": folders, "files": len(files), "words": words,
               "accuracy": ok / total, "errors": len(errors),
               **{f"accuracy_{k}": a / b for k, (a, b) in by_folder.items()}}
        print(" ".join(f"{k}={v:.4%}" if k.startswith("accuracy") else f"{k}={v}" for k, v in row.items()), flush=True)
        rows.append(row)
    return rows


def ocr_dev(n_pages: int, workers: int) -> None:
    """English-OCR pages of dev text (cached in bench/cache/ocr_dev.jsonl): CER before and after
    restoration with the current model, and the residual word errors by kind."""
    import importlib
    import random

    from bench.diacritics_bench import cer, error_kinds
    from tools.corpus import REPO_ROOT
    from tools.ocr_sim import ocr_pages

    restore_mod = importlib.import_module("diacritics.restore")
    paras = [para for path in dev_files() for para in clean_markdown(path.read_text(encoding="utf-8"))]
    random.Random(13).shuffle(paras)
    pages = ocr_pages(paras, REPO_ROOT / "bench" / "cache" / "ocr_dev.jsonl", max_pages=n_pages, workers=workers)
    truth = ["\n".join(p["truth"]) for p in pages]
    size = sum(map(len, truth))
    raw = sum(cer(t, p["ocr"]) * len(t) for t, p in zip(truth, pages, strict=True)) / size
    start = time.process_time()
    outs = [restore_mod.restore(p["ocr"]) for p in pages]
    secs = time.process_time() - start
    after = sum(cer(t, o) * len(t) for t, o in zip(truth, outs, strict=True)) / size
    kinds: dict[str, int] = {}
    for t, o in zip(truth, outs, strict=True):
        for k, v in error_kinds(t, o).items():
            kinds[k] = kinds.get(k, 0) + v
    print(f"dev OCR: {len(pages)} pages, CER {raw:.2%} -> {after:.2%} ({secs:.1f} CPU s); word errors {kinds}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=DEV_MODEL)
    ap.add_argument("--scope", choices=("doc", "all", "page"), default="doc")
    ap.add_argument("--page-words", type=int, default=0, help="cut documents into pages of about N words")
    ap.add_argument("--set", action="append", default=[], help="NAME=VALUE: a restore.py constant (model.NAME=VALUE: model.py)")
    ap.add_argument("--errors", type=Path, default=None)
    ap.add_argument("--curve", default="", help="learning curve: percentages of the training words, e.g. 25,50,75,100")
    ap.add_argument("--folders", default="legal,legal_extra", help="corpus folders the curve's models are built on")
    ap.add_argument("--ocr-pages", type=int, default=0, help="score English-OCR dev pages instead (renders and caches them)")
    ap.add_argument("--workers", type=int, default=1, help="processes rendering and OCR-ing pages")
    args = ap.parse_args(argv)
    if args.curve:
        learning_curve([float(x) / 100 for x in args.curve.split(",")], args.folders)
        return
    use_model(args.model, args.set)
    if args.ocr_pages:
        ocr_dev(args.ocr_pages, args.workers)
        return
    ok, total, errors, by_folder, speed = evaluate(args.scope, args.page_words)
    folders = " ".join(f"{k} {a / b:.4%}" for k, (a, b) in by_folder.items())
    print(f"{' '.join(args.set)} dev {args.scope}: {ok / total:.4%} of {total} syllables, {len(errors)} errors, "
          f"{speed:.0f} syl/s ({folders})")
    if args.errors:
        args.errors.write_text("".join("\t".join(e) + "\n" for e in errors), encoding="utf-8")


if __name__ == "__main__":
    main()
