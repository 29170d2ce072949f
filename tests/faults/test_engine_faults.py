"""An OCR engine that hangs or aborts on one page: that page fails, nothing else does.

Real runs of the CLI with the fault engine (`tests/faults/fault_engine.py`, registered by name
through the engine plugin hook) reading a real 3-page scan whose page 2 triggers the fault, beside
a text dump and a text-layer PDF. With one worker and with two.
"""

from __future__ import annotations

import time

import pytest

from tests.faults.helpers import DIGITAL, FAULT_ENV, SEED, cli, no_traceback, query, query_files, scan_pdf

PAGE_TIMEOUT = 20.0
"""Generous for a real page on a busy 2-core machine. A page that runs out of its budget fails at
once (no second budget), so a run with the fault must end within timeout + 30 s of the same run
without it (timed just before, as the machine is shared)."""


@pytest.mark.parametrize("fault", ["hang", "abort"])
@pytest.mark.parametrize("workers", [1, 2])
def test_engine_fault_on_one_page_fails_only_that_page(tmp_path, fault, workers):
    inbox = tmp_path / "in"
    inbox.mkdir()
    scan_pdf(inbox / "faulty_scan.pdf", 3)
    (inbox / "plan.txt").write_bytes(SEED.read_bytes())
    (inbox / "digital.pdf").write_bytes(DIGITAL.read_bytes())
    db = tmp_path / "db.duckdb"
    args = ("ingest", str(inbox), "--out", str(tmp_path / "out"), "--workers", str(workers),
            "--page-timeout", str(PAGE_TIMEOUT))
    # the same run without the fault, now: this machine's pace (it is shared)
    started = time.monotonic()
    assert cli(*args, "--db", str(tmp_path / "clean.duckdb"), "--out", str(tmp_path / "clean")).returncode == 0
    clean = time.monotonic() - started
    started = time.monotonic()
    r = cli(*args, "--db", str(db), extra_env={**FAULT_ENV, "CCHC_FAULT": f"{fault}:faulty_scan:2"})
    elapsed = time.monotonic() - started
    assert r.returncode == 1, r.stderr
    print(f"{fault}, {workers} worker(s): clean run {clean:.1f} s, with the fault {elapsed:.1f} s")
    assert elapsed < clean + PAGE_TIMEOUT + 30, (elapsed, clean)
    assert no_traceback(r), r.stderr
    why = "timed out" if fault == "hang" else "worker process killed by SIGABRT"
    line = [ln for ln in r.stderr.splitlines() if ln.startswith(f"{inbox / 'faulty_scan.pdf'}: ")]
    assert len(line) == 1 and "failed pages 2" in line[0] and f"page 2: {why}" in line[0], r.stderr

    pages = dict(query_files(db, "SELECT g.page_no, g.method FROM pages g JOIN plans p USING (plan_id) "
                           "WHERE p.source_path LIKE '%faulty_scan.pdf'"))
    assert pages == {1: "ocr", 2: "failed", 3: "ocr"}
    status = query_files(db, "SELECT status, missing FROM plans WHERE source_path LIKE '%faulty_scan.pdf'")
    assert status[0][0] in ("partial", "failed") and "failed pages 2" in status[0][1]
    errors = query(db, "SELECT source_path, stage, message FROM ingest_errors")
    assert [(p.rsplit("/", 1)[1], s) for p, s, _ in errors] == [
        ("faulty_scan.pdf", "timeout" if fault == "hang" else "crash")]
    assert "page 2" in errors[0][2]
    # every other input loads, completely
    others = query_files(db, "SELECT source_path, status, page_count, (SELECT count(*) FROM pages g "
                       "WHERE g.plan_id = p.plan_id AND g.method <> 'failed') FROM plans p "
                       "WHERE source_path NOT LIKE '%faulty_scan.pdf' ORDER BY 1")
    assert [(p.rsplit("/", 1)[1], s) for p, s, *_ in others] == [("digital.pdf", "ok"), ("plan.txt", "ok")]
    assert all(n == loaded for *_, n, loaded in others)


def test_rerun_reads_only_the_failed_page_again(tmp_path):
    """A plan with a failed page is not 'current': the next run reads that page alone (the others
    come from the checkpoint kept for it) and the plan is complete."""
    inbox = tmp_path / "in"
    inbox.mkdir()
    scan_pdf(inbox / "faulty_scan.pdf", 3)
    db, out, log = tmp_path / "db.duckdb", tmp_path / "out", tmp_path / "pages.log"
    args = ("ingest", str(inbox), "--db", str(db), "--out", str(out), "--workers", "2")
    r = cli(*args, extra_env={**FAULT_ENV, "CCHC_FAULT": "abort:faulty_scan:2"})
    assert r.returncode == 1, r.stderr
    r = cli(*args, extra_env={**FAULT_ENV, "CCHC_FAULT": f"log:{log}"})
    assert r.returncode == 0, r.stderr
    assert {line.split()[-1] for line in log.read_text().splitlines()} == {"2"}
    assert query(db, "SELECT page_no, method FROM pages ORDER BY 1") == [(1, "ocr"), (2, "ocr"), (3, "ocr")]
    assert query(db, "SELECT count(*) FROM ingest_errors") == [(0,)]
    assert not (out / ".checkpoints").exists()
