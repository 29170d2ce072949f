"""Regression check: everything under data/raw/ ingested through the real pipeline, scored against
tests/gold, must stay at or above the floors recorded in tests/gold/floors.json."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from pipeline.evaluate import evaluate, format_report, load_gold, score
from pipeline.snapshot import every_copy
from tests.conftest import GOLD

FLOORS = GOLD / "floors.json"
SEED_FIELDS = ("doc_number", "issuer", "admin_level", "locality", "issue_date", "period_start", "period_end")


@pytest.fixture(scope="module")
def metrics(sample_db: Path) -> dict[str, float]:
    return evaluate(GOLD, sample_db)


def test_every_gold_plan_was_ingested(metrics):
    assert metrics["gold_files"] >= 4
    assert metrics["plans_found"] == metrics["gold_files"]


def test_metrics_hold_their_floors(metrics):
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    assert floors, "no floors recorded"
    low = {k: (round(metrics.get(k, 0.0), 4), f) for k, f in floors.items() if metrics.get(k, 0.0) < f}
    assert not low, f"below floor (measured, floor): {low}\n{format_report(metrics)}"


def test_seed_headers_and_areas_in_the_database(sample_db):
    """The four real dumps, through OCR-dump reading, restoration and parsing, land with the gold header and areas."""
    con = duckdb.connect(str(sample_db), read_only=True)
    try:  # each file's own reading: a seed that is a copy of a generated plan sits in schema `copies`
        plans, areas_table = every_copy(con, "plans"), every_copy(con, "areas")
        for gold in load_gold(GOLD):
            if gold["source"].startswith("gen_"):
                continue
            row = con.execute(
                f"SELECT plan_id, {', '.join(SEED_FIELDS)} FROM {plans} WHERE source_path LIKE ?",
                [f"%{gold['source']}"],
            ).fetchone()
            assert row is not None, gold["source"]
            got = dict(zip(SEED_FIELDS, row[1:], strict=True))
            for field in SEED_FIELDS:
                if field in gold["header"]:
                    value = got[field].isoformat() if field == "issue_date" and got[field] else got[field]
                    assert value == gold["header"][field], (gold["source"], field)
            areas = {a for (a,) in con.execute(f"SELECT area FROM {areas_table} WHERE plan_id = ?", [row[0]]).fetchall()}
            assert areas == set(gold["areas"]), gold["source"]
    finally:
        con.close()


def test_scoring_rules():
    """The scorer itself: exact header after folding, areas as a set, targets on area/value/unit/comparator
    plus a similar metric, tasks on area+label; a missing plan scores zero."""
    gold = [{
        "source": "a.txt",
        "header": {"issuer": "UBND tỉnh Đồng Nai", "period_start": 2024},
        "areas": ["the_che", "chinh_quyen_so"],
        "targets": [{"area": "the_che", "value": 100, "unit": "%", "comparator": "=",
                     "metric": "văn bản quy phạm pháp luật được rà soát"}],
        "tasks": {"count": 1, "rows": [{"area": "the_che", "row_label": "1", "content": "Rà soát văn bản",
                                        "lead_agencies": ["Sở Tư pháp"], "deadline_text": "Thường xuyên"}]},
    }]
    perfect = {"a.txt": {
        "header": {"issuer": "UBND  TỈNH Đồng Nai", "period_start": 2024},
        "areas": ["chinh_quyen_so", "the_che"],
        "targets": [{"area": "the_che", "value": 100.0, "unit": "%", "comparator": "=",
                     "metric": "100% văn bản QPPL văn bản quy phạm pháp luật được rà soát, kiến nghị"}],
        "tasks": [{"area": "the_che", "row_label": "1", "content": "x", "lead_agencies": ["Sở Tư pháp"],
                   "deadline_text": "Thường xuyên"}],
    }}
    m = score(gold, perfect)
    assert m["overall_f1"] == 1.0 and m["task_lead_agency_accuracy"] == 1.0
    wrong = json.loads(json.dumps(perfect))
    wrong["a.txt"]["targets"][0]["comparator"] = ">="
    wrong["a.txt"]["areas"] = ["the_che", "tai_chinh_cong"]
    wrong["a.txt"]["header"]["period_start"] = 2023
    m = score(gold, wrong)
    assert m["targets_f1"] == 0.0 and m["areas_f1"] == 0.5 and m["header_accuracy"] == 0.5
    assert score(gold, {})["overall_f1"] == 0.0
    report = format_report(m).splitlines()
    assert report[-1].startswith("overall_f1: ") and all(": " in line for line in report)
