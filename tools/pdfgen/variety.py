"""Layout-variety generator: one content spec, rendered with switchable variations, with its gold file.

Run: `python -m tools.pdfgen.variety --out DIR [--case NAME]... [--list]` writes, per case, the
text-layer PDF (`NAME.pdf`) and its gold (`NAME.json`, CONTRACT.md format); the benchmark
(`bench/parse_bench.py`) adds the 300/200 dpi scans and the OCR text dump.

A case is a content (what the plan says: `CONTENTS`) and a `Variation` (how it is printed). Each
variation is a switch or a choice:
- `mode`: a numbered plan ("Số: 12/KH-UBND"), a plan issued with a decision (no number of its own;
  "(Ban hành kèm theo Quyết định số 12/QĐ-UBND ngày ...)" under its title), or the decision
  followed by its plan (the outer document is the decision, as in seed 000);
- `issuer`: people's committees of a province, district or commune, a people's council (its
  plans come with a resolution, NQ-HĐND), a ministry (KH-BGDĐT), a steering committee (KH-BCĐ);
- `letterhead`: column widths of the two-column letterhead (standard, narrow, wide);
- `year_in_number`: "12/2023/QĐ-UBND" instead of "12/QĐ-UBND";
- `columns`: the appendix column set (`variety_tables.COLUMN_SETS`: 5 to 8 columns, any order,
  merged "Chủ trì/phối hợp", objective column);
- `table_landscape`, `page` (A4 or Letter), `font` (13 or 14 pt body);
- `stamp`: a red seal over the signature on the scans (scans are made by the bench);
- `header_repeat`: the table header printed again on every page, or only on the first;
- `sections`: how section rows read — "I | CẢI CÁCH THỂ CHẾ" (`roman`), one full-width cell
  "I. CẢI CÁCH THỂ CHẾ" (`roman_full`), "1. Cải cách thể chế" with tasks numbered 1.1, 1.2
  (`arabic`), "Nhiệm vụ 1: Cải cách thể chế" (`nhiem_vu`), or no section rows at all with tasks
  numbered through (`none`);
- `area_order`: the programme's usual order of areas, or another (`shuffled`);
- `deadlines`: the content's own deadline wording, or every kind of wording (`varied`: "Quý I/2025",
  "Tháng 6/2025", "Trước 30/6/2025", "Hằng năm", "Năm 2025", ...);
- `number_row`: a row numbering the columns "(1) | (2) | …" under the header;
- `lost_section`: one section row left out (its rows keep their area in the gold);
- `agencies`: the content's own agencies, or descriptive names with commas inside
  ("Các cơ quan, đơn vị có TTHC tiếp nhận và giải quyết tại ...") for some leads and partners.
Rows split across pages come from `pdf_table.draw_table` whenever the table runs over a page
(always on for the long seed-001 appendix).

Content comes from the seeds: `dongnai` (seed 001's body and a dozen of its tasks, via
`spec_dongnai`), `commune` (seed 002, via `spec_commune`), `seed001` (seed 001's body with all 66
rows of its hand-labelled appendix, tests/gold/001_*.json). Issuer names come from the legal
corpus letterheads (`variety_issuers`).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from tools.pdfgen.plan_spec import PlanSpec, TaskSpec, gold_dict
from tools.pdfgen.spec_commune import spec_commune
from tools.pdfgen.spec_dongnai import spec_dongnai
from tools.pdfgen.variety_issuers import Issuer, issuer_for
from tools.pdfgen.variety_tables import COLUMN_SETS, ColumnSet

REPO = Path(__file__).resolve().parents[2]
SEED001_GOLD = REPO / "tests" / "gold" / "001_0dfc435017dae436.json"

Mode = Literal["numbered", "with_decision", "decision_then_plan"]
Sections = Literal["roman", "roman_full", "arabic", "nhiem_vu", "none"]


@dataclass(frozen=True)
class Variation:
    """How a plan is printed; every field is one switch of the generator."""

    mode: Mode = "numbered"
    issuer: str = "ubnd_tinh"  # variety_issuers.ISSUER_KINDS
    issuer_index: int = 0
    letterhead: Literal["standard", "narrow", "wide"] = "standard"
    year_in_number: bool = False
    columns: str = "shipped6"
    table_landscape: bool = True
    page: Literal["a4", "letter"] = "a4"
    font: float = 13.0
    stamp: bool = True
    # Table switches added later: kept out of repr() so the cached inputs of earlier cases keep their keys.
    header_repeat: bool = dataclasses.field(default=True, repr=False)
    sections: Sections = dataclasses.field(default="roman", repr=False)
    area_order: Literal["usual", "shuffled"] = dataclasses.field(default="usual", repr=False)
    deadlines: Literal["plain", "varied"] = dataclasses.field(default="plain", repr=False)
    agencies: Literal["plain", "descriptive"] = dataclasses.field(default="plain", repr=False)
    number_row: bool = dataclasses.field(default=False, repr=False)
    """A "(1) | (2) | …" row under the table header (repeated with it)."""
    lost_section: int = dataclasses.field(default=0, repr=False)
    """1-based number of a section whose row is not printed (as when OCR loses it); 0: none."""

    def extras(self) -> dict[str, object]:
        """The later switches that differ from their defaults."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)
                if not f.repr and getattr(self, f.name) != f.default}

    def tag(self) -> str:
        """Short description for tables: "with_decision/bo/wide/official7/L/14"."""
        return "/".join([self.mode, self.issuer, self.letterhead, self.columns,
                         "L" if self.table_landscape else "P", f"{self.font:g}",
                         *(f"{k}={v}" for k, v in self.extras().items())])


@dataclass(frozen=True)
class DecisionSpec:
    """The decision (or resolution) that issues the plan."""

    number: str  # "12/QĐ-UBND"
    date: dt.date
    word: str  # "QUYẾT ĐỊNH" / "NGHỊ QUYẾT"
    doc_type: str  # quyet_dinh / nghi_quyet


@dataclass(frozen=True)
class VarietySpec:
    """One case ready to draw: the plan as printed, who issues it, the decision, the column set."""

    name: str
    plan: PlanSpec
    issuer: Issuer
    variation: Variation
    columns: ColumnSet
    decision: DecisionSpec | None

    def gold(self, source: str) -> dict:
        """Gold in the contract format: a plan issued with a decision takes the decision's number and date;
        a decision followed by its plan is the decision (type, number, date) with the plan's title."""
        gold = gold_dict(self.plan, source)
        head = gold["header"]
        if self.decision is not None:
            head["doc_number"] = self.decision.number
            head["issue_date"] = self.decision.date.isoformat()
            if self.variation.mode == "decision_then_plan":
                head["doc_type"] = self.decision.doc_type
        if self.issuer.admin_level is None:
            head.pop("admin_level")
            head.pop("locality")
            head["admin_level"], head["locality"] = None, None
        if not self.columns.has_output:
            for row in gold["tasks"]["rows"]:
                row.pop("output", None)
        return gold


def _seed001_tasks() -> tuple[TaskSpec, ...]:
    """The appendix rows of seed 001 as hand-labelled (65 of 66: one unlabelled sub-row without agencies is left
    out, a printed table row always has them)."""
    rows = json.loads(SEED001_GOLD.read_text(encoding="utf-8"))["tasks"]["rows"]
    return tuple(TaskSpec(r["area"], r["row_label"], r["content"], tuple(r["lead_agencies"]),
                          tuple(r.get("partner_agencies") or ()), r["deadline_text"], r.get("output"))
                 for r in rows if r.get("row_label") and r.get("lead_agencies"))


def _seed001() -> PlanSpec:
    return dataclasses.replace(spec_dongnai(), tasks=_seed001_tasks())


CONTENTS: dict[str, Callable[[], PlanSpec]] = {
    "dongnai": spec_dongnai,
    "commune": spec_commune,
    "seed001": _seed001,
}


def _number(n: int, code: str, suffix: str, year: int, with_year: bool) -> str:
    return f"{n}/{year}/{code}-{suffix}" if with_year else f"{n}/{code}-{suffix}"


def _title(issuer: Issuer, year: int) -> str:
    if issuer.unit_phrase.startswith("của "):
        return f"Cải cách hành chính năm {year} {issuer.unit_phrase}"
    return f"Cải cách hành chính {issuer.unit_phrase} năm {year}"


def _date_text(d: dt.date) -> str:
    return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"


_ROMANS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
SHUFFLED_AREAS = ("chi_dao_dieu_hanh", "thu_tuc_hanh_chinh", "the_che", "chinh_quyen_so", "to_chuc_bo_may",
                  "tai_chinh_cong", "che_do_cong_vu")
"""An order of areas other than the programme's (steering first, TTHC before institutions, digital government
before the apparatus)."""
DEADLINE_WORDINGS = ("Quý I/{y}", "Tháng 6/{y}", "Trước 30/6/{y}", "Hằng năm", "Năm {y}", "Trước ngày 15/12/{y}",
                     "Quý III/{y}", "Tháng 9/{y}", "6 tháng đầu năm {y}", "Thường xuyên")
DESCRIPTIVE_AGENCIES = (
    "Các cơ quan, đơn vị có TTHC tiếp nhận và giải quyết tại Trung tâm Phục vụ hành chính công",
    "Các cơ quan, đơn vị, địa phương có liên quan",
    "Cơ quan chuyên môn quản lý ngành, lĩnh vực được giao",
    "Các phòng, ban chuyên môn thuộc UBND",
)


def _table_content(plan: PlanSpec, v: Variation) -> PlanSpec:
    """The appendix as the table variation prints it: area order, numbering, deadline and agency wording."""
    sections = plan.appendix_sections
    if v.area_order == "shuffled":
        rank = {a: i for i, a in enumerate(SHUFFLED_AREAS)}
        sections = tuple(sorted(sections, key=lambda s: rank.get(s.area, 99)))
    sections = tuple(dataclasses.replace(s, label=_ROMANS[i]) for i, s in enumerate(sections))
    tasks: list[TaskSpec] = []
    for sec in sections:
        tasks.extend(t for t in plan.tasks if t.area == sec.area)
    out = []
    for i, t in enumerate(tasks):
        sec_no = next(k for k, s in enumerate(sections, 1) if s.area == t.area)
        label = t.row_label
        if v.sections == "arabic" and label:
            label = f"{sec_no}.{label}"
        elif v.sections == "none":
            label = str(i + 1)
        deadline = DEADLINE_WORDINGS[i % len(DEADLINE_WORDINGS)].format(y=plan.period_start) \
            if v.deadlines == "varied" else t.deadline
        lead, partner = t.lead, t.partner
        if v.agencies == "descriptive" and i % 3 == 1:
            lead = (DESCRIPTIVE_AGENCIES[i // 3 % len(DESCRIPTIVE_AGENCIES)],)
        elif v.agencies == "descriptive" and i % 3 == 2:
            partner = (*partner, DESCRIPTIVE_AGENCIES[(i // 3 + 1) % len(DESCRIPTIVE_AGENCIES)])
        out.append(dataclasses.replace(t, row_label=label, deadline=deadline, lead=lead, partner=partner))
    return dataclasses.replace(plan, appendix_sections=sections, tasks=tuple(out))


def build_case(name: str, content: str, variation: Variation, serial: int = 0) -> VarietySpec:
    """The spec of one case: the content's plan reprinted for the variation's issuer, number and mode."""
    base = CONTENTS[content]()
    issuer = issuer_for(variation.issuer, variation.issuer_index)
    year = base.period_start
    plan_no = _number(12 + 7 * serial, "KH", issuer.suffix, base.issue_date.year, False)
    decision = None
    if variation.mode != "numbered":
        code = issuer.decision_code
        decision = DecisionSpec(
            number=_number(244 + 13 * serial, code, issuer.suffix, base.issue_date.year, variation.year_in_number),
            date=base.issue_date, word=issuer.decision_word,
            doc_type="nghi_quyet" if code == "NQ" else "quyet_dinh")
    title = _title(issuer, year)
    kind_word = "Nghị quyết" if decision and decision.word == "NGHỊ QUYẾT" else "Quyết định"
    note_ref = (f"Kế hoạch số {plan_no}" if decision is None
                else f"Kế hoạch ban hành kèm theo {kind_word} số {decision.number}")
    plan = dataclasses.replace(
        base, issuer_lines=issuer.lines, doc_number=plan_no if decision is None else "", place=issuer.place,
        title=title, doc_type="ke_hoach", issuer=issuer.issuer, admin_level=issuer.admin_level or "",
        locality=issuer.locality or "", signer_lines=issuer.signer_lines,
        appendix_note=f"(Kèm theo {note_ref} {_date_text(base.issue_date)} của {issuer.short})",
    )
    if variation.extras():
        plan = _table_content(plan, variation)
    return VarietySpec(name, plan, issuer, variation, COLUMN_SETS[variation.columns], decision)


def render_case(spec: VarietySpec, out: Path) -> tuple[Path, Path]:
    """Write `<name>.pdf` (text layer) and `<name>.json` (gold) into `out`."""
    from tools.pdfgen.pdf_variety import layout_variety

    out.mkdir(parents=True, exist_ok=True)
    pdf = out / f"{spec.name}.pdf"
    layout_variety(spec, pdf)
    gold = out / f"{spec.name}.json"
    gold.write_text(json.dumps(spec.gold(pdf.name), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return pdf, gold


def main(argv: list[str] | None = None) -> int:
    """CLI: render the benchmark's cases (or some of them) as text-layer PDFs with their gold."""
    from bench.parse_cases import ALL_CASES

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=REPO / "bench" / "cache" / "parse" / "pdf")
    ap.add_argument("--case", action="append", help="case name (repeatable); default: all")
    ap.add_argument("--list", action="store_true", help="list the cases and their variations")
    args = ap.parse_args(argv)
    for case in ALL_CASES:
        if args.case and case.name not in args.case:
            continue
        if args.list:
            print(f"{case.name:28s} {case.split:8s} {case.content:8s} {case.variation.tag()}")
            continue
        pdf, _ = render_case(case.spec(), args.out)
        print(pdf)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
