"""The layout-variety generator and the parse benchmark's bookkeeping: what the gold says is on the page,
every switch changes the page, the split is fixed and disjoint, and per-value verdicts follow the metrics."""

from __future__ import annotations

import pdfplumber
import pytest

from bench.parse_cases import ALL_CASES, DEV, HELD_OUT
from bench.parse_values import value_checks
from pipeline.evaluate import score
from tools.pdfgen.pdf_variety import layout_variety
from tools.pdfgen.variety import Variation, build_case
from tools.pdfgen.variety_tables import COLUMN_SETS


def _text(pdf) -> list[str]:
    with pdfplumber.open(str(pdf)) as doc:
        return [p.extract_text() or "" for p in doc.pages]


def test_split_is_fixed_and_disjoint():
    names = [c.name for c in ALL_CASES]
    assert len(names) == len(set(names))
    assert len(DEV) >= 8 and len(HELD_OUT) >= 8
    dev = {(c.content, c.variation) for c in DEV}
    assert not dev & {(c.content, c.variation) for c in HELD_OUT}
    # every variation value the held-out split uses is seen in dev (with other content or partners)
    for field in ("mode", "issuer", "letterhead", "columns", "table_landscape", "font"):
        assert {getattr(c.variation, field) for c in HELD_OUT} <= {getattr(c.variation, field) for c in DEV}, field


@pytest.mark.parametrize("mode", ["numbered", "with_decision", "decision_then_plan"])
def test_gold_header_is_what_the_page_prints(tmp_path, mode):
    spec = build_case("g", "commune", Variation(mode, "hdnd", 1, columns="official7"), 3)
    pdf = tmp_path / "g.pdf"
    layout_variety(spec, pdf)
    pages = _text(pdf)
    gold = spec.gold(pdf.name)
    assert gold["header"]["doc_number"] in " ".join(pages[:2])
    first = pages[0]
    if mode == "numbered":
        assert f"Số: {gold['header']['doc_number']}" in first
    elif mode == "with_decision":
        assert "Số:" not in first and "Ban hành kèm theo Nghị quyết số" in first.replace("\n", " ")
        assert gold["header"]["doc_type"] == "ke_hoach"
    else:
        assert "NGHỊ QUYẾT" in first and "Ban hành Kế hoạch" in first.replace("\n", " ")
        assert gold["header"]["doc_type"] == "nghi_quyet"
    assert gold["header"]["issuer"] == spec.issuer.issuer


@pytest.mark.parametrize("columns", sorted(COLUMN_SETS))
def test_every_column_set_is_drawn_with_its_headers(tmp_path, columns):
    spec = build_case("c", "dongnai", Variation(columns=columns, table_landscape=columns != "wide8"), 4)
    pdf = tmp_path / "c.pdf"
    layout_variety(spec, pdf)
    table_pages = [t for t in _text(pdf) if "Phụ lục" in t or "CẢI CÁCH THỂ CHẾ" in t]
    flat = " ".join(" ".join(table_pages).split())
    for header in COLUMN_SETS[columns].headers:
        assert all(w in flat for w in header.split()), header
    gold_rows = spec.gold("c.pdf")["tasks"]["rows"]
    assert all(("output" in r) == COLUMN_SETS[columns].has_output for r in gold_rows)


def test_font_page_and_orientation_switches_change_the_document(tmp_path):
    base = Variation()
    sizes = {}
    for name, v in {"base": base, "font": Variation(font=14.0), "portrait": Variation(table_landscape=False),
                    "letter": Variation(page="letter")}.items():
        pdf = tmp_path / f"{name}.pdf"
        layout_variety(build_case(name, "dongnai", v, 1), pdf)
        with pdfplumber.open(str(pdf)) as doc:
            sizes[name] = (len(doc.pages), [(round(p.width), round(p.height)) for p in doc.pages])
    assert sizes["font"][0] > sizes["base"][0]  # larger type, more pages
    assert sizes["base"][1][-1][0] > sizes["base"][1][-1][1]  # appendix on landscape pages
    assert sizes["portrait"][1][-1][0] < sizes["portrait"][1][-1][1]
    assert sizes["letter"][1][0] == (612, 792)


def test_value_checks_agree_with_the_pooled_metrics():
    gold = build_case("v", "commune", Variation(), 2).gold("v.pdf")
    perfect = {"header": dict(gold["header"]), "areas": list(gold["areas"]), "targets": list(gold["targets"]),
               "tasks": list(gold["tasks"]["rows"])}
    assert all(c.ok for c in value_checks(gold, perfect))
    broken = dict(perfect, header=dict(gold["header"], issuer="UBND tỉnh Khác"), tasks=perfect["tasks"][1:])
    bad = [c for c in value_checks(gold, broken) if not c.ok]
    assert {(c.kind, c.key) for c in bad} == {("header", "issuer"), ("task", gold["tasks"]["rows"][0]["row_label"])}
    m = score([gold], {"v.pdf": broken})
    header_checks = [c for c in value_checks(gold, broken) if c.kind == "header"]
    assert m["header_accuracy"] == pytest.approx(sum(c.ok for c in header_checks) / len(header_checks))
