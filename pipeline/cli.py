"""`python -m pipeline` / `cchc-ingest`: a thin argparse layer over the library API.

Exit codes (the same for every CLI of the project; mapping in `schema.errors`): 0 every input
ingested, 1 some inputs (or pages) failed, the others are loaded (also: a busy database, a write
failing mid-run), 2 bad usage, 3 setup error found before any work, 130 interrupted.

Each subcommand is one `add_<name>` function registering its parser and one `cmd_<name>` running
it (`COMMANDS`), so a new subcommand is two functions and one line.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable

from schema.cli import add_common_options, common_parent, run, setup_logging
from schema.errors import EXIT_FAILED, EXIT_OK, SetupError

log = logging.getLogger("pipeline")


def _workers(value: str) -> int:
    n = int(value)
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _positive(value: str) -> float:
    v = float(value)
    if v <= 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return v


def _count(value: str) -> int:
    n = int(float(value))
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 (no limit) or more")
    return n


# -- ingest -----------------------------------------------------------------------------


def add_ingest(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    from schema.limits import DEFAULT_MAX_PAGE_PIXELS, DEFAULT_MAX_PAGES, DEFAULT_MAX_TEXT_BYTES

    ing = sub.add_parser("ingest", parents=[parent], help="ingest PDFs and .txt OCR dumps into DuckDB and parsed JSON")
    ing.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (searched recursively)")
    ing.add_argument("--db", required=True, help="DuckDB file to create or update")
    ing.add_argument("--out", required=True, help="folder for <plan_id>.json (and .checkpoints/ of unfinished files)")
    ing.add_argument("--workers", type=_workers, default=None, help="parallel processes (default: all cores)")
    ing.add_argument("--force", action="store_true", help="re-ingest files already ingested")
    ing.add_argument("--executor", choices=["process", "ray"], default="process")
    ing.add_argument("--no-progress", action="store_true", help="no progress bar")
    ing.add_argument("--lock-wait", type=float, default=10.0, metavar="SECONDS",
                     help="how long to wait for another ingest holding the same --db (default 10)")
    ing.add_argument("--page-timeout", type=_positive, default=120.0, metavar="SECONDS",
                     help="time budget of one A4 page at 300 dpi, scaled by the page's pixels; a page over it "
                          "is marked failed (default 120)")
    ing.add_argument("--max-page-pixels", type=_count, default=DEFAULT_MAX_PAGE_PIXELS, metavar="N",
                     help=f"refuse page images over N pixels (decompression bombs; default {DEFAULT_MAX_PAGE_PIXELS:,}; 0: none)")
    ing.add_argument("--max-pages", type=_count, default=DEFAULT_MAX_PAGES, metavar="N",
                     help=f"refuse PDFs over N pages (default {DEFAULT_MAX_PAGES}; 0: none)")
    ing.add_argument("--max-text-bytes", type=_count, default=DEFAULT_MAX_TEXT_BYTES, metavar="N",
                     help=f"refuse .txt dumps over N bytes (default {DEFAULT_MAX_TEXT_BYTES:,}; 0: none)")


def cmd_ingest(args: argparse.Namespace) -> int:
    from pipeline.discover import discover
    from pipeline.runtime import check_setup
    from schema.limits import Limits

    # Limits travel to the workers in the environment, set before the fork server starts.
    os.environ.update(Limits(args.max_page_pixels, args.max_pages, args.max_text_bytes).env())
    # Setup first: a missing language pack or an unusable --db is one line before anything starts.
    check_setup(args.out, args.db, needs_ocr=any(p.lower().endswith(".pdf") for p in discover(args.paths)[0]))
    if args.executor == "process":
        from pipeline.backends import start_worker_server

        start_worker_server()  # warms up the workers' stages while this process imports its own
    from pipeline.ingest import ingest
    from pipeline.workers import Budget
    from schema.store import DatabaseBusyError

    try:
        summary = ingest(
            args.paths, args.db, args.out, workers=args.workers, force=args.force, executor=args.executor,
            progress=False if args.no_progress else None, lock_wait=args.lock_wait,
            budget=Budget(page_seconds=args.page_timeout),
        )
    except DatabaseBusyError as exc:
        log.error("error: %s", exc)
        return EXIT_FAILED
    if summary.interrupted:
        log.warning("%s", summary.line())
    else:
        log.info("%s", summary.line())
    return summary.exit_code


# -- eval -------------------------------------------------------------------------------


def add_eval(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    ev = sub.add_parser("eval", parents=[parent], help="score the database against hand-labelled gold files")
    ev.add_argument("--gold", required=True, help="folder of gold JSON files")
    ev.add_argument("--db", required=True, help="DuckDB file to score")
    ev.add_argument("--json", action="store_true", help="print the metrics as JSON only (nothing else on stdout)")
    ev.add_argument("--fail-under", metavar="FLOORS.json",
                    help="exit 1 when a metric is below its floor in this JSON object of metric: floor")


def cmd_eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pipeline.evaluate import evaluate, format_report, load_gold

    gold = Path(args.gold)
    if not gold.is_dir():
        raise SetupError(f"--gold {gold} is not a folder")
    if not load_gold(gold):
        raise SetupError(f"--gold {gold} holds no gold files (JSON with a 'source')")
    if not Path(args.db).is_file():
        raise SetupError(f"--db {args.db} does not exist")
    if _snapshot_unreadable(args.db):
        return EXIT_FAILED
    floors: dict[str, float] = {}
    if args.fail_under:
        try:
            floors = json.loads(Path(args.fail_under).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SetupError(f"--fail-under {args.fail_under}: {exc}") from None
        if not isinstance(floors, dict):
            raise SetupError(f"--fail-under {args.fail_under}: expected a JSON object of metric: floor")
    metrics = evaluate(gold, args.db)
    if args.json:
        print(json.dumps(metrics, indent=1))
    else:
        print(format_report(metrics))
    below = [f"{k} {metrics.get(k, 0.0):.4f} < {v}" for k, v in floors.items() if metrics.get(k, 0.0) < v]
    for line in below:
        log.error("below floor: %s", line)
    return EXIT_FAILED if below else EXIT_OK


# -- export -----------------------------------------------------------------------------


def add_export(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    ex = sub.add_parser("export", parents=[parent], help="write every table as Parquet")
    ex.add_argument("--db", default="data/plans.duckdb")
    ex.add_argument("--parquet", required=True, metavar="DIR")


def cmd_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from pipeline.export import export_parquet

    if not Path(args.db).is_file():
        raise SetupError(f"--db {args.db} does not exist")
    if _snapshot_unreadable(args.db):
        return EXIT_FAILED
    for path in export_parquet(args.db, args.parquet):
        print(path)
    return EXIT_OK


# -- report and review (issue #20; the modules are imported on use: the report pulls in matplotlib) --


def add_report(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    from pipeline import report

    report.add_parser(sub, parent)


def cmd_report(args: argparse.Namespace) -> int:
    from pipeline import report

    return report.run(args)


def add_review(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    from pipeline import review

    review.add_parser(sub, parent)


def cmd_review(args: argparse.Namespace) -> int:
    from pipeline import review

    return review.run(args)


def _snapshot_unreadable(db: str) -> bool:
    """Readers open the published snapshot read-only; one line when someone holds it read-write."""
    from pipeline.snapshot import snapshot_problem

    if problem := snapshot_problem(db):
        log.error("error: %s", problem)
        return True
    return False


# -- prune ------------------------------------------------------------------------------


def add_prune(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    pr = sub.add_parser("prune", parents=[parent],
                        help="remove the documents whose files are gone (ingest only reports them)")
    pr.add_argument("paths", nargs="*", metavar="PATH", help="only documents under these files or folders")
    pr.add_argument("--db", required=True, help="the database given to ingest")
    pr.add_argument("--dry-run", action="store_true", help="list them, remove nothing")
    pr.add_argument("--out", metavar="DIR", help="the --out of ingest: their <document_id>.json go too")
    pr.add_argument("--lock-wait", type=float, default=10.0, metavar="SECONDS",
                    help="how long to wait for an ingest holding the same --db (default 10)")


def cmd_prune(args: argparse.Namespace) -> int:
    from pipeline.prune import main as prune_main
    from schema.store import DatabaseBusyError

    try:
        return prune_main(args.db, args.paths, args.dry_run, args.lock_wait, args.out)
    except FileNotFoundError as exc:
        raise SetupError(str(exc)) from None
    except DatabaseBusyError as exc:
        log.error("error: %s", exc)
        return EXIT_FAILED


COMMANDS: dict[str, tuple[Callable[..., None], Callable[[argparse.Namespace], int]]] = {
    "ingest": (add_ingest, cmd_ingest),
    "eval": (add_eval, cmd_eval),
    "export": (add_export, cmd_export),
    "report": (add_report, cmd_report),
    "review": (add_review, cmd_review),
    "prune": (add_prune, cmd_prune),
}
"""Subcommand name -> (add its parser, run it)."""


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__.splitlines()[0])
    add_common_options(p)
    sub = p.add_subparsers(dest="command", required=True)
    parent = common_parent()
    for add, _ in COMMANDS.values():
        add(sub, parent)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # exits 2 on bad usage
    setup_logging(args)
    code = run(lambda: COMMANDS[args.command][1](args))
    sys.stdout.flush()
    return code
