"""Where worker tasks run: in this process, in a local process pool, or (ray_executor) on Ray.

The scheduler only needs four things from a backend: submit a picklable
function call, wait until at least one submitted call is done, fetch its
result, and shut down. Keeping that surface this small is what lets the
process pool and Ray run exactly the same stages and give identical rows.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Collection
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

WORKER_ENV = {
    # Tesseract's OpenMP threads fight each other when pages run in parallel (measured 2.2x slower per page).
    "OMP_THREAD_LIMIT": "1",
    "OPENBLAS_NUM_THREADS": "1",
}


class ExecutorUnavailable(RuntimeError):
    """The requested executor cannot run here (e.g. `ray` is not installed); a usage problem."""


class WorkerDied(RuntimeError):
    """A worker process vanished mid-task (killed by the OOM killer, crash in a native library)."""


class Backend(Protocol):
    workers: int

    def submit(self, fn: Callable[..., Any], *args: Any) -> Any: ...

    def wait_any(self, handles: Collection[Any]) -> list[Any]: ...

    def result(self, handle: Any) -> Any:
        """The call's return value; raises `WorkerDied` when the worker vanished."""
        ...

    def close(self) -> None: ...


WORKER_PRELOAD = ["pipeline.warm"]
"""Imported once by the fork server, before it forks any worker: every stage loaded and warmed up."""


def init_worker() -> None:
    os.environ.update(WORKER_ENV)


def start_worker_server() -> None:
    """Start the process pool's fork server now; it imports and warms up every stage (~1.5 CPU s)
    in its own process while this one goes on.

    The CLI calls this before importing the stages itself, so the two start-ups run side by side
    instead of one after the other (the pool would otherwise start the server at its first task).
    """
    from multiprocessing import forkserver

    multiprocessing.get_context("forkserver").set_forkserver_preload(WORKER_PRELOAD)
    forkserver.ensure_running()


class SerialBackend:
    """Runs each call at once in this process: `--workers 1`, no pickling, easiest to debug."""

    workers = 1

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        fut: Future = Future()
        fut.set_result(fn(*args))
        return fut

    def wait_any(self, handles: Collection[Future]) -> list[Future]:
        return list(handles)

    def result(self, handle: Future) -> Any:
        return handle.result()

    def close(self) -> None:
        pass


class ProcessBackend:
    """A local process pool. Workers are started by a fork server, not forked from the orchestrator,
    so they inherit neither its DuckDB connection nor its threads; a pool broken by a dying
    worker is replaced so the rest of the batch carries on."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._ctx = multiprocessing.get_context("forkserver")
        # Workers fork from a server that has already imported and warmed up every stage
        # (already running when the CLI started it early: `start_worker_server`).
        self._ctx.set_forkserver_preload(WORKER_PRELOAD)
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=self._ctx, initializer=init_worker)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        try:
            return self._pool.submit(fn, *args)
        except BrokenProcessPool:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(fn, *args)

    def wait_any(self, handles: Collection[Future]) -> list[Future]:
        done, _ = wait(handles, return_when=FIRST_COMPLETED)
        return list(done)

    def result(self, handle: Future) -> Any:
        try:
            return handle.result()
        except BrokenProcessPool as exc:
            raise WorkerDied(str(exc) or "a worker process died") from exc

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def make_backend(name: str, workers: int) -> Backend:
    if name == "process":
        return SerialBackend() if workers <= 1 else ProcessBackend(workers)
    if name == "ray":
        try:
            from pipeline.ray_executor import RayBackend  # optional dependency, imported only when asked for

            return RayBackend(workers)
        except ImportError as exc:
            raise ExecutorUnavailable(
                f"--executor ray needs Ray ({exc}); install it with: pip install -e '.[ray]'"
            ) from exc
    raise ValueError(f"unknown executor {name!r} (expected 'process' or 'ray')")
