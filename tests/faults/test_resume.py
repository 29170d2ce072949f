"""A big scan killed mid-run resumes from its last page done: the re-run reads only the pages the
first run had not finished (every page read is logged by the fault engine in `log` mode, which
otherwise is the real tesseract engine)."""

from __future__ import annotations

import os
import signal

from tests.faults.helpers import FAULT_ENV, cli, kill_session, query, scan_pdf, start, wait_for


def _pages_logged(log) -> set[int]:
    return {int(line.split()[-1]) for line in log.read_text().splitlines()} if log.exists() else set()


def test_killed_scan_resumes_without_redoing_pages(tmp_path):
    n = 12
    scan = scan_pdf(tmp_path / "big_scan.pdf", n)
    out, db = tmp_path / "out", tmp_path / "db.duckdb"
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    args = ("ingest", str(scan), "--db", str(db), "--out", str(out), "--workers", "2", "--no-progress")
    proc = start(*args, extra_env={**FAULT_ENV, "CCHC_FAULT": f"log:{first_log}"})
    folder = out / ".checkpoints"

    def done() -> set[int]:
        import json

        pages = set()
        for f in folder.glob("*.jsonl") if folder.is_dir() else []:
            for line in f.read_text().splitlines():
                try:
                    pages.add(json.loads(line)["page_no"])
                except ValueError:
                    pass
        return pages

    try:
        assert wait_for(lambda: len(done()) >= 4 or proc.poll() is not None, 600)
        assert proc.poll() is None, "finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        kill_session(proc.pid)
    kept = done()
    assert 4 <= len(kept) < n
    assert kept <= _pages_logged(first_log)

    r = cli(*args, extra_env={**FAULT_ENV, "CCHC_FAULT": f"log:{second_log}"})
    assert r.returncode == 0, r.stderr
    again = _pages_logged(second_log)
    assert again and not again & kept, (sorted(kept), sorted(again))  # no page done twice
    assert again == set(range(1, n + 1)) - kept
    rows = query(db, "SELECT page_no, method, length(text) > 0 FROM pages ORDER BY page_no")
    assert [r[0] for r in rows] == list(range(1, n + 1)) and all(m == "ocr" for _, m, _ in rows)
    assert query(db, "SELECT status, page_count FROM plans")[0][1] == n
