"""Single glyphs English OCR reads for Vietnamese print (an item dash read as "=" or "~", "l"
read as "|", a y or ư with a tilde read as "¥", the "I" after a stacked capital read as "!")
are put back on English-OCR pages, and nowhere they can mean themselves.  Cases are generated
from the rules and the model's commonest syllables, not taken from a seed."""

from __future__ import annotations

import pytest

from diacritics import restore
from diacritics.model import load_model
from diacritics.ocr_glyphs import repair_glyphs
from diacritics.text import strip_marks

ITEMS = ["Dia chi tru so chinh", "So dien thoai lien he", "Ngay thang nam sinh", "Quoc tich"]


def _common(pred, limit: int) -> list[str]:
    model = load_model()
    ids = sorted(range(3, model.size), key=lambda i: -model.counts[i])
    return [model.vocab[i] for i in ids if model.vocab[i].isalpha() and pred(model.vocab[i])][:limit]


@pytest.mark.parametrize("dash", ["=", "~", "~-"])
def test_an_item_dash_read_as_a_symbol_is_a_dash(dash: str) -> None:
    page = "Thong tin ve to chuc de nghi cap phep:\n" + "\n".join(f"{dash} {item}: ......" for item in ITEMS)
    out = restore(page, mode="ocr").split("\n")
    assert len(out) == len(ITEMS) + 1
    assert all(line.startswith("- ") for line in out[1:]), out


def test_symbols_inside_a_line_are_kept() -> None:
    for text in ("Ty le = so ho dat / tong so ho", "khoang 5 ~ 10 ngay", "x = 2 va y ~ 3"):
        assert repair_glyphs(text) == text


def test_a_bar_before_lower_case_letters_is_the_letter_l() -> None:
    words = _common(lambda w: w.startswith("l") and len(w) >= 3, 20)
    assert len(words) == 20
    for word in words:
        garble = "|" + strip_marks(word)[1:]
        page = "Cac co quan {} theo quy dinh cua phap luat."
        out = restore(page.format(garble), mode="ocr")
        assert "|" not in out
        assert out == restore(page.format("l" + garble[1:]), mode="ocr"), (garble, out)


def test_table_bars_are_kept() -> None:
    for text in ("| STT | Noi dung | Thoi gian |", "|---|---|", "a | b",
                 "UBND - |04/12/2024", "thanh |Nam 2024", "theo quy |tiep nhan va", "|kiem tra van ban|"):
        assert repair_glyphs(text) == text


def test_a_yen_sign_glued_to_letters_is_a_y_with_a_tilde() -> None:
    words = _common(lambda w: "ỹ" in w, 5)
    assert words
    for word in words:
        garble = strip_marks(word).replace("y", "¥", 1)
        page = "Phong Kinh te va Ha tang, cac van de {} thuat cua du an"
        out = restore(page.format(garble), mode="ocr")
        assert "¥" not in out, (garble, out)
        assert out == restore(page.format(strip_marks(word)), mode="ocr"), (garble, out)
    assert repair_glyphs("chi¥ ky") == "chu ky"  # "i¥": the ư of "chữ"
    assert repair_glyphs("gia ¥ 100") == "gia ¥ 100"  # a currency sign on its own


def test_a_bang_between_words_in_capitals_is_an_i() -> None:
    words = _common(lambda w: strip_marks(w).endswith("oi") and len(w) >= 3, 10)
    assert len(words) >= 5
    for word in words:
        garble = strip_marks(word).upper()[:-1] + "!"
        page = "QUY DINH VE {} HANH CHINH CAP XA"
        out = restore(page.format(garble), mode="ocr")
        assert "!" not in out, (garble, out)
        assert out == restore(page.format(garble[:-1] + "I"), mode="ocr"), (garble, out)
    for text in ("Tot! Ban hanh ngay", "NHE! ban hanh", "Chu y! Thoi han"):
        assert repair_glyphs(text) == text
