"""Byte-reproducible outputs for the builders: a rebuild from the same sources is `cmp`-equal to the
shipped file, so a changed file in a diff always means changed data."""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from pathlib import Path


def write_gzip_lines(out: Path, lines: Iterable[str]) -> None:
    """UTF-8 lines, each ending in a newline, gzipped without a timestamp or file name in the header."""
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    with open(out, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)
