"""File names as bytes: stored losslessly, printed on one line.

On Linux a file name is any byte string but NUL and '/'. Python hands names that are not UTF-8 over
as `str` with lone surrogates (PEP 383), which neither pydantic's JSON nor DuckDB accept: one such
name stopped a whole batch. And a newline inside a name could forge a second `path: reason` line.

- `stored_path`: what goes into `plans.source_path`, `ingest_errors.source_path` and the JSON. A
  name that is valid UTF-8 and has no backslash is stored as it is (every name seen in practice).
  Otherwise each byte that is not part of valid UTF-8 becomes `\\xNN` and a backslash `\\\\`, so
  the stored text is valid UTF-8 and `original_path` gives back the exact bytes: a stored name
  with a backslash is always an escaped one.
- `display_path`: the one-line form for messages; control characters are escaped too.
"""

from __future__ import annotations

import os
import re

_ESCAPE_RE = re.compile(r"\\(\\|x[0-9a-fA-F]{2})")


def _raw(path: str | os.PathLike[str]) -> bytes:
    return os.fsencode(path)


def stored_path(path: str | os.PathLike[str]) -> str:
    """Valid UTF-8 text that maps back to exactly the bytes of `path` (`original_path`)."""
    text = os.fspath(path)
    raw = _raw(text)
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        decoded = None
    if decoded is not None and "\\" not in decoded:
        return decoded
    out: list[str] = []
    i = 0
    while i < len(raw):
        # longest valid UTF-8 sequence at i (1-4 bytes), else the byte escaped
        for n in (1, 2, 3, 4):
            try:
                ch = raw[i:i + n].decode("utf-8")
            except UnicodeDecodeError:
                continue
            out.append("\\\\" if ch == "\\" else ch)
            i += n
            break
        else:
            out.append(f"\\x{raw[i]:02x}")
            i += 1
    return "".join(out)


def original_path(stored: str) -> str:
    """The file name `stored_path` was given (surrogate-escaped `str`, usable with `open`)."""
    if "\\" not in stored:
        return stored

    def unescape(m: re.Match[str]) -> str:
        return "\\" if m.group(1) == "\\" else chr(0xDC00 + int(m.group(1)[1:], 16)) if int(
            m.group(1)[1:], 16) >= 0x80 else chr(int(m.group(1)[1:], 16))

    return _ESCAPE_RE.sub(unescape, stored)


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def display_path(path: str | os.PathLike[str]) -> str:
    """`path` on one line: stored form, with control characters (newline, tab, ESC...) escaped."""
    text = stored_path(path)
    return _CONTROL_RE.sub(lambda m: {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(m.group(), f"\\x{ord(m.group()):02x}"),
                           text)
