"""Batch ingest: discover inputs, skip what is current, process in parallel, store one plan at a time.

Workers only compute; this process alone writes DuckDB, each plan in its own
transaction, and writes `data/parsed/<plan_id>.json` by atomic rename, so a
kill at any moment leaves every finished plan intact and no half-written one.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

import parsers
from pipeline.discover import discover
from pipeline.hashing import file_sha256
from pipeline.process import Failure, process_file
from schema.records import ParsedPlan
from schema.store import Store


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


def _worker_init() -> None:
    # Tesseract's OpenMP threads fight each other when documents run in parallel (measured 2.2x slower).
    os.environ["OMP_THREAD_LIMIT"] = "1"


def default_workers() -> int:
    return max(1, os.cpu_count() or 1)


def write_json_atomic(parsed: ParsedPlan, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    final = out_dir / f"{parsed.plan.plan_id}.json"
    tmp = final.with_suffix(f".json.tmp{os.getpid()}")
    tmp.write_text(parsed.model_dump_json(indent=1), encoding="utf-8")
    os.replace(tmp, final)
    return final


def _run_serial(jobs: list[tuple[str, str]]) -> Iterator[ParsedPlan | Failure]:
    for path, sha in jobs:
        yield process_file(path, sha)


def _run_pool(jobs: list[tuple[str, str]], workers: int) -> Iterator[ParsedPlan | Failure]:
    """Results as they finish; at most 2×workers jobs in flight so memory stays bounded."""
    pending = iter(jobs)
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init) as pool:
        running: dict[Future, tuple[str, str]] = {}

        def top_up() -> None:
            while len(running) < 2 * workers:
                job = next(pending, None)
                if job is None:
                    return
                running[pool.submit(process_file, *job)] = job

        top_up()
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in done:
                path, sha = running.pop(fut)
                try:
                    yield fut.result()
                except Exception as exc:  # a worker died (OOM kill, segfault in a native library)
                    yield Failure(path, sha, "worker", f"worker process died: {type(exc).__name__}: {exc}")
            top_up()


Executor = Callable[[list[tuple[str, str]], int], Iterable[ParsedPlan | Failure]]


def _executor(name: str) -> Executor:
    if name == "process":
        return lambda jobs, workers: _run_serial(jobs) if workers <= 1 else _run_pool(jobs, workers)
    if name == "ray":
        from pipeline.ray_executor import run_ray  # optional dependency, imported only when asked for

        return run_ray
    raise ValueError(f"unknown executor {name!r} (expected 'process' or 'ray')")


def report_failure(f: Failure) -> None:
    print(f"{f.source_path}: {f.message}", file=sys.stderr)


def ingest(
    paths: list[str],
    db_path: str | Path,
    out_dir: str | Path,
    workers: int | None = None,
    force: bool = False,
    executor: str = "process",
    progress: bool | None = None,
) -> IngestSummary:
    """Ingest files and folders into `db_path` and `out_dir`; see CONTRACT.md for the semantics."""
    started = time.monotonic()
    workers = workers or default_workers()
    out = Path(out_dir)
    summary = IngestSummary()
    inputs, problems = discover(paths)
    show = sys.stderr.isatty() if progress is None else progress

    with Store(db_path) as store:
        for path, message in problems:
            f = Failure(path, None, "discover", message)
            store.record_error(path, None, "discover", message)
            summary.failures.append(f)
            summary.failed += 1
            report_failure(f)

        jobs: list[tuple[str, str]] = []
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
            if not force and store.is_current(sha, parsers.PARSER_VERSION):
                summary.skipped += 1
                continue
            jobs.append((path, sha))

        bar = tqdm(total=len(jobs), unit="file", desc="ingest", disable=not show, file=sys.stderr)
        for result in _executor(executor)(jobs, workers):
            if isinstance(result, Failure):
                if result.partial is not None:
                    store.write_plan(result.partial)
                    write_json_atomic(result.partial, out)
                    summary.pages += result.partial.plan.page_count
                store.record_error(result.source_path, result.sha256, result.stage, result.message)
                summary.failures.append(result)
                summary.failed += 1
                report_failure(result)
            else:
                write_json_atomic(result, out)
                store.write_plan(result)
                summary.pages += result.plan.page_count
                if result.plan.status == "ok":
                    summary.ok += 1
                else:
                    summary.partial += 1
            bar.update(1)
            bar.set_postfix(pages=summary.pages, failed=summary.failed, refresh=False)
        bar.close()

    summary.seconds = time.monotonic() - started
    return summary
