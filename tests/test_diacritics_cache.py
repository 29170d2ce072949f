"""Document cache (two-pass decoding): a word's confident lower-case readings in the same
input decide its ambiguous capitalised occurrences."""

from __future__ import annotations

import importlib

import pytest

from diacritics import restore
from diacritics.text import old_style, tone_styles

R = importlib.import_module("diacritics.restore")

PORT = "Ban quan ly Nhat Cai Lan.\nDu lieu duoc cap nhat.\nThuong xuyen cap nhat."


@pytest.fixture
def no_cache():
    R.CACHE_ENABLED = False
    yield
    R.CACHE_ENABLED = True


def test_capitalised_word_follows_its_lower_case_readings():
    out = restore(PORT)
    assert out.split("\n")[0].startswith("Ban quản lý Nhật ")
    assert out.count("\n") == PORT.count("\n")


def test_without_the_cache_the_name_is_misread(no_cache):
    # Guards the test above: alone, the capitalised syllable reads as the commoner "Nhất".
    assert "Nhật" not in restore(PORT).split("\n")[0]


def test_evidence_is_per_call():
    assert "Nhật" not in restore("Ban quan ly Nhat Cai Lan.")


# About 12,000 words that never spell "nhat": many blocks of the sliding cache.
FILLER = "Thuc hien ke hoach cong tac nam nay.\n" * 1500
TWO_DOCUMENTS = PORT + "\nThong tin duoc cap nhat.\nBao cao duoc cap nhat.\n" + FILLER + "Ban quan ly Nhat Cai Lan."


def test_evidence_reaches_the_neighbourhood_not_the_whole_input():
    # One input holding two documents: the first one's readings of "nhat" stay with it.
    lines = restore(TWO_DOCUMENTS).split("\n")
    assert lines[0].startswith("Ban quản lý Nhật ")
    assert "Nhật" not in lines[-1]


def test_a_whole_input_cache_would_carry_them_across(monkeypatch):
    # Guards the test above: the far line is misread only because the evidence is too far away.
    monkeypatch.setattr(R, "CACHE_SPAN", 0)
    lines = restore(TWO_DOCUMENTS).split("\n")
    assert "Nhật" in lines[-1]


def test_clean_text_untouched_by_cache():
    clean = "Ban quản lý Càng Long.\nTàu vào cảng biển.\nKhu vực cảng biển."
    assert restore(clean) == clean


MIXED_STYLE = (
    "Uy ban nhan dan tinh chi dao cong tac chuyen doi so va hien dai hoa hanh chinh.\n"
    "So Van hoa va The thao phoi hop voi Uy ban.\n"
    "Thuc hien hoa giai o co so; bao ve suc khoe nhan dan; tuy theo tinh hinh.\n"
    "Quy hoach va ke hoach hoa, toa an nhan dan."
)


def test_tone_placement_spellings():
    assert tone_styles("hoá") == ("hóa", "hoá")
    assert tone_styles("ủy") == ("ủy", "uỷ")
    assert tone_styles("quý") is None and tone_styles("hoạch") is None
    assert old_style("Hoá") == "Hóa" and old_style("UỶ") == "ỦY" and old_style("quý") == "quý"


def test_input_without_marks_gets_one_tone_placement():
    out = restore(MIXED_STYLE)
    assert "hóa" in out and "hoá" not in out and "Ủy" in out


def test_the_model_knows_one_placement_and_marked_tokens_keep_theirs():
    # where the tone sits is the document's convention: the model pools both spellings
    model = R.load_model()
    assert "hóa" in model.index and "hoá" not in model.index and "uỷ" not in model.index
    # a token that has its marks on a page without them keeps the writer's placement
    out = restore(MIXED_STYLE + "\nThuc hien hoá giai o co so theo chi dao cua Uy ban nhan dan xa.")
    assert out.endswith("Thực hiện hoá giải ở cơ sở theo chỉ đạo của Ủy ban nhân dân xã.")
    # text in the other placement is known text: a clean page stays clean and unchanged
    new_style = "Uỷ ban nhân dân tỉnh chỉ đạo hoà giải, thoả thuận và hiện đại hoá hành chính; Sở Văn hoá phối hợp."
    assert R.page_mode(new_style) == R.CLEAN and restore(new_style) == new_style
