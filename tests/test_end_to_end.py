"""End to end through the real CLI and the real stages, on the shipped samples."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ocr import read_text_dump
from parsers import PARSER_VERSION
from pipeline.evaluate import load_gold
from pipeline.snapshot import every_copy
from tests.conftest import GOLD, RAW, REPO

HEADER_FIELDS = ("doc_number", "doc_type", "issuer", "admin_level", "locality", "issue_date",
                 "period_start", "period_end")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=600)


def test_cli_ingests_text_dumps_then_skips_them(tmp_path):
    db, out = tmp_path / "p.duckdb", tmp_path / "parsed"
    first = _cli("ingest", str(RAW / "seeds"), "--db", str(db), "--out", str(out), "--workers", "2")
    assert first.returncode == 0, first.stderr
    seeds = sorted(p for p in (RAW / "seeds").glob("*.txt"))
    gold = {g["source"]: g["header"] for g in load_gold(GOLD)}
    con = duckdb.connect(str(db), read_only=True)
    plans = con.execute(
        "SELECT plan_id, source_path, doc_number, status, page_count, parser_version, "
        "(SELECT count(*) FROM pages g WHERE g.plan_id = p.plan_id), "
        "(SELECT count(*) FROM areas a WHERE a.plan_id = p.plan_id) FROM plans p ORDER BY source_path"
    ).fetchall()
    con.close()
    # one row per dump, each the plan the gold names, with every page of the dump and its areas
    assert [Path(r[1]).name for r in plans] == [p.name for p in seeds]
    for (_pid, source, doc_number, status, page_count, version, pages, areas), seed in zip(plans, seeds, strict=True):
        assert doc_number == gold[seed.name]["doc_number"], source
        assert status in ("ok", "partial") and version == PARSER_VERSION
        assert page_count == pages == len(read_text_dump(seed)), source
        assert areas > 0, source
    statuses = [r[3] for r in plans]
    assert f"ingested {statuses.count('ok')} ok, {statuses.count('partial')} partial, 0 failed" in first.stderr
    ids = [r[0] for r in plans]
    for pid in ids:
        doc = json.loads((out / f"{pid}.json").read_text(encoding="utf-8"))
        assert doc["plan"]["plan_id"] == pid and doc["pages"], pid
    second = _cli("ingest", str(RAW / "seeds"), "--db", str(db), "--out", str(out))
    assert second.returncode == 0
    assert "4 unchanged" in second.stderr


def test_cli_bad_usage_exits_2(tmp_path):
    assert _cli("ingest", "--db", str(tmp_path / "x.duckdb")).returncode == 2


def test_cli_missing_input_is_reported_and_others_load(tmp_path):
    db = tmp_path / "p.duckdb"
    r = _cli("ingest", str(RAW / "seeds" / "001_0dfc435017dae436.txt"), str(tmp_path / "nope.pdf"),
             "--db", str(db), "--out", str(tmp_path / "o"))
    assert r.returncode == 1
    assert f"{tmp_path / 'nope.pdf'}: no such file or directory" in r.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM plans").fetchone() == (1,)
    assert con.execute("SELECT stage, message FROM ingest_errors").fetchall() == [
        ("discover", "no such file or directory")]


@pytest.mark.slow
def test_scanned_pdf_and_digital_twin_yield_the_same_header(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    cols = ", ".join(HEADER_FIELDS)
    rows = {  # each file's own reading (the scan is a copy of the digital plan: schema `copies`)
        src.rsplit("/", 1)[-1]: (method, vals)
        for src, method, *vals in con.execute(
            f"SELECT source_path, text_source, {cols} FROM {every_copy(con, 'plans')} "
            "WHERE source_path LIKE '%gen_dongnai_%'"
        ).fetchall()
    }
    digital, scan = rows["gen_dongnai_digital.pdf"], rows["gen_dongnai_scan.pdf"]
    assert digital[0] == "text_layer" and scan[0] == "ocr"
    assert digital[1] == scan[1]
    assert all(v is not None for v in digital[1]), dict(zip(HEADER_FIELDS, digital[1], strict=True))
    # ... and so they are one plan, whose rows come from the text layer.
    roles = dict(con.execute(
        "SELECT d.source_path, pd.role FROM plan_documents pd JOIN documents d USING (source_sha256) "
        "WHERE d.source_path LIKE '%gen_dongnai_%'").fetchall())
    assert sorted(roles.values()) == ["copy", "primary"] and roles[str(RAW / "generated" / "gen_dongnai_digital.pdf")] == "primary"
