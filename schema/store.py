"""The DuckDB file analysts query: table creation, idempotent plan writes, error rows.

Every plan is written in one transaction (delete its old rows, insert the new
ones, commit), so a crash or kill mid-run leaves either the old plan or the
new one, never half of either. Only the orchestrating process writes; workers
hand it validated `ParsedPlan` objects.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import duckdb
from pydantic import BaseModel

from schema.corrections import apply_corrections
from schema.ddl import all_ddl, columns
from schema.records import TABLES, IngestErrorRow, ParsedPlan
from schema.views import view_ddl

PLAN_TABLES = ("areas", "targets", "tasks", "task_agencies", "pages", "value_boxes")


class DatabaseBusyError(RuntimeError):
    """Another process holds the database's write lock."""


_HOLDER_RE = re.compile(r"\(PID (\d+)\)")


def _is_lock_conflict(exc: Exception) -> bool:
    return "lock" in str(exc).lower()


class Store:
    """One DuckDB connection; writers are exclusive (DuckDB's file lock), so a second ingest on
    the same file waits up to `wait_seconds` for the first to finish, then raises
    `DatabaseBusyError` with a message naming the holder, instead of touching the file."""

    def __init__(self, path: str | Path, read_only: bool = False, wait_seconds: float = 0.0) -> None:
        self.path = str(path)
        if not read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + max(0.0, wait_seconds)
        while True:
            try:
                self.con = duckdb.connect(self.path, read_only=read_only)
                break
            except duckdb.IOException as exc:
                if not _is_lock_conflict(exc):
                    raise
                if time.monotonic() >= deadline:
                    holder = _HOLDER_RE.search(str(exc))
                    who = f" (PID {holder.group(1)})" if holder else ""
                    waited = f" after waiting {wait_seconds:g} s" if wait_seconds > 0 else ""
                    raise DatabaseBusyError(
                        f"{self.path} is in use by another process{who}{waited} (another ingest running?); "
                        "wait for it to finish and run again"
                    ) from exc
                time.sleep(0.25)
        if not read_only:
            self._ensure_tables()

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_tables(self) -> None:
        for sql in all_ddl():
            self.con.execute(sql)
        # Additive migration: columns added to a model after the file was created.
        for name, model in TABLES.items():
            have = {r[0] for r in self.con.execute(f"DESCRIBE {name}").fetchall()}
            for col, duck in columns(model):
                if col not in have:
                    self.con.execute(f'ALTER TABLE {name} ADD COLUMN "{col}" {duck}')
        for sql in view_ddl():  # after the migration: views read the newest columns
            self.con.execute(sql)

    # -- reads ---------------------------------------------------------------

    def is_current(self, sha256: str, parser_version: str) -> bool:
        """True when this content was already ingested by this parser version (and not failed)."""
        row = self.con.execute(
            "SELECT count(*) FROM plans WHERE source_sha256 = ? AND parser_version = ? AND status <> 'failed'",
            [sha256, parser_version],
        ).fetchone()
        return bool(row and row[0])

    # -- writes --------------------------------------------------------------

    @staticmethod
    def _values(model: type[BaseModel], rows: Iterable[BaseModel]) -> list[list[Any]]:
        names = list(model.model_fields)
        return [[getattr(r, n) for n in names] for r in rows]

    def _insert(self, table: str, rows: list[BaseModel]) -> None:
        if not rows:
            return
        model = TABLES[table]
        names = list(model.model_fields)
        quoted = ", ".join(f'"{n}"' for n in names)
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join('?' * len(names))})"
        self.con.executemany(sql, self._values(model, rows))

    def write_plan(self, parsed: ParsedPlan) -> list[str]:
        """Replace everything stored for this plan_id in a single transaction; the analysts'
        corrections are re-applied inside it. Returns the corrections that could not be applied."""
        pid = parsed.plan.plan_id
        if parsed.plan.ingested_at is None:
            parsed.plan.ingested_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        self.con.execute("BEGIN TRANSACTION")
        try:
            for table in (*PLAN_TABLES, "plans"):
                self.con.execute(f"DELETE FROM {table} WHERE plan_id = ?", [pid])
            self._insert("plans", [parsed.plan])
            self._insert("areas", list(parsed.areas))
            self._insert("targets", list(parsed.targets))
            self._insert("tasks", list(parsed.tasks))
            self._insert("task_agencies", list(parsed.task_agencies))
            self._insert("pages", list(parsed.pages))
            self._insert("value_boxes", list(parsed.boxes))
            self._upsert_agencies(parsed)
            unapplied = apply_corrections(self.con, pid)
            # A file that now loads is no longer an open error.
            self.con.execute(
                "DELETE FROM ingest_errors WHERE source_sha256 = ? OR source_path = ?",
                [parsed.plan.source_sha256, parsed.plan.source_path],
            )
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return unapplied

    def _rollback(self) -> None:
        """Roll back, never hiding the error that caused it: a failed COMMIT (disk full) has already
        ended the transaction, and "cannot rollback - no transaction is active" used to replace
        the real cause."""
        try:
            self.con.execute("ROLLBACK")
        except duckdb.Error:
            pass

    def _upsert_agencies(self, parsed: ParsedPlan) -> None:
        for ag in parsed.agencies:
            row = self.con.execute(
                "SELECT aliases FROM agencies WHERE agency_id = ?", [ag.agency_id]
            ).fetchone()
            if row is None:
                self._insert("agencies", [ag])
            else:
                merged = sorted(set(row[0] or []) | set(ag.aliases))
                self.con.execute(
                    "UPDATE agencies SET aliases = ? WHERE agency_id = ?", [merged, ag.agency_id]
                )

    def record_error(self, source_path: str, sha256: str | None, stage: str, message: str) -> None:
        """One row per failed input; replaces an earlier error row for the same file."""
        err = IngestErrorRow(
            source_path=source_path,
            source_sha256=sha256,
            stage=stage,
            message=message,
            at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
        )
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM ingest_errors WHERE source_path = ?", [source_path])
            self._insert("ingest_errors", [err])
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
