"""Appendix task tables read back from generated layouts: task rows F1, lead agency and deadline accuracy.

Run: `python -m bench.tasks_bench [--variants a,b] [--sources text,scan300,scan200] [--held-out]
[--no-cache]`. Prints one table per split (dev, held-out) and saves bench/results/tasks.json.

Each variant of `tools.appendix_tables` (a seed's labelled rows typeset in one column layout over
many pages) is read as a text-layer PDF, a 300 dpi and a 200 dpi scan (`scan_pdf` quality "noisy":
skew <= 2°, blur, noise, JPEG; as `make bench-parse` makes them) and, on request, `scan200hard`
(quality "hard": 200 dpi, 3° skew, low contrast, a seal over the table, stronger noise) and
`scan300harsh` / `scan200harsh` (quality "harsh": 1-2° skew, hard's noise, blur and JPEG, a seal
over the table), through the same stages as `pipeline ingest` (`ocr.read_document`, restoration,
`parsers.tasks.extract_tasks`), and scored with `pipeline.evaluate.score` (CONTRACT.md matching).
OCR'd pages are cached under bench/cache/tasks/ keyed by the PDF's bytes and the ocr/ and
diacritics/ sources, so parser work re-scores in seconds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import ocr
from pipeline.evaluate import score
from pipeline.process import Stage, read_and_restore
from schema.document import Page
from tools.appendix_tables import VARIANTS, Variant, build_variant_pdf, gold_document
from tools.pdfgen.pdf_scan import scan_pdf

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / "cache" / "tasks"
RESULTS = ROOT / "bench" / "results" / "tasks.json"
SOURCES = {"text": None, "scan300": ("noisy", 300), "scan200": ("noisy", 200), "scan200hard": ("hard", 200),
           "scan300harsh": ("harsh", 300), "scan200harsh": ("harsh", 200)}
DEFAULT_SOURCES = "text,scan300,scan200"
METRICS = ("tasks_f1", "tasks_precision", "tasks_recall", "task_lead_agency_accuracy", "task_deadline_accuracy")


def _code_hash() -> str:
    h = hashlib.sha256()
    for pkg in ("ocr", "diacritics", "schema"):
        for f in sorted((ROOT / pkg).rglob("*.py")):
            h.update(f.read_bytes())
    return h.hexdigest()[:12]


def source_pdf(v: Variant, source: str) -> Path:
    """The variant's PDF for one source (built once; scans seeded by the variant name)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    digital = CACHE / f"{v.name}.pdf"
    if not digital.exists():
        build_variant_pdf(v, digital)
    if SOURCES[source] is None:
        return digital
    quality, dpi = SOURCES[source]
    scanned = CACHE / f"{v.name}_{source}.pdf"
    if not scanned.exists():
        seed = int(hashlib.sha256(v.name.encode()).hexdigest()[:6], 16)
        scan_pdf(digital, scanned, quality=quality, seed=seed, stamp=False, dpi=dpi)
    return scanned


def read_pages(pdf: Path, use_cache: bool) -> tuple[list[Page], float]:
    key = hashlib.sha256(pdf.read_bytes()).hexdigest()[:12] + "_" + _code_hash()
    cached = CACHE / f"{pdf.stem}.{key}.pages.json"
    if use_cache and cached.exists():
        return [Page.model_validate(p) for p in json.loads(cached.read_text())], 0.0
    start = time.process_time()
    pages = read_and_restore(ocr.read_document(str(pdf)), Stage("read"))
    cpu = time.process_time() - start
    cached.write_text(json.dumps([p.model_dump(mode="json") for p in pages]))
    return pages, cpu


def run_one(v: Variant, source: str, use_cache: bool) -> dict[str, float]:
    from parsers.tasks import extract_tasks

    pdf = source_pdf(v, source)
    pages, cpu = read_pages(pdf, use_cache)
    tasks = extract_tasks(pages, "bench", []).tasks
    predicted = {pdf.name: {"header": {}, "areas": [], "targets": [],
                            "tasks": [t.model_dump(mode="json") for t in tasks]}}
    m = score([gold_document(v, pdf.name)], predicted)
    out = {k: round(m[k], 3) for k in METRICS}
    out.update(rows=len(tasks), gold_rows=len(gold_document(v, pdf.name)["tasks"]["rows"]), pages=len(pages),
               ocr_cpu_s=round(cpu, 1))
    return out


def _table(title: str, results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = [f"## {title}", "| variant | source | rows / gold | tasks F1 | lead | deadline |", "|---|---|---|---|---|---|"]
    for name, by_source in results.items():
        for source, m in by_source.items():
            lines.append(f"| {name} | {source} | {m['rows']} / {m['gold_rows']} | {m['tasks_f1']:.3f} | "
                         f"{m['task_lead_agency_accuracy']:.3f} | {m['task_deadline_accuracy']:.3f} |")
    for source in SOURCES:
        ms = [by[source] for by in results.values() if source in by]
        if ms:
            mean = {k: sum(m[k] for m in ms) / len(ms) for k in METRICS}
            lines.append(f"| **mean** | {source} | | {mean['tasks_f1']:.3f} | "
                         f"{mean['task_lead_agency_accuracy']:.3f} | {mean['task_deadline_accuracy']:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", help="comma-separated variant names (default: every dev variant)")
    ap.add_argument("--sources", default=DEFAULT_SOURCES, help=f"any of {', '.join(SOURCES)}")
    ap.add_argument("--held-out", action="store_true", help="also (or with --variants, only) the held-out split")
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args(argv)
    chosen = [v for v in VARIANTS if (v.name in args.variants.split(",") if args.variants
                                      else (not v.held_out or args.held_out))]
    results: dict[str, dict[str, dict[str, dict[str, float]]]] = {"dev": {}, "held_out": {}}
    for v in chosen:
        split = "held_out" if v.held_out else "dev"
        for source in args.sources.split(","):
            m = run_one(v, source, not args.no_cache)
            results[split].setdefault(v.name, {})[source] = m
            print(v.name, source, m, flush=True)
    for split, title in (("dev", "dev (tuned on)"), ("held_out", "held-out (never tuned on)")):
        if results[split]:
            print(_table(title, results[split]))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    for split in results:
        for name, by in results[split].items():
            previous.setdefault(split, {}).setdefault(name, {}).update(by)
    RESULTS.write_text(json.dumps(previous, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
