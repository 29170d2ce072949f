"""Pages checkpointed as they finish, so a run killed in the middle of a big scan resumes from the
last page done instead of from zero (a 300-page scan is minutes of OCR).

One append-only JSON-lines file per document content and engine, under `<out>/.checkpoints/`:
each OCR'd page is one line, appended (and flushed) by the orchestrator the moment a worker sends
it. A kill can cut at most the last line, which is ignored on reading. Text-layer pages are not
kept (30 a second, cheaper to read again than to store). The file is removed once its document is
stored; `original` pages are the raw reads (before the in-order post-processing), so a resumed
document goes through exactly the same assembly as an uninterrupted one.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import IO

from pydantic import ValidationError

from schema.document import Page

log = logging.getLogger(__name__)

FOLDER = ".checkpoints"


class Checkpoints:
    def __init__(self, out_dir: str | Path, engine: str) -> None:
        self.folder = Path(out_dir) / FOLDER
        self.engine = engine
        self._files: dict[str, IO[str]] = {}

    def _path(self, sha: str) -> Path:
        return self.folder / f"{sha}.{self.engine}.jsonl"

    def load(self, sha: str) -> dict[int, str]:
        """Pages already read for this content (by this engine), as their JSON; a cut last line is skipped."""
        path = self._path(sha)
        pages: dict[int, str] = {}
        try:
            with path.open(encoding="utf-8") as fh:
                for line in fh:
                    try:
                        page = Page.model_validate_json(line)
                    except ValidationError:
                        continue  # the line a kill cut short
                    pages[page.page_no] = line.rstrip("\n")
        except FileNotFoundError:
            return {}
        except OSError as exc:
            log.warning("cannot read checkpoint %s: %s", path, exc)
        return pages

    def add(self, sha: str, page_json: str) -> None:
        """Append one page (its JSON, as the worker sent it) if it was OCR'd."""
        if '"method":"ocr"' not in page_json[:60]:
            return
        fh = self._files.get(sha)
        if fh is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            fh = self._files[sha] = self._path(sha).open("a", encoding="utf-8")
            if fh.tell():
                fh.write("\n")  # after a cut line, start a fresh one
        fh.write(page_json + "\n")
        fh.flush()

    def drop(self, sha: str) -> None:
        fh = self._files.pop(sha, None)
        if fh is not None:
            fh.close()
        self._path(sha).unlink(missing_ok=True)

    def pending(self) -> int:
        """Documents with pages kept for a later run."""
        return len(list(self.folder.glob("*.jsonl"))) if self.folder.is_dir() else 0

    def close(self) -> None:
        for fh in self._files.values():
            try:
                fh.close()
            except OSError:
                pass
        self._files.clear()
        try:
            os.rmdir(self.folder)  # only when empty
        except OSError:
            pass
