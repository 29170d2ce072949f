"""Which documents are copies of one plan (`pipeline.identity`), on the hand-labelled headers.

The gold files label eight documents of four plans: the Đồng Nai plan as a text-layer PDF, a
scan and the OCR dump it was typeset from; the Bình Tân commune plan as a scan, a mixed PDF and
a dump (whose date is unreadable); two single plans. Each header is then damaged the ways OCR
damages headers (generated with a fixed seed), and the grouping must not change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from pipeline.evaluate import load_gold
from pipeline.identity import Copy, copy_score, group_copies, number_key, same_plan
from tests.conftest import GOLD

PLANS = {
    "dongnai": {"gen_dongnai_digital.pdf", "gen_dongnai_scan.pdf", "001_0dfc435017dae436.txt"},
    "binhtan": {"gen_commune_scan.pdf", "gen_mixed.pdf", "002_79b7535da3265038.txt"},
    "binhphuoc": {"000_8a3462fcf3bb5988.txt"},
    "tuson": {"003_9bfe1781afd0dd40.txt"},
}
SOURCE_KIND = {"pdf": "text_layer", "txt": "text"}
LOOKALIKE = {"0": "O", "1": "l", "5": "S", "8": "B"}


def _gold_copies() -> dict[str, Copy]:
    out = {}
    for g in load_gold(GOLD):
        h = g["header"]
        src = g["source"]
        out[src] = Copy(
            source_sha256=src,
            doc_number=h.get("doc_number"),
            issuer=h.get("issuer"),
            locality=h.get("locality"),
            issue_date=dt.date.fromisoformat(h["issue_date"]) if h.get("issue_date") else None,
            title=h.get("title"),
            period_start=h.get("period_start"),
            period_end=h.get("period_end"),
            text_source="ocr" if "scan" in src else SOURCE_KIND[src.rsplit(".", 1)[1]],
            ocr_confidence=93.0 if "scan" in src else None,
        )
    return out


def _strip_marks(text: str | None) -> str | None:
    import unicodedata

    if text is None:
        return None
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch)).replace("Đ", "D")


def _damage(c: Copy, rng: random.Random) -> Copy:
    """One OCR-like damage: marks lost, digits read as letters, a date digit misread, a field lost."""
    kind = rng.choice(["marks", "lookalike", "date_digit", "no_number", "no_date", "case"])
    if kind == "marks":
        return dataclasses.replace(c, issuer=_strip_marks(c.issuer), title=_strip_marks(c.title),
                                   locality=_strip_marks(c.locality))
    if kind == "lookalike" and c.doc_number:
        return dataclasses.replace(c, doc_number="".join(LOOKALIKE.get(ch, ch) for ch in c.doc_number))
    if kind == "date_digit" and c.issue_date:
        day = c.issue_date.day
        wrong = day - 5 if day > 5 and day % 10 >= 5 else day + 3 if day % 10 < 6 else day
        return dataclasses.replace(c, issue_date=c.issue_date.replace(day=wrong))
    if kind == "no_number":
        return dataclasses.replace(c, doc_number=None)
    if kind == "no_date":
        return dataclasses.replace(c, issue_date=None)
    return dataclasses.replace(c, issuer=(c.issuer or "").upper() or None, title=(c.title or "").upper() or None)


def _groups(copies: list[Copy]) -> set[frozenset[str]]:
    return {frozenset(c.source_sha256 for c in g) for g in group_copies(copies)}


def test_gold_documents_group_into_their_four_plans():
    copies = _gold_copies()
    assert set(copies) == set().union(*PLANS.values())
    assert _groups(list(copies.values())) == {frozenset(v) for v in PLANS.values()}


@pytest.mark.parametrize("seed", range(20))
def test_ocr_damaged_copies_still_join_their_plan(seed):
    rng = random.Random(seed)
    copies = _gold_copies()
    damaged = []
    for src, c in copies.items():
        d = _damage(c, rng)
        damaged.append(dataclasses.replace(d, source_sha256=f"damaged:{src}"))
    groups = _groups(list(copies.values()) + damaged)
    expected = {frozenset(v | {f"damaged:{s}" for s in v}) for v in PLANS.values()}
    assert groups == expected


def test_different_acts_stay_apart():
    base = _gold_copies()["gen_dongnai_digital.pdf"]
    other_year = dataclasses.replace(base, source_sha256="y", issue_date=dt.date(2024, 12, 27), period_start=2025,
                                     period_end=2025, title=base.title.replace("2024", "2025"), doc_number="310/KH-UBND")
    other_issuer = dataclasses.replace(base, source_sha256="i", issuer="UBND tỉnh Bình Phước", locality="Bình Phước")
    other_number = dataclasses.replace(base, source_sha256="n", doc_number="412/KH-UBND")
    near_number_other_title = dataclasses.replace(base, source_sha256="t", doc_number="301/KH-UBND",
                                                  title="Kế hoạch kiểm tra công tác cải cách hành chính năm 2024")
    same_number_other_date = dataclasses.replace(base, source_sha256="d", issue_date=dt.date(2023, 3, 2))
    not_a_plan = dataclasses.replace(base, source_sha256="f", status="failed")
    for other in (other_year, other_issuer, other_number, near_number_other_title, same_number_other_date, not_a_plan):
        assert not same_plan(base, other), other.source_sha256
    # ... while a misread digit of the same act (same date, same title) is the same act.
    assert same_plan(base, dataclasses.replace(base, source_sha256="m", doc_number="308/KH-UBND"))


def test_number_key_reads_through_ocr_lookalikes():
    assert number_key("300/KH-UBND") == number_key("3OO/KH-UBND") == number_key("300 / KH-UBND") == ("300", "kh-ubnd")
    assert number_key("05/KH-UBND") == number_key("5/KH-UBND")
    assert number_key("244/QĐ-UBND") == ("244", "qd-ubnd")
    assert number_key(None) is None and number_key("KH-UBND") is None


def test_best_copy_order_text_layer_then_good_scan_then_dump():
    base = Copy(source_sha256="a", issuer="UBND tỉnh Đồng Nai", doc_number="300/KH-UBND")
    text_layer = dataclasses.replace(base, source_sha256="t", text_source="text_layer")
    mixed = dataclasses.replace(base, source_sha256="m", text_source="mixed", ocr_confidence=92)
    good_scan = dataclasses.replace(base, source_sha256="g", text_source="ocr", ocr_confidence=91)
    better_scan = dataclasses.replace(base, source_sha256="b", text_source="ocr", ocr_confidence=95)
    dump = dataclasses.replace(base, source_sha256="d", text_source="text")
    poor_scan = dataclasses.replace(base, source_sha256="p", text_source="ocr", ocr_confidence=55)
    copies = [dump, poor_scan, good_scan, text_layer, better_scan, mixed]
    for order in (copies, copies[::-1], sorted(copies, key=lambda c: c.source_sha256)):
        (group,) = group_copies(order)
        assert [c.source_sha256 for c in group] == ["t", "m", "b", "g", "d", "p"]
    assert copy_score(text_layer) > copy_score(better_scan) > copy_score(good_scan) > copy_score(dump)
