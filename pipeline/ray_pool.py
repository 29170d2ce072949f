"""`--executor ray` with the process pool's bounds: the `WorkerPool` interface over Ray tasks.

`PageScheduler` drives it exactly as it drives the process pool, so Ray gets the same per-page
time budget (scaled by pixels), the same retry rules and the same page checkpoints:

- a read task is one Ray *streaming generator* task (`num_returns="streaming"`): it yields each
  page as soon as it is read (checkpointed at once by the orchestrator), and the page image's
  size as soon as it is known, so each page's clock starts when the previous page comes back and
  its budget scales with its pixels, as in `pipeline.workers`;
- a page past its budget has its task cancelled with `ray.cancel(force=True)`, which kills the Ray
  worker process; a task whose worker died comes back as a `WorkerCrashedError` (or a
  `RayTaskError`); either way the scheduler hears `lost` with the page, as from the process pool;
- Ray never retries on its own (`max_retries=0`): the scheduler's rules decide.

Pages always come back as JSON (the assemble may run in another Ray worker, or on another node).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline.backends import ExecutorUnavailable
from pipeline.workers import Budget, Event, Task
from schema.errors import Interrupted


def _read_pages(path: str, sha: str, pages: list[int]) -> Iterator[tuple[Any, ...]]:
    """In a Ray worker: ("pixels", n) when a page image's size is known, ("page", n, JSON | Failure)
    when the page is read, then ("done", None). The page is read on a thread so that its size can
    be reported while the read goes on (the budget grows with it)."""
    from pipeline import process
    from schema import limits

    items: queue.Queue[tuple[Any, ...]] = queue.Queue()
    limits.pixel_observer = lambda pixels: items.put(("pixels", pixels))

    def read(page_no: int) -> None:
        got = process.read_one_page(path, sha, page_no)
        items.put(("page", page_no, got if not hasattr(got, "model_dump_json") else got.model_dump_json()))

    for page_no in pages:
        threading.Thread(target=read, args=(page_no,), daemon=True).start()
        while True:
            item = items.get()
            yield item
            if item[0] == "page":
                break
    yield ("done", None)


def _call(fn: str, args: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """In a Ray worker: a `pipeline.process` task by name, as a one-item stream like `_read_pages`."""
    from pipeline import process

    yield ("done", getattr(process, fn)(*args))


@dataclass
class _Slot:
    task: Task
    stream: Any  # ray ObjectRefGenerator
    page_no: int | None = None
    pos: int = 0
    started_page: float = field(default_factory=time.monotonic)
    deadline: float = float("inf")


class RayPool:
    """`workers` Ray tasks at a time, with the process pool's events (`page`, `done`, `lost`)."""

    keeps_pages = False  # see the module docstring: pages always travel as JSON

    def __init__(self, workers: int, budget: Budget | None = None) -> None:
        from pipeline.ray_executor import RayBackend

        try:
            self._backend = RayBackend(workers)
        except ImportError as exc:
            raise ExecutorUnavailable(f"--executor ray needs Ray ({exc}); install it with: pip install -e '.[ray]'") \
                from None
        self._ray = self._backend._ray
        self.size = self._backend.workers
        self.budget = budget or Budget()
        opts = {"num_cpus": 1, "max_retries": 0, "num_returns": "streaming"}
        self._read = self._ray.remote(_read_pages).options(**opts)
        self._calls = self._ray.remote(_call).options(**opts)
        self._slots: list[_Slot] = []
        self._next_id = 0

    def idle(self) -> int:
        return self.size - len(self._slots)

    def busy(self) -> int:
        return len(self._slots)

    def submit(self, task: Task) -> None:
        self._next_id += 1
        task.id = self._next_id
        now = time.monotonic()
        if task.kind == "read":
            path, sha, pages, _keep_text = task.payload
            slot = _Slot(task, self._read.remote(path, sha, list(pages)), pages[0] if pages else None,
                         started_page=now, deadline=now + self.budget.page_seconds)
        else:
            fn, args = task.payload
            name = fn if isinstance(fn, str) else fn.__name__
            slot = _Slot(task, self._calls.remote(name, args), started_page=now, deadline=now + task.budget)
        self._slots.append(slot)

    def poll(self, timeout: float = 0.5) -> list[Event]:
        """Events from running tasks, waiting at most `timeout` s (less when a deadline is nearer)."""
        if not self._slots:
            return []
        now = time.monotonic()
        wait_for = max(0.0, min(timeout, *(s.deadline - now for s in self._slots)))
        streams = {id(s.stream): s for s in self._slots}
        ready, _ = _unwrapped(self._ray.wait, [s.stream for s in self._slots], num_returns=1, timeout=wait_for)
        events: list[Event] = []
        while ready:
            for stream in ready:
                events.extend(self._take(streams[id(stream)]))
            live = [s.stream for s in self._slots if s in streams.values()]
            ready = _unwrapped(self._ray.wait, live, num_returns=len(live), timeout=0)[0] if live else []
        now = time.monotonic()
        for s in [s for s in self._slots if s.deadline < now]:
            self._drop(s)
            events.append(Event("lost", s.task, s.page_no, reason="timeout",
                                detail=f"timed out after {now - s.started_page:.0f} s (Ray task cancelled)"))
        return events

    def _take(self, s: _Slot) -> list[Event]:
        """One item of `s`'s stream (it is ready, so nothing blocks)."""
        from ray.exceptions import RayError

        try:
            item = _unwrapped(lambda: self._ray.get(next(s.stream)))
        except StopIteration:
            item = ("done", None)
        except RayError as exc:
            self._drop(s)
            first = (str(exc).strip().splitlines() or [""])[0].split(". ")[0][:120]
            return [Event("lost", s.task, s.page_no, reason="crash",
                          detail=f"Ray worker lost: {type(exc).__name__}{': ' + first if first else ''}")]
        if item[0] == "pixels":
            s.deadline = s.started_page + self.budget.for_pixels(item[1])
            return []
        if item[0] == "page":
            pages = s.task.payload[2]
            s.pos += 1
            s.page_no = pages[s.pos] if s.pos < len(pages) else None
            s.started_page = time.monotonic()
            s.deadline = s.started_page + self.budget.page_seconds
            return [Event("page", s.task, item[1], item[2])]
        self._slots.remove(s)
        return [Event("done", s.task, value=item[1])]

    def _drop(self, s: _Slot) -> None:
        if s in self._slots:
            self._slots.remove(s)
        try:
            self._ray.cancel(s.stream, force=True)
        except Interrupted:
            raise
        except Exception:  # already finished or gone: nothing left to stop
            pass

    def close(self, kill: bool = False) -> None:
        """Stop: on an interrupt or error (`kill`) Ray's shutdown kills the workers, task by task
        cancels would only delay it."""
        for s in [] if kill else list(self._slots):
            self._drop(s)
        self._slots.clear()
        self._backend.close()


def _unwrapped(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`call(*args, **kwargs)`; Ray's compiled calls turn an exception raised by a signal handler while they wait
    (our `Interrupted`) into a SystemError "returned a result with an exception set": raise the
    interrupt itself, so Ctrl-C under Ray is the same one line and exit 130."""
    try:
        return call(*args, **kwargs)
    except SystemError as exc:
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, Interrupted):
            raise cause from None
        raise
