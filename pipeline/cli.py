"""`python -m pipeline` / `cchc-ingest`: a thin argparse layer over the library API.

Exit codes (CONTRACT.md): 0 every input ingested, 1 some inputs failed (the
others are loaded), 2 bad usage. A busy database is reported as a failure (1).
"""

from __future__ import annotations

import argparse
import os
import sys

from pipeline.backends import ExecutorUnavailable, start_worker_server


def _workers(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="ingest PDFs and .txt OCR dumps into DuckDB and parsed JSON")
    ing.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (searched recursively)")
    ing.add_argument("--db", required=True, help="DuckDB file to create or update")
    ing.add_argument("--out", required=True, help="folder for <plan_id>.json")
    ing.add_argument("--workers", type=_workers, default=None, help="parallel processes (default: all cores)")
    ing.add_argument("--force", action="store_true", help="re-ingest files already ingested")
    ing.add_argument("--executor", choices=["process", "ray"], default="process")
    ing.add_argument("--no-progress", action="store_true", help="no progress bar")
    ing.add_argument("--lock-wait", type=float, default=10.0, metavar="SECONDS",
                     help="how long to wait for another ingest holding the same --db (default 10)")

    ev = sub.add_parser("eval", help="score the database against hand-labelled gold files")
    ev.add_argument("--gold", required=True, help="folder of gold JSON files")
    ev.add_argument("--db", required=True, help="DuckDB file to score")
    ev.add_argument("--json", action="store_true", help="also print the metrics as JSON")

    ex = sub.add_parser("export", help="write every table as Parquet")
    ex.add_argument("--db", default="data/plans.duckdb")
    ex.add_argument("--parquet", required=True, metavar="DIR")

    from pipeline import report, review  # the analysts' side (issue #20): report and review loop

    report.add_parser(sub)
    review.add_parser(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # exits 2 on bad usage
    if args.command == "ingest":
        if args.executor == "process" and (args.workers or os.cpu_count() or 1) > 1:
            start_worker_server()  # warms up the workers' stages while this process imports its own
        from pipeline.ingest import ingest
        from schema.store import DatabaseBusyError

        try:
            summary = ingest(
                args.paths,
                args.db,
                args.out,
                workers=args.workers,
                force=args.force,
                executor=args.executor,
                progress=False if args.no_progress else None,
                lock_wait=args.lock_wait,
            )
        except DatabaseBusyError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        except ExecutorUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(summary.line(), file=sys.stderr)
        return summary.exit_code
    if args.command == "eval":
        import json

        from pipeline.evaluate import evaluate, format_report

        metrics = evaluate(args.gold, args.db)
        print(format_report(metrics))
        if args.json:
            print(json.dumps(metrics, indent=1))
        return 0
    if args.command == "export":
        from pipeline.export import export_parquet

        for path in export_parquet(args.db, args.parquet):
            print(path)
        return 0
    if args.command in ("report", "review"):
        from pipeline import report, review

        return (report if args.command == "report" else review).run(args)
    return 2
