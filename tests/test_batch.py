"""Batch execution: page-range splitting, workers, Ray, determinism and Parquet export.

Real runs on real files: the generated digital plan (its appendix table runs over
page breaks, so a split read must stitch exactly like a whole read), a clean
text dump, and a 300-page PDF made on the fly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.ingest import ingest
from pipeline.scheduler import MAX_RANGE_PAGES, page_chunks, page_ranges
from pipeline.workers import Task, WorkerPool, call_task
from schema.records import TABLES
from tests.conftest import RAW, REPO
from tests.fixtures import bad_inputs as bad

DIGITAL = RAW / "generated" / "gen_dongnai_digital.pdf"


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Every task handed to a real worker: ("read", [pages]) or the called function's name."""
    calls: list[tuple[str, Any]] = []
    real = WorkerPool.submit

    def submit(self: WorkerPool, task: Task) -> None:
        if task.kind == "read":
            calls.append(("read", list(task.payload[2])))
        else:
            fn = task.payload[0]
            calls.append((fn if isinstance(fn, str) else fn.__name__, None))
        real(self, task)

    monkeypatch.setattr(WorkerPool, "submit", submit)
    return calls


def _json_without_timestamps(out: Path) -> dict[str, Any]:
    docs = {}
    for f in sorted(out.glob("*.json")):
        doc = json.loads(f.read_text(encoding="utf-8"))
        doc["plan"].pop("ingested_at", None)
        docs[f.name] = doc
    return docs


@pytest.mark.parametrize("n_pages,workers", [(1, 2), (6, 2), (7, 3), (300, 2), (300, 1), (40, 8)])
def test_page_ranges_cover_every_page_once_in_bounded_ranges(n_pages, workers):
    ranges = page_ranges(n_pages, workers)
    pages = [p for first, last in ranges for p in range(first, last + 1)]
    assert pages == list(range(1, n_pages + 1))
    assert all(last - first + 1 <= MAX_RANGE_PAGES for first, last in ranges) or workers == 1
    if workers > 1 and n_pages >= 2 * workers:
        assert len(ranges) >= workers  # enough ranges to keep every worker busy
        sizes = [last - first + 1 for first, last in ranges]
        # Shrinking ranges, the last ones single pages: a worker that finishes early takes small pieces
        # instead of idling while another reads one long last range.
        assert sizes == sorted(sizes, reverse=True) and sizes[-workers:] == [1] * workers


def test_page_chunks_split_a_resumed_documents_missing_pages_like_ranges():
    missing = [p for p in range(1, 301) if p % 7]
    chunks = page_chunks(missing, 2)
    assert [p for c in chunks for p in c] == missing
    assert max(map(len, chunks)) <= MAX_RANGE_PAGES and len(chunks[-1]) == 1
    assert page_chunks(missing, 1) == [missing]


def test_workers_run_tesseract_single_threaded():
    pool = WorkerPool(2)
    try:
        pool.submit(call_task(os.getenv, ("OMP_THREAD_LIMIT",), 60.0))
        events = []
        while not any(e.kind == "done" for e in events):
            events += pool.poll(1.0)
        assert [e.value for e in events if e.kind == "done"] == ["1"]
    finally:
        pool.close()


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run with a single worker: whole documents, no splitting, no pool."""
    work = tmp_path_factory.mktemp("ref")
    inputs = [str(DIGITAL), str(bad.CLEAN_SEED)]
    summary = ingest(inputs, work / "db.duckdb", work / "out", workers=1, progress=False)
    assert summary.failed == 0 and summary.ok + summary.partial == 2
    return {"db": work / "db.duckdb", "out": work / "out", "inputs": inputs,
            "rows": bad.db_snapshot(work / "db.duckdb"), "json": _json_without_timestamps(work / "out")}


def test_second_run_with_pages_split_over_workers_gives_identical_rows(reference, spy, tmp_path):
    summary = ingest(reference["inputs"], tmp_path / "db.duckdb", tmp_path / "out", workers=2, progress=False)
    assert summary.failed == 0
    ranges = [pages for name, pages in spy if name == "read"]
    assert len(ranges) >= 2, spy  # the PDF really was read in parallel page lists
    assert [n for n, _ in spy].count("assemble_json") == 1  # ... and parsed once
    assert bad.db_snapshot(tmp_path / "db.duckdb") == reference["rows"]
    assert _json_without_timestamps(tmp_path / "out") == reference["json"]


def test_ray_executor_gives_identical_rows(reference, tmp_path):
    pytest.importorskip("ray", reason="ray is in the dev extra; `make test` installs it")
    r = subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", *reference["inputs"], "--db", str(tmp_path / "db.duckdb"),
         "--out", str(tmp_path / "out"), "--workers", "2", "--executor", "ray", "--no-progress"],
        cwd=REPO, capture_output=True, text=True, timeout=600, env={**os.environ, "RAY_ADDRESS": ""},
    )
    assert r.returncode == 0, r.stderr[-3000:]
    assert bad.db_snapshot(tmp_path / "db.duckdb") == reference["rows"]
    assert _json_without_timestamps(tmp_path / "out") == reference["json"]


def test_export_parquet_writes_every_table_with_all_rows(reference, tmp_path):
    r = subprocess.run([sys.executable, "-m", "pipeline", "export", "--db", str(reference["db"]),
                        "--parquet", str(tmp_path / "lake")], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    con = duckdb.connect()
    for name in TABLES:
        f = tmp_path / "lake" / f"{name}.parquet"
        assert str(f) in r.stdout.splitlines()
        got = con.execute(f"SELECT count(*) FROM read_parquet('{f.as_posix()}')").fetchone()[0]
        assert got == len(reference["rows"][name]), name
    plans = con.execute(f"SELECT plan_id, page_count FROM read_parquet('{(tmp_path / 'lake' / 'plans.parquet').as_posix()}')")
    cols = [c for c in TABLES["plans"].model_fields if c not in bad.TIMESTAMP_COLUMNS]
    at = cols.index("page_count")
    assert sorted(plans.fetchall()) == sorted((r[0], r[at]) for r in reference["rows"]["plans"])


def test_300_page_pdf_is_split_over_workers_and_loads_every_page(spy, tmp_path):
    big = bad.plan_pdf(tmp_path / "big_300.pdf", n_pages=300, lines_per_page=3)
    summary = ingest([str(big)], tmp_path / "db.duckdb", tmp_path / "out", workers=2, progress=False)
    assert summary.failed == 0, [f.message for f in summary.failures]
    ranges = sorted(pages for name, pages in spy if name == "read")
    assert [p for pages in ranges for p in pages] == list(range(1, 301))
    assert len(ranges) >= 4 and max(map(len, ranges)) <= MAX_RANGE_PAGES
    con = duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True)
    assert con.execute("SELECT page_count, text_source FROM plans").fetchall() == [(300, "text_layer")]
    assert [r[0] for r in con.execute("SELECT page_no FROM pages ORDER BY page_no").fetchall()] == list(range(1, 301))


def test_assemble_reads_again_the_text_pages_its_worker_no_longer_holds():
    """With one worker, text-layer pages stay in the worker (None is sent); a replaced worker reads
    them again, with the same result."""
    from pipeline import process
    from pipeline.hashing import file_sha256

    sha = file_sha256(DIGITAL)
    sent = [(n, process.read_page_json(str(DIGITAL), sha, n, keep_text=False)) for n in range(1, 7)]
    assert all(js is None for _, js in sent)
    held = process.assemble_json(str(DIGITAL), sha, sent)
    for n in range(1, 7):
        process.read_page_json(str(DIGITAL), sha, n, keep_text=False)
    process._READ.clear()  # as in a fresh worker
    again = process.assemble_json(str(DIGITAL), sha, sent)
    assert again.model_dump(exclude={"plan": {"ingested_at"}}) == held.model_dump(exclude={"plan": {"ingested_at"}})
    assert again.plan.page_count == 6
