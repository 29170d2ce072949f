"""Abbreviations in text without marks: kept as written, or spelled as the document defines them."""

from __future__ import annotations

from diacritics import restore
from diacritics.text import strip_marks

DEFINED = (
    "Nguoi dan nop ho so tai Chi nhanh Van phong Dang ky dat dai (DKDD) khu vuc.\n"
    "Van phong DKDD tra ket qua cho to chuc, ca nhan; Chi nhanh Van phong DKDD luu tru ho so.\n"
    "Giay chung nhan dang ky kinh doanh (DKKD) do Uy ban nhan dan (UBND) cap xa xac nhan."
)


def test_a_defined_abbreviation_gets_the_bar_of_its_words_everywhere() -> None:
    out = restore(DEFINED)
    assert strip_marks(out) == DEFINED  # only marks change
    assert out.count("ĐKĐĐ") == 3 and "DKDD" not in out
    assert "(ĐKKD)" in out
    assert "(UBND)" in out  # the U of "Ủy" is no Đ: nothing but D -> Đ is ever taken from the words
    assert "Đăng ký đất đai" in out


def test_an_undefined_abbreviation_in_capitals_is_left_as_written() -> None:
    text = "TT\nNoi dung cong viec\nDon vi chu tri\nTT SV DC CC\n1. To chuc thuc hien ke hoach cai cach hanh chinh"
    out = restore(text)
    assert out.split("\n")[0] == "TT"
    assert "TT SV DC CC" in out
    assert "Tổ chức thực hiện kế hoạch cải cách hành chính" in out


def test_an_abbreviation_is_not_spelled_from_words_whose_initials_differ() -> None:
    text = "Cac don vi (DKDD) phoi hop voi Van phong DKDD."
    out = restore(text)
    assert "DKDD" in out and "ĐKĐĐ" not in out
