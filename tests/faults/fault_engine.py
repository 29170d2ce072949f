"""OCR engines that fail on purpose, registered by name in real worker processes (the fault tests).

Loaded through the engine registry's plugin hook: the test runs the real CLI with
`CCHC_OCR_PLUGINS=tests.faults.fault_engine CCHC_OCR_ENGINE=fault` and says what to do in
`CCHC_FAULT`:

- `hang:<file name part>:<page>`  sleep for an hour on that page of that file;
- `abort:<file name part>:<page>` abort the process there (SIGABRT, as a crashing C library does);
- `log:<path>`                    fail nowhere; append "<file name> <page>" for every page read.

`CCHC_FAULT_PACE=<seconds>` adds a sleep once per page read (any mode): a floor under a run's
length on any machine, so a test can be sure a big scan is still running when it kills it.

Everything else is the real tesseract engine, so every other page is read for real.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from ocr.engines import TesseractEngine, current_page, register_engine

FAULT_ENV = "CCHC_FAULT"
PACE_ENV = "CCHC_FAULT_PACE"


class FaultEngine(TesseractEngine):
    name = "fault"

    _paced: tuple[str, int] | None = None

    def _maybe_fail(self) -> None:
        spec = os.environ.get(FAULT_ENV, "")
        ctx = current_page()
        if ctx is not None and os.environ.get(PACE_ENV) and self._paced != (ctx.source, ctx.page_no):
            self._paced = (ctx.source, ctx.page_no)
            time.sleep(float(os.environ[PACE_ENV]))
        if not spec or ctx is None:
            return
        kind, _, rest = spec.partition(":")
        if kind == "log":
            with open(rest, "a", encoding="utf-8") as fh:
                fh.write(f"{Path(ctx.source).name} {ctx.page_no}\n")
            return
        part, _, page = rest.rpartition(":")
        if part in Path(ctx.source).name and ctx.page_no == int(page):
            if kind == "hang":
                time.sleep(3600)
            elif kind == "abort":
                os.abort()

    def words(self, image, psm=3, dpi=300):
        self._maybe_fail()
        return super().words(image, psm=psm, dpi=dpi)

    def words_many(self, images, psm=3, dpi=300, symbols=False):
        self._maybe_fail()
        return super().words_many(images, psm=psm, dpi=dpi, symbols=symbols)

    def rotation(self, image):
        self._maybe_fail()
        return super().rotation(image)


register_engine("fault", FaultEngine)
