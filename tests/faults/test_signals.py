"""Signals to the main process: kill -9 leaves no process of the run behind; Ctrl-C (SIGINT to the
whole process group, as a terminal sends it) stops within 2 s with one line and no traceback,
keeping what was done, and the same command then finishes the job."""

from __future__ import annotations

import os
import signal
import tempfile
import time
from pathlib import Path

from tests.faults.helpers import (
    SEED,
    checkpointed_pages,
    cli,
    fill_db,
    interrupt_once_checkpointed,
    kill_session,
    no_traceback,
    query,
    query_files,
    scan_pdf,
    session_pids,
    start,
    wait_for,
)


def test_kill_9_of_main_leaves_no_process_and_the_next_run_cleans_its_temp_files(tmp_path):
    scan = scan_pdf(tmp_path / "scan.pdf", 6)
    tmp = Path(tempfile.mkdtemp(prefix="cchc-t-", dir="/tmp"))  # short: the fork server's socket is in it
    out = tmp_path / "out"
    proc = start("ingest", str(scan), "--db", str(tmp_path / "db.duckdb"), "--out", str(out), "--workers", "2",
                 "--no-progress", extra_env={"TMPDIR": str(tmp)})
    try:
        # the fork server, the resource tracker and both workers are up once a page is in
        assert wait_for(lambda: checkpointed_pages(out) >= 1 or proc.poll() is not None, 300)
        assert proc.poll() is None, proc.stderr.read()
        assert len(session_pids(proc.pid)) >= 3
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        time.sleep(5)
        assert session_pids(proc.pid) == []
    finally:
        kill_session(proc.pid)
    assert list(tmp.glob("cchc-run-*")), "the killed run's temporary folder"
    r = cli("ingest", str(SEED), "--db", str(tmp_path / "db2.duckdb"), "--out", str(tmp_path / "out2"),
            "--workers", "1", extra_env={"TMPDIR": str(tmp)})
    assert r.returncode == 0, r.stderr
    assert list(tmp.iterdir()) == [], "temporary files left behind"
    tmp.rmdir()


PRIOR_PLANS = 200
"""Plans already in the database (an earlier run's): the interrupt's cost must not grow with them."""


def test_sigint_stops_within_2_s_keeps_work_and_the_rerun_completes(tmp_path):
    """With a database that already holds 200 plans (~8 MB working file): the interrupt does not
    publish the snapshot (publishing consolidates every plan, and grows with the database), it
    keeps the work in the working file, and the next run publishes it."""
    inbox, out, db = tmp_path / "in", tmp_path / "out", tmp_path / "db.duckdb"
    inbox.mkdir()
    (inbox / "plan.txt").write_bytes(SEED.read_bytes())
    scan_pdf(inbox / "scan.pdf", 6)
    seed_db, seed_out = tmp_path / "seed.duckdb", tmp_path / "seed"
    assert cli("ingest", str(SEED), "--db", str(seed_db), "--out", str(seed_out), "--workers", "1").returncode == 0
    fill_db(db, next(seed_out.glob("*.json")), PRIOR_PLANS, tmp_path / "prior")
    snapshot_before = db.stat().st_mtime_ns
    args = ("ingest", str(inbox), "--db", str(db), "--out", str(out), "--workers", "2", "--no-progress")
    proc = start(*args)
    err, took = interrupt_once_checkpointed(proc, out)
    assert proc.returncode == 130, err
    print(f"SIGINT to exit: {took:.2f} s, with {PRIOR_PLANS} plans in the database")
    assert took <= 2.0, took
    assert no_traceback(err), err
    last = err.strip().splitlines()[-1]
    assert last.startswith("interrupted by SIGINT") and "resume" in last and ".checkpoints" in last, err
    assert checkpointed_pages(out) >= 1  # the pages read so far are kept
    # the text dump, finished before the scan, is in the working file; the snapshot is the one before
    assert query_files(db, "SELECT count(*) FROM plans") == [(PRIOR_PLANS + 1,)]
    assert db.stat().st_mtime_ns == snapshot_before
    assert query(db, "SELECT count(*) FROM documents") == [(PRIOR_PLANS,)]
    r = cli(*args)
    assert r.returncode == 0, r.stderr
    assert query(db, "SELECT count(*) FROM documents") == [(PRIOR_PLANS + 2,)]  # published now
    assert query_files(db, "SELECT count(*) FROM pages g JOIN plans p USING (plan_id) WHERE p.source_path LIKE '%scan.pdf' "
                     "AND g.method = 'ocr'") == [(6,)]
    assert not (out / ".checkpoints").exists() or not list((out / ".checkpoints").iterdir())
