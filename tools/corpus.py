"""Training/evaluation text for the restorer: corpus cleaning and the fixed split.

The legal corpus is a markdown crawl (table cells split by `|` lines, `**` bold, hard-wrapped
lines).  The model must learn from running sentences, so we strip the markup and join wrapped
lines into paragraphs.  Part of the corpus is held out by a fixed rule on the file name so the
benchmark measures text the model never saw.

The split (fixed before any score was looked at; the same rule in every corpus folder):
- held out: file name starts with 0, 1 or 2 (the benchmark's text; never built on, never tuned on);
- dev: file name starts with 3, 4 or 5 (tuning and the learning curve run on models built
  without them, `--dev-prefixes 345`; the shipped model is built with them);
- train: every other file.

`python -m tools.corpus vendor SRC DEST` copies a folder of the crawl into the repository with
the crawl's own page chrome cut off (`strip_crawl_chrome`): the metadata block before the
issuing body's name and the site's trailer after the signature.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterator
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS_ROOT = REPO_ROOT / "data" / "corpus"
CORPUS_DIR = CORPUS_ROOT / "legal"
#: The corpus folders, in order: `legal/` (150 documents) and `legal_extra/` (205 more).
CORPUS_DIRS = (CORPUS_DIR, CORPUS_ROOT / "legal_extra")
CLEAN_SEED = REPO_ROOT / "data" / "raw" / "seeds" / "001_0dfc435017dae436.txt"

#: Files whose name starts with one of these hex digits are never used to build the model.
HELD_OUT_PREFIXES = ("0", "1", "2")
#: Files whose name starts with one of these are the dev split (left out of dev models only).
DEV_PREFIXES = "345"

_MARKUP = re.compile(r"\*\*|\*|#+|\|")
_RULE_LINE = re.compile(r"^\s*[-=_|\s]*$")


def is_held_out(path: Path) -> bool:
    """Fixed hold-out rule: first hex digit of the file name in 0-2."""
    return path.name[:1].lower() in HELD_OUT_PREFIXES


def is_dev(path: Path) -> bool:
    """Fixed dev rule: first hex digit of the file name in 3-5."""
    return path.name[:1].lower() in DEV_PREFIXES


def corpus_files(held_out: bool, folders: tuple[Path, ...] = CORPUS_DIRS) -> list[Path]:
    """Corpus files on one side of the hold-out split, folder by folder, sorted for determinism."""
    return [p for folder in folders for p in sorted(folder.glob("*.md")) if is_held_out(p) == held_out]


def dev_files(folders: tuple[Path, ...] = CORPUS_DIRS) -> list[Path]:
    """The dev split: training-side files that dev models leave out."""
    return [p for p in corpus_files(False, folders) if is_dev(p)]


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


#: The last line of the crawl's metadata block ("**Tình trạng:**", then its value).
_STATUS_LINE = re.compile(r"^[\s*]*Tình trạng:[\s*]*$")
#: First line of the site's trailer, right after the document's title repeated as a summary.
_TRAILER_LINE = re.compile(r"^(Văn bản này chưa cập nhật nội dung Tiếng Anh|## Văn bản liên quan)\s*$")
_BLANK = re.compile(r"^[\s|*]*$")


def strip_crawl_chrome(text: str) -> str:
    """A crawled page without the site's chrome: everything up to the metadata block's last
    value ("Tình trạng:" then "Đã biết") is dropped, so the text opens with the issuing body's
    name; from the summary line before "Văn bản này chưa cập nhật nội dung Tiếng Anh" (or from
    "## Văn bản liên quan") on, the site's trailer is dropped.  Pages without that chrome come
    back unchanged."""
    lines = text.split("\n")
    start = 0
    for i, line in enumerate(lines[:200]):
        if _STATUS_LINE.match(line):
            j = i + 1
            while j < len(lines) and _BLANK.match(lines[j]):
                j += 1
            start = j + 1  # skip the status value too
            break
    end = len(lines)
    for i in range(start, len(lines)):
        if _TRAILER_LINE.match(lines[i]):
            end = i
            if lines[i].startswith("Văn bản này"):
                k = i - 1  # the document's title, repeated by the site as a summary
                while k > start and _BLANK.match(lines[k]):
                    k -= 1
                end = k
            break
    body = lines[start:end]
    while body and _BLANK.match(body[0]):
        body.pop(0)
    return "\n".join(body).rstrip() + "\n"


def iter_paragraphs(held_out: bool, folders: tuple[Path, ...] = CORPUS_DIRS) -> Iterator[str]:
    """Cleaned paragraphs of one side of the corpus split (of `folders`, every corpus folder by default)."""
    for path in corpus_files(held_out, folders):
        yield from clean_markdown(path.read_text(encoding="utf-8"))


def seed_paragraphs() -> list[str]:
    """The clean seed dump (001): real OCR text of a CCHC plan with correct marks."""
    if not CLEAN_SEED.exists():
        return []
    text = CLEAN_SEED.read_text(encoding="utf-8")
    return [re.sub(r"\s+", " ", ln).strip() for ln in text.splitlines() if ln.strip()]


def vendor(src: Path, dest: Path) -> int:
    """Copy every `*.md` of `src` into `dest` with the crawl chrome stripped; returns the count."""
    dest.mkdir(parents=True, exist_ok=True)
    n = 0
    for path in sorted(src.glob("*.md")):
        (dest / path.name).write_text(strip_crawl_chrome(path.read_text(encoding="utf-8")), encoding="utf-8")
        n += 1
    return n


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    vp = sub.add_parser("vendor", help="copy a crawl folder into data/corpus/, chrome stripped")
    vp.add_argument("src", type=Path)
    vp.add_argument("dest", type=Path)
    args = ap.parse_args(argv)
    print(f"vendored {vendor(args.src, args.dest)} files into {args.dest}")


if __name__ == "__main__":
    main()
