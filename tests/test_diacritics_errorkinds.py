"""The benchmark's residual-error breakdown on English-OCR pages: marks, letters, splits, joins."""

from __future__ import annotations

from bench.diacritics_bench import error_kinds


def test_each_kind_of_damage_is_counted_once() -> None:
    truth = "Căn cứ Sở Nội vụ của tỉnh Bình Phước ban hành kế hoạch"
    got = "Can cứ S ở Nộivụ cua tỉnh Binh Phudc ban hành kế hoạch"
    kinds = error_kinds(truth, got)
    assert kinds["tokens"] == 13
    assert kinds["marks"] == 3  # Căn, của, Bình
    assert kinds["letters"] == 1  # Phước -> Phudc
    assert kinds["splits"] == 1 and kinds["joins"] == 1
    assert kinds["dropped"] == kinds["inserted"] == 0


def test_clean_text_has_no_errors_and_lost_words_are_dropped() -> None:
    truth = "Ủy ban nhân dân tỉnh"
    assert sum(v for k, v in error_kinds(truth, truth).items() if k != "tokens") == 0
    kinds = error_kinds(truth, "Ủy ban tỉnh")
    assert kinds["dropped"] == 2 and kinds["letters"] == 0
