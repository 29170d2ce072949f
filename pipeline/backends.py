"""Where worker tasks run. The process pool (`pipeline.workers.WorkerPool`, every page isolated,
with a deadline) is the default; this module keeps the small submit/wait/result surface the Ray
executor implements (`pipeline.ray_executor`), which `pipeline.scheduler.Scheduler` drives.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, Protocol

from pipeline.workers import WORKER_PRELOAD, start_worker_server
from schema.errors import SetupError
from schema.threads import THREAD_ENV

WORKER_ENV = THREAD_ENV
"""Environment of every worker (`schema.threads`: one place for thread settings)."""

__all__ = ["WORKER_ENV", "WORKER_PRELOAD", "Backend", "ExecutorUnavailable", "WorkerDied", "make_backend",
           "start_worker_server"]


class ExecutorUnavailable(SetupError):
    """The requested executor cannot run here (e.g. `ray` is not installed)."""


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


def make_backend(name: str, workers: int) -> Backend:
    """A submit/wait backend for `--executor` other than the isolated process pool (Ray)."""
    if name == "ray":
        try:
            from pipeline.ray_executor import RayBackend  # optional dependency, imported only when asked for

            return RayBackend(workers)
        except ImportError as exc:
            raise ExecutorUnavailable(
                f"--executor ray needs Ray ({exc}); install it with: pip install -e '.[ray]'"
            ) from exc
    raise ValueError(f"unknown executor {name!r} (expected 'process' or 'ray')")
