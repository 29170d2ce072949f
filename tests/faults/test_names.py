"""File names are bytes and dumps come in several encodings: a name that is not UTF-8, a name
with a newline (which must not forge a `path: reason` line) and a UTF-16 dump all load, and so
does everything beside them."""

from __future__ import annotations

import os

from pipeline.names import original_path
from tests.faults.helpers import SEED, cli, no_traceback, query, query_files


def test_odd_names_and_utf16_dump_load(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    text = SEED.read_text(encoding="utf-8")
    latin1 = os.fsencode(inbox) + b"/k\xe9_hoach.txt"  # Latin-1 'é': not UTF-8
    with open(latin1, "wb") as fh:
        fh.write((text + "\n(1)\n").encode("utf-8"))
    (inbox / "evil\nFORGED: injected line.txt").write_text(text + "\n(2)\n", encoding="utf-8")
    (inbox / "windows_unicode.txt").write_bytes(text.encode("utf-16"))
    (inbox / "plain.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "db.duckdb"
    r = cli("ingest", str(inbox), "--db", str(db), "--out", str(tmp_path / "out"), "--workers", "2")
    assert r.returncode == 0, r.stderr
    assert no_traceback(r), r.stderr
    assert not any(ln.startswith("FORGED") for ln in r.stderr.splitlines()), r.stderr
    assert any(ln.startswith(f"{inbox}/evil\\nFORGED: injected line.txt: ok") for ln in r.stderr.splitlines())
    assert query(db, "SELECT count(*) FROM ingest_errors") == [(0,)]
    paths = {p: (status, title, n) for p, status, title, n in
             query_files(db, "SELECT source_path, status, title, page_count FROM plans")}
    assert len(paths) == 4
    stored = [p for p in paths if "\\xe9" in p]
    assert len(stored) == 1 and os.fsencode(original_path(stored[0])) == latin1  # lossless
    assert str(inbox / "evil\nFORGED: injected line.txt") in paths  # stored as it is
    utf16 = paths[str(inbox / "windows_unicode.txt")]
    assert utf16 == paths[str(inbox / "plain.txt")]  # read exactly like its UTF-8 twin
