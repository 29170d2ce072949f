"""The model builder's pieces: corpus cleaning, the hold-out rule, LM runs, confusion counting."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from tools.build_diacritics_model import (
    confusions_of,
    count_confusions,
    count_title_case,
    lm_sequences,
    place_names,
)
from tools.corpus import clean_markdown, corpus_files, is_held_out


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


def test_title_case_is_counted_inside_sentences_only() -> None:
    titles, mids = count_title_case(["Sở Nội vụ và Sở Tư pháp. Số 12 Sở. CẢNG Cảng"])
    # the first "Sở" opens the run and the last follows a number: neither says anything
    assert titles[("sở", "L")] == 1 and mids[("sở", "L")] == 1 and mids[("sở", "T")] == 0
    # inside a name (after a capitalised word) counts apart from after a lower-case word
    assert titles[("nội", "T")] == 1 and mids[("vụ", "T")] == 1 and titles[("vụ", "T")] == 0
    assert not any(form in ("số", "cảng") for form, _ in mids)  # run starts, headings in capitals


def test_place_names_come_with_and_without_their_unit_word() -> None:
    names = {tuple(w) for w in place_names()}
    assert ("Chư", "Prông") in names and ("huyện", "Chư", "Prông") in names
    assert len(names) > 5000  # old and new communes, districts, provinces


def test_an_existing_models_confusions_can_be_reused(tmp_path: Path) -> None:
    model = {"vocab": ["<s>", "</s>", "<num>", "số", "của"], "confusion": [["s6", 3, 5, 9], ["ctia", 4, 2, 2]],
             "caps_title": ["bo"], "ocr_pages": 7}
    path = tmp_path / "m.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(model, fh)
    pairs, seen, caps_title, pages = confusions_of(path)
    assert pairs == {("s6", "số"): 5, ("ctia", "của"): 2} and seen["số"] == 9
    assert caps_title == ["bo"] and pages == 7
