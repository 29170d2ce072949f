"""One error hierarchy for every stage and CLI, and the ONE place it maps to exit codes and
`ingest_errors.stage` (as OCRmyPDF's `exceptions.py`).

Stages raise these (schema is the lowest layer, so every stage may import it); the pipeline and
the CLIs turn them into a row, a line and an exit code here, never anywhere else:

    CchcError
    ├── InputError      this input cannot be read as a document            -> its own row, run goes on
    │   └── LimitError  over a configured cap (pixels, pages, text size)
    ├── SetupError      the machine or the arguments are not fit to run     -> exit 3, before any work
    ├── EngineError     the OCR engine failed on a page
    │   ├── EngineTimeout  a page's work outlived its time budget (worker killed)
    │   └── EngineCrash    the worker process died (abort, segfault, OOM kill)
    └── StoreError      the database or the output folder failed mid-run    -> exit 1, one line, work kept

`str(exc)` is always the one line a user sees.
"""

from __future__ import annotations

EXIT_OK = 0
"""Every input ingested (ok or partial with nothing failed)."""
EXIT_FAILED = 1
"""Some inputs (or pages) failed; the others are loaded. Also: a store error mid-run."""
EXIT_USAGE = 2
"""Bad usage (argparse)."""
EXIT_SETUP = 3
"""A setup problem found before any work (tesseract data, --db, --out)."""
EXIT_INTERRUPTED = 130
"""SIGINT or SIGTERM: work done so far is kept."""


class CchcError(Exception):
    """Base of every error this project reports to a user; `str(exc)` is one line."""

    stage = "internal"
    exit_code = EXIT_FAILED


class InputError(CchcError):
    """The input cannot be read as a document; str(exc) is shown to the user."""

    stage = "read"


class LimitError(InputError):
    """An input is over a configured limit (page pixels, page count, text size)."""

    stage = "limit"


class SetupError(CchcError):
    """The environment or an argument makes the run impossible; found before any work."""

    stage = "setup"
    exit_code = EXIT_SETUP


class EngineError(CchcError):
    """The OCR engine (or our own per-page code around it) failed on a page."""

    stage = "ocr"


class EngineTimeout(EngineError):
    """A page's work ran past its time budget; its worker was killed."""

    stage = "timeout"


class EngineCrash(EngineError):
    """The worker process died while working on a page (abort, segfault, out of memory)."""

    stage = "crash"


class StoreError(CchcError):
    """Writing the database or the output folder failed (disk full, file gone, read-only)."""

    stage = "store"


class Interrupted(CchcError):
    """SIGINT / SIGTERM."""

    stage = "interrupted"
    exit_code = EXIT_INTERRUPTED


def exit_code_for(exc: BaseException) -> int:
    """The process exit code of an error that ends a run."""
    if isinstance(exc, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    return exc.exit_code if isinstance(exc, CchcError) else EXIT_FAILED


def stage_for(exc: BaseException, default: str = "internal") -> str:
    """`ingest_errors.stage` of an error that failed one input."""
    return exc.stage if isinstance(exc, CchcError) and type(exc).stage != "internal" else default


def one_line(text: str) -> str:
    """A message on one line: a newline inside (a file name, a library's message) cannot forge a second."""
    return text.replace("\r", "\\r").replace("\n", "\\n")
