"""A DuckDB file of the pipeline: table creation, idempotent document writes, error rows, history.

Ingest writes a *working* file (`pipeline.snapshot` names it and publishes analysts' copies of
it). In the working file every input document keeps its own rows (`plans`, `areas`, ... with
`plan_id` = the document's id); `pipeline.snapshot` groups copies into plans when it publishes.

Every document is written in one transaction (delete its old rows, insert the new ones, record
the document, commit), so a crash or kill mid-run leaves either the old document or the new
one, never half of either. Only the orchestrating process writes; workers hand it validated
`ParsedPlan` objects. No SQL text is built from user input: paths and values are parameters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import operator
import os
import re
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import duckdb
from pydantic import BaseModel

from schema.corrections import apply_corrections
from schema.ddl import all_ddl, columns
from schema.records import TABLES, DocumentRow, IngestErrorRow, ParsedPlan
from schema.views import view_ddl

PLAN_TABLES = ("areas", "targets", "tasks", "task_agencies", "pages", "value_boxes")
"""Tables with one document's rows besides `plans` (keyed by `plan_id` = the document's id)."""

CATALOG = "work"
"""The alias the file is attached under, so SQL never names a catalog derived from a file name."""


def document_tables() -> tuple[str, ...]:
    """Every table whose rows belong to one document: `plans` and PLAN_TABLES."""
    return ("plans", *PLAN_TABLES)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class DatabaseBusyError(RuntimeError):
    """Another process holds the database's write lock."""


_HOLDER_RE = re.compile(r"\(PID (\d+)\)")


def _is_lock_conflict(exc: Exception) -> bool:
    return "lock" in str(exc).lower()


_PARAMS_PER_STATEMENT = 2000
"""Parameters bound in one INSERT of a few rows; more rows than that go in as one list a column."""


class Store:
    """One DuckDB connection; writers are exclusive (DuckDB's file lock), so a second ingest on
    the same file waits up to `wait_seconds` for the first to finish, then raises
    `DatabaseBusyError` with a message naming the holder, instead of touching the file."""

    def __init__(
        self, path: str | Path, read_only: bool = False, wait_seconds: float = 0.0, label: str | None = None
    ) -> None:
        self.path = str(path)
        self.label = label or self.path
        self.read_only = read_only
        self.changed = False
        if not read_only:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + max(0.0, wait_seconds)
        while True:
            try:
                self.con = self._attach(self.path, read_only)
                break
            except duckdb.IOException as exc:
                if not _is_lock_conflict(exc):
                    raise
                if time.monotonic() >= deadline:
                    holder = _HOLDER_RE.search(str(exc))
                    who = f" (PID {holder.group(1)})" if holder else ""
                    waited = f" after waiting {wait_seconds:g} s" if wait_seconds > 0 else ""
                    raise DatabaseBusyError(
                        f"{self.label} is in use by another process{who}{waited} (another ingest running?); "
                        "wait for it to finish and run again"
                    ) from exc
                time.sleep(0.25)
        if not read_only:
            self._ensure_tables()

    @staticmethod
    def _attach(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
        """An in-memory connection with the file attached as `work` (a fixed name, see CATALOG)."""
        con = duckdb.connect()
        try:
            con.execute(f"ATTACH ? AS {CATALOG}" + (" (READ_ONLY)" if read_only else ""), [path])
            con.execute(f"USE {CATALOG}")
            con.execute("SET temp_directory = ?", [path + ".tmp"])
        except BaseException:
            con.close()
            raise
        return con

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _ensure_tables(self) -> None:
        """Create or migrate the schema in one transaction: a kill while a new file is being set up
        leaves it with every table or with none, never with some."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            self._create_and_migrate()
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def _create_and_migrate(self) -> None:
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
        self.con.execute("CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value BIGINT)")
        self._backfill_documents()

    def _backfill_documents(self) -> None:
        """A file written before `documents` existed (or by a run killed between the two): every
        document's `plans` row gets its `documents` row, so old databases migrate in place."""
        self.con.execute(
            """INSERT INTO documents (source_sha256, document_id, source_path, text_source, ocr_confidence,
                   page_count, status, parser_version, ingested_at)
               SELECT source_sha256, plan_id, source_path, text_source, ocr_confidence, page_count, status,
                      parser_version, ingested_at
               FROM plans p WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.source_sha256 = p.source_sha256)"""
        )

    # -- generations: what was changed since the last publish -----------------------------------

    def _meta(self, key: str) -> int:
        row = self.con.execute("SELECT value FROM store_meta WHERE key = ?", [key]).fetchone()
        return int(row[0]) if row else 0

    def _set_meta(self, key: str, value: int) -> None:
        self.con.execute(
            "INSERT INTO store_meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [key, value]
        )

    @property
    def generation(self) -> int:
        """Bumped by every write, inside its transaction."""
        return self._meta("generation")

    @property
    def published_generation(self) -> int:
        return self._meta("published_generation")

    def mark_published(self, generation: int) -> None:
        self._set_meta("published_generation", generation)

    def touch(self) -> None:
        """Mark the store changed (the next publish rewrites the snapshot)."""
        self._bump()

    def _bump(self) -> None:
        self._set_meta("generation", self.generation + 1)
        self.changed = True

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
        if len(names) == 1:
            return [[getattr(r, names[0])] for r in rows]
        fields = operator.attrgetter(*names)  # one C call a row, not one getattr a value
        return [list(fields(r)) for r in rows]

    def _insert(self, table: str, rows: list[BaseModel]) -> None:
        if not rows:
            return
        model = TABLES[table]
        cols = columns(model)
        values = self._values(model, rows)
        if len(values) * len(cols) > _PARAMS_PER_STATEMENT:
            self._insert_scan(table, cols, values)
            return
        quoted = ", ".join(f'"{n}"' for n, _ in cols)
        # One statement of many rows, each parameter cast to its column's type: `executemany` runs
        # one statement a row (~0.5 ms each).
        row = "(" + ", ".join(f"?::{duck}" for _, duck in cols) + ")"
        sql = f"INSERT INTO {table} ({quoted}) VALUES {', '.join([row] * len(values))}"
        self.con.execute(sql, [v for r in values for v in r])

    def _insert_scan(self, table: str, cols: list[tuple[str, str]], values: list[list[Any]]) -> None:
        """Many rows in one statement with one parameter a column (a list, unnested and cast to the
        column's type): binding a parameter a value costs ~15 us each, which made storing a
        120-page plan's ~3,700 rows (50,000 values) cost a third of reading its text layer."""
        params = []
        for j, (_, duck) in enumerate(cols):
            column = [r[j] for r in values]
            if duck == "DOUBLE":  # one Python type a list: ints among floats are not guessed at
                column = [None if v is None else float(v) for v in column]
            params.append(column)
        quoted = ", ".join(f'"{n}"' for n, _ in cols)
        picked = ", ".join(f"unnest(?::{duck}[])" for _, duck in cols)  # unnested side by side: row i of each
        self.con.execute(f"INSERT INTO {table} ({quoted}) SELECT {picked}", params)

    def write_plan(self, parsed: ParsedPlan) -> list[str]:
        """Replace everything stored for this plan_id in a single transaction; the analysts'
        corrections are re-applied inside it. Returns the corrections that could not be applied."""
        pid = parsed.plan.plan_id
        if self._same_reading(parsed):  # e.g. --force, or a failed file read again: nothing changes
            return []  # (the rows, corrections applied, stay as they are)
        if parsed.plan.ingested_at is None:
            parsed.plan.ingested_at = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        self.con.execute("BEGIN TRANSACTION")
        try:
            self._supersede_path(parsed.plan.source_path, parsed.plan.source_sha256)
            self._delete_rows([pid])
            self._record_document(parsed)
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
            self._bump()
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return unapplied

    def _delete_rows(self, document_ids: list[str]) -> None:
        for table in (*PLAN_TABLES, "plans"):
            self.con.execute(f"DELETE FROM {table} WHERE list_contains(?, plan_id)", [document_ids])

    @staticmethod
    def _reading_sha256(parsed: ParsedPlan) -> str:
        dump = parsed.model_dump_json(exclude={"plan": {"ingested_at"}})
        return hashlib.sha256(dump.encode("utf-8")).hexdigest()

    def _same_reading(self, parsed: ParsedPlan) -> bool:
        row = self.con.execute(
            "SELECT reading_sha256 FROM documents WHERE source_sha256 = ? AND source_path = ? AND superseded_at IS NULL",
            [parsed.plan.source_sha256, parsed.plan.source_path],
        ).fetchone()
        return row is not None and row[0] == self._reading_sha256(parsed)

    def _record_document(self, parsed: ParsedPlan) -> None:
        p = parsed.plan
        doc = DocumentRow(
            source_sha256=p.source_sha256, document_id=p.plan_id, source_path=p.source_path,
            text_source=p.text_source, ocr_confidence=p.ocr_confidence, page_count=p.page_count,
            status=p.status, parser_version=p.parser_version, ingested_at=p.ingested_at,
            reading_sha256=self._reading_sha256(parsed),
        )
        self.con.execute("DELETE FROM documents WHERE source_sha256 = ?", [p.source_sha256])
        self._insert("documents", [doc])

    def _supersede_path(self, path: str, sha256: str) -> list[str]:
        """The file at `path` now holds `sha256`: a current document read from other content at that
        path becomes history (`superseded_at`), and its rows go. Returns the superseded document ids."""
        old = [
            r[0]
            for r in self.con.execute(
                "SELECT document_id FROM documents WHERE source_path = ? AND source_sha256 <> ? AND superseded_at IS NULL",
                [path, sha256],
            ).fetchall()
        ]
        if old:
            self._delete_rows(old)
            self.con.execute(
                "UPDATE documents SET superseded_at = ?, plan_id = NULL WHERE list_contains(?, document_id)",
                [now_utc(), old],
            )
        return old

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
        """One row per failed input; replaces an earlier error row for the same file. The same error
        again keeps its row (and time), so re-running over unchanged inputs changes nothing. A file
        whose new content fails no longer counts its old content (that document becomes history)."""
        same = self.con.execute(
            "SELECT count(*) FROM ingest_errors WHERE source_path = ? AND source_sha256 IS NOT DISTINCT FROM ? "
            "AND stage = ? AND message = ?",
            [source_path, sha256, stage, message],
        ).fetchone()
        superseding = sha256 is not None and self.con.execute(
            "SELECT count(*) FROM documents WHERE source_path = ? AND source_sha256 <> ? AND superseded_at IS NULL",
            [source_path, sha256],
        ).fetchone()[0]
        if same and same[0] and not superseding:
            return
        err = IngestErrorRow(
            source_path=source_path,
            source_sha256=sha256,
            stage=stage,
            message=message,
            at=dt.datetime.now(dt.timezone.utc).replace(tzinfo=None),
        )
        self.con.execute("BEGIN TRANSACTION")
        try:
            if sha256 is not None:
                self._supersede_path(source_path, sha256)
            self.con.execute("DELETE FROM ingest_errors WHERE source_path = ?", [source_path])
            self._insert("ingest_errors", [err])
            self._bump()
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    # -- sources that moved or went away ----------------------------------------------------------

    def seen_at(self, source_path: str, sha256: str, exists: Callable[[str], bool] = os.path.exists) -> bool:
        """A skipped input (content already stored) was found at `source_path`: when the stored path
        of that content no longer `exists`, the file was moved or renamed, so its rows follow it."""
        row = self.con.execute(
            "SELECT source_path FROM documents WHERE source_sha256 = ? AND superseded_at IS NULL", [sha256]
        ).fetchone()
        if row is None or row[0] == source_path or exists(row[0]):
            return False
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("UPDATE documents SET source_path = ? WHERE source_sha256 = ?", [source_path, sha256])
            self.con.execute("UPDATE plans SET source_path = ? WHERE source_sha256 = ?", [source_path, sha256])
            self._bump()
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return True

    def gone_documents(
        self, under: list[str] | None = None, exists: Callable[[str], bool] = os.path.exists
    ) -> list[tuple[str, str]]:
        """(source_sha256, source_path) of current documents whose file is gone (`exists` is told the
        stored path), optionally only those under the given files or folders; sorted by path."""
        rows = self.con.execute(
            "SELECT source_sha256, source_path FROM documents WHERE superseded_at IS NULL ORDER BY source_path, 1"
        ).fetchall()
        roots = [Path(u).absolute() for u in under or []]

        def inside(path: str) -> bool:
            p = Path(path).absolute()
            return not roots or any(p == r or r in p.parents for r in roots)

        return [(sha, path) for sha, path in rows if inside(path) and not exists(path)]

    def remove_documents(self, sha256s: list[str]) -> int:
        """Delete documents (their rows, their history at the same path, their error rows) in one
        transaction; returns how many documents were removed."""
        if not sha256s:
            return 0
        self.con.execute("BEGIN TRANSACTION")
        try:
            rows = self.con.execute(
                "SELECT document_id, source_path FROM documents WHERE list_contains(?, source_sha256)", [sha256s]
            ).fetchall()
            ids, paths = [r[0] for r in rows], [r[1] for r in rows]
            self._delete_rows(ids)
            self.con.execute("DELETE FROM documents WHERE list_contains(?, source_path)", [paths])
            self.con.execute("DELETE FROM ingest_errors WHERE list_contains(?, source_path)", [paths])
            self._bump()
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        return len(ids)
