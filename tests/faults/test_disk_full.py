"""The disk fills up mid-run: one line naming the cause (not "cannot rollback"), what was committed
stays, and once there is room the same command completes the job. A real small tmpfs holds --db
and --out."""

from __future__ import annotations

import pytest

from pipeline.snapshot import working_path
from tests.faults.helpers import cli, mount_tmpfs, no_traceback, query, remount, umount
from tests.fixtures import bad_inputs as bad


def test_disk_full_mid_run_then_rerun_completes(tmp_path):
    inbox = tmp_path / "in"
    bad.unique_seed_copies(inbox, 30)
    disk = tmp_path / "disk"
    if not mount_tmpfs(disk, "3m"):
        pytest.skip("needs root to mount a small tmpfs")
    try:
        db, out = disk / "plans.duckdb", disk / "out"
        args = ("ingest", str(inbox), "--db", str(db), "--out", str(out), "--workers", "2")
        r = cli(*args)
        assert r.returncode == 1, r.stderr
        assert no_traceback(r), r.stderr
        errors = [ln for ln in r.stderr.splitlines() if ln.startswith("error: ")]
        assert len(errors) == 1 and "No space left on device" in errors[0], r.stderr
        assert "cannot rollback" not in r.stderr
        remount(disk, "size=64m")
        # Committed documents stay in the working file; the snapshot is published by a run that ends well.
        stored = query(working_path(db), "SELECT count(*) FROM plans")[0][0]
        assert stored < 30
        r = cli(*args)
        assert r.returncode == 0, r.stderr
        assert query(db, "SELECT count(*) FROM plans") == [(30,)]
        assert query(db, "SELECT count(*) FROM ingest_errors") == [(0,)]
        assert not list(out.glob("*.tmp*"))
    finally:
        umount(disk)
