"""Training/evaluation text for the restorer: corpus cleaning and the fixed hold-out rule.

The legal corpus is a markdown crawl (table cells split by `|` lines, `**` bold, hard-wrapped
lines).  The model must learn from running sentences, so we strip the markup and join wrapped
lines into paragraphs.  Part of the corpus is held out by a fixed rule on the file name so the
benchmark measures text the model never saw.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = REPO_ROOT / "data" / "corpus" / "legal"
CLEAN_SEED = REPO_ROOT / "data" / "raw" / "seeds" / "001_0dfc435017dae436.txt"

#: Files whose name starts with one of these hex digits are never used to build the model.
HELD_OUT_PREFIXES = ("0", "1", "2")

_MARKUP = re.compile(r"\*\*|\*|#+|\|")
_RULE_LINE = re.compile(r"^\s*[-=_|\s]*$")


def is_held_out(path: Path) -> bool:
    """Fixed hold-out rule: first hex digit of the file name in 0-2."""
    return path.name[:1].lower() in HELD_OUT_PREFIXES


def corpus_files(held_out: bool) -> list[Path]:
    """Corpus files on one side of the split, sorted for determinism."""
    return sorted(p for p in CORPUS_DIR.glob("*.md") if is_held_out(p) == held_out)


def clean_markdown(text: str) -> list[str]:
    """Markdown crawl -> list of paragraphs (markup dropped, wrapped lines joined).

    Lines made only of `|`, dashes or blanks end a paragraph: in the crawl they separate
    table cells, and joining across them would invent word pairs that never occur.
    """
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in text.splitlines():
        if _RULE_LINE.match(raw) or raw.strip() in {"|", ""}:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        line = _MARKUP.sub(" ", raw)
        line = re.sub(r"\s+", " ", line).strip()
        if line:
            current.append(line)
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def iter_paragraphs(held_out: bool) -> Iterator[str]:
    """Cleaned paragraphs of one side of the corpus split."""
    for path in corpus_files(held_out):
        yield from clean_markdown(path.read_text(encoding="utf-8"))


def seed_paragraphs() -> list[str]:
    """The clean seed dump (001): real OCR text of a CCHC plan with correct marks."""
    if not CLEAN_SEED.exists():
        return []
    text = CLEAN_SEED.read_text(encoding="utf-8")
    return [re.sub(r"\s+", " ", ln).strip() for ln in text.splitlines() if ln.strip()]
