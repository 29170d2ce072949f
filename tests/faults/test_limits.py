"""Inputs over a limit: a decompression bomb (a 900-megapixel page image in a 0.1 MB PDF), a text
dump over the text-size cap and a PDF over the page cap each get one line and an error row, with
the limit named; every other input loads."""

from __future__ import annotations

from tests.faults.helpers import DIGITAL, SEED, bomb_pdf, cli, no_traceback, query, query_files
from tests.fixtures import bad_inputs as bad


def test_bomb_big_text_and_too_many_pages_fail_alone(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    bomb_pdf(inbox / "bomb.pdf")
    seed = SEED.read_bytes()
    (inbox / "huge.txt").write_bytes(seed * 4)  # 4 x 80 kB, over the 200 kB cap set below
    (inbox / "plan.txt").write_bytes(seed)
    (inbox / "digital.pdf").write_bytes(DIGITAL.read_bytes())  # 6 pages: at the cap, loads
    bad.plan_pdf(inbox / "long.pdf", n_pages=9)  # over the cap
    db = tmp_path / "db.duckdb"
    r = cli("ingest", str(inbox), "--db", str(db), "--out", str(tmp_path / "out"), "--workers", "2",
            "--max-text-bytes", "200000", "--max-pages", "6")
    assert r.returncode == 1, r.stderr
    assert no_traceback(r), r.stderr
    expect = {"bomb.pdf": "900 megapixels, over the limit", "huge.txt": "over the limit of 0.2 MB",
              "long.pdf": "PDF has 9 pages, over the limit of 6"}
    errors = {p.rsplit("/", 1)[1]: (s, m) for p, s, m in query(db, "SELECT source_path, stage, message FROM ingest_errors")}
    assert set(errors) == set(expect)
    for name, reason in expect.items():
        lines = [ln for ln in r.stderr.splitlines() if ln.startswith(f"{inbox / name}: ")]
        assert len(lines) == 1 and reason in lines[0], (name, r.stderr)
        assert errors[name][0] == "limit" and reason in errors[name][1]
    loaded = query_files(db, "SELECT source_path, status FROM plans ORDER BY 1")
    assert [(p.rsplit("/", 1)[1], s) for p, s in loaded] == [("digital.pdf", "ok"), ("plan.txt", "ok")]
