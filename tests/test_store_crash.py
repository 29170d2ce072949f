"""The database under crashes and contention: `kill -9` mid-run, two ingests on one file.

Real subprocesses running the real CLI against a real DuckDB file; the inputs are
distinct copies of the clean seed plan, so a run lasts a few seconds and kill
points land before, during and after plans are written.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.ingest import ingest
from pipeline.snapshot import working_path
from schema.store import DatabaseBusyError, Store, document_tables
from tests.conftest import REPO
from tests.fixtures import bad_inputs as bad

PER_PLAN_TABLES = list(document_tables())


def _start(inbox: Path, db: Path, out: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "ingest", str(inbox), "--db", str(db), "--out", str(out),
         "--workers", "2", "--no-progress", *extra],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def _n_json(out: Path) -> int:
    return len(list(out.glob("*.json"))) if out.is_dir() else 0


def _wait_for(cond, timeout: float = 120.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return False


def _kill9(proc: subprocess.Popen) -> None:
    """SIGKILL the ingest process itself, then its orphaned pool workers (same session)."""
    if proc.poll() is None:  # poll() may already have reaped a run that finished before its kill point
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except ProcessLookupError:  # exited between poll() and kill()
            pass
    proc.wait(timeout=30)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _rows_by_plan(db: Path) -> dict[str, dict[str, list[tuple]]]:
    snap = bad.db_snapshot(db)
    out: dict[str, dict[str, list[tuple]]] = {}
    for table in PER_PLAN_TABLES:
        for row in snap[table]:
            out.setdefault(row[0], {t: [] for t in PER_PLAN_TABLES})[table].append(row)
    return out


def _assert_consistent(db: Path, out: Path, reference: dict[str, dict[str, list[tuple]]]) -> int:
    """Every plan in the DB is complete and equal to the reference; returns how many there are."""
    if not db.exists():
        return 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "plans" not in tables:  # killed while the file was being set up: its schema is all or nothing
            assert not tables, f"half-created schema: {sorted(tables)}"
            return 0
        ids = [r[0] for r in con.execute("SELECT plan_id FROM plans").fetchall()]
        assert len(ids) == len(set(ids)), "duplicate plans"
        for pid, page_count in con.execute("SELECT plan_id, page_count FROM plans").fetchall():
            n = con.execute("SELECT count(*) FROM pages WHERE plan_id = ?", [pid]).fetchone()[0]
            assert n == page_count, f"plan {pid} half-written: {n} of {page_count} pages"
            assert (out / f"{pid}.json").exists(), f"plan {pid} in DuckDB without its JSON"
        orphans = con.execute("SELECT count(*) FROM pages WHERE plan_id NOT IN (SELECT plan_id FROM plans)")
        assert orphans.fetchone()[0] == 0, "rows of a plan that was never committed"
        docs = con.execute("SELECT count(*) FROM documents WHERE superseded_at IS NULL").fetchone()[0]
        assert docs == len(ids), "documents and plans disagree (the samples are distinct plans)"
    finally:
        con.close()
    got = _rows_by_plan(db)
    for pid, rows in got.items():
        assert rows == reference[pid], f"plan {pid} differs from an uninterrupted run"
    return len(got)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    bad.unique_seed_copies(folder, 12, max_lines=80)
    return folder


@pytest.fixture(scope="module")
def reference(inbox: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("reference")
    summary = ingest([str(inbox)], work / "db.duckdb", work / "out", workers=1, progress=False)
    assert summary.failed == 0 and summary.ok + summary.partial == 12
    return {"by_plan": _rows_by_plan(work / "db.duckdb"), "all": bad.db_snapshot(work / "db.duckdb")}


def test_kill_9_at_random_moments_then_rerun_completes(inbox, reference, tmp_path):
    db, out = tmp_path / "db.duckdb", tmp_path / "out"
    rng = random.Random(6)
    # Kill points: while starting up, after the first plan, and twice more mid-run; each with random jitter.
    for extra_plans in (0, 1, 3):
        before = _n_json(out)
        proc = _start(inbox, db, out)
        if extra_plans:
            _wait_for(lambda n=before + extra_plans, p=proc: _n_json(out) >= n or p.poll() is not None)
        time.sleep(rng.uniform(0.0, 0.4))
        finished_early = proc.poll() is not None
        _kill9(proc)
        # The working file keeps every finished plan; the snapshot is the last published run, whole.
        stored = _assert_consistent(working_path(db), out, reference["by_plan"])
        published = _assert_consistent(db, out, reference["by_plan"])
        print(f"kill after >= {extra_plans} more plan(s): {stored} plans stored, {published} published, all complete")
        assert published in (0, 12) and stored <= 12
        if finished_early:
            break
    final = subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", str(inbox), "--db", str(db), "--out", str(out),
         "--workers", "2", "--no-progress"], cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert final.returncode == 0, final.stderr
    assert _assert_consistent(db, out, reference["by_plan"]) == 12
    assert bad.db_snapshot(db) == reference["all"]
    assert not list(out.glob("*.tmp*")), "temporary JSON left behind"


def test_second_ingest_on_the_same_db_waits_or_exits_clearly(tmp_path):
    inbox, db, out = tmp_path / "inbox", tmp_path / "db.duckdb", tmp_path / "out"
    bad.unique_seed_copies(inbox, 4, max_lines=80)
    # A scanned page to OCR keeps the first ingest busy (and holding the database) for several seconds.
    bad.plan_with_blank_scan_pdf(inbox / "with_scan.pdf", tmp_path)
    bad.plan_with_blank_scan_pdf(inbox / "with_scan_2.pdf", tmp_path, text_pages=3)
    # Blank sheets are not OCR'd, and with tesseract in-process the rest is done in about a second:
    # a real 6-page scan keeps the first ingest holding the database for several seconds more.
    shutil.copy(REPO / "data" / "raw" / "generated" / "gen_dongnai_scan.pdf", inbox / "scan.pdf")
    first = _start(inbox, db, out)
    try:
        # The working file exists once the first ingest has opened it, i.e. holds the write lock.
        assert _wait_for(lambda: working_path(db).exists() or first.poll() is not None)
        assert first.poll() is None, "first ingest finished too fast to test contention"
        impatient = subprocess.run(
            [sys.executable, "-m", "pipeline", "ingest", str(inbox), "--db", str(db), "--out", str(out),
             "--lock-wait", "0.5"], cwd=REPO, capture_output=True, text=True, timeout=120,
        )
        assert impatient.returncode == 1
        lines = impatient.stderr.strip().splitlines()
        assert len(lines) == 1 and "in use by another process" in lines[0] and f"PID {first.pid}" in lines[0], lines
        patient = subprocess.run(
            [sys.executable, "-m", "pipeline", "ingest", str(inbox), "--db", str(db), "--out", str(out),
             "--lock-wait", "300", "--no-progress"], cwd=REPO, capture_output=True, text=True, timeout=600,
        )
        assert first.wait(timeout=600) == 0
        assert patient.returncode == 0, patient.stderr
        assert "7 unchanged" in patient.stderr  # it waited for the first, which had done everything
    finally:
        if first.poll() is None:
            _kill9(first)
    snap = bad.db_snapshot(db)
    # 7 documents; the three PDFs of the clean seed's plan (300/KH) are copies of one plan.
    assert len(snap["documents"]) == 7 and len(snap["plans"]) == 5 and not snap["ingest_errors"]
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT sum(page_count) FROM plans").fetchone() == (con.execute(
        "SELECT count(*) FROM pages").fetchone()[0],)


def test_store_waits_for_a_lock_holder_that_finishes(tmp_path):
    db = tmp_path / "p.duckdb"
    Store(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ready', flush=True); "
         "time.sleep(1.5); c.close()"], stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseBusyError, match=rf"PID {holder.pid}\) after waiting 0.2 s"):
            Store(db, wait_seconds=0.2)
        started = time.monotonic()
        with Store(db, wait_seconds=60) as store:
            assert store.con.execute("SELECT count(*) FROM plans").fetchone() == (0,)
        assert time.monotonic() - started >= 0.5
    finally:
        holder.kill()
        holder.wait()
