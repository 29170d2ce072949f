"""Batch ingest: discover inputs, skip what is current, process in parallel, store one plan at a time.

Workers (process pool or Ray, see `pipeline.scheduler`) only compute; this process alone writes DuckDB, each plan in its own
transaction, and writes `data/parsed/<plan_id>.json` by atomic rename, so a
kill at any moment leaves every finished plan intact and no half-written one.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

import parsers
from pipeline.backends import make_backend
from pipeline.discover import discover
from pipeline.hashing import file_sha256
from pipeline.process import Failure
from pipeline.scheduler import Scheduler
from schema.records import ParsedPlan
from schema.store import Store

DEFAULT_LOCK_WAIT = 10.0
"""Seconds a second ingest on the same database waits for the first before giving up."""


@dataclass
class IngestSummary:
    ok: int = 0
    partial: int = 0
    failed: int = 0
    skipped: int = 0
    pages: int = 0
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def line(self) -> str:
        return (
            f"ingested {self.ok} ok, {self.partial} partial, {self.failed} failed, "
            f"{self.skipped} unchanged; {self.pages} pages in {self.seconds:.1f} s"
        )


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def write_json_atomic(parsed: ParsedPlan, out_dir: Path) -> Path:
    """Write `<plan_id>.json` via a temp file and rename, so a reader never sees half a file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / f"{parsed.plan.plan_id}.json"
    tmp = final.with_suffix(f".json.tmp{os.getpid()}")
    tmp.write_text(parsed.model_dump_json(indent=1), encoding="utf-8")
    os.replace(tmp, final)
    return final


def remove_stale_temp_files(out_dir: Path) -> int:
    """Drop `*.json.tmp<pid>` left by a killed run (only when that process is gone)."""
    removed = 0
    if not out_dir.is_dir():
        return 0
    for tmp in out_dir.glob("*.json.tmp*"):
        pid = tmp.suffix.removeprefix(".tmp")
        if pid.isdigit() and Path(f"/proc/{pid}").exists() and int(pid) != os.getpid():
            continue
        tmp.unlink(missing_ok=True)
        removed += 1
    return removed


def report_failure(f: Failure) -> None:
    print(f"{f.source_path}: {f.message}", file=sys.stderr)


def report_partial(parsed: ParsedPlan) -> None:
    what = ", ".join(parsed.plan.missing) or "some parts"
    print(f"{parsed.plan.source_path}: loaded as partial (not found: {what})", file=sys.stderr)


def ingest(
    paths: list[str],
    db_path: str | Path,
    out_dir: str | Path,
    workers: int | None = None,
    force: bool = False,
    executor: str = "process",
    progress: bool | None = None,
    lock_wait: float = DEFAULT_LOCK_WAIT,
) -> IngestSummary:
    """Ingest files and folders into `db_path` and `out_dir`; see CONTRACT.md for the semantics."""
    started = time.monotonic()
    workers = workers or default_workers()
    out = Path(out_dir)
    summary = IngestSummary()
    inputs, problems = discover(paths)
    show = sys.stderr.isatty() if progress is None else progress

    with Store(db_path, wait_seconds=lock_wait) as store:
        remove_stale_temp_files(out)
        for path, message in problems:
            f = Failure(path, None, "discover", message)
            store.record_error(path, None, "discover", message)
            summary.failures.append(f)
            summary.failed += 1
            report_failure(f)

        jobs: list[tuple[str, str]] = []
        queued: set[str] = set()
        for path in inputs:
            try:
                sha = file_sha256(path)
            except OSError as exc:
                f = Failure(path, None, "read", f"cannot read file: {exc.strerror or exc}")
                store.record_error(path, None, f.stage, f.message)
                summary.failures.append(f)
                summary.failed += 1
                report_failure(f)
                continue
            if sha in queued or (not force and store.is_current(sha, parsers.PARSER_VERSION)):
                summary.skipped += 1  # same content under another name counts once
                continue
            queued.add(sha)
            jobs.append((path, sha))

        bar = tqdm(total=len(jobs), unit="file", desc="ingest", disable=not show, file=sys.stderr)
        if jobs:
            backend = make_backend(executor, workers)
            try:
                for result in Scheduler(backend).run(jobs):
                    store_result(result, store, out, summary)
                    bar.update(1)
                    bar.set_postfix(pages=summary.pages, failed=summary.failed, refresh=False)
            finally:
                backend.close()
        bar.close()

    summary.seconds = time.monotonic() - started
    return summary


def store_result(result: ParsedPlan | Failure, store: Store, out: Path, summary: IngestSummary) -> None:
    """JSON first (atomic rename), then the plan's single DuckDB transaction: a kill between the two
    leaves a JSON without rows, which the next run rewrites; never rows without their JSON."""
    if isinstance(result, Failure):
        if result.partial is not None:  # e.g. not a plan: keep what was read, marked failed
            write_json_atomic(result.partial, out)
            store.write_plan(result.partial)
            summary.pages += result.partial.plan.page_count
        store.record_error(result.source_path, result.sha256, result.stage, result.message)
        summary.failures.append(result)
        summary.failed += 1
        report_failure(result)
        return
    write_json_atomic(result, out)
    for problem in store.write_plan(result):  # corrections whose row is gone or changed: reported, not applied
        print(f"{result.plan.source_path}: correction not applied: {problem}", file=sys.stderr)
    summary.pages += result.plan.page_count
    if result.plan.status == "ok":
        summary.ok += 1
    else:
        summary.partial += 1
        report_partial(result)
