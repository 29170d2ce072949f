"""The README's analyst tour must run: every ```sql block executes against the shipped samples' database."""

from __future__ import annotations

import re

import duckdb

from tests.conftest import REPO


def _sql_blocks() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sql\n(.*?)```", text, flags=re.S)


def test_readme_has_at_least_five_queries():
    assert len(_sql_blocks()) >= 5


def test_readme_queries_run_and_return_rows(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    empty = []
    for sql in _sql_blocks():
        rows = con.execute(sql).fetchall()
        if not rows and "ingest_errors" not in sql:
            empty.append(sql.strip().splitlines()[0])
    assert not empty, f"queries returned no rows on the samples: {empty}"


def test_readme_tour_shows_each_plan_once(sample_db):
    """The shipped samples hold every plan in several copies; the tour must not count any twice."""
    con = duckdb.connect(str(sample_db), read_only=True)
    blocks = _sql_blocks()
    plans = con.execute(blocks[0]).fetchall()  # the first query lists the plans
    identities = [(r[1], r[2], r[4]) for r in plans]  # doc_number, issuer, issue_date
    assert len(identities) == len(set(identities)) == 4, plans
    for issuer, areas in con.execute(blocks[1]).fetchall():  # areas per issuer: each area once
        assert len(areas) == len(set(areas)), (issuer, areas)
    for sql in blocks:
        rows = con.execute(sql).fetchall()
        assert len(rows) == len(set(map(repr, rows))), f"duplicate rows: {sql.strip().splitlines()[0]}"
