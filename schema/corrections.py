"""Analysts' corrections: stored once, applied again after every re-ingest of their plan.

A correction names its row by table (`record`), id (`key`) and column (`field`), and keeps the
value the analyst saw (`old`) beside the fix (`new`). On every write of the plan
(`schema.store.Store.write_plan`, inside its transaction) each correction is checked:
- the row is gone (a new parser version numbered the rows differently): reported, not applied;
- the column holds `old`: the parser read it as before, `new` replaces it;
- the column already holds `new`: nothing to do;
- the column holds something else: the parser now reads it differently, so the fix was made
  for another reading: reported, not applied (never applied blindly).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

import duckdb

KEY_COLUMN = {"plans": "plan_id", "areas": "area", "targets": "target_id", "tasks": "task_id"}
LIST_SEPARATOR = ";"


def as_text(value: Any) -> str | None:
    """A stored value the way the review file shows it (lists joined by '; ', numbers without '.0')."""
    if value is None:
        return None
    if isinstance(value, list):
        return f"{LIST_SEPARATOR} ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _same(a: str | None, b: str | None) -> bool:
    def n(x: str | None) -> str:
        return " ".join(unicodedata.normalize("NFC", x or "").split())

    return n(a) == n(b)


def column_type(con: duckdb.DuckDBPyConnection, table: str, column: str) -> str | None:
    rows = con.execute(f"DESCRIBE {table}").fetchall()
    return next((r[1] for r in rows if r[0] == column), None)


def typed(value: str | None, duck_type: str) -> Any:
    """The review file's text as the column's value (lists split on ';')."""
    if value is None or value == "":
        return [] if duck_type.endswith("[]") else None
    if duck_type.endswith("[]"):
        return [p.strip() for p in value.split(LIST_SEPARATOR) if p.strip()]
    if duck_type in ("DOUBLE", "FLOAT"):
        return float(value)
    if duck_type in ("INTEGER", "BIGINT"):
        return int(float(value))
    if duck_type == "DATE":
        return dt.date.fromisoformat(value)
    if duck_type == "BOOLEAN":
        return value.strip().lower() in ("true", "1", "yes", "x")
    return value


def _agency_slug(name: str) -> str:
    folded = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(c for c in folded if unicodedata.category(c) != "Mn").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def _relink_agencies(con: duckdb.DuckDBPyConnection, plan_id: str, task_id: str, role: str, names: list[str]) -> None:
    """Keep `task_agencies` (and `agencies`) in step with a corrected lead/partner list."""
    con.execute("DELETE FROM task_agencies WHERE plan_id = ? AND task_id = ? AND role = ?", [plan_id, task_id, role])
    for name in names:
        row = con.execute("SELECT agency_id FROM agencies WHERE lower(canonical_name) = lower(?)", [name]).fetchone()
        agency_id = row[0] if row else _agency_slug(name)
        if row is None:
            con.execute(
                "INSERT INTO agencies (agency_id, canonical_name, aliases) SELECT ?, ?, [] "
                "WHERE NOT EXISTS (SELECT 1 FROM agencies WHERE agency_id = ?)",
                [agency_id, name, agency_id],
            )
        con.execute(
            "INSERT INTO task_agencies (plan_id, task_id, agency_id, role) VALUES (?, ?, ?, ?)",
            [plan_id, task_id, agency_id, role],
        )


def apply_one(con: duckdb.DuckDBPyConnection, plan_id: str, record: str, key: str, field: str,
              old: str | None, new: str | None) -> str | None:
    """Apply one correction; None when applied (or already in place), else why it was not."""
    key_col = KEY_COLUMN.get(record)
    where = f"{record}/{key}/{field}"
    if key_col is None:
        return f"{where}: unknown record {record!r}"
    duck = column_type(con, record, field)
    if duck is None or field == key_col:
        return f"{where}: no such column"
    row = con.execute(
        f'SELECT "{field}" FROM {record} WHERE plan_id = ? AND {key_col} = ?', [plan_id, key]
    ).fetchone()
    if row is None:
        return f"{where}: the row no longer exists (was {old!r}, correction {new!r})"
    current = as_text(row[0])
    if _same(current, new):
        return None
    if not _same(current, old):
        return f"{where}: the value is now {current!r}, the correction was made for {old!r}"
    value = typed(new, duck)
    con.execute(f'UPDATE {record} SET "{field}" = ? WHERE plan_id = ? AND {key_col} = ?', [value, plan_id, key])
    if record == "tasks" and field in ("lead_agencies", "partner_agencies"):
        _relink_agencies(con, plan_id, key, "lead" if field == "lead_agencies" else "partner", value)
    # the value is now the analyst's: fully trusted
    con.execute(
        "UPDATE value_boxes SET confidence = 1.0 WHERE plan_id = ? AND record = ? AND key = ? AND field = ?",
        [plan_id, record, key, _box_field(record, field)],
    )
    if record in ("targets", "tasks"):
        con.execute(
            f"UPDATE {record} SET confidence = (SELECT min(confidence) FROM value_boxes b WHERE b.plan_id = ? "
            f"AND b.record = ? AND b.key = ?) WHERE plan_id = ? AND {key_col} = ?",
            [plan_id, record, key, plan_id, key],
        )
    return None


def _box_field(record: str, field: str) -> str:
    """The `value_boxes.field` a column's confidence lives under (a target has one: `value`)."""
    return "value" if record == "targets" else field


def apply_corrections(con: duckdb.DuckDBPyConnection, plan_id: str) -> list[str]:
    """Re-apply every stored correction of a plan (oldest first); returns those not applied."""
    rows = con.execute(
        'SELECT record, key, field, old, new FROM corrections WHERE plan_id = ? ORDER BY "at"', [plan_id]
    ).fetchall()
    problems: list[str] = []
    for record, key, field, old, new in rows:
        why = apply_one(con, plan_id, record, key, field, old, new)
        if why:
            problems.append(why)
    return problems
