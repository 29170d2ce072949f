"""Copies of one plan in real files: one row per plan, every document listed, every disagreement
listed. The expected conflicts are recomputed here from what each copy read (`copies.*` and the
main tables), independently of `pipeline.snapshot`."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import duckdb
import pytest

import ocr
from pipeline.ingest import ingest
from pipeline.snapshot import CONFLICT_FIELDS, every_copy
from tests.conftest import RAW


def _fold(v: object) -> object:
    if v is None:
        return None
    if isinstance(v, list):
        v = "; ".join(map(str, v))
    if hasattr(v, "isoformat"):
        v = v.isoformat()
    return " ".join(unicodedata.normalize("NFC", str(v)).casefold().split())


def expected_conflicts(con: duckdb.DuckDBPyConnection, plan_id: str) -> set[str]:
    """Fields on which the documents of `plan_id` read different values."""
    docs = [r[0] for r in con.execute(
        "SELECT d.document_id FROM plan_documents pd JOIN documents d USING (source_sha256) WHERE pd.plan_id = ?",
        [plan_id]).fetchall()]
    plans, areas = every_copy(con, "plans"), every_copy(con, "areas")
    fields = set()
    for field in CONFLICT_FIELDS:
        vals = {_fold(con.execute(f'SELECT "{field}" FROM {plans} WHERE plan_id = ?', [d]).fetchone()[0]) for d in docs}
        if len(vals) > 1:
            fields.add(field)
    if len({tuple(sorted({a for (a,) in con.execute(f"SELECT area FROM {areas} WHERE plan_id = ?", [d]).fetchall()}))
            for d in docs}) > 1:
        fields.add("areas")
    for table in ("targets", "tasks"):
        src = every_copy(con, table)
        if len({con.execute(f"SELECT count(*) FROM {src} WHERE plan_id = ?", [d]).fetchone()[0] for d in docs}) > 1:
            fields.add(table)
    return fields


def _conflict_fields(con: duckdb.DuckDBPyConnection, plan_id: str) -> set[str]:
    return {f for (f,) in con.execute("SELECT field FROM conflicts WHERE plan_id = ?", [plan_id]).fetchall()}


@pytest.mark.slow
def test_shipped_samples_give_one_row_per_plan(sample_db):
    con = duckdb.connect(str(sample_db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM documents WHERE superseded_at IS NULL").fetchone() == (8,)
        assert con.execute("SELECT count(*), count(DISTINCT (issuer, doc_number)) FROM plans").fetchone() == (4, 4)
        assert con.execute("SELECT count(*) FROM plan_documents WHERE role = 'primary'").fetchone() == (4,)
        # The Đồng Nai plan: a text-layer PDF, its scan and the OCR dump it was typeset from; the rows are the PDF's.
        (pid, source) = con.execute("SELECT plan_id, source_path FROM plans WHERE doc_number = '300/KH-UBND'").fetchone()
        assert source.endswith("gen_dongnai_digital.pdf")
        kinds = con.execute(
            "SELECT list(d.text_source ORDER BY pd.score DESC) FROM plan_documents pd JOIN documents d "
            "USING (source_sha256) WHERE pd.plan_id = ?", [pid]).fetchone()[0]
        assert kinds == ["text_layer", "ocr", "text"]
        n_targets = con.execute("SELECT count(*) FROM targets WHERE plan_id = ?", [pid]).fetchone()[0]
        primary_own = con.execute("SELECT count(*) FROM targets t JOIN plans p USING (plan_id) "
                                  "WHERE p.source_path LIKE '%gen_dongnai_digital.pdf'").fetchone()[0]
        assert n_targets == primary_own and n_targets > 0
        for (plan_id,) in con.execute("SELECT plan_id FROM plans").fetchall():
            assert _conflict_fields(con, plan_id) == expected_conflicts(con, plan_id), plan_id
        # Every conflict keeps the primary's value and lists each copy's, primary first.
        for kept, kept_sha, shas, values in con.execute(
                "SELECT kept_value, kept_sha256, source_sha256s, document_values FROM conflicts").fetchall():
            assert shas[0] == kept_sha and values[0] == kept and len(shas) == len(values) >= 2
    finally:
        con.close()


def _damaged_dump(pdf: Path, dst: Path) -> Path:
    """The plan's text as an OCR dump would give it: pages split by form feeds, the number's zeros
    read as letters O (so the number is unreadable) and one digit of the date misread."""
    text = "\f".join(p.text for p in ocr.read_document(str(pdf)))
    number = next(line for line in text.splitlines() if line.startswith("Số:"))
    damaged = text.replace(number, number.replace("0", "O"), 1).replace("ngày 28 tháng", "ngày 23 tháng", 1)
    assert damaged != text
    dst.write_text(damaged, encoding="utf-8")
    return dst


@pytest.mark.slow
def test_three_copies_give_one_plan_three_documents_and_their_conflicts(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    digital = shutil.copy(RAW / "generated" / "gen_dongnai_digital.pdf", inbox / "ke_hoach_so.pdf")
    shutil.copy(RAW / "generated" / "gen_dongnai_scan.pdf", inbox / "ban_scan.pdf")
    _damaged_dump(Path(digital), inbox / "ban_ocr.txt")
    db = tmp_path / "p.duckdb"
    summary = ingest([str(inbox)], db, tmp_path / "out", workers=2, progress=False)
    assert summary.failed == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (3,)
        ((pid, source),) = con.execute("SELECT plan_id, source_path FROM plans").fetchall()
        assert source == str(digital)
        roles = con.execute("SELECT role, count(*) FROM plan_documents WHERE plan_id = ? GROUP BY ALL ORDER BY 1",
                            [pid]).fetchall()
        assert roles == [("copy", 2), ("primary", 1)]
        got, want = _conflict_fields(con, pid), expected_conflicts(con, pid)
        assert got == want
        assert {"doc_number", "issue_date"} <= got  # the damage made on purpose is listed, not chosen silently
        kept, values = con.execute(
            "SELECT kept_value, document_values FROM conflicts WHERE plan_id = ? AND field = 'issue_date'", [pid]
        ).fetchone()
        assert kept == "2023-12-28" and "2023-12-23" in values
        for table in ("areas", "targets", "tasks", "pages"):  # the analysts' tables hold the primary's rows only
            n = con.execute(f"SELECT count(DISTINCT plan_id) FROM {table}").fetchone()[0]
            assert n == 1, table
    finally:
        con.close()
