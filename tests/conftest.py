"""Shared fixtures. `sample_db` ingests the shipped samples once per session (real OCR on the PDFs)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "data" / "raw"
GOLD = REPO / "tests" / "gold"


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB file built from everything under data/raw/, as `make ingest` would build it."""
    from pipeline.ingest import ingest

    work = tmp_path_factory.mktemp("sample_db")
    db = work / "plans.duckdb"
    summary = ingest([str(RAW)], db, work / "parsed", workers=2, progress=False)
    assert summary.failed == 0, [f.message for f in summary.failures]
    return db
