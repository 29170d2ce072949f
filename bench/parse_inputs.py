"""Inputs of `make bench-parse`: each case as a text-layer PDF, 300 and 200 dpi scans and an OCR text dump,
and the pages the OCR stage reads from them, all cached under bench/cache/parse/.

Inputs are made again when the case's gold or variation changes, or with `--rescan` (after a change to
the drawing or scanning code, which leaves them valid renderings of the same gold). Read pages are keyed by the input's bytes and the OCR stage's source
(ocr/**/*.py and its model files): a parser change re-parses in seconds, an OCR change re-reads.
The dump imitates the seeds' dumps: the 300 dpi scan read by tesseract's English model, one text
block per page (`--psm 6`, which runs the letterhead columns together), pages joined by form feeds.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from bench.parse_cases import Case
from schema.document import Page

REPO = Path(__file__).resolve().parents[1]
CACHE = REPO / "bench" / "cache" / "parse"
SOURCES = ("text_layer", "scan300", "scan200", "dump")
_SUFFIX = {"text_layer": "_text.pdf", "scan300": "_s300.pdf", "scan200": "_s200.pdf", "dump": "_dump.txt"}


def _tree_hash(folder: Path, patterns: tuple[str, ...]) -> str:
    h = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(folder.glob(pattern)):
            h.update(path.relative_to(REPO).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def input_key(case: Case) -> str:
    """Changes when what the case says changes (its gold and variation); a change to the drawing or scanning
    code alone does not redo the inputs (they stay valid renderings of the same gold): `--rescan` does."""
    gold = json.dumps(case.spec().gold(""), ensure_ascii=False, sort_keys=True, default=str)
    extras = case.variation.extras()  # later switches, outside repr(): earlier cases keep their keys
    return hashlib.sha256((gold + repr(case) + (repr(extras) if extras else "")).encode()).hexdigest()[:12]


def ocr_key() -> str:
    """Changes when the OCR stage (code or shipped models) changes."""
    return _tree_hash(REPO / "ocr", ("**/*.py", "*.npz", "*.gz", "*.tsv"))


def input_paths(case: Case) -> dict[str, Path]:
    return {src: CACHE / "inputs" / f"{case.name}{_SUFFIX[src]}" for src in SOURCES}


def _stamp_text(case: Case) -> str:
    return " ".join(case.spec().issuer.lines)


def english_dump(scan: Path, dst: Path) -> Path:
    """What an English-model OCR of the scan gives, as the seeds' dumps were made (pages split by \\f)."""
    import pytesseract

    from tools.pdfgen.pdf_scan import render_pages

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    pages = [pytesseract.image_to_string(img, lang="eng", config="--psm 6") for img in render_pages(scan, 300)]
    dst.write_text("\f".join(p.strip("\n") for p in pages) + "\n", encoding="utf-8")
    return dst


def materialise(case: Case, rescan: bool = False, sources: tuple[str, ...] = SOURCES) -> dict[str, Path]:
    """Make (or reuse) the case's inputs for `sources` (the dump needs the 300 dpi scan); returns source -> path."""
    from tools.pdfgen.pdf_scan import scan_pdf
    from tools.pdfgen.pdf_variety import layout_variety

    paths = input_paths(case)
    key_file = CACHE / "inputs" / f"{case.name}.key"
    key = input_key(case)
    if rescan or not key_file.exists() or key_file.read_text() != key:
        for p in paths.values():
            p.unlink(missing_ok=True)
    needed = set(sources) | ({"scan300"} if "dump" in sources else set())
    if all(paths[s].exists() for s in needed):
        return paths
    paths["text_layer"].parent.mkdir(parents=True, exist_ok=True)
    if not paths["text_layer"].exists():
        layout_variety(case.spec(), paths["text_layer"])
    seed = int(hashlib.sha256(case.name.encode()).hexdigest()[:6], 16)
    for src, dpi in (("scan300", 300), ("scan200", 200)):
        if src in needed and not paths[src].exists():
            scan_pdf(paths["text_layer"], paths[src], "noisy", seed=seed + dpi, stamp=case.variation.stamp, dpi=dpi,
                     stamp_text=_stamp_text(case))
    if "dump" in needed and not paths["dump"].exists():
        english_dump(paths["scan300"], paths["dump"])
    key_file.write_text(key)
    return paths


def gold_for(case: Case, source: str) -> dict:
    """The case's gold, tied to the input file of one source."""
    return case.spec().gold(input_paths(case)[source].name)


def read_pages(path: Path, key: str) -> list[Page]:
    """The OCR stage's pages of one input (cached by file content and OCR version)."""
    import ocr

    sha = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    cached = CACHE / "pages" / f"{sha}_{key}.json"
    if cached.exists():
        return [Page.model_validate(p) for p in json.loads(cached.read_text(encoding="utf-8"))]
    pages = list(ocr.read_document(path))
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_suffix(".tmp")
    tmp.write_text(json.dumps([p.model_dump(mode="json") for p in pages], ensure_ascii=False), encoding="utf-8")
    tmp.replace(cached)
    return pages


def prepare(case: Case, sources: tuple[str, ...], key: str, rescan: bool = False) -> str:
    """Worker job: make the inputs and read them once, so the cache holds everything the scoring needs."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    paths = materialise(case, rescan, sources)
    for src in sources:
        read_pages(paths[src], key)
    return case.name
