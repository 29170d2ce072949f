"""Build `ocr/syllable_pairs.tsv.gz`, the syllable counts `ocr.word_choice` ranks tesseract's alternatives by.

Run: `python -m tools.build_pair_lexicon` (a few seconds; byte-reproducible).

Source: the training side of `data/corpus/legal/` only (`tools.corpus.iter_paragraphs(held_out=False,
folders=(CORPUS_DIR,))`: the counts shipped were built before `legal_extra/` was vendored, and
the OCR benchmark was measured with them),
never the held-out files the benchmarks read).  Not the clean seed dump 001: the OCR benchmark's
pages and the test PDFs are typeset from its sentences (`tools/pdfgen/spec_dongnai.py`), so
counting it would score the choice on text it has seen.  Only running text
counts: a pair is two letter-only syllables with nothing but a space between them, so a comma,
a bracket or a number ends the context (cells and list items are cut the same way when read).
"""

from __future__ import annotations

import argparse
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from tools.reproducible import write_gzip_lines

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "ocr" / "syllable_pairs.tsv.gz"

_OPEN = re.compile(r"^[\"'“”‘’(\[]+")
_CLOSE = re.compile(r"[\"'“”‘’)\].,;:!?…]+$")


def syllable(token: str) -> str | None:
    """`token` lower-cased (NFC) when it is one syllable of letters, else None."""
    token = unicodedata.normalize("NFC", token).lower()
    return token if token.isalpha() else None


def count(paragraphs: Iterable[str]) -> tuple[Counter, Counter]:
    """Syllable and adjacent-pair counts of running text."""
    uni: Counter = Counter()
    bi: Counter = Counter()
    for para in paragraphs:
        prev: str | None = None
        for raw in para.split():
            core = _OPEN.sub("", raw)
            opened = core != raw
            bare = _CLOSE.sub("", core)
            closed = bare != core
            syl = syllable(bare) if bare else None
            if syl is not None:
                uni[syl] += 1
                if prev is not None and not opened:
                    bi[prev, syl] += 1
            prev = syl if syl is not None and not closed else None
    return uni, bi


def write(uni: Counter, bi: Counter, out: Path) -> None:
    """One line per syllable ("syl<TAB>n") then per pair ("a b<TAB>n"), sorted; gzip without a timestamp."""
    lines = [f"{s}\t{n}" for s, n in sorted(uni.items())]
    lines += [f"{a} {b}\t{n}" for (a, b), n in sorted(bi.items())]
    write_gzip_lines(out, lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from tools.corpus import CORPUS_DIR, iter_paragraphs

    uni, bi = count(iter_paragraphs(held_out=False, folders=(CORPUS_DIR,)))
    write(uni, bi, args.out)
    print(f"{len(uni)} syllables, {len(bi)} pairs, {sum(uni.values())} tokens -> {args.out} "
          f"({args.out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
