"""Units named after their unit word take the register's spelling (diacritics/place_names.py)."""

from __future__ import annotations

import pytest

import diacritics.place_names as place_names
from diacritics import restore
from diacritics.model import _place_index, load_model
from diacritics.place_names import fix_place_names
from diacritics.restore import _split

REGISTER = _place_index(
    [
        ("xa", "Phú Ninh", "Quảng Nam"),
        ("xa", "Phù Ninh", "Phú Thọ"),
        ("xa", "Hoàng Đan", "Vĩnh Phúc"),
        ("xa", "Hưng Hoá", "Phú Thọ"),
        ("xa", "Thanh", "Hà Giang"),
        ("huyen", "Phù Ninh", "Phú Thọ"),
        ("tinh", "Phú Thọ", "Phú Thọ"),
        ("tinh", "Thanh Hóa", "Thanh Hóa"),
        ("tinh", "Quảng Nam", "Quảng Nam"),
    ]
)


def spelt(text: str) -> str:
    parts = _split(text)
    fix_place_names(parts, REGISTER)
    return "".join(parts)


MERGER = "Sap nhap toan bo dien tich cua cac xa Dang Hai, Dien Dong va Tan Lap thanh xa moi"


def test_merger_list_is_spelt_as_registered_with_the_shipped_model() -> None:
    assert "các xã Đằng Hải, Diễn Đồng và Tân Lập thành xã mới" in restore(MERGER)
    assert load_model().places["xa"]["dang hai"] == {"Đằng Hải": frozenset({"hai phong"})}


def test_without_the_register_the_model_writes_the_commoner_syllable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(place_names, "PLACE_NAMES_ENABLED", False)
    out = restore(MERGER)
    assert "Diễn Đồng" not in out  # "Điền Đông": the commoner syllables


def test_one_spelling_of_the_letters_at_that_level_is_taken() -> None:
    assert spelt("các xã Hoàng Đàn, Phú Ninh và Hoàng Đàn") == "các xã Hoàng Đan, Phú Ninh và Hoàng Đan"
    # several spellings and none nearer: the decoded one is registered and stays
    assert spelt("xã Phú Ninh") == "xã Phú Ninh"


def test_a_province_named_nearby_picks_among_spellings() -> None:
    assert spelt("tỉnh Phú Thọ; xã Phú Ninh") == "tỉnh Phú Thọ; xã Phù Ninh"
    assert spelt("tỉnh Quảng Nam; xã Phù Ninh") == "tỉnh Quảng Nam; xã Phú Ninh"
    # the level counts: a district after "huyện"
    assert spelt("huyện Phú Ninh") == "huyện Phù Ninh"


def test_what_is_left_alone() -> None:
    # the text's own tone placement ("Hóa" for the register's "Hoá")
    assert spelt("thị trấn Hưng Hóa") == "thị trấn Hưng Hóa"
    # villages are in no register; a name the register does not know
    assert spelt("thôn Hoàng Đàn, xã Tân Lập") == "thôn Hoàng Đàn, xã Tân Lập"
    # "Thành phố" after a list of wards is a unit of its own, not a ward "Thanh"
    assert spelt("phường Phù Ninh, Thành phố Hồ Chí Minh") == "phường Phù Ninh, Thành phố Hồ Chí Minh"
    # lower-case words after a unit word name nothing
    assert spelt("xã phú ninh") == "xã phú ninh"


def test_the_place_of_issue_on_the_date_line_is_registered() -> None:
    assert spelt("Số: 12/KH-UBND\nThành Hóa, ngày 20 tháng 3 năm 2025") == "Số: 12/KH-UBND\nThanh Hóa, ngày 20 tháng 3 năm 2025"
    # not at a line start: a name inside a sentence is left to the model
    assert spelt("gửi Thành Hóa, ngày 20") == "gửi Thành Hóa, ngày 20"
