"""Thread settings for every process that recognises pages: the one place they are defined.

Pages and documents run in parallel, one per worker process; tesseract's own OpenMP threads (and
BLAS's) competing with that made a page about 2.2x slower (measured, docs/scale.md). libgomp reads
`OMP_THREAD_LIMIT` once, when libtesseract loads, so this must run before `import tesserocr`:
`ocr._exec.tesseract` applies it on import, worker processes get it in their environment
(`pipeline.backends`, `pipeline.ray_executor`), and tools that OCR call it first.
"""

from __future__ import annotations

import os

THREAD_ENV: dict[str, str] = {
    "OMP_THREAD_LIMIT": "1",
    "OPENBLAS_NUM_THREADS": "1",
}


def apply_thread_limits(force: bool = False) -> None:
    """Put `THREAD_ENV` into this process's environment (children inherit it); an explicit setting
    the user made stays unless `force`."""
    for key, value in THREAD_ENV.items():
        if force:
            os.environ[key] = value
        else:
            os.environ.setdefault(key, value)
