"""Worker processes the orchestrator can kill one at a time: every page runs in one, with a deadline.

Why not `concurrent.futures.ProcessPoolExecutor`: when one of its workers dies, every task in flight
fails with it ("worker process died", a healthy text file included), it cannot kill a hung worker,
and it cannot say which task killed it. Here each worker is a separate process with its own pipe
and one task at a time, so the orchestrator always knows which page a worker is on:

- a read task streams its pages back one by one (`page`; each one sent starts the next page's
  clock, and `pixels` comes once a page image's size is known from its header), so the page's
  deadline scales with its pixels and every finished page can be checkpointed at once;
- a worker past its deadline is killed (SIGKILL) and a worker that dies (abort, segfault, OOM
  killer) is noticed through its process sentinel; either way only its own task is affected, and
  the scheduler decides what to retry (`pipeline.scheduler`);
- workers never outlive the orchestrator: each asks the kernel for SIGKILL when its parent dies
  (`PR_SET_PDEATHSIG`, through ctypes), and their parent, the fork server, asks the same of the
  orchestrator (`pipeline.warm`); they ignore SIGINT, which the orchestrator handles for all.

Workers fork from the fork server that imported and warmed every stage (`pipeline.warm`), so a
fresh worker costs milliseconds, and a worker keeps its PDFs open between tasks (`ocr.page_source`).
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from schema.errors import Interrupted
from schema.threads import THREAD_ENV

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1
WORKER_PRELOAD = ["pipeline.warm"]
"""Imported once by the fork server, before it forks any worker: every stage loaded and warmed up."""
PARENT_ENV = "CCHC_ORCHESTRATOR_PID"
"""Set by the orchestrator before the fork server starts: the fork server ties its life to this PID."""


def die_with_parent(expected_parent: int | None = None) -> None:
    """Ask the kernel to SIGKILL this process when its parent exits (any way, kill -9 included)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the heartbeat on the pipe (EOF) still ends workers
        return
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)  # the parent died before the request was made


@dataclass
class Budget:
    """Seconds a page's work may take: `page_seconds` for a page of an A4 sheet at 300 dpi, scaled
    by the page image's pixels (never less); the other tasks get budgets in the same unit."""

    page_seconds: float = 120.0
    reference_pixels: int = 8_700_000  # A4 at 300 dpi

    def for_pixels(self, pixels: int) -> float:
        return self.page_seconds * max(1.0, pixels / self.reference_pixels)

    def for_pages(self, n: int) -> float:
        """Our own code over a whole document (post-processing, restoration, parsing)."""
        return self.page_seconds + 2.0 * n

    def for_bytes(self, n: int) -> float:
        return self.page_seconds + 60.0 * n / 1_000_000


# -- the worker side ------------------------------------------------------------------


def worker_main(conn: Connection, env: dict[str, str]) -> None:
    """Run tasks from `conn` until it closes: ("read", id, path, sha, pages) or ("call", id, fn, args)."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the orchestrator handles Ctrl-C for the whole run
    os.environ.update(env)
    from pipeline import process
    from schema import limits

    task_id = 0
    limits.pixel_observer = lambda pixels: conn.send(("pixels", task_id, pixels))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            break
        if msg is None:
            break
        kind, task_id = msg[0], msg[1]
        try:
            if kind == "read":
                _, _, path, sha, pages, keep_text = msg
                for page_no in pages:  # each page sent marks the start of the next one
                    conn.send(("page", task_id, page_no, process.read_page_json(path, sha, page_no, keep_text)))
                conn.send(("done", task_id, None))
            else:
                _, _, fn, args = msg
                if isinstance(fn, str):  # a `pipeline.process` task by name: the orchestrator need not import it
                    fn = getattr(process, fn)
                conn.send(("done", task_id, fn(*args)))
        except (BrokenPipeError, EOFError, OSError):
            break
    process.close_cached()


# -- the orchestrator side ------------------------------------------------------------


@dataclass
class Task:
    """What one worker is asked to do; `fresh`: only in a worker that has run nothing before."""

    kind: str  # "read" or "call"
    payload: tuple[Any, ...]
    budget: float
    ref: Any = None  # the scheduler's own record
    fresh: bool = False
    id: int = 0


@dataclass
class Event:
    """`page`/`done` from a worker, or `lost` when its worker was killed or died."""

    kind: str
    task: Task
    page_no: int | None = None
    value: Any = None
    reason: str = ""  # for `lost`: "timeout" or "crash"
    detail: str = ""


@dataclass
class _Worker:
    process: Any
    conn: Connection
    task: Task | None = None
    deadline: float = float("inf")
    page_no: int | None = None
    pos: int = -1  # index of `page_no` in a read task's pages
    used: bool = False
    started_page: float = field(default_factory=time.monotonic)


def _signal_name(code: int | None) -> str:
    if code is None:
        return "killed"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with code {code}"


def prepare_forkserver() -> multiprocessing.context.BaseContext:
    """The fork server's context, set up so that it dies with this process and keeps its temporary
    files in this run's folder (both must be in place before it starts)."""
    from pipeline.runtime import run_temp_dir

    run_temp_dir()
    os.environ[PARENT_ENV] = str(os.getpid())
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(WORKER_PRELOAD)
    return ctx


def start_worker_server() -> None:
    """Start the fork server now; it imports and warms up every stage (~1.5 CPU s) in its own
    process while this one goes on (the CLI calls this before importing the stages itself, so the
    two start-ups run side by side instead of one after the other)."""
    from multiprocessing import forkserver

    prepare_forkserver()
    forkserver.ensure_running()


class WorkerPool:
    """`workers` processes, started on demand, one task each at a time."""

    def __init__(self, workers: int, budget: Budget | None = None, env: dict[str, str] | None = None) -> None:
        self.size = workers
        self.budget = budget or Budget()
        # This run's settings (limits, engine choice) as of now: the fork server may be older than them.
        settings = {k: v for k, v in os.environ.items() if k.startswith("CCHC_")}
        self.env = {**THREAD_ENV, **settings, **(env or {})}
        self._ctx = prepare_forkserver()
        self._workers: list[_Worker] = []
        self._next_id = 0

    # workers

    def _spawn(self) -> _Worker:
        mine, theirs = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=worker_main, args=(theirs, self.env), daemon=True, name="cchc-worker")
        proc.start()
        theirs.close()
        w = _Worker(proc, mine)
        self._workers.append(w)
        return w

    def _kill(self, w: _Worker) -> None:
        try:
            os.kill(w.process.pid, signal.SIGKILL)
        except (ProcessLookupError, TypeError):
            pass
        w.process.join(timeout=5)
        w.conn.close()
        self._workers.remove(w)

    def idle(self) -> int:
        return sum(1 for w in self._workers if w.task is None) + self.size - len(self._workers)

    def busy(self) -> int:
        return sum(1 for w in self._workers if w.task is not None)

    def submit(self, task: Task) -> None:
        """Hand `task` to an idle worker (a new one when `fresh` and the idle one has worked before)."""
        self._next_id += 1
        task.id = self._next_id
        w = next((w for w in self._workers if w.task is None and not (task.fresh and w.used)), None)
        if w is None:
            if len(self._workers) >= self.size:
                used = next(w for w in self._workers if w.task is None)
                self._retire(used)
            w = self._spawn()
        w.task, w.used, w.page_no, w.pos = task, True, None, -1
        w.started_page = time.monotonic()
        w.deadline = w.started_page + task.budget
        if task.kind == "read":
            self._next_page(w)
        w.conn.send((task.kind, task.id, *task.payload))

    def _next_page(self, w: _Worker) -> None:
        """The worker is now on the next page of its read task (or finishing it): a fresh page budget."""
        assert w.task is not None
        pages = w.task.payload[2]
        w.pos += 1
        w.page_no = pages[w.pos] if w.pos < len(pages) else None
        w.started_page = time.monotonic()
        w.deadline = w.started_page + self.budget.page_seconds

    def _retire(self, w: _Worker) -> None:
        try:
            w.conn.send(None)
        except OSError:
            pass
        w.process.join(timeout=2)
        if w.process.exitcode is None:
            self._kill(w)
            return
        w.conn.close()
        self._workers.remove(w)

    # events

    def poll(self, timeout: float = 0.5) -> list[Event]:
        """Events from busy workers, waiting at most `timeout` s (less when a deadline is nearer)."""
        busy = [w for w in self._workers if w.task is not None]
        if not busy:
            return []
        now = time.monotonic()
        wait_for = max(0.0, min(timeout, *(w.deadline - now for w in busy)))
        handles: dict[Any, _Worker] = {}
        for w in busy:
            handles[w.conn] = w
            handles[w.process.sentinel] = w
        ready = wait(list(handles), timeout=wait_for)
        events: list[Event] = []
        seen: set[int] = set()
        for h in ready:
            w = handles[h]
            if id(w) in seen or w.task is None:
                continue
            seen.add(id(w))
            events.extend(self._drain(w))
        now = time.monotonic()
        for w in [w for w in self._workers if w.task is not None and w.deadline < now]:
            task, page = w.task, w.page_no
            spent = now - w.started_page
            self._kill(w)
            events.append(Event("lost", task, page, reason="timeout",
                                detail=f"timed out after {spent:.0f} s (worker killed)"))
        return events

    def _drain(self, w: _Worker) -> list[Event]:
        events: list[Event] = []
        task = w.task
        assert task is not None
        eof = False
        try:
            while w.conn.poll():
                msg = w.conn.recv()
                kind, task_id = msg[0], msg[1]
                if task_id != task.id:
                    continue
                if kind == "pixels":
                    w.deadline = w.started_page + self.budget.for_pixels(msg[2])
                elif kind == "page":
                    events.append(Event("page", task, msg[2], msg[3]))
                    self._next_page(w)
                elif kind == "done":
                    w.task = None
                    events.append(Event("done", task, value=msg[2]))
                    return events
        except Interrupted:  # Ctrl-C while reading a message: the run stops, the worker is not "dead"
            raise
        except Exception:
            eof = True
        if eof or not w.process.is_alive():
            page = w.page_no
            w.process.join(timeout=1)
            code = w.process.exitcode
            self._kill(w)
            events.append(Event("lost", task, page, reason="crash",
                                detail=f"worker process {_signal_name(code)}"))
        return events

    def close(self, kill: bool = False) -> None:
        """Stop every worker: politely when idle and not `kill`, else SIGKILL (interrupt, error)."""
        for w in list(self._workers):
            if kill or w.task is not None:
                self._kill(w)
            else:
                self._retire(w)


def call_task(fn: Callable[..., Any] | str, args: tuple[Any, ...], budget: float, ref: Any = None,
              fresh: bool = False) -> Task:
    """`fn(*args)` in a worker; `fn` a picklable function or the name of a `pipeline.process` task."""
    return Task("call", (fn, args), budget, ref, fresh)
