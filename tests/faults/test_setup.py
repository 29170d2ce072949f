"""Setup errors are found before any work: exit 3, one line, no database, no output.

Read-only folders are real read-only file systems (a tmpfs mounted `ro`: root, which these tests
run as, writes through any chmod)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.faults.helpers import SEED, cli, mount_tmpfs, no_traceback, remount, scan_pdf, umount


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "plan.txt").write_bytes(SEED.read_bytes())
    scan_pdf(folder / "scan.pdf", 1)
    return folder


@pytest.fixture
def ro_mount(tmp_path: Path):
    target = tmp_path / "ro"
    # room for the working file, the snapshot and the one being published (each ~4 MB on one seed)
    if not mount_tmpfs(target, "64m"):
        pytest.skip("needs root to mount a read-only tmpfs")
    yield target
    umount(target)


def _one_error_line(r, *words: str) -> None:
    assert r.returncode == 3, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), r.stderr
    assert all(w in lines[0] for w in words), lines[0]
    assert no_traceback(r)


def _ingest(inbox: Path, db: Path, out: Path, **env: str):
    return cli("ingest", str(inbox), "--db", str(db), "--out", str(out), "--workers", "2", extra_env=env)


def test_missing_vie_language_data(inbox, tmp_path):
    data = tmp_path / "tessdata"
    data.mkdir()
    for lang in ("eng", "osd"):
        (data / f"{lang}.traineddata").symlink_to(f"/usr/share/tesseract-ocr/5/tessdata/{lang}.traineddata")
    r = _ingest(inbox, tmp_path / "db.duckdb", tmp_path / "out", TESSDATA_PREFIX=str(data))
    _one_error_line(r, "language data missing: vie", "tesseract-ocr-vie")
    assert not (tmp_path / "db.duckdb").exists()


def test_out_is_a_file(inbox, tmp_path):
    (tmp_path / "out").write_text("x")
    _one_error_line(_ingest(inbox, tmp_path / "db.duckdb", tmp_path / "out"), "is a file, not a folder")
    assert not (tmp_path / "db.duckdb").exists()


def test_out_read_only(inbox, tmp_path, ro_mount):
    (ro_mount / "out").mkdir()
    remount(ro_mount, "ro")
    _one_error_line(_ingest(inbox, tmp_path / "db.duckdb", ro_mount / "out"), "not writable", "Read-only file system")
    assert not (tmp_path / "db.duckdb").exists()


def test_db_read_only(inbox, tmp_path, ro_mount):
    r = cli("ingest", str(inbox / "plan.txt"), "--db", str(ro_mount / "db.duckdb"), "--out", str(tmp_path / "o0"))
    assert r.returncode == 0, r.stderr
    remount(ro_mount, "ro")
    _one_error_line(_ingest(inbox, ro_mount / "db.duckdb", tmp_path / "out"), "not writable", "Read-only file system")
    assert not list((tmp_path / "out").glob("*.json"))


def _sqlite(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE plans (a)")
    con.commit()
    con.close()


@pytest.mark.parametrize("kind,make,words", [
    ("directory", lambda p: p.mkdir(), ["is a directory"]),
    ("random bytes", lambda p: p.write_bytes(bytes(range(256)) * 64), ["not a DuckDB database"]),
    ("0-byte file", lambda p: p.write_bytes(b""), ["empty (0-byte) file"]),
    ("SQLite file", _sqlite, ["is a SQLite database"]),
])
def test_db_that_is_not_a_duckdb_file(inbox, tmp_path, kind, make, words):
    db = tmp_path / "plans.duckdb"
    make(db)
    before = db.read_bytes() if db.is_file() else None
    _one_error_line(_ingest(inbox, db, tmp_path / "out"), *words)
    assert not list((tmp_path / "out").glob("*.json"))
    if before is not None:
        assert db.read_bytes() == before  # untouched
