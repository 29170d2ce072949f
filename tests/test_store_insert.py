"""Rows stored by `Store._insert`: many rows are scanned as columns, a few are bound as parameters;
both ways must store exactly the same values (types, NULLs, lists, dates, odd text)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from schema import store as store_module
from schema.ddl import columns
from schema.records import PlanRow, TaskRow, ValueBoxRow
from schema.store import Store

ODD_TEXT = ["", "Sở Nội vụ; Văn phòng UBND", "it's \"quoted\"", "back\\slash", "NULL", "1e5", "  spaced  ",
            "a\x00b", "dòng\nmới\ttab", "x" * 5000, "Đ" * 3, "😀 emoji"]


def _text(rng: random.Random) -> str | None:
    return None if rng.random() < 0.2 else rng.choice(ODD_TEXT)


def _float(rng: random.Random) -> float | int | None:
    return rng.choice([None, 0, 1, -0.0, 0.1, 1 / 3, 1e-300, 1.7976931348623157e308, 595.28, rng.random() * 1000])


def _plans(rng: random.Random, n: int) -> list[PlanRow]:
    return [
        PlanRow(plan_id=f"p{i}", source_path=rng.choice(ODD_TEXT) or "a.pdf", source_sha256=f"{i:064x}",
                doc_number=_text(rng), issue_date=rng.choice([None, dt.date(2024, 2, 29), dt.date(1, 1, 1)]),
                period_start=rng.choice([None, 2021, 2**31 - 1, -(2**31)]), page_count=rng.randrange(0, 10**6),
                ocr_confidence=_float(rng), missing=rng.choice([[], ["blank pages 1,2"], ["a", "", "Đ"]]),
                ingested_at=rng.choice([None, dt.datetime(2026, 12, 6, 23, 59, 59, 999999)]),
                header_confidence=_float(rng))
        for i in range(n)
    ]


def _tasks(rng: random.Random, n: int) -> list[TaskRow]:
    return [
        TaskRow(plan_id="p", task_id=f"t{i}",
                row_label=rng.choice(ODD_TEXT), content=rng.choice(ODD_TEXT), output=_text(rng),
                lead_agencies=rng.choice([[], ["Sở Nội vụ"], ["a", "b", "c"]]),
                partner_agencies=rng.choice([[], [""], ["Các sở, ban, ngành"]]), deadline_text=_text(rng),
                deadline_date=rng.choice([None, dt.date(2025, 12, 31)]), recurring=rng.random() < 0.5,
                page=rng.choice([None, 1, 300]), bbox_x0=_float(rng), bbox_y1=_float(rng), confidence=_float(rng))
        for i in range(n)
    ]


def _boxes(rng: random.Random, n: int) -> list[ValueBoxRow]:
    return [
        ValueBoxRow(plan_id="p", record="tasks", key=f"t{i}", field=rng.choice(["content", "output"]),
                    page=rng.choice([None, 2]), x0=_float(rng), y0=_float(rng), x1=_float(rng), y1=_float(rng),
                    confidence=_float(rng), match_score=_float(rng), source_text=_text(rng))
        for i in range(n)
    ]


def _contents(store: Store, table: str) -> list[tuple]:
    return store.con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def test_scanned_rows_are_stored_exactly_as_bound_rows(tmp_path: Path) -> None:
    rng = random.Random(0)
    cases = {"plans": _plans(rng, 400), "tasks": _tasks(rng, 600), "value_boxes": _boxes(rng, 900)}
    # columns with nothing but NULLs or empty lists: no value to tell their type from
    blank = [TaskRow(plan_id="q", task_id=f"b{i}") for i in range(300)]
    blank_boxes = [ValueBoxRow(plan_id="q", record="tasks", key=f"b{i}", field="content") for i in range(300)]
    at_once = Store(tmp_path / "at_once.duckdb")
    one_by_one = Store(tmp_path / "one_by_one.duckdb")
    for table, rows in [*cases.items(), ("tasks", blank), ("value_boxes", blank_boxes)]:
        n_cols = len(columns(type(rows[0])))
        assert len(rows) * n_cols > store_module._PARAMS_PER_STATEMENT  # the column scan
        assert n_cols <= store_module._PARAMS_PER_STATEMENT  # one row: bound parameters
        at_once._insert(table, rows)
        for row in rows:
            one_by_one._insert(table, [row])
        got = _contents(at_once, table)
        assert got == _contents(one_by_one, table)
    assert len(_contents(at_once, "tasks")) == 900
    # and what comes back is what went in (NULLs, lists, dates, floats, text with NUL or quotes)
    names = list(PlanRow.model_fields)
    back = {r[0]: dict(zip(names, r, strict=True)) for r in _contents(at_once, "plans")}
    for row in cases["plans"]:
        assert back[row.plan_id] == row.model_dump()
    at_once.close()
    one_by_one.close()
