"""The DuckDB tables carry every column CONTRACT.md promises analysts, with the promised types."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from schema.records import PageRow, ParsedPlan, PlanRow, TargetRow, TaskRow
from schema.store import DatabaseBusyError, Store

CONTRACT = {
    "plans": {
        "plan_id": "VARCHAR", "source_path": "VARCHAR", "source_sha256": "VARCHAR", "doc_number": "VARCHAR",
        "doc_type": "VARCHAR", "issuer": "VARCHAR", "admin_level": "VARCHAR", "locality": "VARCHAR",
        "issue_date": "DATE", "title": "VARCHAR", "period_start": "INTEGER", "period_end": "INTEGER",
        "page_count": "INTEGER", "text_source": "VARCHAR", "ocr_confidence": "DOUBLE", "status": "VARCHAR",
        "parser_version": "VARCHAR",
    },
    "areas": {"plan_id": "VARCHAR", "area": "VARCHAR", "heading": "VARCHAR", "body": "VARCHAR",
              "page_start": "INTEGER", "page_end": "INTEGER"},
    "targets": {"plan_id": "VARCHAR", "target_id": "VARCHAR", "area": "VARCHAR", "value": "DOUBLE",
                "unit": "VARCHAR", "comparator": "VARCHAR", "scope": "VARCHAR", "deadline_year": "INTEGER",
                "metric": "VARCHAR", "source_text": "VARCHAR", "page": "INTEGER"},
    "tasks": {"plan_id": "VARCHAR", "task_id": "VARCHAR", "area": "VARCHAR", "row_label": "VARCHAR",
              "content": "VARCHAR", "output": "VARCHAR", "lead_agencies": "VARCHAR[]",
              "partner_agencies": "VARCHAR[]", "deadline_text": "VARCHAR", "deadline_date": "DATE",
              "recurring": "BOOLEAN", "page": "INTEGER"},
    "agencies": {"agency_id": "VARCHAR", "canonical_name": "VARCHAR", "aliases": "VARCHAR[]"},
    "task_agencies": {"plan_id": "VARCHAR", "task_id": "VARCHAR", "agency_id": "VARCHAR", "role": "VARCHAR"},
    "pages": {"plan_id": "VARCHAR", "page_no": "INTEGER", "method": "VARCHAR", "confidence": "DOUBLE",
              "raw_text": "VARCHAR", "text": "VARCHAR"},
    "ingest_errors": {"source_path": "VARCHAR", "source_sha256": "VARCHAR", "stage": "VARCHAR",
                      "message": "VARCHAR", "at": "TIMESTAMP"},
}


def _plan(pid: str = "abcd", title: str = "Kế hoạch cải cách hành chính") -> ParsedPlan:
    return ParsedPlan(
        plan=PlanRow(plan_id=pid, source_path="x.txt", source_sha256=pid * 4, title=title,
                     issue_date=dt.date(2023, 12, 28), parser_version="t"),
        targets=[TargetRow(plan_id=pid, target_id=f"{pid}-1", value=97, unit="%", comparator=">=")],
        tasks=[TaskRow(plan_id=pid, task_id=f"{pid}-t1", lead_agencies=["Sở Nội vụ"], recurring=True)],
        pages=[PageRow(plan_id=pid, page_no=1, method="text", raw_text="a", text="a")],
    )


def test_every_contract_column_exists_with_its_type(tmp_path):
    with Store(tmp_path / "p.duckdb") as store:
        for table, cols in CONTRACT.items():
            have = {r[0]: r[1] for r in store.con.execute(f"DESCRIBE {table}").fetchall()}
            for col, typ in cols.items():
                assert col in have, f"{table}.{col} missing"
                assert have[col] == typ, f"{table}.{col} is {have[col]}, contract says {typ}"


def test_rewriting_a_plan_replaces_its_rows(tmp_path):
    with Store(tmp_path / "p.duckdb") as store:
        store.write_plan(_plan())
        store.write_plan(_plan(title="Kế hoạch mới"))
        assert store.con.execute("SELECT count(*), any_value(title) FROM plans").fetchone() == (1, "Kế hoạch mới")
        assert store.con.execute("SELECT count(*) FROM targets").fetchone() == (1,)
        assert store.con.execute("SELECT lead_agencies FROM tasks").fetchone() == (["Sở Nội vụ"],)


def test_failed_write_leaves_previous_plan_intact(tmp_path):
    with Store(tmp_path / "p.duckdb") as store:
        store.write_plan(_plan())
        broken = _plan(title="half")
        broken.pages.append(broken.pages[0])
        # Sabotage the insert of a later table: a row whose value DuckDB cannot store.
        broken.targets[0].__dict__["value"] = "not a number"
        with pytest.raises(duckdb.Error):
            store.write_plan(broken)
        assert store.con.execute("SELECT title FROM plans").fetchall() == [("Kế hoạch cải cách hành chính",)]
        assert store.con.execute("SELECT count(*) FROM pages").fetchone() == (1,)


def test_second_writer_gets_a_clear_busy_error(tmp_path):
    import subprocess
    import sys

    db = tmp_path / "p.duckdb"
    Store(db).close()
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(30)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(DatabaseBusyError, match="in use by another process"):
            Store(db)
    finally:
        holder.kill()
        holder.wait()
