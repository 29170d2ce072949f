"""Which encoding a text dump is in: byte-order marks first, then UTF-8, then charset-normalizer,
then the legacy Windows Vietnamese code page.

Dumps arrive as UTF-8 (with or without a BOM), as UTF-16 from Windows tools ("Unicode" in
Notepad), and as cp1258 from legacy software. UTF-16 is full of NUL bytes, so it looked binary
and was refused; a BOM now settles it, and charset-normalizer recognises BOM-less UTF-16/32.
"""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_WIDE = ("utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be")


def bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def wide_encoding(sample: bytes) -> str | None:
    """UTF-16/32 (BOM or not), which is text although it is full of NUL bytes; else None."""
    name = bom_encoding(sample)
    if name is not None:
        return None if name == "utf-8-sig" else name
    if b"\x00" not in sample:
        return None
    from charset_normalizer import from_bytes

    best = from_bytes(sample[: 64 * 1024], cp_isolation=list(_WIDE)).best()
    return best.encoding if best is not None and best.encoding in _WIDE else None


def decode(data: bytes) -> str | None:
    """`data` as text, or None when no encoding reads it."""
    name = bom_encoding(data) or wide_encoding(data[: 64 * 1024])
    candidates = [name] if name else []
    candidates += ["utf-8", "cp1258"]
    for enc in candidates:
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return None
