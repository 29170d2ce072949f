"""PDF page sizes in points, so OCR boxes (page pixels) can be stored in PDF points like text-layer ones."""

from __future__ import annotations

from pathlib import Path


def pdf_page_sizes(path: str | Path) -> dict[int, tuple[float, float]]:
    """{1-based page number: (width, height)} in points as displayed (after /Rotate); {} for non-PDFs."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception:
        return {}
    try:
        out: dict[int, tuple[float, float]] = {}
        for i in range(len(pdf)):
            page = pdf[i]
            w, h = page.get_size()
            if page.get_rotation() in (90, 270):
                w, h = h, w
            out[i + 1] = (float(w), float(h))
            page.close()
        return out
    finally:
        pdf.close()
