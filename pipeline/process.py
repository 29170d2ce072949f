"""One document through every stage: read → restore → parse → validated `ParsedPlan`.

This runs inside worker processes, so it touches no database: it returns
either a `ParsedPlan` or a `Failure` naming the stage and a one-line reason,
and the orchestrator (the only DB writer) stores whichever it gets.

A big PDF is split into page ranges so several workers can OCR it at once:
`read_range` reads and restores one range (streaming, one page image at a
time), `assemble` parses the pages of all ranges once. `process_file` is the
same path for a whole document in one call; both end in `finish`, so a
document gives identical rows however it was split.
"""

from __future__ import annotations

import statistics
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import diacritics
import ocr
import parsers
from ocr.page_source import PdfCache
from parsers.provenance import scale_to_points
from pipeline.hashing import file_sha256, plan_id_for
from pipeline.names import stored_path
from pipeline.pdf_pages import pdf_page_sizes
from pipeline.results import Failure
from schema import limits
from schema.document import Page
from schema.errors import CchcError, InputError, stage_for
from schema.records import Extraction, PageRow, ParsedPlan, PlanRow

T = TypeVar("T")


def _text_source(pages: list[Page]) -> str:
    methods = {p.method for p in pages if p.method != "failed"} or {"failed"}
    if len(methods) == 1:
        return next(iter(methods))
    return "mixed"


def blank_scanned_pages(pages: list[Page]) -> list[int]:
    """Image-only pages on which OCR found no text: reported, since a page may be missing from the scan."""
    return [p.page_no for p in pages if p.method == "ocr" and not p.text.strip()]


def failed_pages(pages: list[Page]) -> list[int]:
    """Placeholder pages of pages that could not be read (timeout, crash, over a limit)."""
    return [p.page_no for p in pages if p.method == "failed"]


def build_plan(path: str, sha: str, pages: list[Page], ext: Extraction) -> ParsedPlan:
    pid = plan_id_for(sha)
    confidences = [p.confidence for p in pages if p.method == "ocr" and p.confidence is not None]
    h = ext.header
    missing = list(ext.missing)
    blank = blank_scanned_pages(pages)
    if blank:
        missing.append("blank pages " + ",".join(map(str, blank)))
    failed = failed_pages(pages)
    if failed:
        missing.append("failed pages " + ",".join(map(str, failed)))
    status = "ok" if ext.is_plan and not missing else ("partial" if ext.is_plan else "failed")
    plan = PlanRow(
        plan_id=pid,
        source_path=stored_path(path),
        source_sha256=sha,
        **h.model_dump(),
        page_count=len(pages),
        text_source=_text_source(pages),
        ocr_confidence=round(statistics.fmean(confidences), 2) if confidences else None,
        status=status,
        parser_version=parsers.PARSER_VERSION,
        missing=missing,
    )
    page_rows = [
        PageRow(
            plan_id=pid,
            page_no=p.page_no,
            method=p.method,
            confidence=p.confidence,
            raw_text=p.raw_text if p.raw_text is not None else p.text,
            text=p.text,
            restored=p.raw_text is not None,
        )
        for p in pages
    ]
    return ParsedPlan(
        plan=plan,
        areas=ext.areas,
        targets=ext.targets,
        tasks=ext.tasks,
        agencies=ext.agencies,
        task_agencies=ext.task_agencies,
        pages=page_rows,
        boxes=ext.boxes,
    )


def finish(path: str, sha: str, pages: list[Page]) -> ParsedPlan | Failure:
    """Parse restored pages (in page order) into a plan, or say why it is not one."""
    pages = sorted(pages, key=lambda p: p.page_no)
    if not pages:
        raise InputError("document has no pages")
    if not any(p.text.strip() for p in pages):
        return Failure(path, sha, "read", f"no text found on any of its {len(pages)} page(s) (blank or unreadable scan)")
    ext = parsers.parse_plan(pages, plan_id_for(sha))
    scanned = any(p.method == "ocr" for p in pages)  # text-layer boxes are in points already
    scale_to_points(ext, pages, pdf_page_sizes(path) if scanned and ocr.is_pdf(path) else {})
    parsed = build_plan(path, sha, pages, ext)
    if not ext.is_plan:
        return Failure(path, sha, "parse", "not a CCHC plan (no plan title or reform areas found)", parsed)
    return parsed


class Stage:
    """Which stage is running, so a failure names it even when reading and restoring interleave."""

    def __init__(self, name: str) -> None:
        self.name = name


def read_and_restore(pages: Iterator[Page], stage: Stage) -> list[Page]:
    """Read every page (one page image alive at a time: a page keeps only its text and boxes),
    then restore the document in one call (`diacritics.restore_document`)."""
    stage.name = "read"
    read = list(pages)
    stage.name = "restore"
    return diacritics.restore_document(read)


def guarded(path: str, sha: str | None, stage: str | Stage, work: Callable[[], T]) -> T | Failure:
    """Run one stage; bad input and stage bugs become a `Failure` so the batch never stops."""
    tracker = stage if isinstance(stage, Stage) else Stage(stage)
    try:
        return work()
    except CchcError as exc:  # InputError (the stage running), LimitError, EngineError, SetupError
        stage = tracker.name if type(exc).stage in (InputError.stage, CchcError.stage) else stage_for(exc)
        return Failure(path, sha, stage, _strip_path(str(exc), path))
    except MemoryError:
        return Failure(path, sha, tracker.name, "out of memory while processing this file")
    except Exception as exc:  # a bug in a stage must not stop the batch; keep where it happened
        tb = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(tb.filename).name}:{tb.lineno}"
        return Failure(
            path, sha, tracker.name, f"internal error in {tracker.name} stage: {type(exc).__name__}: {exc} ({where})"
        )


def _strip_path(message: str, path: str) -> str:
    """OCR errors may start with the path; the report line adds it once (`path: reason`)."""
    prefix = f"{path}: "
    return message[len(prefix):] if message.startswith(prefix) else message


def _sha(path: str, sha: str | None) -> str:
    if sha is not None:
        return sha
    try:
        return file_sha256(path)
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from exc


def process_file(path: str, sha: str | None = None) -> ParsedPlan | Failure:
    """Never raises for bad input: every problem becomes a `Failure` with a clear reason."""
    got = guarded(path, sha, "read", lambda: _sha(path, sha))
    if isinstance(got, Failure):
        return got
    sha = got
    stage = Stage("read")
    pages = guarded(path, sha, stage, lambda: read_and_restore(ocr.read_document(path), stage))
    if isinstance(pages, Failure):
        return pages
    return _finish_guarded(path, sha, pages)


def _finish_guarded(path: str, sha: str, pages: list[Page]) -> ParsedPlan | Failure:
    return guarded(path, sha, "parse", lambda: finish(path, sha, pages))


# -- the split path for big PDFs (each function is one worker task) ----------------


def page_count(path: str, sha: str) -> int | Failure:
    """Pages in a PDF, checked in a worker so a hostile file cannot take down the orchestrator."""
    return guarded(path, sha, "read", lambda: ocr.pdf_page_count(path))


def read_range(path: str, sha: str, first: int, last: int) -> list[Page] | Failure:
    """OCR / text-layer read of pages first..last (1-based, inclusive), one page image in memory at a time."""
    return guarded(path, sha, "read", lambda: ocr.read_raw_range(path, first, last))


def assemble(path: str, sha: str, raw_pages: list[Page], failed: dict[int, str] | None = None) -> ParsedPlan | Failure:
    """Once every range is read: in-order post-processing, restoration (cheap: ~10 ms a page), parse.

    `failed` (page number -> reason) are pages that could not be read: they become empty `failed`
    placeholders, so the document loads as `partial` with them listed."""
    stage = Stage("read")
    pages = guarded(path, sha, stage, lambda: read_and_restore(iter(ocr.postprocess(raw_pages)), stage))
    if isinstance(pages, Failure):
        return pages
    if failed:
        pages = sorted(pages + [Page(page_no=n, method="failed", text="") for n in failed], key=lambda p: p.page_no)
    return _finish_guarded(path, sha, pages)


# -- tasks of the isolated worker pool (`pipeline.workers`) ----------------------------

_PDFS = PdfCache()
"""This worker's open PDFs: each is opened once, however many page ranges of it the worker reads."""


def count_pages(path: str, sha: str) -> int | Failure:
    """Pages in a PDF (and the page-count cap), opening it in this worker's cache for the reads to come."""
    return guarded(path, sha, "read", lambda: _PDFS.page_count(path))


def read_one_page(path: str, sha: str, page_no: int) -> Page | Failure:
    """One page as read, from the PDF this worker keeps open; a failure names the page."""
    got = guarded(path, sha, "read", lambda: _PDFS.get(path).read_raw(page_no))
    if isinstance(got, Failure):
        got.page_no = page_no
        got.message = f"page {page_no}: {got.message}"
    return got


def read_page_json(path: str, sha: str, page_no: int, keep_text: bool = True) -> str | Failure | None:
    """`read_one_page` as the JSON the orchestrator keeps (and checkpoints as it is); the page object
    stays in this worker for the `assemble` that usually follows here (`assemble_json`).

    Without `keep_text` (one worker: the assemble runs here), a page that was not OCR'd comes back
    as None: it is read again, cheaply and identically, should this worker's copy be gone."""
    got = read_one_page(path, sha, page_no)
    if isinstance(got, Failure):
        return got
    _remember(sha, got)
    return got.model_dump_json() if keep_text or got.method == "ocr" else None


# Pages this worker read, kept for the document's `assemble`: with one worker (and for most pages
# with two) the pages need not be rebuilt from JSON there, which cost a tenth of a text-layer
# page's reading time. Bounded; a page that is not here is rebuilt from its JSON, identically.
_READ: dict[str, dict[int, Page]] = {}
_READ_MAX_PAGES = 400


def _remember(sha: str, page: Page) -> None:
    _READ.setdefault(sha, {})[page.page_no] = page
    _READ[sha] = _READ.pop(sha)  # most recent last
    while sum(map(len, _READ.values())) > _READ_MAX_PAGES and len(_READ) > 1:
        del _READ[next(iter(_READ))]


def assemble_json(path: str, sha: str, pages: list[tuple[int, str | None]],
                  failed: dict[int, str] | None = None) -> ParsedPlan | Failure:
    """`assemble` of pages sent as JSON (page number, JSON), using this worker's own reads where it has them."""
    mine = _READ.pop(sha, {})

    def page(n: int, js: str | None) -> Page:
        if n in mine:
            return mine[n]
        if js is not None:
            return Page.model_validate_json(js)
        again = read_one_page(path, sha, n)  # a text-layer page this worker no longer holds
        if isinstance(again, Failure):
            raise InputError(again.message)
        return again

    got = guarded(path, sha, "read", lambda: [page(n, js) for n, js in pages])
    return got if isinstance(got, Failure) else assemble(path, sha, got, failed)


def process_text(path: str, sha: str) -> ParsedPlan | Failure:
    """A text dump, after the size cap (checked before a byte is decoded)."""
    try:
        limits.check_text_size(Path(path).stat().st_size)
    except CchcError as exc:
        return Failure(path, sha, stage_for(exc, "read"), str(exc))
    except OSError as exc:
        return Failure(path, sha, "read", f"cannot read file: {exc.strerror or exc}")
    return process_file(path, sha)


def close_cached() -> None:
    _PDFS.close()
