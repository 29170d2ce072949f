"""Tuning harness for the restorer on the dev split (never on the held-out files).

Run: `python -m bench.diacritics_dev [--model PATH] [--scope doc|all|page] [--page-words N] [--errors FILE]`.
The model at PATH must be built with `python -m tools.build_diacritics_model --dev-prefixes 345
--confusions-from diacritics/vi_model.json.gz --out PATH`, so the dev files (names starting
3, 4 or 5) are unseen.  Each dev document is stripped of its marks and restored in one call
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
from tools.corpus import CORPUS_DIR, clean_markdown

DEV_PREFIXES = "345"
DEV_MODEL = Path("/tmp/dev_model.json.gz")


def dev_documents() -> list[str]:
    docs = []
    for path in sorted(CORPUS_DIR.glob("*.md")):
        if path.name[:1] in DEV_PREFIXES:
            docs.append("\n".join(clean_markdown(path.read_text(encoding="utf-8"))))
    return docs


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


def use_model(path: Path, settings: list[str] | None = None) -> None:
    """Point the restorer at a dev model (the shipped file was built with the dev files)."""
    import gzip
    import importlib
    import json

    model_mod = importlib.import_module("diacritics.model")
    restore_mod = importlib.import_module("diacritics.restore")
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        dev = model_mod.Model(json.load(fh))
    restore_mod.load_model = lambda *a, **k: dev  # type: ignore[assignment]
    for setting in settings or ():
        name, value = setting.split("=")
        setattr(restore_mod, name, type(getattr(restore_mod, name))(value))
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


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", type=Path, default=DEV_MODEL)
    ap.add_argument("--scope", choices=("doc", "all", "page"), default="doc")
    ap.add_argument("--page-words", type=int, default=0, help="cut documents into pages of about N words")
    ap.add_argument("--set", action="append", default=[], help="NAME=VALUE: a restore.py constant")
    ap.add_argument("--errors", type=Path, default=None)
    args = ap.parse_args(argv)
    use_model(args.model, args.set)
    import importlib

    restore_mod = importlib.import_module("diacritics.restore")

    docs = dev_documents()
    if args.page_words or args.scope == "page":
        docs = [paginate(doc, args.page_words or 300) for doc in docs]
    if args.scope == "all":
        docs = ["\n".join(docs)]
    ok = total = 0
    errors: list[tuple[str, str, str, str]] = []
    start = time.process_time()
    for doc in docs:
        stripped = "\n".join(strip_marks(line) for line in doc.split("\n"))
        if args.scope == "page":
            out = "\f".join(restore_mod.restore(page) for page in stripped.split("\f"))
        else:
            out = restore_mod.restore(stripped)
        a, b = compare(doc, out, errors)
        ok += a
        total += b
    secs = time.process_time() - start
    print(f"{' '.join(args.set)} dev {args.scope}: {ok / total:.4%} of {total} syllables, {len(errors)} errors, {total / secs:.0f} syl/s")
    if args.errors:
        args.errors.write_text("".join("\t".join(e) + "\n" for e in errors), encoding="utf-8")


if __name__ == "__main__":
    main()
