"""Content identity: plan_id is the first 16 hex chars of the file's SHA-256."""

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
    return sha256[:16]
