"""Cell-level OCR helpers on rendered glyphs, read by real tesseract: numbering column, page side, slashes."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from ocr import cleanup, glyphs, numbering, roman
from ocr._exec import tesseract
from ocr.engines import get_engine
from tools.pdfgen.pdf_canvas import font_files


def _render(text: str, bold: bool = True, size: int = 54, lines: list[str] | None = None) -> np.ndarray:
    """Black text on white at about 300 dpi (54 px = 13 pt), in the plans' serif face."""
    regular, bold_file = font_files()[:2]
    font = ImageFont.truetype(str(bold_file if bold else regular), size)
    rows = lines or [text]
    image = Image.new("L", (60 + size * max(len(r) for r in rows), 40 + int(size * 1.6) * len(rows)), 255)
    draw = ImageDraw.Draw(image)
    for i, row in enumerate(rows):
        draw.text((30, 20 + int(size * 1.6) * i), row, font=font, fill=0)
    return np.asarray(image)


def _stems(crop: np.ndarray) -> int:
    ink = crop < 128
    rows = np.flatnonzero(ink.any(axis=1))
    height = rows[-1] - rows[0] + 1
    band = ink[rows[0] + int(0.3 * height) : rows[-1] - int(0.3 * height) + 1]
    return len(cleanup.true_runs(band.any(axis=0)))


@pytest.mark.parametrize("label", ["II", "III", "VII", "IV", "1.1", "12"])
def test_numbering_cell_read_right_once_glyphs_are_spread(label: str) -> None:
    crop = _render(label)
    spread = numbering.spread_glyphs(crop)
    # Only white columns were added: every stem is still there, in one piece.
    assert _stems(spread) == _stems(crop)
    assert spread.shape[0] == crop.shape[0] and spread.shape[1] > crop.shape[1]
    assert (spread < 128).sum() == (crop < 128).sum()
    words = tesseract.image_to_words(spread, psm=7)
    assert numbering.join_words([w.text for w in sorted(words, key=lambda w: w.left)]) == label


def test_single_glyph_is_left_alone() -> None:
    crop = _render("I")
    assert numbering.spread_glyphs(crop) is crop


def test_numbering_column_is_the_narrow_first_one() -> None:
    assert numbering.is_numbering_column(0, 120, 3000)
    assert not numbering.is_numbering_column(0, 900, 3000)
    assert not numbering.is_numbering_column(1, 120, 3000)


def test_upright_score_tells_a_page_from_its_half_turn() -> None:
    page = _render("", bold=False, size=40, lines=[
        "Kế hoạch cải cách hành chính năm 2024 của tỉnh",
        "Rà soát, đề xuất sửa đổi các văn bản quy phạm",
        "Đẩy mạnh tuyên truyền, hướng dẫn thực hiện",
        "Nâng cao chất lượng giải quyết thủ tục hành chính",
    ])
    tilted = cleanup.rotate(page, 2.0)
    assert cleanup.upright_score(page) > 0.2
    assert cleanup.upright_score(cleanup.quarter_turn(page, 180)) < -0.2
    angle = cleanup.skew_angle(tilted)
    assert cleanup.upright_score(tilted, angle) > 0.2
    assert cleanup.upright_score(cleanup.quarter_turn(tilted, 180), angle) < -0.2


def test_fraction_slash_read_as_solidus() -> None:
    assert glyphs.fix_word("I\u20442024") == "I/2024"
    assert glyphs.fix_word("I/\u20442024") == "I/2024"
    assert glyphs.fix_word("17/11/2022") == "17/11/2022"


def test_roman_suspects_and_corrections() -> None:
    assert roman.suspect("11/2024") and roman.suspect("H/2024") and roman.suspect("IIH/2024") and roman.suspect("II.")
    assert not roman.suspect("17/11/2022") and not roman.suspect("1.5") and not roman.suspect("Quý")
    assert roman.corrected("11/2024", "II/2()24") == "II/2024"  # year kept as first read
    assert roman.corrected("1/2024", "1/2024") == "1/2024"  # Arabic read back: left alone
    assert roman.corrected("H/2024", "garbage") == "H/2024"


def test_quarter_in_a_cell_reread_as_roman() -> None:
    """A regular-weight "II/2024" next to other words: the spread second reading gets the numeral right."""
    line = _render("", bold=False, lines=["Quý II/2024   Quý III/2024"])
    words = tesseract.image_to_words(line, psm=6)
    picked = [w for w in words if roman.suspect(w.text)]
    assert len(picked) == 2, [w.text for w in words]
    second = roman.reread(get_engine("tesseract"), line,
                          [((w.left, w.top, w.right, w.bottom), w.text) for w in picked], 300)
    fixed = [roman.corrected(w.text, s) for w, s in zip(picked, second, strict=True)]
    assert [f.split("/")[0] for f in fixed] == ["II", "III"], (fixed, [w.text for w in picked])
