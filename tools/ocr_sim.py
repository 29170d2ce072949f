"""Simulated English-OCR damage: render clean Vietnamese text to page images, read it back
with `tesseract -l eng`.

Old dumps in data/raw were made with an English OCR model, which turns marks into other glyphs
and digits ("số" -> "s6", "Điều" -> "Pidu").  Rather than guess those confusions by hand, the
model builder learns them from (truth, OCR) pairs made here, and the benchmark measures real OCR
damage on held-out text the same way.  Results are cached as JSON lines so reruns are quick.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

# Liberation Serif 2.x (Debian fonts-liberation2) has the Vietnamese glyphs; 1.x does not, so
# fall back to DejaVu Serif, which has them, rather than render empty boxes.
FONT_CANDIDATES = [
    (Path("/usr/share/fonts/truetype/liberation2"), "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    (Path("/usr/share/fonts/truetype/dejavu"), "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
]
PAGE_W, PAGE_H = 1654, 2339  # A4 at 200 dpi, like a typical office scan
MARGIN = 110
FONT_PX = 29  # about 10.5 pt at 200 dpi
LINE_GAP = 12


def _font(bold: bool) -> ImageFont.FreeTypeFont:
    for folder, regular, heavy in FONT_CANDIDATES:
        path = folder / (heavy if bold else regular)
        if path.exists():
            return ImageFont.truetype(str(path), FONT_PX)
    raise FileNotFoundError("no font with Vietnamese glyphs (install fonts-liberation2)")


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Greedy word wrap by rendered width."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if font.getlength(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def paginate(paragraphs: Iterable[str], max_pages: int) -> Iterator[list[tuple[str, bool]]]:
    """Group paragraphs into pages of (line, bold) pairs; upper-case paragraphs are set bold
    because headings in real plans are."""
    regular, bold = _font(False), _font(True)
    per_page = (PAGE_H - 2 * MARGIN) // (FONT_PX + LINE_GAP)
    page: list[tuple[str, bool]] = []
    produced = 0
    for para in paragraphs:
        is_bold = para.isupper()
        for line in _wrap(para, bold if is_bold else regular, PAGE_W - 2 * MARGIN):
            page.append((line, is_bold))
            if len(page) == per_page:
                yield page
                produced += 1
                page = []
                if produced >= max_pages:
                    return
    if page and produced < max_pages:
        yield page


def render_page(lines: list[tuple[str, bool]], seed: int) -> Image.Image:
    """Draw one page, then degrade it a little (blur / resampling) like a scan."""
    img = Image.new("L", (PAGE_W, PAGE_H), 255)
    draw = ImageDraw.Draw(img)
    regular, bold = _font(False), _font(True)
    y = MARGIN
    for text, is_bold in lines:
        draw.text((MARGIN, y), text, fill=0, font=bold if is_bold else regular)
        y += FONT_PX + LINE_GAP
    rng = random.Random(seed)
    kind = rng.choice(["clean", "blur", "resample", "resample_blur"])
    if "resample" in kind:
        scale = rng.uniform(0.55, 0.75)
        small = img.resize((int(PAGE_W * scale), int(PAGE_H * scale)), Image.BILINEAR)
        img = small.resize((PAGE_W, PAGE_H), Image.BILINEAR)
    if "blur" in kind:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.0)))
    return img


def ocr_english(img: Image.Image) -> str:
    """What an English OCR model reads on the page (one text block, line order kept)."""
    import pytesseract

    return pytesseract.image_to_string(img, lang="eng", config="--psm 6")


def page_key(index: int, lines: list[tuple[str, bool]]) -> str:
    """Cache key of a page: its number (the degradation seed) and a digest of its lines, so a
    cache filled from another corpus (other paragraphs on page N) is never served for this one."""
    digest = hashlib.sha1(json.dumps([index, lines], ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"{index}:{digest[:16]}"


def _job(args: tuple[int, list[tuple[str, bool]]]) -> dict:
    index, lines = args
    os.environ["OMP_THREAD_LIMIT"] = "1"
    img = render_page(lines, seed=index)
    return {"page": index, "key": page_key(index, lines), "truth": [t for t, _ in lines], "ocr": ocr_english(img)}


def ocr_pages(
    paragraphs: Iterable[str], cache: Path, max_pages: int, workers: int = 1
) -> list[dict]:
    """Render and OCR up to `max_pages` pages, reusing what `cache` (JSON lines) already holds
    for the same page of the same text."""
    cached: dict[str, dict] = {}
    if cache.exists():
        for line in cache.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            if "key" in rec:
                cached[rec["key"]] = rec
    done: dict[int, dict] = {}
    todo = []
    for i, page in enumerate(paginate(paragraphs, max_pages)):
        rec = cached.get(page_key(i, page))
        if rec is None:
            todo.append((i, page))
        else:
            done[i] = rec
    if todo:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("a", encoding="utf-8") as out:
            if workers > 1:
                with ProcessPoolExecutor(workers) as pool:
                    results = pool.map(_job, todo)
                    for rec in results:
                        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                        out.flush()
                        done[rec["page"]] = rec
            else:
                for item in todo:
                    rec = _job(item)
                    out.write(json.dumps(rec, ensure_ascii=False) + "\n")
                    out.flush()
                    done[rec["page"]] = rec
    return [done[i] for i in sorted(done) if i < max_pages]
