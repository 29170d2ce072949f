"""PNG crops of source pages at a value's box: what the analyst looks at to trust or fix a value.

Pages are rendered with pypdfium2 at report time (only PDFs have a page image; a text dump's
values have no box and get no crop). Each page is rendered once and every box on it is cut
from that bitmap, with a margin so the words around the value are readable too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SCALE = 2.0
"""Render scale (144 dpi): small print stays legible in the crop."""
MARGIN = 14.0
"""Points added around the box on every side."""


@dataclass(frozen=True)
class CropRequest:
    """One box to cut: `name` is the PNG path relative to the output folder."""

    source_path: str
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    name: str


def crop_name(plan_id: str, record: str, key: str, field: str) -> str:
    """Stable relative path of a value's crop (the review CSV and the report use the same one)."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in f"{record}-{key}-{field}")
    return f"crops/{plan_id}/{safe}.png"


def render_crops(requests: Iterable[CropRequest], out_dir: str | Path) -> dict[str, str]:
    """Write every crop whose PDF can be opened; returns {name: why} for the ones not written."""
    import pypdfium2 as pdfium

    out = Path(out_dir)
    failed: dict[str, str] = {}
    by_doc: dict[str, dict[int, list[CropRequest]]] = {}
    for r in requests:
        by_doc.setdefault(r.source_path, {}).setdefault(r.page, []).append(r)
    for source, pages in by_doc.items():
        try:
            pdf = pdfium.PdfDocument(source)
        except Exception as exc:
            for reqs in pages.values():
                failed.update({r.name: f"cannot open {source}: {exc}" for r in reqs})
            continue
        try:
            for page_no, reqs in sorted(pages.items()):
                if not 1 <= page_no <= len(pdf):
                    failed.update({r.name: f"no page {page_no} in {source}" for r in reqs})
                    continue
                page = pdf[page_no - 1]
                image = page.render(scale=SCALE, grayscale=True).to_pil()  # print is black on white: 1 channel encodes 3x faster
                page.close()
                for r in reqs:
                    box = (
                        max(0, int((r.x0 - MARGIN) * SCALE)),
                        max(0, int((r.y0 - MARGIN) * SCALE)),
                        min(image.width, int((r.x1 + MARGIN) * SCALE)),
                        min(image.height, int((r.y1 + MARGIN) * SCALE)),
                    )
                    if box[2] <= box[0] or box[3] <= box[1]:
                        failed[r.name] = "box outside the page"
                        continue
                    path = out / r.name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    image.crop(box).save(path, optimize=False, compress_level=1)
        finally:
            pdf.close()
    return failed
