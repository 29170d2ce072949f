"""Every CLI speaks the same way: --version, -q, the documented exit codes, one line per problem,
no traceback; `eval` fails on a missing gold folder, checks floors and prints clean JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import GOLD, REPO
from tests.faults.helpers import DIGITAL, SEED, cli, env, no_traceback


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, input=stdin,
                          timeout=300, env=env())


@pytest.mark.parametrize("module", ["pipeline", "ocr", "diacritics"])
def test_version_on_every_cli(module):
    r = _run(module, "--version")
    assert r.returncode == 0 and "cchc-ingest" in r.stdout and r.stdout.count("\n") == 1


def test_ocr_pages_out_of_range_is_a_usage_error():
    r = _run("ocr", str(DIGITAL), "--pages", "9-12")
    assert r.returncode == 2 and r.stdout == ""
    assert "--pages 9-12: the PDF has 6 page(s)" in r.stderr and no_traceback(r)


def test_ocr_unreadable_input_is_one_line_exit_1(tmp_path):
    bad = tmp_path / "not.pdf"
    bad.write_bytes(b"hello")
    r = _run("ocr", str(bad))
    assert r.returncode == 1 and r.stderr.strip().splitlines() == [f"{bad}: not a PDF (no %PDF- header)"]


def test_diacritics_missing_file_is_one_line():
    r = _run("diacritics", "restore", "/nonexistent/x.txt")
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and no_traceback(r)


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory):
    work = tmp_path_factory.mktemp("cli")
    r = cli("ingest", str(SEED), "--db", str(work / "db.duckdb"), "--out", str(work / "out"), "--workers", "1", "-q")
    assert r.returncode == 0 and r.stderr == "", r.stderr  # -q: nothing to say when all is well
    return work / "db.duckdb"


def test_eval_missing_gold_folder_fails(small_db):
    r = cli("eval", "--gold", "/nonexistent/gold", "--db", str(small_db))
    assert r.returncode == 3 and "is not a folder" in r.stderr and no_traceback(r)


def test_eval_json_is_clean_and_floors_fail_under(small_db, tmp_path):
    r = cli("eval", "--gold", str(GOLD), "--db", str(small_db), "--json")
    assert r.returncode == 0, r.stderr
    metrics = json.loads(r.stdout)  # nothing but JSON on stdout
    assert "overall_f1" in metrics
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"overall_f1": 1.01}))
    r = cli("eval", "--gold", str(GOLD), "--db", str(small_db), "--json", "--fail-under", str(floors))
    assert r.returncode == 1 and "below floor: overall_f1" in r.stderr
    floors.write_text(json.dumps({"overall_f1": 0.0}))
    assert cli("eval", "--gold", str(GOLD), "--db", str(small_db), "--fail-under", str(floors)).returncode == 0


def test_empty_folder_is_reported(tmp_path):
    (tmp_path / "empty").mkdir()
    r = cli("ingest", str(tmp_path / "empty"), "--db", str(tmp_path / "db.duckdb"), "--out", str(tmp_path / "out"))
    assert r.returncode == 1 and f"{tmp_path / 'empty'}: no .pdf or .txt files in this folder" in r.stderr
