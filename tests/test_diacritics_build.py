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


CRAWLED = """|
|
Bản dịch này thuộc quyền sở hữu của **
THƯ VIỆN PHÁP LUẬT**. Mọi hành vi sao chép là vi phạm pháp luật.
Đang tải văn bản...
#
**Số hiệu:**
|
5348/CT-CS
|
**
Ngày hiệu lực:**
|
Đã biết
|
|
**Tình trạng:**
|
Đã biết
|
|
BỘ TÀI CHÍNH
**CỤC THUẾ**
-------
|
Cục Thuế có ý kiến để Thuế tỉnh biết./.
|
Phạm Thị Minh Hiền
|
Công văn 5348/CT-CS năm 2025 hướng dẫn góp vốn điều lệ do Cục Thuế ban hành
Văn bản này chưa cập nhật nội dung Tiếng Anh
Công văn 5348/CT-CS ngày 20/11/2025 hướng dẫn góp vốn điều lệ do Cục Thuế ban hành
## Văn bản liên quan
Tình trạng: Đã biết
"""


def test_crawl_chrome_is_cut_before_the_issuer_and_after_the_signature() -> None:
    from tools.corpus import strip_crawl_chrome

    text = strip_crawl_chrome(CRAWLED)
    assert text.startswith("BỘ TÀI CHÍNH\n")
    assert text.rstrip().endswith("Phạm Thị Minh Hiền\n|")
    for chrome in ("THƯ VIỆN", "Đã biết", "Tình trạng", "ban hành", "Văn bản"):
        assert chrome not in text
    plain = "BỘ TÀI CHÍNH\nSố: 12/KH-UBND\nVăn bản này gửi các sở.\n"
    assert strip_crawl_chrome(plain) == plain  # no chrome: unchanged


def test_vendored_extra_corpus_is_split_by_the_same_rule() -> None:
    from tools.corpus import CORPUS_DIRS, dev_files, is_dev

    extra = CORPUS_DIRS[1]
    held = [p for p in corpus_files(held_out=True) if p.parent == extra]
    train = [p for p in corpus_files(held_out=False) if p.parent == extra]
    assert len(held) == 39 and len(train) == 166
    assert {p.name[0] for p in dev_files()} == set("345") and all(is_dev(p) for p in dev_files())
    for path in held + train:  # chrome cut at vendoring: the text opens with the document
        assert "Tình trạng" not in path.read_text(encoding="utf-8")[:2000]


def test_ocr_cache_key_changes_with_the_page_text() -> None:
    from tools.ocr_sim import page_key

    page = [("Căn cứ Luật Tổ chức", False)]
    assert page_key(3, page) == page_key(3, list(page))
    assert page_key(3, page) != page_key(4, page)
    assert page_key(3, page) != page_key(3, [("Căn cứ Luật Đất đai", False)])


def test_words_the_crawl_glued_break_the_language_models_runs() -> None:
    from tools.build_diacritics_model import is_glued

    runs = list(lm_sequences("thành phường Phong An và phườngPhong Hiền và xã Phong Sơn 110 kV"))
    assert runs == [["thành", "phường", "phong", "an", "và"], ["hiền", "và", "xã", "phong", "sơn", "<num>", "kv"]]
    assert [t for t in ("vàTrung", "ĐảngỦy", "SmartThings") if is_glued(t)] == ["vàTrung", "ĐảngỦy", "SmartThings"]
    # units, codes and abbreviations with one lower-case letter, and words in capitals, are words
    assert not any(is_glued(t) for t in ("kV", "kWh", "IoT", "TTg", "eKYC", "UBND", "Phường", "phường"))


def test_held_out_files_go_only_into_the_shipped_model() -> None:
    from tools.build_diacritics_model import training_files

    held = set(corpus_files(held_out=True))
    bench, shipped = set(training_files()), set(training_files(held_out_too=True))
    assert not bench & held and held <= shipped and shipped - held == bench
    dev = set(training_files("345", held_out_too=False))
    assert dev < bench and not any(p.name[0] in "012345" for p in dev)


def test_main_builds_the_shipped_model_and_dev_models_leave_held_out_out(tmp_path: Path, monkeypatch) -> None:
    import tools.build_diacritics_model as builder

    calls: list[dict] = []
    monkeypatch.setattr(builder, "build", lambda *a, **k: calls.append(k) or {"vocab": [], "bigram": [], "trigram": [],
                        "confusion": [], "ocr_pages": 0, "held_out_text": k["held_out_too"]})
    for argv in ([], ["--no-held-out"], ["--dev-prefixes", "345"]):
        builder.main([*argv, "--ocr-pages", "0", "--out", str(tmp_path / "m.json.gz")])
    assert [c["held_out_too"] for c in calls] == [True, False, False]


def test_a_channel_read_from_held_out_pages_is_refused(tmp_path: Path) -> None:
    import pytest

    from tools.build_diacritics_model import build

    path = tmp_path / "m.json.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump({"vocab": ["<s>", "</s>", "<num>"], "confusion": [], "ocr_text": "held-out pages"}, fh)
    with pytest.raises(ValueError, match="training-side"):
        build(0, 1, confusions_from=path)
