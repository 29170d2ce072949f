"""English passages in a Vietnamese document are copied through (diacritics/english.py)."""

from __future__ import annotations

import pytest

import diacritics.english as english
from diacritics import restore
from diacritics.model import load_model
from diacritics.restore import _split
from diacritics.text import strip_marks

DECREE = (
    "Nghị định số 120/2016/NĐ-CP ngày 23 tháng 8 năm 2016 của Chính phủ (Decree No 120/2016/ND-CP "
    "dated August 23, 2016 on elaborating a number of articles of the Law on Fees and Charges) quy "
    "định chi tiết và hướng dẫn thi hành một số điều của Luật Phí và lệ phí."
)
FEE = "Fee for adjustment to certificates of eligibility: a recipient other than the fee collector shall not exceed 6 000."


def test_english_passage_inside_stripped_text_is_copied_through() -> None:
    out = restore(strip_marks(DECREE))
    assert "(Decree No 120/2016/ND-CP dated August 23, 2016 on elaborating a number of articles of the Law on Fees and Charges)" in out
    # the Vietnamese around it is restored as before, its code with the bar
    assert out.startswith("Nghị định số 120/2016/NĐ-CP ngày 23 tháng 8 năm 2016 của Chính phủ (")
    assert out.endswith("quy định chi tiết và hướng dẫn thi hành một số điều của Luật Phí và lệ phí.")
    assert restore(FEE) == FEE


def test_without_the_rule_the_passage_gets_marks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(english, "ENGLISH_ENABLED", False)
    out = restore(strip_marks(DECREE))
    assert "Decree No 120/2016/ND-CP dated August 23, 2016 on elaborating a number of" not in out


def test_vietnamese_sentence_with_an_english_name_is_still_restored() -> None:
    out = restore("Cong ty Suhil Electronics Vina dat tai khu cong nghiep Que Vo, hoat dong tu nam 2019")
    assert out == "Công ty Suhil Electronics Vina đặt tại khu công nghiệp Quế Võ, hoạt động từ năm 2019"
    # one English function word in a Vietnamese sentence is not a passage
    out = restore("Thong bao cua UNESCO ve di san van hoa phi vat the of Viet Nam")
    assert out.startswith("Thông báo của UNESCO về di sản văn hóa phi vật thể")


def test_function_words_spell_no_vietnamese_form() -> None:
    """Their letters have no reading but the English word itself (which the corpus quotes)."""
    model = load_model()
    readings = {w: {model.vocab[i] for i in model.by_base.get(w, ())} for w in english.FUNCTION_WORDS}
    assert all(forms <= {w} for w, forms in readings.items())


def test_passage_spans_cover_codes_and_short_words_inside() -> None:
    parts = _split("tai khoan so 5 (Circular No 110/2025/TT-BTC dated May 2 of the Ministry of Finance) va")
    words = {parts[i] for i in english.english_tokens(parts)}
    assert {"Circular", "No", "TT", "BTC", "dated", "May", "of", "the", "Ministry", "Finance"} <= words
    assert not words & {"tai", "khoan", "so", "va"}
