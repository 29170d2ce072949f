"""The published snapshot analysts open, and the working file only ingest writes.

DuckDB lets one process write a database file, or many processes read it, never both
(https://duckdb.org/docs/current/connect/concurrency): an analyst's read-only connection would
make a writer fail, and a writer would lock every analyst out. So `--db FILE` is never written
in place:
- ingest (and prune) write `FILE.work` (the *working* file; DuckDB's lock on it is also what
  makes a second ingest wait, or exit with a one-line message naming the holder);
- at the end of a run that changed something, `publish` groups copies into plans, writes a new
  file next to FILE, fsyncs it and renames it over FILE (an atomic replace on POSIX), then
  fsyncs the folder. A reader holding FILE open keeps reading the snapshot it opened; the next
  open sees the new one. A kill at any point leaves FILE as it was, or as the new snapshot.

In the snapshot, `plans`, `areas`, `targets`, `tasks`, `task_agencies` and `pages` hold each
plan once, from its best copy (`plan_documents` says which documents fed it, `conflicts` where
they disagree); the schema `copies` holds the same tables for the other copies, so what each
copy read stays queryable (and `pipeline eval` can score every labelled file).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from pipeline.identity import Copy, copy_score, group_copies
from pipeline.names import original_path
from schema.ddl import create_table_sql
from schema.records import TABLES, ConflictRow, PlanDocumentRow, SnapshotRow
from schema.store import CATALOG, Store, document_tables, now_utc

WORK_SUFFIX = ".work"
PUBLISH_MARK = ".publish-"
SNAPSHOT = "snap"

CONFLICT_FIELDS = ("doc_number", "doc_type", "issuer", "admin_level", "locality", "issue_date", "title",
                   "period_start", "period_end", "signer", "place", "plan_doc_number")
"""Plan fields compared across copies (facts about the file itself, like page_count, are not)."""


def working_path(db: str | Path) -> Path:
    """The file ingest writes for the snapshot `db` (same folder, so the rename is atomic)."""
    db = Path(db)
    return db.with_name(db.name + WORK_SUFFIX)


def open_working(db: str | Path, wait_seconds: float = 0.0) -> Store:
    """The working store of `db`, exclusively; a database written by an older version (the
    snapshot file itself was the working file then) is copied over once to become it."""
    work = working_path(db)
    migrate = not work.exists() and Path(db).exists() and _is_legacy(Path(db))
    if migrate:
        _copy_database(Path(db), work)
    store = Store(work, wait_seconds=wait_seconds, label=str(db))
    if migrate:
        store.touch()  # publish the new layout over the old file even if no input changed
    return store


@contextmanager
def writing(db: str | Path, wait_seconds: float = 10.0,
            report: Callable[[str], object] | None = None) -> Iterator[Store]:
    """For any command that changes the database (ingest, prune, an analyst's corrections...):
    the working store, exclusively, and the snapshot published when the block ends without an
    error (an early `return` included). Writing to the snapshot file itself would be lost at the
    next publish. `report` is told, in one line, about documents whose files are gone."""
    with open_working(db, wait_seconds=wait_seconds) as store:
        yield store
        publish(store, db)
        if report is not None and (gone := gone_message(store, db)):
            report(gone)


def _is_legacy(db: Path) -> bool:
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return False
    try:
        names = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
        return "plans" in names and "snapshot" not in names
    finally:
        con.close()


def _copy_database(src: Path, dst: Path) -> None:
    tmp = dst.with_name(dst.name + f"{PUBLISH_MARK}{os.getpid()}")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute("ATTACH ? AS legacy (READ_ONLY)", [str(src)])
        con.execute("ATTACH ? AS fresh", [str(tmp)])
        con.execute("COPY FROM DATABASE legacy TO fresh")
        con.execute("DETACH fresh")
    finally:
        con.close()
    _fsync(tmp)
    os.replace(tmp, dst)
    _fsync(dst.parent)


# -- grouping copies into plans --------------------------------------------------------------


def consolidate(store: Store) -> dict[str, Any]:
    """Group the current documents into plans, pick each plan's primary copy and list the fields
    its copies disagree on; rewrites `plan_documents`, `conflicts` and `documents.plan_id`."""
    con = store.con
    rows = con.execute(
        """SELECT d.source_sha256, p.doc_number, p.plan_doc_number, p.issuer, p.locality, p.issue_date, p.title,
                  p.period_start, p.period_end, d.text_source, d.ocr_confidence, d.status, d.page_count, d.document_id
           FROM documents d JOIN plans p ON p.source_sha256 = d.source_sha256
           WHERE d.superseded_at IS NULL ORDER BY d.source_sha256"""
    ).fetchall()
    doc_id = {r[0]: r[-1] for r in rows}
    groups = group_copies([Copy(*r[:-1]) for r in rows])
    links: list[PlanDocumentRow] = []
    for group in groups:
        plan_id = doc_id[group[0].source_sha256]
        for i, c in enumerate(group):
            links.append(PlanDocumentRow(plan_id=plan_id, source_sha256=c.source_sha256,
                                         role="primary" if i == 0 else "copy", score=copy_score(c)))
    conflicts = _conflicts(con, [[(c.source_sha256, doc_id[c.source_sha256]) for c in g] for g in groups if len(g) > 1])
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM plan_documents")
        con.execute("DELETE FROM conflicts")
        store._insert("plan_documents", links)
        store._insert("conflicts", conflicts)
        con.execute(
            """UPDATE documents SET plan_id = pd.plan_id FROM plan_documents pd
               WHERE pd.source_sha256 = documents.source_sha256 AND documents.plan_id IS DISTINCT FROM pd.plan_id"""
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {"documents": len(rows), "plans": len(groups), "conflicts": len(conflicts)}


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _same_value(a: str | None, b: str | None) -> bool:
    def n(x: str | None) -> str | None:
        return None if x is None else " ".join(unicodedata.normalize("NFC", x).casefold().split())

    return n(a) == n(b)


def _document_values(con: duckdb.DuckDBPyConnection, document_ids: list[str]) -> dict[str, dict[str, str | None]]:
    cols = ", ".join(f'"{c}"' for c in CONFLICT_FIELDS)
    out: dict[str, dict[str, str | None]] = {}
    for pid, *vals in con.execute(
        f"SELECT plan_id, {cols} FROM plans WHERE list_contains(?, plan_id)", [document_ids]
    ).fetchall():
        out[pid] = {f: _as_text(v) for f, v in zip(CONFLICT_FIELDS, vals, strict=True)}
        out[pid]["areas"] = out[pid]["targets"] = out[pid]["tasks"] = None
    for pid, areas in con.execute(
        "SELECT plan_id, list(DISTINCT area ORDER BY area) FROM areas WHERE list_contains(?, plan_id) GROUP BY 1",
        [document_ids],
    ).fetchall():
        out[pid]["areas"] = _as_text(areas)
    for table in ("targets", "tasks"):
        for pid in out:
            out[pid][table] = "0"
        for pid, n in con.execute(
            f"SELECT plan_id, count(*) FROM {table} WHERE list_contains(?, plan_id) GROUP BY 1", [document_ids]
        ).fetchall():
            out[pid][table] = str(n)
    return out


def _conflicts(con: duckdb.DuckDBPyConnection, groups: list[list[tuple[str, str]]]) -> list[ConflictRow]:
    """One row per (plan, field) on which the copies disagree: areas as a set, targets and tasks
    by how many rows each copy gave, header fields after NFC, case and space folding."""
    if not groups:
        return []
    values = _document_values(con, [d for g in groups for _, d in g])
    rows = []
    for group in groups:
        primary_sha, primary_id = group[0]
        for field in (*CONFLICT_FIELDS, "areas", "targets", "tasks"):
            vals = [values.get(d, {}).get(field) for _, d in group]
            if all(_same_value(vals[0], v) for v in vals[1:]):
                continue
            rows.append(ConflictRow(plan_id=primary_id, field=field, kept_value=vals[0], kept_sha256=primary_sha,
                                    source_sha256s=[s for s, _ in group], document_values=vals))
    return rows


# -- publishing -------------------------------------------------------------------------------


def needs_publish(store: Store, db: str | Path) -> bool:
    return not Path(db).exists() or store.generation != store.published_generation


def publish(store: Store, db: str | Path, force: bool = False) -> bool:
    """Consolidate and atomically replace `db` with a snapshot of the working store, when the
    store changed since the last publish (or `db` is missing). Returns whether it published."""
    db = Path(db)
    remove_stale_publish_files(db)
    if not force and not needs_publish(store, db):
        return False
    counts = consolidate(store)
    generation = store.generation
    tmp = db.with_name(f".{db.name}{PUBLISH_MARK}{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        _write_snapshot(store, tmp, SnapshotRow(generation=generation, published_at=now_utc(),
                                                documents=counts["documents"], plans=counts["plans"]))
        _fsync(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    Path(str(db) + ".wal").unlink(missing_ok=True)  # a stale WAL from the days the snapshot was written in place
    os.replace(tmp, db)
    _fsync(db.parent)
    store.mark_published(generation)
    return True


def _write_snapshot(store: Store, tmp: Path, meta: SnapshotRow) -> None:
    con = store.con
    views = con.execute(
        "SELECT sql FROM duckdb_views() WHERE database_name = ? AND schema_name = 'main' AND NOT internal "
        "ORDER BY view_name",
        [CATALOG],
    ).fetchall()
    primaries = f"(SELECT plan_id FROM {CATALOG}.main.plan_documents WHERE role = 'primary')"
    con.execute(f"ATTACH ? AS {SNAPSHOT}", [str(tmp)])
    try:
        con.execute(f"USE {SNAPSHOT}")
        con.execute("BEGIN TRANSACTION")
        con.execute("CREATE SCHEMA copies")
        for name, model in sorted(TABLES.items(), key=lambda kv: kv[0] == "agencies"):  # agencies after tasks
            con.execute(create_table_sql(name, model))
            src = f"{CATALOG}.main.{name}"
            if name in document_tables():
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM {src} WHERE plan_id IN {primaries}")
                con.execute(f"CREATE TABLE copies.{name} AS SELECT * FROM {src} WHERE plan_id NOT IN {primaries}")
            elif name == "agencies":
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM {src} "
                            f"WHERE agency_id IN (SELECT agency_id FROM {SNAPSHOT}.main.task_agencies)")
            else:
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM {src}")
        con.execute(create_table_sql("snapshot", SnapshotRow))
        con.execute("INSERT INTO snapshot VALUES (?, ?, ?, ?)",
                    [meta.generation, meta.published_at, meta.documents, meta.plans])
        for (sql,) in views:
            con.execute(sql)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.execute(f"USE {CATALOG}")
        con.execute(f"DETACH {SNAPSHOT}")


def remove_stale_publish_files(db: str | Path) -> int:
    """Half-written snapshots of a killed run (only when that process is gone)."""
    db = Path(db)
    removed = 0
    for tmp in db.parent.glob(f".{db.name}{PUBLISH_MARK}*"):
        pid = tmp.name.rsplit(PUBLISH_MARK, 1)[-1].split(".")[0]
        if pid.isdigit() and int(pid) != os.getpid() and Path(f"/proc/{pid}").exists():
            continue
        tmp.unlink(missing_ok=True)
        removed += 1
    return removed


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries (so a rename in it survives a crash)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- what the user is told --------------------------------------------------------------------


def file_exists(stored: str) -> bool:
    """Whether the file a stored `source_path` names is there (names may be stored escaped)."""
    return os.path.lexists(original_path(stored))


def gone_message(store: Store, db: str | Path) -> str | None:
    """One line when documents in the database have no file any more (never pruned silently)."""
    gone = store.gone_documents(exists=file_exists)
    if not gone:
        return None
    return (f"{len(gone)} document(s) in {db} have no file any more (e.g. {gone[0][1]}); "
            f"`python -m pipeline prune --db {db} --dry-run` lists them, without --dry-run removes them")


def every_copy(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """SQL for the rows of a per-document `table` of every document, primaries and other copies
    (what each file read: gold files label files, not plans). `table` is one of our own names."""
    if table not in document_tables():
        raise ValueError(f"not a per-document table: {table}")
    has_copies = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'copies' "
        "AND table_name = ?", [table]
    ).fetchone()[0]
    return f"(SELECT * FROM main.{table} UNION ALL BY NAME SELECT * FROM copies.{table})" if has_copies else table


def snapshot_problem(db: str | Path) -> str | None:
    """Why the snapshot cannot be read right now, in one line (None when it can): not published
    yet, or held open for writing by someone who did not open it read-only."""
    if not Path(db).exists():
        return f"{db}: no such database (run `python -m pipeline ingest ... --db {db}` first)"
    try:
        duckdb.connect(str(db), read_only=True).close()
    except duckdb.Error as exc:
        holder = re.search(r"\(PID (\d+)\)", str(exc))
        who = f" (PID {holder.group(1)})" if holder else ""
        if "lock" not in str(exc).lower():
            return f"{db}: cannot be read: {str(exc).splitlines()[0]}"
        return (f"{db} is held open for writing by another process{who}; "
                "open it read-only (duckdb -readonly, read_only=True) so that others can read it too")
    return None


def open_snapshot(db: str | Path) -> Store:
    """The published snapshot, read-only: never blocks, nor is blocked by, an ingest."""
    if not Path(db).exists():
        raise FileNotFoundError(f"{db}: no such database (run `python -m pipeline ingest ... --db {db}` first)")
    return Store(db, read_only=True)


__all__ = ["consolidate", "gone_message", "open_snapshot", "open_working", "publish", "working_path", "writing"]
