"""`--executor ray`: starting and stopping Ray (`RayBackend`); `pipeline.ray_pool` runs the
process pool's tasks on it through the same scheduler (`PageScheduler`).

Locally (no `RAY_ADDRESS`) this starts a private Ray instance with `workers`
CPUs and stops it at the end. With `RAY_ADDRESS` set (e.g. `ray://head:10001`
or `auto`), tasks go to that cluster; this package's code is shipped with the
job (`py_modules`), and input paths must be readable at the same path on every
node (a shared file system). Only the driver — this process — writes JSON and
DuckDB, so results come back as Ray objects and are stored exactly as with the
process pool: same rows, one writer, one transaction per plan.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from pipeline.backends import WORKER_ENV

SHIPPED_PACKAGES = ("pipeline", "ocr", "diacritics", "parsers", "schema")


def _runtime_env(remote: bool) -> dict[str, Any]:
    # This run's settings (limits, engine choice) travel with the tasks, as to the process pool's workers.
    settings = {k: v for k, v in os.environ.items() if k.startswith("CCHC_")}
    env: dict[str, Any] = {"env_vars": {**WORKER_ENV, **settings}}
    if remote:
        import importlib

        env["py_modules"] = [importlib.import_module(name) for name in SHIPPED_PACKAGES]
    return env


class RayBackend:
    """A Ray instance (private, or the cluster at `RAY_ADDRESS`) and its worker count."""

    def __init__(self, workers: int) -> None:
        import ray  # ImportError is turned into a clear message by `RayPool`

        self._ray = ray
        self.workers = workers
        self._owns_ray = not ray.is_initialized()
        if self._owns_ray:
            address = os.environ.get("RAY_ADDRESS") or None
            kwargs: dict[str, Any] = {
                "runtime_env": _runtime_env(remote=address is not None),
                "log_to_driver": False,
                "logging_level": logging.ERROR,  # stderr is for `path: reason` lines, not Ray's start-up notes
            }
            if address is None:
                kwargs.update(num_cpus=workers, include_dashboard=False)
            ray.init(address=address, **kwargs)
        if not self._owns_ray or os.environ.get("RAY_ADDRESS"):
            self.workers = max(workers, int(ray.cluster_resources().get("CPU", workers)))

    def close(self) -> None:
        if self._owns_ray:
            self._ray.shutdown()
