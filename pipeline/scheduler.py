"""Turn a list of documents into worker tasks, across documents AND across pages of one document.

A `.txt` dump, or any document when there is one worker, is one task
(`process_file`). A PDF with several workers is split: a `page_count` task,
then one `read_range` task per page range (OCR or text layer, in parallel on
all workers; ranges shrink towards the end, so no worker idles while another
reads a long last range), then one `assemble` task that parses the pages once.
So a single 300-page scan keeps every core busy, and a folder of small files
is spread over the workers document by document.

Memory stays bounded: at most `2 × workers` tasks are in flight; ranges of
documents already started go before new documents; only text (never page
images) travels back from a range; a document's pages are dropped as soon as
its `assemble` task is submitted.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ocr import is_pdf
from pipeline.backends import Backend, WorkerDied
from pipeline.process import Failure, assemble, page_count, process_file, read_range
from schema.document import Page
from schema.records import ParsedPlan

MAX_RANGE_PAGES = 16
"""Pages per range at most: small enough to balance a big scan over the workers, large enough that
opening the PDF again per range (milliseconds) stays negligible next to OCR (seconds per page)."""

MAX_ATTEMPTS = 2
"""A task whose worker died is run once more (the death may have been another task's fault)."""


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


@dataclass
class _Doc:
    path: str
    sha: str
    ranges_left: int = 0
    parts: dict[int, list[Page]] = field(default_factory=dict)
    failed: Failure | None = None


@dataclass
class _Task:
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    doc: _Doc
    attempts: int = 0


Result = ParsedPlan | Failure


class Scheduler:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend
        self.capacity = 2 * max(1, backend.workers)

    def run(self, jobs: list[tuple[str, str]]) -> Iterator[Result]:
        """Yield one result per job, in completion order."""
        new_docs = deque(_Doc(path, sha) for path, sha in jobs)
        ready: deque[_Task] = deque()  # tasks of documents already started
        running: dict[Any, _Task] = {}

        def next_task() -> _Task | None:
            if ready:
                return ready.popleft()
            if new_docs:
                doc = new_docs.popleft()
                if is_pdf(doc.path) and self.backend.workers > 1:
                    return _Task(page_count, (doc.path, doc.sha), doc)
                return _Task(process_file, (doc.path, doc.sha), doc)
            return None

        while True:
            while len(running) < self.capacity:
                task = next_task()
                if task is None:
                    break
                task.attempts += 1
                running[self.backend.submit(task.fn, *task.args)] = task
            if not running:
                return
            for handle in self.backend.wait_any(list(running)):
                task = running.pop(handle)
                try:
                    value = self.backend.result(handle)
                except WorkerDied as exc:
                    if task.attempts < MAX_ATTEMPTS:
                        ready.appendleft(task)
                        continue
                    value = Failure(task.doc.path, task.doc.sha, "worker", f"worker process died: {exc}")
                yield from self._on_result(task, value, ready)

    def _on_result(self, task: _Task, value: Any, ready: deque[_Task]) -> Iterator[Result]:
        doc = task.doc
        if task.fn is page_count:
            if isinstance(value, Failure):
                yield value
                return
            ranges = page_ranges(value, self.backend.workers)
            doc.ranges_left = len(ranges)
            # Ranges go to the front so a started document finishes before new ones begin.
            for first, last in reversed(ranges):
                ready.appendleft(_Task(read_range, (doc.path, doc.sha, first, last), doc))
            return
        if task.fn is read_range:
            doc.ranges_left -= 1
            if isinstance(value, Failure):
                doc.failed = doc.failed or value
                doc.parts.clear()
            elif doc.failed is None:
                doc.parts[task.args[2]] = value
            if doc.ranges_left == 0:
                if doc.failed is not None:
                    yield doc.failed
                    return
                pages = [p for first in sorted(doc.parts) for p in doc.parts[first]]
                doc.parts.clear()
                ready.appendleft(_Task(assemble, (doc.path, doc.sha, pages), doc))
            return
        yield value  # process_file or assemble: a finished document
