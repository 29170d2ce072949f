"""Lettered points of a clause ("điểm b, c, d, đ và e"): the "đ" that lost its bar is put back."""

from diacritics import restore


def test_point_after_d_in_a_list_is_d_with_bar() -> None:
    # the language model alone reads this one as "d, d, e": only the list order tells
    assert "điểm d, đ, e khoản 1" in restore("quy dinh tai diem d, d, e khoan 1")
    out = restore("quy dinh tai diem b, c, d, d va e khoan 1; cac diem d va d khoan 2")
    assert "điểm b, c, d, đ và e" in out
    assert "các điểm d và đ khoản 2" in out


def test_a_lone_point_d_keeps_its_letter() -> None:
    assert "điểm d khoản 2" in restore("theo quy dinh tai diem d khoan 2 Dieu 5")
