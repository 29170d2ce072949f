"""What a run needs from the machine, checked before any work, and what it leaves behind.

- `check_setup`: --out is a writable folder, --db is absent or a DuckDB file in a writable folder
  (a SQLite file made DuckDB try to download an extension; a directory, random bytes or a 0-byte
  file gave a traceback after the work was done), tesseract with its `vie` and `osd` data when
  there is a PDF to read. Each problem is a `SetupError`: one line, exit 3, nothing done.
- `run_temp_dir`: every temporary file of a run (the fork server's socket, tesseract's page images)
  goes into one folder, removed at exit, and by the next run if a kill -9 prevented that.
- `interrupts`: SIGINT and SIGTERM become `Interrupted`, raised in the main thread, except while
  a plan is being written (then right after it), so a stop never splits a write.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from schema.errors import Interrupted, SetupError

SQLITE_MAGIC = b"SQLite format 3\x00"
DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
RUN_PREFIX = "cchc-run-"


def _probe_writable(folder: Path, what: str) -> None:
    try:
        fd, probe = tempfile.mkstemp(prefix=".cchc-write-test-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise SetupError(f"{what} {folder} is not writable: {exc.strerror or exc}") from None


def check_out(out: str | Path) -> None:
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise SetupError(f"--out {out} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SetupError(f"--out {out} cannot be created: {exc.strerror or exc}") from None
    _probe_writable(out, "--out")


def check_db(db: str | Path) -> None:
    db = Path(db)
    if db.is_dir():
        raise SetupError(f"--db {db} is a directory, not a DuckDB file")
    if db.exists():
        try:
            with db.open("rb") as fh:
                head = fh.read(16)
        except OSError as exc:
            raise SetupError(f"--db {db} cannot be read: {exc.strerror or exc}") from None
        if not head:
            raise SetupError(f"--db {db} is an empty (0-byte) file, not a DuckDB database; remove it or choose another")
        if head.startswith(SQLITE_MAGIC):
            raise SetupError(f"--db {db} is a SQLite database, not a DuckDB one; choose another file")
        if head[8:12] != DUCKDB_MAGIC:
            raise SetupError(f"--db {db} is not a DuckDB database (unknown content); choose another file")
        try:
            with db.open("r+b"):
                pass
        except OSError as exc:
            raise SetupError(f"--db {db} is not writable: {exc.strerror or exc}") from None
    parent = db.parent if str(db.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SetupError(f"--db folder {parent} cannot be created: {exc.strerror or exc}") from None
    _probe_writable(parent, "--db folder")  # DuckDB writes its WAL beside the file


def check_ocr(engine: str | None = None) -> None:
    """tesseract and its `vie` and `osd` data (the tesseract engines and the test engines built on them).

    Asks the `tesseract` program directly (it honours TESSDATA_PREFIX, as libtesseract does), so the
    check costs no import of the OCR stage before the workers' fork server starts."""
    if (engine or os.environ.get("CCHC_OCR_ENGINE")) == "trueocr":
        return
    if shutil.which("tesseract") is None:
        raise SetupError("tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd)")
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SetupError(f"tesseract does not run: {exc}") from None
    have = {ln.strip() for ln in (out.stdout + out.stderr).splitlines()[1:]}
    missing = [lang for lang in ("vie", "osd") if lang not in have]
    if missing:
        packs = " ".join(f"tesseract-ocr-{m}" for m in missing)
        raise SetupError(f"tesseract language data missing: {', '.join(missing)} (apt-get install {packs})")


def check_setup(out: str | Path, db: str | Path, needs_ocr: bool, engine: str | None = None) -> None:
    check_out(out)
    check_db(db)
    if needs_ocr:
        check_ocr(engine)


# -- temporary files -----------------------------------------------------------------------

_RUN_DIR: list[Path] = []


def _pid_alive(pid: int) -> bool:
    return Path(f"/proc/{pid}").exists()


def remove_stale_run_dirs(base: Path) -> int:
    removed = 0
    for d in base.glob(f"{RUN_PREFIX}*"):
        pid = d.name[len(RUN_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _pid_alive(int(pid)) and d.is_dir():
            shutil.rmtree(d, ignore_errors=True)
            removed += 1
    return removed


def run_temp_dir() -> Path:
    """This run's temporary folder (TMPDIR for this process and every child), made once."""
    if _RUN_DIR:
        return _RUN_DIR[0]
    base = Path(tempfile.gettempdir())
    if len(str(base)) > 50 and os.access("/tmp", os.W_OK):
        # the fork server's socket lives in here: AF_UNIX paths are limited to 107 bytes
        base = Path("/tmp")
    remove_stale_run_dirs(base)
    run = Path(tempfile.mkdtemp(prefix=f"{RUN_PREFIX}{os.getpid()}-", dir=base))
    os.environ["TMPDIR"] = str(run)
    tempfile.tempdir = str(run)
    _RUN_DIR.append(run)
    # After multiprocessing's own clean-up of its folders inside (exit priority -100): lower runs later.
    from multiprocessing import util

    util.Finalize(None, shutil.rmtree, args=(run,), kwargs={"ignore_errors": True}, exitpriority=-101)
    return run


# -- signals ---------------------------------------------------------------------------------


class _Guard:
    def __init__(self) -> None:
        self.depth = 0
        self.pending: str | None = None

    @contextlib.contextmanager
    def critical(self) -> Iterator[None]:
        """No `Interrupted` inside (a plan being written); one that came meanwhile is raised after."""
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
        if not self.depth and self.pending:
            name, self.pending = self.pending, None
            raise Interrupted(f"interrupted by {name}")


@contextlib.contextmanager
def interrupts() -> Iterator[_Guard]:
    """SIGINT/SIGTERM -> `Interrupted` in the main thread while the block runs."""
    guard = _Guard()

    def handler(signum: int, _frame: object) -> None:
        name = signal.Signals(signum).name
        if guard.depth:
            guard.pending = name
            return
        raise Interrupted(f"interrupted by {name}")

    try:
        old = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: leave signals alone
        yield guard
        return
    try:
        yield guard
    finally:
        for s, h in old.items():
            signal.signal(s, h)
