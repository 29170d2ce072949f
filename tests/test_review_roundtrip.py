"""The review loop end to end on a real PDF: export, correct, apply, re-ingest with --force, to-gold, eval."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.cli import main
from pipeline.evaluate import evaluate
from pipeline.ingest import ingest
from schema.store import Store

REPO = Path(__file__).resolve().parent.parent
DIGITAL = REPO / "data" / "raw" / "generated" / "gen_dongnai_digital.pdf"


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Ingest, export everything, correct three values, apply, re-ingest with --force."""
    work = tmp_path_factory.mktemp("review")
    src = work / "in" / DIGITAL.name
    src.parent.mkdir()
    shutil.copy(DIGITAL, src)
    db, out = work / "plans.duckdb", work / "parsed"
    assert ingest([str(src)], db, out, workers=1, progress=False).failed == 0

    queue = work / "review.csv"
    assert main(["review", "export", "--db", str(db), "--out", str(queue), "--below", "1.01"]) == 0
    rows = list(csv.DictReader(queue.open(encoding="utf-8")))
    pick = {
        ("plans", "doc_number"): "301/KH-UBND",
        ("targets", "value"): "99",
        ("tasks", "lead_agencies"): "Sở Tư pháp",
    }
    chosen: dict[tuple[str, str], dict] = {}
    for r in rows:
        k = (r["record"], r["field"])
        if k in pick and k not in chosen and r["value"] != pick[k]:
            r["corrected_value"] = pick[k]
            chosen[k] = r
    assert set(chosen) == set(pick)
    with queue.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    assert main(["review", "apply", str(queue), "--db", str(db)]) == 0
    summary = ingest([str(src)], db, out, workers=1, force=True, progress=False)
    assert summary.ok + summary.partial == 1 and summary.skipped == 0
    return {"db": db, "work": work, "chosen": chosen, "rows": rows, "queue": queue}


def test_export_lists_worst_first_with_crops(reviewed: dict) -> None:
    rows = reviewed["rows"]
    confs = [float(r["confidence"]) for r in rows]
    assert confs == sorted(confs)
    assert sum(1 for r in rows if r["corrected_value"]) == 3  # only the three the analyst filled
    with_crop = [r for r in rows if r["crop"]]
    assert len(with_crop) > 0.9 * len(rows)  # a text layer gives every found value a box
    for r in with_crop:
        assert (reviewed["queue"].parent / r["crop"]).stat().st_size > 100


def test_corrections_survive_forced_reingest(reviewed: dict) -> None:
    con = duckdb.connect(str(reviewed["db"]), read_only=True)
    try:
        c = reviewed["chosen"]
        pid = c[("plans", "doc_number")]["plan_id"]
        assert con.execute("SELECT doc_number FROM plans WHERE plan_id = ?", [pid]).fetchone()[0] == "301/KH-UBND"
        tid = c[("targets", "value")]["key"]
        assert con.execute("SELECT value FROM targets WHERE target_id = ?", [tid]).fetchone()[0] == 99.0
        kid = c[("tasks", "lead_agencies")]["key"]
        assert con.execute("SELECT lead_agencies FROM tasks WHERE task_id = ?", [kid]).fetchone()[0] == ["Sở Tư pháp"]
        # the link table follows the corrected list
        leads = con.execute(
            "SELECT ag.canonical_name FROM task_agencies JOIN agencies ag USING (agency_id) "
            "WHERE task_id = ? AND role = 'lead'", [kid]
        ).fetchall()
        assert leads == [("Sở Tư pháp",)]
        assert con.execute("SELECT count(*) FROM corrections").fetchone()[0] == 3
        # corrected values are the analyst's: no longer in the low-confidence queue
        assert con.execute(
            "SELECT confidence FROM value_boxes WHERE record = 'targets' AND key = ?", [tid]
        ).fetchone()[0] == 1.0
    finally:
        con.close()


def test_to_gold_scores_one_on_corrected_fields(reviewed: dict) -> None:
    pid = reviewed["chosen"][("plans", "doc_number")]["plan_id"]
    gold_dir = reviewed["work"] / "gold"
    gold_file = gold_dir / "reviewed.json"
    assert main(["review", "to-gold", "--db", str(reviewed["db"]), "--plan", pid, "--out", str(gold_file)]) == 0
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    assert gold["source"] == DIGITAL.name
    assert gold["header"]["doc_number"] == "301/KH-UBND"
    assert any(t["value"] == 99.0 for t in gold["targets"])
    assert any(t["lead_agencies"] == ["Sở Tư pháp"] for t in gold["tasks"]["rows"])
    m = evaluate(gold_dir, reviewed["db"])
    assert m["header_doc_number_accuracy"] == 1.0
    assert m["targets_f1"] == 1.0
    assert m["task_lead_agency_accuracy"] == 1.0
    assert m["overall_f1"] == 1.0


def test_stale_corrections_are_reported_not_applied(reviewed: dict, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copy(reviewed["db"], db)
    pid = reviewed["chosen"][("plans", "doc_number")]["plan_id"]
    with Store(db) as store:
        store.con.execute(
            "INSERT INTO corrections VALUES (?, 'targets', 't-gone', 'value', '5', '6', now()::TIMESTAMP), "
            "(?, 'plans', ?, 'locality', 'Somewhere else', 'Nowhere', now()::TIMESTAMP)",
            [pid, pid, pid],
        )
        parsed_json = next((reviewed["work"] / "parsed").glob("*.json"))
        from schema.records import ParsedPlan

        parsed = ParsedPlan.model_validate_json(parsed_json.read_text(encoding="utf-8"))
        parsed.plan.parser_version = "next"  # a new parser version rewrites the plan's rows
        problems = store.write_plan(parsed)
        locality = store.con.execute("SELECT locality FROM plans WHERE plan_id = ?", [pid]).fetchone()[0]
        doc_number = store.con.execute("SELECT doc_number FROM plans WHERE plan_id = ?", [pid]).fetchone()[0]
    assert any("no longer exists" in p for p in problems)
    assert any("locality" in p and "Somewhere else" in p for p in problems)
    assert locality != "Nowhere"  # a fix made for another reading is not applied blindly
    assert doc_number == "301/KH-UBND"  # the valid correction still is


def test_missing_database_or_csv_is_a_setup_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "none.duckdb")
    assert main(["report", "--db", missing, "--out", str(tmp_path / "r")]) == 3
    assert main(["review", "export", "--db", missing, "--out", str(tmp_path / "q.csv")]) == 3
    err = capsys.readouterr().err
    assert err.count("does not exist") == 2 and "Traceback" not in err
    assert not (tmp_path / "r").exists()
