"""Turn a list of documents into worker tasks, across documents AND across pages of one document.

`PageScheduler` (the process pool, any number of workers, `pipeline.workers`): a `.txt` dump is
one task; a PDF is a page count, then page lists read in isolated workers that stream each page
back (checkpointed at once, `pipeline.checkpoints`; pages checkpointed by an earlier run are not
read again), then one `assemble` task. A page that ran out of its time budget fails at once: its
own clock ran out, so a second full budget would only double the wait. A page whose worker died
(abort, segfault) is retried alone in a fresh worker, as the crash may have been left behind by
an earlier page of the same process; if it dies again only that page fails. Either way the
document loads `partial`, the rest of the page list is read again by another task, and other
workers' tasks are never touched. A count/text/assemble task is retried once after a crash, never
after a timeout.

`--executor ray` runs the same scheduler over `pipeline.ray_pool.RayPool`.

PDFs are split into shrinking page chunks (`page_chunks`), so a single 300-page scan keeps every
core busy, and a folder of small files is spread over the workers document by document.
"""

from __future__ import annotations

import math
import os
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

from pipeline.checkpoints import Checkpoints
from pipeline.results import Failure
from pipeline.workers import Event, Task, WorkerPool, call_task
from schema.records import ParsedPlan

MAX_RANGE_PAGES = 16
"""Pages per range at most: small enough to balance a big scan over the workers, large enough that
opening the PDF again per range (milliseconds) stays negligible next to OCR (seconds per page)."""


def page_ranges(n_pages: int, workers: int, max_pages: int = MAX_RANGE_PAGES) -> list[tuple[int, int]]:
    """Split pages 1..n into contiguous inclusive ranges that shrink towards the end of the document.

    Guided self-scheduling: each range takes 1/(2 x workers) of the pages still left (at most
    `max_pages`, at least one), so the last ranges are single pages. Pages differ in cost (a
    table page OCRs slower than a page of prose): with equal ranges a worker that finished early
    sat idle while another read the last big range (12 scanned pages on 2 workers as 4 ranges of 3
    could take 12 page-times instead of 9); now the early finisher takes the small ones.
    """
    if n_pages <= 0:
        return []
    if workers <= 1:
        return [(1, n_pages)]
    out: list[tuple[int, int]] = []
    first = 1
    while first <= n_pages:
        left = n_pages - first + 1
        size = max(1, min(max_pages, math.ceil(left / (2 * workers))))
        out.append((first, first + size - 1))
        first += size
    return out


def is_pdf(path: str) -> bool:
    return path.lower().endswith(".pdf")


# -- the isolated process pool ----------------------------------------------------------

CALL_ATTEMPTS = 2
"""A count/assemble/text task whose worker timed out or died runs once more, in a fresh worker."""


def page_chunks(pages: list[int], workers: int, max_pages: int = MAX_RANGE_PAGES) -> list[list[int]]:
    """`page_ranges` over any list of pages (those a resumed run still lacks): shrinking chunks."""
    return [pages[first - 1:last] for first, last in page_ranges(len(pages), workers, max_pages)]


@dataclass
class Progress:
    """For the progress bar: `pages` known for a file, `page` done (`n` pages), `file` being worked on."""

    kind: str
    path: str
    n: int = 0


@dataclass
class _PDoc:
    path: str
    sha: str
    n_pages: int | None = None
    pages: dict[int, str | None] = field(default_factory=dict)  # page number -> its JSON (None: in the worker)
    failed: dict[int, Failure] = field(default_factory=dict)
    reads: int = 0  # read tasks queued or running
    started: float = field(default_factory=time.monotonic)
    page_failures: list[Failure] = field(default_factory=list)


@dataclass
class _Ref:
    doc: _PDoc
    step: str  # "count", "read", "assemble", "text"
    pages: list[int] = field(default_factory=list)
    alone: bool = False  # a page's retry in a fresh worker
    attempts: int = 1


class PageScheduler:
    """Documents -> results through a `WorkerPool`; yields `Progress` and finished `ParsedPlan | Failure`."""

    def __init__(self, pool: WorkerPool, checkpoints: Checkpoints | None = None) -> None:
        self.pool = pool
        self.checkpoints = checkpoints
        self.ready: deque[Task] = deque()

    def _task(self, ref: _Ref) -> Task:
        doc, budget = ref.doc, self.pool.budget
        if ref.step == "read":
            keep_text = self.pool.size > 1  # else the assemble runs in the worker holding the pages
            return Task("read", (doc.path, doc.sha, ref.pages, keep_text), budget.page_seconds, ref, fresh=ref.alone)
        if ref.step == "count":
            return call_task("count_pages", (doc.path, doc.sha), budget.page_seconds, ref, ref.attempts > 1)
        if ref.step == "text":
            try:
                size = os.stat(doc.path).st_size
            except OSError:
                size = 0
            return call_task("process_text", (doc.path, doc.sha), budget.for_bytes(size), ref, ref.attempts > 1)
        raw = [(n, doc.pages[n]) for n in sorted(doc.pages)]
        failed = {n: f.message for n, f in doc.failed.items()}
        return call_task("assemble_json", (doc.path, doc.sha, raw, failed), budget.for_pages(len(raw)), ref,
                         ref.attempts > 1)

    def run(self, jobs: list[tuple[str, str]]) -> Iterator[Progress | Finished]:
        new_docs = deque(_PDoc(path, sha) for path, sha in jobs)
        while True:
            while self.pool.idle() and (self.ready or new_docs):
                if self.ready:
                    task = self.ready.popleft()
                else:
                    doc = new_docs.popleft()
                    task = self._task(_Ref(doc, "count" if is_pdf(doc.path) else "text"))
                self.pool.submit(task)
                yield Progress("file", task.ref.doc.path)
            if not self.pool.busy():
                return
            for event in self.pool.poll():
                yield from self._on_event(event)

    def _on_event(self, ev: Event) -> Iterator[Progress | Finished]:
        ref: _Ref = ev.task.ref
        doc = ref.doc
        if ev.kind == "page":
            if isinstance(ev.value, Failure):
                doc.failed[ev.page_no] = ev.value
            else:
                doc.pages[ev.page_no] = ev.value
                if self.checkpoints is not None and ev.value is not None:
                    self.checkpoints.add(doc.sha, ev.value)
            yield Progress("page", doc.path, 1)
            return
        if ev.kind == "lost":
            yield from self._on_lost(ev, ref)
            return
        value = ev.value  # "done"
        if ref.step == "count":
            if isinstance(value, Failure):
                yield self._finished(doc, value)
                return
            doc.n_pages = value
            done = self.checkpoints.load(doc.sha) if self.checkpoints is not None else {}
            doc.pages.update({n: p for n, p in done.items() if 1 <= n <= value})
            yield Progress("pages", doc.path, value)
            if doc.pages:
                yield Progress("page", doc.path, len(doc.pages))
            missing = [n for n in range(1, value + 1) if n not in doc.pages]
            for chunk in reversed(page_chunks(missing, self.pool.size)):
                doc.reads += 1
                self.ready.appendleft(self._task(_Ref(doc, "read", chunk)))
            yield from self._maybe_assemble(doc)
            return
        if ref.step == "read":
            doc.reads -= 1
            yield from self._maybe_assemble(doc)
            return
        if ref.step == "text":
            n = value.plan.page_count if isinstance(value, ParsedPlan) else 0
            doc.n_pages = n
            yield Progress("pages", doc.path, n)
            yield Progress("page", doc.path, n)
        yield self._finished(doc, value)

    @staticmethod
    def _finished(doc: _PDoc, value: ParsedPlan | Failure) -> Finished:
        return Finished(value, doc.page_failures, time.monotonic() - doc.started, doc.n_pages or 0)

    def _maybe_assemble(self, doc: _PDoc) -> Iterator[Progress | Finished]:
        if doc.reads or doc.n_pages is None:
            return
        if len(doc.pages) + len(doc.failed) < doc.n_pages:
            return
        doc.page_failures = [doc.failed[n] for n in sorted(doc.failed)]
        if not doc.pages:  # every page failed: the document fails with the first reason
            first = doc.page_failures[0]
            more = f" (and {len(doc.failed) - 1} more page(s))" if len(doc.failed) > 1 else ""
            yield self._finished(doc, Failure(doc.path, doc.sha, first.stage, first.message + more))
            return
        self.ready.appendleft(self._task(_Ref(doc, "assemble")))

    def _on_lost(self, ev: Event, ref: _Ref) -> Iterator[Progress | Finished]:
        doc = ref.doc
        if ref.step != "read":
            if ref.attempts < CALL_ATTEMPTS and ev.reason != "timeout":  # a timeout is its own: no second budget
                self.ready.appendleft(self._task(_Ref(doc, ref.step, attempts=ref.attempts + 1)))
                return
            what = {"count": "opening the PDF", "text": "reading the text", "assemble": "parsing the pages"}
            twice = " (twice)" if ref.attempts > 1 else ""
            yield self._finished(doc, Failure(doc.path, doc.sha, ev.reason,
                                              f"{what.get(ref.step, ref.step)}: {ev.detail}{twice}"))
            return
        left = [n for n in ref.pages if n not in doc.pages and n not in doc.failed]
        doc.reads -= 1
        culprit = ev.page_no if ev.page_no in left else None
        if culprit is None:  # died before its first page: run the same pages again, then give up
            if ref.attempts < CALL_ATTEMPTS and left:
                doc.reads += 1
                self.ready.appendleft(self._task(_Ref(doc, "read", left, ref.alone, ref.attempts + 1)))
            else:
                for n in left:
                    doc.failed[n] = Failure(doc.path, doc.sha, ev.reason, f"page {n}: {ev.detail}", page_no=n)
            yield from self._maybe_assemble(doc)
            return
        rest = [n for n in left if n != culprit]
        if rest:  # the pages after the culprit: read again, never failed with it
            doc.reads += 1
            self.ready.appendleft(self._task(_Ref(doc, "read", rest)))
        # Failed alone in a fresh worker, or its own clock ran out (a timeout is this page's, never
        # another's): it is the page, and it gets no second budget. A crash may be another page's
        # doing (in flight in the same process before), so the page is first retried alone.
        if ref.alone or ev.reason == "timeout":
            doc.failed[culprit] = Failure(doc.path, doc.sha, ev.reason, f"page {culprit}: {ev.detail}",
                                          page_no=culprit)
            yield Progress("page", doc.path, 1)
        else:
            doc.reads += 1
            self.ready.appendleft(self._task(_Ref(doc, "read", [culprit], alone=True)))
        yield from self._maybe_assemble(doc)


@dataclass
class Finished:
    """A finished document with the pages that failed inside it (it may still have loaded)."""

    result: ParsedPlan | Failure
    page_failures: list[Failure]
    seconds: float
    pages: int
