"""What every executor shares: the workers' environment and the error for an executor that
cannot run here. The process pool (`pipeline.workers.WorkerPool`, every page isolated, with a
deadline) is the default; `--executor ray` is `pipeline.ray_pool.RayPool`.
"""

from __future__ import annotations

from pipeline.workers import WORKER_PRELOAD, start_worker_server
from schema.errors import SetupError
from schema.threads import THREAD_ENV

WORKER_ENV = THREAD_ENV
"""Environment of every worker (`schema.threads`: one place for thread settings)."""

__all__ = ["WORKER_ENV", "WORKER_PRELOAD", "ExecutorUnavailable", "start_worker_server"]


class ExecutorUnavailable(SetupError):
    """The requested executor cannot run here (e.g. `ray` is not installed)."""
