"""The page-level document model shared by every stage.

OCR produces it, diacritic restoration rewrites its text, parsers read it.
Keeping one definition (in the manner of docling-core) means a table cell
read by OpenCV on page 7 still says "page 7" when a parser turns it into a
task row, which is how provenance survives the pipeline.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

PageMethod = Literal["text_layer", "ocr", "text", "failed"]
"""How a page's text was obtained: a PDF text layer, OCR of an image, or a
plain-text OCR dump supplied by the user; `failed`: the page could not be read (its worker timed
out, or crashed twice, or it is over a limit), so it is an empty placeholder and the plan `partial`."""

BBox = tuple[float, float, float, float]
"""(x0, y0, x1, y1) in page pixels (OCR) or PDF points (text layer), origin top-left."""


class Word(BaseModel):
    text: str
    bbox: BBox | None = None
    confidence: float | None = Field(default=None, description="0-100; None for text layers")


class Line(BaseModel):
    text: str
    bbox: BBox | None = None
    confidence: float | None = None
    words: list[Word] = Field(default_factory=list)
    block: int | None = Field(default=None, description="layout block index in reading order")


class Cell(BaseModel):
    row: int
    col: int
    text: str
    row_span: int = 1
    col_span: int = 1
    bbox: BBox | None = None
    confidence: float | None = None


class Table(BaseModel):
    """A ruled (or whitespace-split) grid; `header_rows` rows at the top are column titles.

    A table continued over several pages is stitched into one, `pages` lists them
    all and each cell's page can be recovered from `row_pages`.
    """

    page: int
    pages: list[int] = Field(default_factory=list)
    n_rows: int
    n_cols: int
    header_rows: int = 1
    cells: list[Cell] = Field(default_factory=list)
    row_pages: list[int] = Field(default_factory=list, description="page of each row, same length as n_rows")
    bbox: BBox | None = None

    def grid(self) -> list[list[str]]:
        """Dense row-major text grid; a merged cell's text sits in its top-left slot only."""
        out = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for c in self.cells:
            if 0 <= c.row < self.n_rows and 0 <= c.col < self.n_cols:
                out[c.row][c.col] = c.text
        return out


class Page(BaseModel):
    """One page as read. `text` is reading-order text with lines joined by newlines."""

    page_no: int = Field(description="1-based")
    method: PageMethod
    text: str
    confidence: float | None = Field(default=None, description="mean word confidence 0-100, None without OCR")
    width: float | None = None
    height: float | None = None
    rotation: int = 0
    lines: list[Line] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    header_text: str | None = Field(default=None, description="running header / page number set aside")
    raw_text: str | None = Field(default=None, description="text before diacritic restoration, when restored")
