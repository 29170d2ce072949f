"""The analysts' views on the sample database, and the calibration table's arithmetic and goals."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from bench.calibration import band_table, format_table, judge
from schema.views import LOW_CONFIDENCE, VIEWS

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def con(sample_db: Path):
    c = duckdb.connect(str(sample_db), read_only=True)
    yield c
    c.close()


def test_views_answer_on_the_samples(con: duckdb.DuckDBPyConnection) -> None:
    for name in VIEWS:
        assert con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] > 0, name
    # targets by area add up to the targets table
    assert con.execute("SELECT sum(targets) FROM v_targets_by_area").fetchone()[0] == con.execute(
        "SELECT count(*) FROM targets").fetchone()[0]
    # agency load counts lead links
    assert con.execute("SELECT sum(tasks_led) FROM v_agency_load").fetchone()[0] == con.execute(
        "SELECT count(*) FROM task_agencies WHERE role = 'lead'").fetchone()[0]
    quarters = con.execute("SELECT DISTINCT quarter FROM v_deadlines").fetchall()
    assert {q for (q,) in quarters} <= {1, 2, 3, 4}
    low = [c for (c,) in con.execute("SELECT confidence FROM v_low_confidence").fetchall()]
    assert low == sorted(low) and all(c < LOW_CONFIDENCE for c in low)


def test_band_table_counts() -> None:
    values = [(True, 0.95)] * 98 + [(False, 0.95)] * 2 + [(False, 0.3)] * 6 + [(True, 0.3)] * 4 + [(True, 0.6)]
    t = band_table(values)
    assert t["values"] == 111 and t["wrong"] == 8
    assert t["wrong_caught_below_0_5"] == pytest.approx(6 / 8)
    assert t["right_at_or_above_0_9"] == pytest.approx(0.98)
    low = t["bands"][0]
    assert (low["values"], low["wrong"]) == (10, 6) and low["share_of_all_wrong"] == pytest.approx(0.75)
    assert "goal >= 70%" in format_table(t)


def test_confidence_meets_its_goals_on_the_gold_plans(sample_db: Path) -> None:
    """Issue #20: below 0.5 holds >= 70% of the wrong values, >= 0.9 is >= 98% right."""
    judged = judge(REPO / "tests" / "gold", sample_db)
    t = band_table([(j.right, j.confidence) for j in judged])
    assert t["values"] > 500
    assert t["wrong_caught_below_0_5"] >= 0.70, format_table(t)
    assert t["right_at_or_above_0_9"] >= 0.98, format_table(t)
