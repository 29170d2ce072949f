"""Parsing benchmark on plans never seen (issue 16): `make bench-parse`.

Run: `python -m bench.parse_bench [--quick] [--split dev|held_out|all] [--sources text_layer,scan300,...]
[--workers N]`. Prints per-source and per-variation tables for the dev and held-out splits, the seeds'
scores beside them, and saves bench/results/parse.json (`--quick`: parse_quick.json).

What runs: every case of `bench.parse_cases` (a content of the seeds printed with one layout variation
by `tools.pdfgen.variety`) as a text-layer PDF, a 300 dpi scan, a 200 dpi scan (skew up to 2°, noise,
JPEG, red seal over the signature) and an English-model OCR text dump; each goes through the real
stages (`ocr.read_document`, `diacritics` restoration, `parsers.parse_plan` via `pipeline.process`)
into a DuckDB file, and is scored with `pipeline.evaluate` against the gold the generator wrote from
the same spec. The seeds (data/raw/seeds) are ingested and scored the same way against tests/gold.
OCR output is cached (bench/cache/parse/, keyed by input bytes and the OCR stage's source), so
re-running after a parser change costs seconds; a first run OCRs ~200 pages (~10 min on 2 cores).

The split is fixed in `bench/parse_cases.py`: tune on dev only; the done-when is judged on held-out.
`value_checks` gives the right/wrong verdict of every gold value (for calibration tables, issue 20).
`--quick`: dev cases only, text layer and 300 dpi scans.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from bench.parse_cases import DEV, HELD_OUT, HELD_OUT_2, Case
from bench.parse_inputs import CACHE, SOURCES, gold_for, input_paths, ocr_key, prepare, read_pages
from bench.parse_values import value_checks
from pipeline.evaluate import load_predictions, score

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
SEEDS = REPO / "data" / "raw" / "seeds"
GOLD = REPO / "tests" / "gold"
METRICS = (("header", "header_accuracy"), ("areas", "areas_f1"), ("targets", "targets_f1"),
           ("tasks", "tasks_f1"), ("lead", "task_lead_agency_accuracy"), ("deadline", "task_deadline_accuracy"))
DONE_WHEN = {  # issue 16, held-out split
    "text_layer": {"header": 0.97, "areas": 0.98, "targets": 0.95, "tasks": 0.95, "lead": 0.95, "deadline": 0.95},
    "scan300": {"header": 0.97, "areas": 0.98, "targets": 0.95, "tasks": 0.95, "lead": 0.95, "deadline": 0.95},
    "scan200": {"tasks": 0.92},
}
VARIATION_FIELDS = ("mode", "issuer", "letterhead", "columns", "table_landscape", "font", "content",
                    "header_repeat", "sections", "area_order", "deadlines", "agencies")


def parse_one(path: Path, key: str):
    """Worker job: the real stages after reading (restoration, parsing) on the cached pages of one input."""
    import hashlib

    from pipeline.process import Stage, finish, guarded, read_and_restore

    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    pages = read_pages(path, key)
    restored = read_and_restore(iter(pages), Stage("read"))
    return guarded(str(path), sha, "parse", lambda: finish(str(path), sha, restored))


def _pool_map(fn, jobs: list[tuple], workers: int) -> list:
    if workers <= 1:
        return [fn(*j) for j in jobs]
    with ProcessPoolExecutor(workers) as pool:
        futures = [pool.submit(fn, *j) for j in jobs]
        return [f.result() for f in futures]


def ingest_inputs(paths: list[Path], db: Path, key: str, workers: int) -> dict[str, dict]:
    """Parse every input and store it in a fresh DuckDB file; returns the predictions by file name."""
    from pipeline.ingest import IngestSummary, store_result
    from schema.store import Store

    for stale in (db, db.with_name(db.name + ".wal")):
        stale.unlink(missing_ok=True)
    results = _pool_map(parse_one, [(p, key) for p in paths], workers)
    summary = IngestSummary()
    with Store(db) as store:
        for result in results:
            store_result(result, store, CACHE / "parsed", summary)
    return load_predictions(db)


def _row(metrics: dict[str, float]) -> dict[str, float]:
    return {name: round(metrics.get(key, 0.0), 4) for name, key in METRICS} | {
        "documents": int(metrics.get("gold_files", 0))}


def _variation_value(case: Case, field: str) -> str:
    if field == "content":
        return case.content
    return str(getattr(case.variation, field))


def score_groups(cases: Iterable[Case], sources: tuple[str, ...], preds: dict[str, dict]) -> dict:
    """Per source, and per source within every variation value: the pipeline.evaluate metrics."""
    cases = list(cases)
    out: dict = {"by_source": {}, "by_variation": {}}
    for src in sources:
        golds = [gold_for(c, src) for c in cases]
        out["by_source"][src] = _row(score(golds, preds))
    for field in VARIATION_FIELDS:
        for value in sorted({_variation_value(c, field) for c in cases}):
            group = [c for c in cases if _variation_value(c, field) == value]
            out["by_variation"][f"{field}={value}"] = {
                src: _row(score([gold_for(c, src) for c in group], preds)) for src in sources}
    return out


def score_seeds(key: str, workers: int) -> dict[str, float]:
    """The four seed dumps, ingested and scored like the generated cases."""
    seeds = sorted(SEEDS.glob("*.txt"))
    preds = ingest_inputs(seeds, CACHE / "seeds.duckdb", key, workers)
    golds = [json.loads((GOLD / f"{p.stem}.json").read_text(encoding="utf-8")) for p in seeds]
    return _row(score(golds, preds))


def wrong_values(cases: Iterable[Case], sources: tuple[str, ...], preds: dict[str, dict],
                 limit: int = 25) -> dict[str, list[list]]:
    """Per input file, the gold values it got wrong (kind, key, gold, predicted), at most `limit` each."""
    out: dict[str, list[list]] = {}
    for case in cases:
        for src in sources:
            gold = gold_for(case, src)
            bad = [[c.kind, c.key, c.gold, c.pred] for c in value_checks(gold, preds.get(gold["source"])) if not c.ok]
            if bad:
                out[gold["source"]] = bad[:limit]
    return out


def _fmt(v: float) -> str:
    return f"{v:.3f}"


def print_split(name: str, result: dict, seeds: dict | None) -> None:
    """Per-source table with the done-when marks, then tasks/header per variation value."""
    print(f"\n== {name}: per source ==")
    print(f"{'source':12s} " + " ".join(f"{m:>8s}" for m, _ in METRICS) + "  docs")
    for src, row in result["by_source"].items():
        marks = " ".join(
            f"{_fmt(row[m])}{'*' if row[m] < DONE_WHEN.get(src, {}).get(m, 0) else ' '}".rjust(8)
            for m, _ in METRICS)
        print(f"{src:12s} {marks}  {row['documents']}")
    if seeds is not None:
        print(f"{'seeds':12s} " + " ".join(_fmt(seeds[m]).rjust(8) for m, _ in METRICS) + f"  {seeds['documents']}")
    print("(* below the issue-16 done-when for that source)")
    srcs = list(result["by_source"])
    print(f"\n== {name}: per variation (header | tasks F1 | lead), sources {', '.join(srcs)} ==")
    for group, per_src in result["by_variation"].items():
        cells = " | ".join(f"{_fmt(r['header'])} {_fmt(r['tasks'])} {_fmt(r['lead'])}" for r in per_src.values())
        print(f"{group:30s} {cells}")


def confidence_calibration(cases: Iterable[Case], sources: tuple[str, ...]) -> dict:
    """Issue 20: share of wrong values per confidence band, over every case and source and the seeds."""
    from bench.calibration import band_table, format_table, judge_docs

    judged = judge_docs([gold_for(c, s) for c in cases for s in sources], CACHE / "parse.duckdb")
    seeds = [json.loads((GOLD / f"{p.stem}.json").read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    judged += judge_docs(seeds, CACHE / "seeds.duckdb")
    table = band_table([(j.right, j.confidence) for j in judged])
    print("\n== confidence calibration (generated cases and seeds) ==")
    print(format_table(table))
    return table


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="dev cases, text layer and 300 dpi scans only")
    ap.add_argument("--split", choices=("dev", "held_out", "held_out_2", "all"), default="all")
    ap.add_argument("--sources", default=",".join(SOURCES))
    ap.add_argument("--case", action="append", help="only these cases (repeatable)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rescan", action="store_true", help="scan and dump again (after a change to pdf_scan)")
    ap.add_argument("--prepare-only", action="store_true", help="make and OCR the inputs (fill the cache), no scores")
    args = ap.parse_args(argv)
    sources = ("text_layer", "scan300") if args.quick else tuple(s for s in args.sources.split(",") if s)
    splits = {"dev": DEV, "held_out": HELD_OUT, "held_out_2": HELD_OUT_2}
    if args.quick:
        splits = {"dev": DEV}
    elif args.split != "all":
        splits = {args.split: splits[args.split]}
    if args.case:
        splits = {k: tuple(c for c in v if c.name in args.case) for k, v in splits.items()}
    cases = [c for group in splits.values() for c in group]
    key = ocr_key()
    _pool_map(prepare, [(c, sources, key, args.rescan) for c in cases], args.workers)
    if args.prepare_only:
        return 0
    preds = ingest_inputs([input_paths(c)[s] for c in cases for s in sources], CACHE / "parse.duckdb", key,
                          args.workers)
    seeds = score_seeds(key, 1)
    calibration = confidence_calibration(cases, sources)
    report = {"command": "python -m bench.parse_bench " + " ".join(argv if argv is not None else sys.argv[1:]),
              "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "seeds": seeds,
              "cases": {k: [c.name for c in v] for k, v in splits.items()}}
    for name, group in splits.items():
        report[name] = score_groups(group, sources, preds)
        report[name]["wrong_values"] = wrong_values(group, sources, preds)
        print_split(name, report[name], seeds)
    report["calibration"] = calibration
    if not args.case:
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / ("parse_quick.json" if args.quick else "parse.json")
        out.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
        print(f"\nsaved {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
