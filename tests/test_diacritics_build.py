"""The model builder's pieces: corpus cleaning, the hold-out rule, LM runs, confusion counting."""

from __future__ import annotations

from pathlib import Path

from diacritics.build_model import count_confusions, lm_sequences
from diacritics.corpus import clean_markdown, corpus_files, is_held_out


def test_markdown_crawl_is_cleaned_into_paragraphs() -> None:
    md = "|\n**ỦY BAN NHÂN\nDÂN **\n--------\n|\n*Căn cứ Luật Tổ chức chính\nquyền địa phương;*\n\n# Điều 1\n"
    assert clean_markdown(md) == ["ỦY BAN NHÂN DÂN", "Căn cứ Luật Tổ chức chính quyền địa phương;", "Điều 1"]


def test_hold_out_rule_is_fixed_and_disjoint() -> None:
    held, train = corpus_files(held_out=True), corpus_files(held_out=False)
    assert held and train and not set(held) & set(train)
    assert all(p.name[0] in "012" for p in held)
    assert is_held_out(Path("2abc.md")) and not is_held_out(Path("3abc.md"))


def test_language_model_runs_break_at_punctuation_and_codes() -> None:
    runs = list(lm_sequences("Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7, Luật QH15 mới"))
    assert runs == [
        ["căn", "cứ", "nghị", "quyết", "số", "<num>"],
        ["nq"],
        ["cp", "ngày", "<num>", "tháng", "<num>"],
        ["luật"],
        ["mới"],
    ]


def test_confusions_are_counted_from_aligned_ocr() -> None:
    pages = [{"truth": ["Căn cứ Nghị quyết số 76 của Chính phủ"], "ocr": "Can cir Nghi quyét s6 76 ctia Chinh phi"}]
    pairs, seen = count_confusions(pages)
    assert pairs[("s6", "số")] == 1 and pairs[("ctia", "của")] == 1 and pairs[("quyét", "quyết")] == 1
    assert seen["của"] == 1
