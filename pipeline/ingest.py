"""Batch ingest: discover inputs, skip what is current, process in isolated workers, store one plan at a time.

Workers (`pipeline.workers`, or Ray, see `pipeline.scheduler`) only compute; this process alone
writes DuckDB, each plan in its own transaction, and writes `data/parsed/<plan_id>.json` by atomic
rename, so a kill at any moment leaves every finished plan intact and no half-written one. Pages
of a document still being read are checkpointed as they arrive (`pipeline.checkpoints`), so a
re-run after a kill resumes a big scan from its last page done.

Library code never prints: every line goes through `logging` (logger `pipeline`); the CLI decides
where it goes and how much of it (`-q`, `-v`).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from tqdm import tqdm

import parsers
from pipeline.backends import ExecutorUnavailable
from pipeline.checkpoints import Checkpoints
from pipeline.discover import discover
from pipeline.hashing import file_sha256
from pipeline.names import display_path, stored_path
from pipeline.results import Failure
from pipeline.runtime import check_setup, interrupts
from pipeline.scheduler import Finished, PageScheduler, Progress
from pipeline.snapshot import file_exists, working_path, writing
from pipeline.workers import Budget, WorkerPool
from schema.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, CchcError, Interrupted, StoreError, one_line
from schema.records import ParsedPlan
from schema.store import DatabaseBusyError, Store

log = logging.getLogger("pipeline")

DEFAULT_LOCK_WAIT = 10.0
"""Seconds a second ingest on the same database waits for the first before giving up."""


@dataclass
class IngestSummary:
    ok: int = 0
    partial: int = 0
    failed: int = 0
    skipped: int = 0
    pages: int = 0
    failed_pages: int = 0
    seconds: float = 0.0
    failures: list[Failure] = field(default_factory=list)
    interrupted: str | None = None
    out_dir: str = ""
    pending_checkpoints: int = 0
    work_db: str = ""

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_FAILED if self.failed or self.failed_pages else EXIT_OK

    def line(self) -> str:
        if self.interrupted:
            kept = (f"; pages of {self.pending_checkpoints} unfinished file(s) kept in "
                    f"{Path(self.out_dir) / '.checkpoints'}" if self.pending_checkpoints else "")
            where = f" in {self.work_db} (published by the next run)" if self.work_db else ""
            return (f"{self.interrupted}: {self.ok + self.partial + self.failed} file(s) stored{where}{kept}; "
                    "run the same command again to resume")
        pages_failed = f", {self.failed_pages} pages failed" if self.failed_pages else ""
        return (
            f"ingested {self.ok} ok, {self.partial} partial, {self.failed} failed, "
            f"{self.skipped} unchanged; {self.pages} pages in {self.seconds:.1f} s{pages_failed}"
        )


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def write_json_atomic(parsed: ParsedPlan, out_dir: Path) -> Path:
    """Write `<plan_id>.json` via a temp file and rename, so a reader never sees half a file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / f"{parsed.plan.plan_id}.json"
    tmp = final.with_suffix(f".json.tmp{os.getpid()}")
    try:
        tmp.write_text(parsed.model_dump_json(indent=1), encoding="utf-8")
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
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
    log.error("%s: %s", display_path(f.source_path), one_line(f.message))


def _rate(pages: int, seconds: float) -> str:
    return f"{pages} pages, {pages / seconds:.1f} pages/s" if seconds > 0 and pages else f"{pages} pages"


def report_loaded(parsed: ParsedPlan, done: Finished) -> None:
    """One line per finished file: its status, and (with failed pages) why they failed."""
    path, rate = display_path(parsed.plan.source_path), _rate(parsed.plan.page_count, done.seconds)
    if parsed.plan.status == "ok":
        log.info("%s: ok, %s", path, rate)
        return
    what = ", ".join(parsed.plan.missing) or "some parts"
    why = "".join(f"; {one_line(f.message)}" for f in done.page_failures)
    log.warning("%s: loaded as partial (not found: %s)%s; %s", path, what, why, rate)


def _empty_folder_problems(paths: list[str], inputs: list[str]) -> list[tuple[str, str]]:
    problems = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir() and not any(Path(i).is_relative_to(p) for i in inputs):
            problems.append((raw, "no .pdf or .txt files in this folder"))
    return problems


def ingest(
    paths: list[str],
    db_path: str | Path,
    out_dir: str | Path,
    workers: int | None = None,
    force: bool = False,
    executor: str = "process",
    progress: bool | None = None,
    lock_wait: float = DEFAULT_LOCK_WAIT,
    budget: Budget | None = None,
) -> IngestSummary:
    """Ingest files and folders into `db_path` and `out_dir`; see CONTRACT.md for the semantics.

    Raises `SetupError` before any work, and `StoreError` when writing fails mid-run (what was
    committed stays); an interrupt returns a summary with `interrupted` set.
    """
    started = time.monotonic()
    workers = workers or default_workers()
    out = Path(out_dir)
    summary = IngestSummary(out_dir=str(out), work_db=str(working_path(db_path)))
    inputs, problems = discover(paths)
    problems += _empty_folder_problems(paths, inputs)
    check_setup(out, db_path, needs_ocr=any(i.lower().endswith(".pdf") for i in inputs))
    show = sys.stderr.isatty() if progress is None else progress
    checkpoints = Checkpoints(out, os.environ.get("CCHC_OCR_ENGINE") or "tesseract")

    with interrupts() as guard:
        try:
            _run(paths, inputs, problems, db_path, out, workers, force, executor, show, lock_wait, budget,
                 summary, checkpoints, guard)
        except Interrupted as exc:
            summary.interrupted = str(exc)
        except (CchcError, DatabaseBusyError):
            raise
        except (duckdb.Error, OSError) as exc:  # e.g. the database's last checkpoint on a full disk
            raise StoreError(f"cannot write {db_path}: {_cause(exc)}; everything stored before is kept, "
                             "run the same command again to finish") from exc
        finally:
            checkpoints.close()
            summary.pending_checkpoints = checkpoints.pending()
    summary.seconds = time.monotonic() - started
    return summary


def _store_call(what: str, fn, *args):
    """Run one write; a failure (disk full, database gone) becomes one `StoreError` line with the real cause."""
    try:
        return fn(*args)
    except (OSError, duckdb.Error) as exc:
        raise StoreError(f"cannot write {what}: {_cause(exc)}; everything stored before is kept, "
                         "run the same command again to finish") from exc


def _cause(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip()
    return one_line(text.splitlines()[0] if text else type(exc).__name__)


def _run(paths, inputs, problems, db_path, out, workers, force, executor, show, lock_wait, budget,
         summary: IngestSummary, checkpoints: Checkpoints, guard) -> None:
    # Analysts read db_path, a snapshot published when this block ends without an error (pipeline.snapshot).
    with writing(db_path, wait_seconds=lock_wait, report=log.warning) as store:
        remove_stale_temp_files(out)
        jobs = _queue(problems, inputs, store, db_path, force, summary)
        if not jobs:
            return
        bar = tqdm(total=0, unit="page", desc="ingest", disable=not show, file=sys.stderr, dynamic_ncols=True)
        handler = _TqdmHandler(bar) if show else None
        if handler is not None:
            log.addHandler(handler)
            log.propagate = False
        try:
            # Ray gets the same scheduler, so the same page budgets, retries and checkpoints.
            pool = WorkerPool(workers, budget) if executor == "process" else ray_pool(executor, workers, budget)
            results = PageScheduler(pool, checkpoints).run(jobs)
            closer = pool.close
            killed = True
            try:
                for item in results:
                    if isinstance(item, Progress):
                        _show(bar, item)
                        continue
                    with guard.critical():
                        store_result(item, store, out, summary, db_path, checkpoints)
                killed = False
            finally:
                closer(kill=killed)
        finally:
            if handler is not None:
                log.removeHandler(handler)
                log.propagate = True
            bar.close()


def ray_pool(executor: str, workers: int, budget: Budget | None):
    """The pool of `--executor ray` (`pipeline.ray_pool`); Ray is an optional dependency."""
    if executor != "ray":
        raise ValueError(f"unknown executor {executor!r} (expected 'process' or 'ray')")
    try:
        from pipeline.ray_pool import RayPool
    except ImportError as exc:
        raise ExecutorUnavailable(f"--executor ray needs Ray ({exc}); install it with: pip install -e '.[ray]'") from None
    return RayPool(workers, budget)


def _queue(problems, inputs, store: Store, db_path, force: bool, summary: IngestSummary) -> list[tuple[str, str]]:
    """(path, sha) of the inputs to read: discovery problems and unreadable files are recorded as
    failures, and content already stored with this parser version (and no failed page) is skipped."""
    def failed(f: Failure) -> None:
        _store_call(str(db_path), store.record_error, stored_path(f.source_path), None, f.stage, f.message)
        summary.failures.append(f)
        summary.failed += 1
        report_failure(f)

    for path, message in problems:
        failed(Failure(path, None, "discover", message))
    jobs: list[tuple[str, str]] = []
    queued: set[str] = set()
    for path in inputs:
        try:
            sha = file_sha256(path)
        except OSError as exc:
            failed(Failure(path, None, "read", f"cannot read file: {exc.strerror or exc}"))
            continue
        if sha in queued or (not force and store.is_current(sha, parsers.PARSER_VERSION)
                             and not _has_failed_pages(store, sha)):
            summary.skipped += 1  # same content under another name counts once
            store.seen_at(stored_path(path), sha, file_exists)  # a moved file: its rows follow it
            continue
        queued.add(sha)
        jobs.append((path, sha))
    return jobs


def _has_failed_pages(store: Store, sha: str) -> bool:
    """A stored plan with pages that failed (timeout, crash) is read again: only those pages, when
    their document's checkpoint was kept (`store_result`)."""
    row = store.con.execute("SELECT count(*) FROM pages g JOIN plans p USING (plan_id) "
                            "WHERE p.source_sha256 = ? AND g.method = 'failed'", [sha]).fetchone()
    return bool(row and row[0])


def _show(bar: tqdm, item: Progress) -> None:
    if item.kind == "pages":
        bar.total += item.n
        bar.refresh()
    elif item.kind == "page":
        bar.update(item.n)
    elif item.kind == "file":
        name = Path(item.path).name
        bar.set_description_str(display_path(name if len(name) <= 40 else name[:37] + "..."), refresh=False)


class _TqdmHandler(logging.Handler):
    """Log lines above the progress bar, not through it."""

    def __init__(self, bar: tqdm) -> None:
        super().__init__()
        self.bar = bar
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.bar.write(self.format(record), file=sys.stderr)


def store_result(done: Finished | ParsedPlan | Failure, store: Store, out: Path, summary: IngestSummary,
                 db_path: str | Path = "", checkpoints: Checkpoints | None = None) -> None:
    """JSON first (atomic rename), then the plan's single DuckDB transaction: a kill between the two
    leaves a JSON without rows, which the next run rewrites; never rows without their JSON."""
    if not isinstance(done, Finished):
        done = Finished(done, [], 0.0, 0)
    result = done.result
    db = str(db_path or store.path)
    if isinstance(result, Failure):
        for f in done.page_failures:  # pages that failed inside it: part of why
            if f.message not in result.message:
                result.message += f"; {f.message}"
        if result.partial is not None:  # e.g. not a plan: keep what was read, marked failed
            _store_call(str(out), write_json_atomic, result.partial, out)
            _store_call(db, store.write_plan, result.partial)
            summary.pages += result.partial.plan.page_count
        _store_call(db, store.record_error, stored_path(result.source_path), result.sha256, result.stage,
                    one_line(result.message))
        summary.failures.append(result)
        summary.failed += 1
        report_failure(result)
    else:
        _store_call(str(out), write_json_atomic, result, out)
        for problem in _store_call(db, store.write_plan, result) or []:  # corrections not applied: said, not dropped
            print(f"{result.plan.source_path}: correction not applied: {problem}", file=sys.stderr)
        summary.pages += result.plan.page_count
        if done.page_failures:
            first = done.page_failures[0]
            message = "; ".join(one_line(f.message) for f in done.page_failures)
            _store_call(db, store.record_error, result.plan.source_path, result.plan.source_sha256, first.stage,
                        message)
            summary.failures.extend(done.page_failures)
            summary.failed_pages += len(done.page_failures)
        if result.plan.status == "ok":
            summary.ok += 1
        else:
            summary.partial += 1
        report_loaded(result, done)
    sha = result.sha256 if isinstance(result, Failure) else result.plan.source_sha256
    if checkpoints is not None and sha and not done.page_failures:  # kept: a re-run reads only the failed pages
        checkpoints.drop(sha)
