"""Abbreviations in text without marks: kept as written, or spelled as the document defines them."""

from __future__ import annotations

from diacritics import restore
from diacritics.model import load_model
from diacritics.text import strip_marks

DEFINED = (
    "Nguoi dan nop ho so tai Chi nhanh Van phong Dang ky dat dai (DKDD) khu vuc.\n"
    "Van phong DKDD tra ket qua cho to chuc, ca nhan; Chi nhanh Van phong DKDD luu tru ho so.\n"
    "Giay chung nhan dang ky kinh doanh (DKKD) do Uy ban nhan dan (UBND) cap xa xac nhan."
)


def test_an_abbreviation_no_lexicon_knows_is_spelled_from_its_definition() -> None:
    text = "Du an do Trung tam Dieu phoi Do thi (TTDPDT) thuc hien; TTDPDT bao cao Uy ban nhan dan (UBND) tinh."
    out = restore(text)
    assert "ttđpđt" not in load_model().index  # no lexicon knows it
    assert "Trung tâm Điều phối Đô thị (TTĐPĐT)" in out and "; TTĐPĐT báo cáo" in out
    assert "(UBND)" in out


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
    text = "Cac don vi (TTDPDT) phoi hop voi TTDPDT."
    out = restore(text)
    assert out.count("TTDPDT") == 2 and "Đ" not in out.replace("Đơn", "").replace("đơn", "")


def test_without_the_rule_the_defined_abbreviation_loses_its_bar(monkeypatch) -> None:
    import importlib

    monkeypatch.setattr(importlib.import_module("diacritics.restore"), "ACRONYMS_ENABLED", False)
    out = restore("Du an do Trung tam Dieu phoi Do thi (TTDPDT) thuc hien.")
    assert "(TTDPDT)" in out  # guards the tests above: the language model alone cannot spell it
