"""Bad inputs in one folder next to good ones: each bad one is reported once, clearly, and recorded;
every good one still loads; the exit code says some inputs failed.

One real CLI run (2 workers, real pdfium/pdfplumber/tesseract, real DuckDB) over the whole folder.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipeline.snapshot import every_copy
from tests.conftest import REPO
from tests.fixtures import bad_inputs as bad

# file name -> (stage, reason pattern) for inputs that must fail
FAILS = {
    "truncated.pdf": ("read", r"corrupt or truncated PDF"),
    "corrupt.pdf": ("read", r"corrupt or truncated PDF"),
    "encrypted.pdf": ("read", r"encrypted"),
    "zero_pages.pdf": ("read", r"no pages"),
    "renamed_png.pdf": ("read", r"not a PDF"),
    "blank_scan.pdf": ("read", r"no text found"),
    "unreadable.pdf": ("read", r"cannot read file"),
    "directory.pdf": ("discover", r"cannot read file: is a directory"),
    "dangling_link.pdf": ("discover", r"cannot read file: broken symbolic link"),
    "invoice.txt": ("parse", r"not a CCHC plan"),
    "decree.txt": ("parse", r"not a CCHC plan"),
    "binary_junk.txt": ("read", r"binary data, not a text file"),
}
LOADS = ("good_plan.pdf", "good_dump.txt", "utf8_original.txt", "legacy_cp1258.txt", "plan_with_blank_page.pdf")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    work = tmp_path_factory.mktemp("faults")
    inbox = work / "inbox"
    inbox.mkdir()
    good = bad.plan_pdf(inbox / "good_plan.pdf", n_pages=3)
    bad.truncated_pdf(inbox / "truncated.pdf", good)
    bad.corrupt_pdf(inbox / "corrupt.pdf")
    bad.encrypted_pdf(inbox / "encrypted.pdf")
    bad.zero_page_pdf(inbox / "zero_pages.pdf")
    bad.renamed_non_pdf(inbox / "renamed_png.pdf")
    bad.blank_scan_pdf(inbox / "blank_scan.pdf")
    bad.plan_with_blank_scan_pdf(inbox / "plan_with_blank_page.pdf", work)
    how_unreadable = bad.make_unreadable(inbox / "unreadable.pdf")
    (inbox / "directory.pdf").mkdir()
    (inbox / "dangling_link.pdf").symlink_to(work / "gone.pdf")
    bad.invoice_txt(inbox / "invoice.txt")
    bad.decree_txt(inbox / "decree.txt")
    bad.binary_txt(inbox / "binary_junk.txt")
    bad.cp1258_txt(inbox / "legacy_cp1258.txt")
    (inbox / "good_dump.txt").write_text(
        (REPO / "data/raw/seeds/003_9bfe1781afd0dd40.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (inbox / "utf8_original.txt").write_bytes(bad.CLEAN_SEED.read_bytes())
    db = work / "plans.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "ingest", str(inbox), "--db", str(db), "--out", str(work / "parsed"),
         "--workers", "2", "--no-progress"],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    con = duckdb.connect(str(db), read_only=True)
    errors = {Path(p).name: (stage, msg) for p, stage, msg in
              con.execute("SELECT source_path, stage, message FROM ingest_errors").fetchall()}
    plans = {Path(r[0]).name: r[1:] for r in  # each file's own reading (several are copies of one plan)
             con.execute("SELECT source_path, status, missing, doc_number, title, page_count "
                         f"FROM {every_copy(con, 'plans')}").fetchall()}
    con.close()
    return {"proc": proc, "inbox": inbox, "errors": errors, "plans": plans, "how_unreadable": how_unreadable}


def test_exit_code_is_1_when_some_inputs_failed(run):
    assert run["proc"].returncode == 1, run["proc"].stderr


@pytest.mark.parametrize("name", sorted(FAILS))
def test_each_bad_input_gets_one_stderr_line_and_an_error_row(run, name):
    stage, reason = FAILS[name]
    path = str(run["inbox"] / name)
    lines = [ln for ln in run["proc"].stderr.splitlines() if ln.startswith(f"{path}: ")]
    assert len(lines) == 1, (name, run["how_unreadable"], run["proc"].stderr)
    assert re.search(reason, lines[0]), lines[0]
    assert "Traceback" not in run["proc"].stderr and "internal error" not in lines[0]
    assert name in run["errors"], run["errors"]
    assert run["errors"][name][0] == stage
    assert re.search(reason, run["errors"][name][1])


def test_not_a_plan_keeps_what_was_read_marked_failed(run):
    for name in ("invoice.txt", "decree.txt"):
        status, *_ = run["plans"][name]
        assert status == "failed"


@pytest.mark.parametrize("name", LOADS)
def test_good_inputs_still_load(run, name):
    assert name in run["plans"], run["proc"].stderr
    assert name not in run["errors"]
    status = run["plans"][name][0]
    assert status in ("ok", "partial")


def test_blank_scanned_page_inside_a_plan_is_partial_and_reported(run):
    status, missing, *_rest, page_count = run["plans"]["plan_with_blank_page.pdf"]
    assert status == "partial" and "blank pages 2" in missing and page_count == 3
    path = str(run["inbox"] / "plan_with_blank_page.pdf")
    assert f"{path}: loaded as partial (not found: blank pages 2" in run["proc"].stderr


def test_cp1258_text_reads_like_its_utf8_original(run):
    legacy, original = run["plans"]["legacy_cp1258.txt"], run["plans"]["utf8_original.txt"]
    assert legacy == original  # status, missing, doc_number, title (NFC Vietnamese, not mojibake), pages
    assert legacy[2] is not None and legacy[3] is not None


def test_summary_line_counts_every_input(run):
    last = run["proc"].stderr.strip().splitlines()[-1]
    m = re.match(r"ingested (\d+) ok, (\d+) partial, (\d+) failed, (\d+) unchanged", last)
    assert m, last
    ok, partial, failed, _ = map(int, m.groups())
    assert ok + partial == len(LOADS) and failed == len(FAILS)
