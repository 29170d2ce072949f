"""`--executor ray` has the process pool's bounds: the same scheduler drives Ray tasks, so a hung
page is cancelled after its budget (the Ray worker killed) and fails alone, every other input
loads, and the pages read are checkpointed, so the next run reads only the failed page again."""

from __future__ import annotations

import time

from tests.faults.helpers import (
    DIGITAL,
    FAULT_ENV,
    SEED,
    cli,
    interrupt_once_checkpointed,
    no_traceback,
    query,
    query_files,
    scan_pdf,
    start,
)

PAGE_TIMEOUT = 20.0


def test_ray_hung_page_is_cancelled_alone_and_the_rerun_reads_only_it(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    scan_pdf(inbox / "faulty_scan.pdf", 3)
    (inbox / "plan.txt").write_bytes(SEED.read_bytes())
    (inbox / "digital.pdf").write_bytes(DIGITAL.read_bytes())
    db, out, log = tmp_path / "db.duckdb", tmp_path / "out", tmp_path / "pages.log"
    args = ("ingest", str(inbox), "--workers", "2", "--executor", "ray", "--page-timeout", str(PAGE_TIMEOUT),
            "--no-progress")
    started = time.monotonic()
    clean = cli(*args, "--db", str(tmp_path / "clean.duckdb"), "--out", str(tmp_path / "clean"))
    clean_s = time.monotonic() - started
    assert clean.returncode == 0, clean.stderr

    started = time.monotonic()
    r = cli(*args, "--db", str(db), "--out", str(out), extra_env={**FAULT_ENV, "CCHC_FAULT": "hang:faulty_scan:2"})
    elapsed = time.monotonic() - started
    print(f"ray: clean run {clean_s:.1f} s, with a hung page {elapsed:.1f} s")
    assert r.returncode == 1, r.stderr
    assert elapsed < clean_s + PAGE_TIMEOUT + 30, (elapsed, clean_s)
    assert no_traceback(r), r.stderr
    assert "page 2: timed out" in r.stderr, r.stderr
    pages = dict(query_files(db, "SELECT g.page_no, g.method FROM pages g JOIN plans p USING (plan_id) "
                           "WHERE p.source_path LIKE '%faulty_scan.pdf'"))
    assert pages == {1: "ocr", 2: "failed", 3: "ocr"}
    assert [s for _, s in query_files(db, "SELECT source_path, stage FROM ingest_errors")] == ["timeout"]
    others = query_files(db, "SELECT source_path, status FROM plans WHERE source_path NOT LIKE '%faulty_scan.pdf' "
                         "ORDER BY 1")
    assert [(p.rsplit("/", 1)[1], s) for p, s in others] == [("digital.pdf", "ok"), ("plan.txt", "ok")]
    assert len(list((out / ".checkpoints").glob("*.jsonl"))) == 1  # pages 1 and 3, kept for the re-run

    r = cli(*args, "--db", str(db), "--out", str(out), extra_env={**FAULT_ENV, "CCHC_FAULT": f"log:{log}"})
    assert r.returncode == 0, r.stderr
    assert {line.split()[-1] for line in log.read_text().splitlines()} == {"2"}
    assert query(db, "SELECT count(*) FROM pages WHERE method = 'failed'") == [(0,)]


def test_ray_sigint_exits_130_with_one_line(tmp_path):
    """Ctrl-C under Ray: the interrupt raised while Ray waits is not turned into an internal error
    (Ray's compiled wait wraps it in a SystemError). Ray's own shutdown takes ~3 s, so the bound here
    is looser than the process pool's 2 s."""
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "plan.txt").write_bytes(SEED.read_bytes())
    scan_pdf(inbox / "scan.pdf", 6)
    proc = start("ingest", str(inbox), "--db", str(tmp_path / "db.duckdb"), "--out", str(out), "--workers", "2",
                 "--executor", "ray", "--no-progress")
    err, took = interrupt_once_checkpointed(proc, out, timeout=60)
    print(f"ray: SIGINT to exit {took:.2f} s")
    assert proc.returncode == 130, err
    assert no_traceback(err) and "internal error" not in err, err
    assert err.strip().splitlines()[-1].startswith("interrupted by SIGINT"), err
    assert took < 15, took
