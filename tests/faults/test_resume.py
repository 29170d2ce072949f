"""A 300-page scan killed after 60 s resumes without redoing the pages already done: the re-run
OCRs only the pages the first run had not checkpointed (every page read is logged by the fault
engine in `log` mode, which otherwise is the real tesseract engine), and all 300 pages load.

The scan is a real image-only PDF of 300 pages, made cheap to read (the plan's real first page,
then small pages of three printed lines), so the whole test takes about two minutes. The first
run is paced (`CCHC_FAULT_PACE`, a sleep per page) so that no machine can finish it in 60 s."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from tests.faults.helpers import FAULT_ENV, big_scan_pdf, cli, kill_session, query, start

N_PAGES = 300
KILL_AFTER = 60.0
PACE = 0.5
"""Seconds slept per page in the first run: 300 pages on 2 workers take at least 75 s."""


@pytest.fixture(scope="session")
def big_scan(tmp_path_factory) -> Path:
    return big_scan_pdf(tmp_path_factory.mktemp("scan300") / "big_scan.pdf", N_PAGES)


def _pages_logged(log: Path) -> set[int]:
    return {int(line.split()[-1]) for line in log.read_text().splitlines()} if log.exists() else set()


def _checkpointed(folder: Path) -> set[int]:
    pages = set()
    for f in folder.glob("*.jsonl") if folder.is_dir() else []:
        for line in f.read_text().splitlines():
            try:
                pages.add(json.loads(line)["page_no"])
            except ValueError:
                pass  # the line the kill cut
    return pages


def test_300_page_scan_killed_after_60_s_resumes_without_redoing_pages(tmp_path, big_scan):
    out, db = tmp_path / "out", tmp_path / "db.duckdb"
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    args = ("ingest", str(big_scan), "--db", str(db), "--out", str(out), "--workers", "2", "--no-progress")
    proc = start(*args, extra_env={**FAULT_ENV, "CCHC_FAULT": f"log:{first_log}", "CCHC_FAULT_PACE": str(PACE)})
    try:
        time.sleep(KILL_AFTER)
        assert proc.poll() is None, "finished before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        kill_session(proc.pid)
    kept = _checkpointed(out / ".checkpoints")
    assert 10 <= len(kept) < N_PAGES, len(kept)
    assert kept <= _pages_logged(first_log)

    started = time.monotonic()
    r = cli(*args, extra_env={**FAULT_ENV, "CCHC_FAULT": f"log:{second_log}"})
    print(f"{len(kept)} pages checkpointed after {KILL_AFTER:.0f} s; "
          f"re-run read {N_PAGES - len(kept)} in {time.monotonic() - started:.1f} s")
    assert r.returncode == 0, r.stderr
    again = _pages_logged(second_log)
    assert not again & kept, sorted(again & kept)  # no checkpointed page is OCR'd again
    assert again == set(range(1, N_PAGES + 1)) - kept
    rows = query(db, "SELECT page_no, method, text FROM pages ORDER BY page_no")
    assert [n for n, _, _ in rows] == list(range(1, N_PAGES + 1)) and all(m == "ocr" for _, m, _ in rows)
    assert all(f"Trang {n}" in text for n, _, text in rows[1:])  # each page's own text, resumed or not
    assert query(db, "SELECT status, page_count FROM plans") == [("ok", N_PAGES)]
