"""Cheap checks on what a file really contains, before a stage spends time on it.

A `.txt` holding binary data would otherwise decode as cp1258 (almost every byte
is defined there) and come out as pages of mojibake: it must fail with a clear
reason instead. Legitimate OCR dumps are text with form feeds; NUL bytes and a
noticeable share of other control bytes never occur in them.
"""

from __future__ import annotations

from pathlib import Path

from ocr.errors import UnreadableFileError
from ocr.text_encoding import wide_encoding

_SAMPLE_BYTES = 64 * 1024
_ALLOWED_CONTROLS = frozenset(b"\t\n\r\f\v")
_MAX_CONTROL_SHARE = 0.01


def looks_binary(sample: bytes) -> bool:
    """True for data no text editor or OCR tool would have written."""
    if not sample:
        return False
    if wide_encoding(sample):  # UTF-16/32 text: NUL bytes are half its characters
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in _ALLOWED_CONTROLS)
    return controls / len(sample) > _MAX_CONTROL_SHARE


def check_text_file(path: str | Path) -> None:
    """Raise `UnreadableFileError` when a .txt input is binary junk rather than text."""
    try:
        with open(path, "rb") as fh:
            sample = fh.read(_SAMPLE_BYTES)
    except OSError as exc:
        raise UnreadableFileError(f"cannot read file: {exc.strerror or exc}") from exc
    if looks_binary(sample):
        raise UnreadableFileError("binary data, not a text file (expected UTF-8 or cp1258 OCR text)")
