"""The database as a source of truth: the published snapshot under edits, deletions, readers,
concurrent commands and kills. Real files, the real CLI in real processes, real DuckDB files."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from pipeline.snapshot import PUBLISH_MARK, working_path
from schema.store import Store, document_tables
from tests.conftest import REPO
from tests.fixtures import bad_inputs as bad


def _cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)


def _ingest(inbox: Path, db: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return _cli("ingest", str(inbox), "--db", str(db), "--out", str(out), "--workers", "2", "--no-progress", *extra)


def table_hashes(db: Path) -> dict[str, str]:
    """A hash of every table of every schema, timestamps included: equal hashes, equal database."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY ALL"
        ).fetchall()
        out = {}
        for schema, table in names:
            rows = con.execute(f'SELECT * FROM "{schema}"."{table}"').fetchall()
            out[f"{schema}.{table}"] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
        return out
    finally:
        con.close()


def _ids_everywhere(db: Path, document_id: str) -> dict[str, int]:
    """Rows naming a document id (or its sha) in any table of any schema."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = {}
        for schema, table in con.execute(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall():
            cols = [r[0] for r in con.execute(f'DESCRIBE "{schema}"."{table}"').fetchall()]
            for col in {"plan_id", "document_id", "source_sha256", "kept_sha256"} & set(cols):
                n = con.execute(f'SELECT count(*) FROM "{schema}"."{table}" WHERE starts_with("{col}", ?)',
                                [document_id]).fetchone()[0]
                if n:
                    found[f"{schema}.{table}.{col}"] = n
        return found
    finally:
        con.close()


def _count(db: Path, sql: str, params: list | None = None) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchone()[0]
    finally:
        con.close()


def test_rerun_over_unchanged_inputs_changes_nothing(tmp_path):
    inbox, db, out = tmp_path / "inbox", tmp_path / "p.duckdb", tmp_path / "out"
    bad.unique_seed_copies(inbox, 3, max_lines=80)
    bad.invoice_txt(inbox / "invoice.txt")  # not a plan: stored as failed, with an error row
    bad.corrupt_pdf(inbox / "corrupt.pdf")  # unreadable: an error row only
    first = _ingest(inbox, db, out)
    assert first.returncode == 1, first.stderr
    before, stat = table_hashes(db), db.stat()
    second = _ingest(inbox, db, out)
    assert second.returncode == 1 and "3 unchanged" in second.stderr, second.stderr
    assert table_hashes(db) == before
    assert (db.stat().st_mtime_ns, db.stat().st_ino) == (stat.st_mtime_ns, stat.st_ino), "snapshot rewritten"
    forced = _ingest(inbox, db, out, "--force")  # reads everything again, finds the same: still nothing changes
    assert forced.returncode == 1
    assert table_hashes(db) == before


def test_edit_then_reingest_and_delete_then_prune_leave_no_stale_rows(tmp_path):
    inbox, db, out = tmp_path / "inbox", tmp_path / "p.duckdb", tmp_path / "out"
    files = bad.unique_seed_copies(inbox, 3, max_lines=80)
    assert _ingest(inbox, db, out).returncode == 0
    old_id = _count_id(db, files[1])

    # Edit one file in place: its old document becomes history, and nothing else of it is left.
    files[1].write_text(files[1].read_text(encoding="utf-8") + "\nSửa đổi: bổ sung một dòng.\n", encoding="utf-8")
    edited = _ingest(inbox, db, out)
    assert edited.returncode == 0, edited.stderr
    new_id = _count_id(db, files[1])
    assert new_id != old_id
    assert _count(db, "SELECT count(*) FROM plans") == 3
    assert _count(db, "SELECT count(*) FROM documents WHERE superseded_at IS NULL") == 3
    history = _ids_everywhere(db, old_id)
    assert history == {"main.documents.document_id": 1, "main.documents.source_sha256": 1}, history
    assert _count(db, "SELECT count(*) FROM documents WHERE document_id = ? AND superseded_at IS NOT NULL", [old_id]) == 1

    # Delete a file: ingest reports it and keeps it; prune --dry-run lists it; prune removes it.
    gone_id = _count_id(db, files[2])
    files[2].unlink()
    after_delete = _ingest(inbox, db, out)
    assert after_delete.returncode == 0
    assert "1 document(s)" in after_delete.stderr and "prune" in after_delete.stderr, after_delete.stderr
    assert _count(db, "SELECT count(*) FROM plans") == 3, "pruned silently"
    before = table_hashes(db)
    dry = _cli("prune", "--db", str(db), "--dry-run")
    assert dry.returncode == 0 and dry.stdout.splitlines() == [str(files[2])], (dry.stdout, dry.stderr)
    assert table_hashes(db) == before
    assert (out / f"{gone_id}.json").exists()
    pruned = _cli("prune", "--db", str(db), str(inbox), "--out", str(out))
    assert pruned.returncode == 0 and pruned.stdout.splitlines() == [str(files[2])]
    assert not (out / f"{gone_id}.json").exists()
    assert _count(db, "SELECT count(*) FROM plans") == 2
    assert _ids_everywhere(db, gone_id) == {}
    assert _ids_everywhere(working_path(db), gone_id) == {}
    again = _ingest(inbox, db, out)
    assert "no file any more" not in again.stderr and "2 unchanged" in again.stderr


def _count_id(db: Path, path: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT document_id FROM documents WHERE source_path = ? AND superseded_at IS NULL",
                           [str(path)]).fetchone()[0]
    finally:
        con.close()


READER = """
import sys, duckdb
db = sys.argv[1]
con = duckdb.connect(db, read_only=True)
print(con.execute("SELECT count(*) FROM plans").fetchone()[0], flush=True)
sys.stdin.readline()
print(con.execute("SELECT count(*) FROM plans").fetchone()[0], flush=True)  # the snapshot it opened
con.close()
con = duckdb.connect(db, read_only=True)
print(con.execute("SELECT count(*) FROM plans").fetchone()[0], flush=True)  # the new one
"""


def test_a_reader_holding_the_snapshot_never_blocks_ingest(tmp_path):
    inbox, db, out = tmp_path / "inbox", tmp_path / "p.duckdb", tmp_path / "out"
    files = bad.unique_seed_copies(tmp_path / "all", 6, max_lines=60)
    inbox.mkdir()
    files[0].rename(inbox / files[0].name)
    assert _ingest(inbox, db, out).returncode == 0
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "1"
        for f in files[1:]:
            f.rename(inbox / f.name)
        run = _ingest(inbox, db, out, "--lock-wait", "0")  # nothing to wait for: the reader holds no lock on it
        assert run.returncode == 0, run.stderr
        assert "5 ok" in run.stderr
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "1"
        assert reader.stdout.readline().strip() == "6"
        assert reader.wait(timeout=60) == 0
    finally:
        if reader.poll() is None:
            reader.kill()
            reader.wait()


@pytest.mark.slow
def test_eval_and_export_run_during_an_ingest(tmp_path):
    inbox, db, out = tmp_path / "inbox", tmp_path / "p.duckdb", tmp_path / "out"
    bad.unique_seed_copies(inbox, 1, max_lines=80)
    assert _ingest(inbox, db, out).returncode == 0
    # A 6-page scan keeps the second ingest busy (OCR, one worker) for well over the readers' time.
    (inbox / "scan.pdf").write_bytes((REPO / "data" / "raw" / "generated" / "gen_dongnai_scan.pdf").read_bytes())
    ingest = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "ingest", str(inbox), "--db", str(db), "--out", str(out),
         "--workers", "1", "--no-progress"], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # Under way: the working file is held (a writer could not open it) once the ingest started.
        end = time.monotonic() + 120
        while ingest.poll() is None and time.monotonic() < end and not _held(working_path(db)):
            time.sleep(0.1)
        assert ingest.poll() is None, "ingest finished before the readers could start"
        ev = _cli("eval", "--gold", str(REPO / "tests" / "gold"), "--db", str(db))
        ex = _cli("export", "--db", str(db), "--parquet", str(tmp_path / "parquet"))
        still_running = ingest.poll() is None
        assert ev.returncode == 0 and ev.stdout.splitlines()[-1].startswith("overall_f1: "), ev.stderr
        assert ex.returncode == 0 and (tmp_path / "parquet" / "plans.parquet").exists(), ex.stderr
        assert still_running, "the ingest ended before eval and export did: nothing was shown"
        assert ingest.wait(timeout=600) == 0, ingest.stderr.read()
    finally:
        if ingest.poll() is None:
            ingest.kill()
            ingest.wait()
    assert _count(db, "SELECT count(*) FROM documents") == 2


def _held(path: Path) -> bool:
    """True when another process holds DuckDB's lock on `path` (a read-only open is refused then)."""
    try:
        duckdb.connect(str(path), read_only=True).close()
    except duckdb.IOException:
        return True
    return False


def test_kill_9_during_publish_leaves_the_previous_snapshot(tmp_path):
    inbox, db, out = tmp_path / "inbox", tmp_path / "p.duckdb", tmp_path / "out"
    extra = bad.unique_seed_copies(tmp_path / "later", 8)
    bad.unique_seed_copies(inbox, 12)
    for f in extra:  # the seed copies' numbers repeat: give the later ones their own (5 digits: not an OCR slip)
        f.write_text(f.read_text(encoding="utf-8").replace("Số: ", "Số: 7", 1), encoding="utf-8")
    assert _ingest(inbox, db, out).returncode == 0
    hits = 0
    for f in extra:
        before = table_hashes(db)
        f.rename(inbox / f"later_{f.name}")
        proc = subprocess.Popen(
            [sys.executable, "-m", "pipeline", "ingest", str(inbox), "--db", str(db), "--out", str(out),
             "--workers", "1", "--no-progress"], cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        tmp = db.with_name(f".{db.name}{PUBLISH_MARK}{proc.pid}")
        while proc.poll() is None and not tmp.exists():
            time.sleep(0.0005)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # while the new snapshot is being written
            proc.wait()
        if tmp.exists():  # killed before the rename: the previous snapshot must be untouched
            hits += 1
            assert table_hashes(db) == before, "the published snapshot changed under a killed publish"
        else:  # finished (or renamed) first: then it is the whole new snapshot
            assert _count(db, "SELECT count(*) FROM plans") == len(list(inbox.iterdir()))
        if hits >= 2:
            break
    assert hits >= 1, "no kill landed during a publish"
    final = _ingest(inbox, db, out)
    assert final.returncode == 0, final.stderr
    assert _count(db, "SELECT count(*) FROM plans") == len(list(inbox.iterdir()))
    assert not list(tmp_path.glob(f".{db.name}{PUBLISH_MARK}*")), "half-written snapshot left behind"


def test_paths_with_quotes_spaces_and_vietnamese(tmp_path):
    base = tmp_path / "Kế hoạch 'số' \"1\" năm 2024; DROP TABLE plans"
    inbox, db, out = base / "hồ sơ vào", base / "dữ liệu 'CCHC'.duckdb", base / "kết quả"
    bad.unique_seed_copies(inbox, 2, max_lines=60)
    run = _ingest(inbox, db, out)
    assert run.returncode == 0, run.stderr
    parquet = base / "xuất 'parquet' \"ở đây\""
    ex = _cli("export", "--db", str(db), "--parquet", str(parquet))
    assert ex.returncode == 0, ex.stderr
    con = duckdb.connect()
    assert con.execute("SELECT count(*) FROM read_parquet(?)", [str(parquet / "plans.parquet")]).fetchone() == (2,)
    assert con.execute("SELECT count(*) FROM read_parquet(?)", [str(parquet / "documents.parquet")]).fetchone() == (2,)
    assert _cli("prune", "--db", str(db), "--dry-run").returncode == 0


def test_a_database_of_the_old_layout_is_migrated_without_reading_again(tmp_path):
    from pipeline.process import process_file

    inbox, db, out = tmp_path / "inbox", tmp_path / "p.duckdb", tmp_path / "out"
    (path,) = bad.unique_seed_copies(inbox, 1, max_lines=80)
    with Store(db) as legacy:  # the old layout: the file analysts opened was the one ingest wrote
        legacy.write_plan(process_file(str(path)))
        for table in ("documents", "plan_documents", "conflicts", "store_meta"):
            legacy.con.execute(f"DROP TABLE {table}")
    run = _ingest(inbox, db, out)
    assert run.returncode == 0 and "1 unchanged" in run.stderr, run.stderr
    assert _count(db, "SELECT count(*) FROM plans") == 1
    assert _count(db, "SELECT count(*) FROM plan_documents WHERE role = 'primary'") == 1
    assert working_path(db).exists()


def test_snapshot_tables_partition_the_documents(tmp_path):
    """Every document's rows are in the main tables (primary) or in `copies` (the others), never both."""
    inbox, db, out = tmp_path / "inbox", tmp_path / "p.duckdb", tmp_path / "out"
    (path,) = bad.unique_seed_copies(inbox, 1, max_lines=80)
    twin = inbox / "twin.txt"
    twin.write_text(path.read_text(encoding="utf-8") + "\n(bản chụp lại)\n", encoding="utf-8")
    assert _ingest(inbox, db, out).returncode == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM plans").fetchone() == (1,)
        assert con.execute("SELECT count(*) FROM copies.plans").fetchone() == (1,)
        assert con.execute("SELECT count(*), count(DISTINCT plan_id) FROM plan_documents").fetchone() == (2, 1)
        for table in document_tables():
            both = con.execute(
                f"SELECT count(*) FROM {table} WHERE plan_id IN (SELECT plan_id FROM copies.{table})").fetchone()
            assert both == (0,), table
    finally:
        con.close()


def test_an_analyst_holding_the_snapshot_read_write_blocks_nobody_but_is_named(tmp_path):
    """DuckDB's CLI opens read-write unless told -readonly: ingest still publishes; eval says why it cannot read."""
    inbox, db, out = tmp_path / "inbox", tmp_path / "p.duckdb", tmp_path / "out"
    files = bad.unique_seed_copies(tmp_path / "all", 2, max_lines=60)
    inbox.mkdir()
    files[0].rename(inbox / files[0].name)
    assert _ingest(inbox, db, out).returncode == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
         "sys.stdin.readline()", str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        files[1].rename(inbox / files[1].name)
        run = _ingest(inbox, db, out, "--lock-wait", "0")
        assert run.returncode == 0, run.stderr
        ev = _cli("eval", "--gold", str(REPO / "tests" / "gold"), "--db", str(db))
        # The holder has the old file (replaced under it); the new snapshot is free to read.
        assert ev.returncode == 0, ev.stderr
        assert _count(db, "SELECT count(*) FROM plans") == 2
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    # Held read-write at the path itself: eval explains in one line instead of a traceback.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
         "sys.stdin.readline()", str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        ev = _cli("eval", "--gold", str(REPO / "tests" / "gold"), "--db", str(db))
        assert ev.returncode == 1 and len(ev.stderr.strip().splitlines()) == 1, ev.stderr
        assert f"PID {holder.pid}" in ev.stderr and "read-only" in ev.stderr
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)


def test_plan_id_is_the_same_whatever_order_the_copies_arrive_in(tmp_path):
    (path,) = bad.unique_seed_copies(tmp_path / "src", 1, max_lines=80)
    twin = tmp_path / "src" / "twin.txt"
    twin.write_text(path.read_text(encoding="utf-8") + "\n(bản chụp lại)\n", encoding="utf-8")
    together, one_by_one = tmp_path / "a", tmp_path / "b"
    for folder in (together, one_by_one):
        (folder / "inbox").mkdir(parents=True)
    for f in (path, twin):
        (together / "inbox" / f.name).write_bytes(f.read_bytes())
    assert _ingest(together / "inbox", together / "p.duckdb", together / "out").returncode == 0
    for f in (twin, path):  # the other order, in two runs
        (one_by_one / "inbox" / f.name).write_bytes(f.read_bytes())
        assert _ingest(one_by_one / "inbox", one_by_one / "p.duckdb", one_by_one / "out").returncode == 0
    links = "SELECT plan_id, source_sha256, role, score FROM plan_documents ORDER BY ALL"
    got = [duckdb.connect(str(f / "p.duckdb"), read_only=True).execute(links).fetchall() for f in (together, one_by_one)]
    assert got[0] == got[1] and len(got[0]) == 2


def test_a_moved_file_keeps_its_rows(tmp_path):
    inbox, db, out = tmp_path / "inbox", tmp_path / "p.duckdb", tmp_path / "out"
    (path,) = bad.unique_seed_copies(inbox, 1, max_lines=80)
    assert _ingest(inbox, db, out).returncode == 0
    (inbox / "moved").mkdir()
    moved = path.rename(inbox / "moved" / "renamed.txt")
    run = _ingest(inbox, db, out)
    assert run.returncode == 0 and "1 unchanged" in run.stderr and "no file any more" not in run.stderr, run.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT source_path FROM documents").fetchall() == [(str(moved),)]
    assert con.execute("SELECT source_path FROM plans").fetchall() == [(str(moved),)]
