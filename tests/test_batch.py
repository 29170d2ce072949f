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

import pipeline.ingest as ingest_mod
from pipeline.backends import ProcessBackend, make_backend
from pipeline.ingest import ingest
from pipeline.process import read_range
from pipeline.scheduler import MAX_RANGE_PAGES, page_ranges
from schema.records import TABLES
from tests.conftest import RAW, REPO
from tests.fixtures import bad_inputs as bad

DIGITAL = RAW / "generated" / "gen_dongnai_digital.pdf"


class SpyBackend:
    """A real backend that also records which tasks were submitted."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.workers = real.workers
        self.calls: list[tuple[str, tuple]] = []

    def submit(self, fn, *args):
        self.calls.append((fn.__name__, args[2:4] if fn is read_range else ()))
        return self.real.submit(fn, *args)

    def wait_any(self, handles):
        return self.real.wait_any(handles)

    def result(self, handle):
        return self.real.result(handle)

    def close(self) -> None:
        self.real.close()


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[SpyBackend]:
    made: list[SpyBackend] = []

    def factory(name: str, workers: int) -> SpyBackend:
        made.append(SpyBackend(make_backend(name, workers)))
        return made[-1]

    monkeypatch.setattr(ingest_mod, "make_backend", factory)
    return made


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


def test_workers_run_tesseract_single_threaded():
    backend = ProcessBackend(2)
    try:
        assert backend.result(backend.submit(os.getenv, "OMP_THREAD_LIMIT")) == "1"
    finally:
        backend.close()


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
    ranges = [args for name, args in spy[0].calls if name == "read_range"]
    assert len(ranges) >= 2, spy[0].calls  # the PDF really was read in parallel page ranges
    assert [n for n, _ in spy[0].calls].count("assemble") == 1  # ... and parsed once
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
    ranges = sorted(args for name, args in spy[0].calls if name == "read_range")
    assert [p for a, b in ranges for p in range(a, b + 1)] == list(range(1, 301))
    assert len(ranges) >= 4 and max(b - a + 1 for a, b in ranges) <= MAX_RANGE_PAGES
    con = duckdb.connect(str(tmp_path / "db.duckdb"), read_only=True)
    assert con.execute("SELECT page_count, text_source FROM plans").fetchall() == [(300, "text_layer")]
    assert [r[0] for r in con.execute("SELECT page_no FROM pages ORDER BY page_no").fetchall()] == list(range(1, 301))
