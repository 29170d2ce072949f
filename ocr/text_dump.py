"""Plain-text OCR dumps: one page per form-feed-separated chunk."""

from __future__ import annotations

from pathlib import Path

from ocr import text_encoding
from ocr.errors import EmptyDocumentError, UnreadableFileError
from schema.document import Page


def decode_text(data: bytes, path: str | Path) -> str:
    """A BOM's encoding, else UTF-8, UTF-16/32 (`ocr.text_encoding`), then the legacy Windows Vietnamese code page."""
    text = text_encoding.decode(data)
    if text is None:
        raise UnreadableFileError("not UTF-8, UTF-16 or cp1258 text")
    return text


def read_text_dump(path: str | Path) -> list[Page]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UnreadableFileError(f"cannot read file: {exc.strerror or exc}") from exc
    text = decode_text(data, path).replace("\r\n", "\n")
    if not text.strip():
        raise EmptyDocumentError("empty text file")
    chunks = text.split("\f")
    return [
        Page(page_no=i, method="text", text=chunk.strip("\n"))
        for i, chunk in enumerate(chunks, start=1)
    ]
