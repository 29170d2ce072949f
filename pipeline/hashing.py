"""Content identity: a document's id is the first 16 hex chars of its file's SHA-256.

A plan's `plan_id` is the id of its primary document (`pipeline.snapshot`), so a plan read from
one file keeps the id that file gives it."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def plan_id_for(sha256: str) -> str:
    """The document id (and, for its plan's primary copy, the plan_id)."""
    return sha256[:16]
