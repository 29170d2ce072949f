"""Byte-reproducible outputs for the builders: a rebuild from the same sources is `cmp`-equal to the
shipped file, so a changed file in a diff always means changed data."""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

import numpy as np

_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def write_gzip_lines(out: Path, lines: Iterable[str]) -> None:
    """UTF-8 lines, each ending in a newline, gzipped without a timestamp or file name in the header."""
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    with open(out, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)


def write_npz(out: Path, arrays: dict[str, np.ndarray]) -> None:
    """`np.savez_compressed` without the clock: every member gets the same fixed zip date (numpy
    stamps the time of writing, so two builds of the same arrays differed). `np.load` reads it."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, array in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, np.asanyarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buf.getvalue())
