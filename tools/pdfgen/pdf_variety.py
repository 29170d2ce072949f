"""Draw a `VarietySpec` (tools.pdfgen.variety): letterhead of chosen widths, optional decision pages,
the plan with or without its own number, the body in 13 or 14 pt, and the appendix in a chosen column set
on landscape or portrait pages (A4 or Letter).

The drawing primitives are those of the shipped samples (`pdf_canvas.PageWriter`, `pdf_table.draw_table`):
the header row is repeated on every table page and a row that does not fit is split at the page break.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4, LETTER, landscape

from tools.pdfgen.pdf_canvas import MM, PageWriter, register_fonts, wrap
from tools.pdfgen.pdf_document import MOTTO, NATIONAL
from tools.pdfgen.pdf_table import TableStyle, draw_table
from tools.pdfgen.plan_spec import check_spec
from tools.pdfgen.variety import VarietySpec

TOP, BOTTOM, LEFT, RIGHT = 20 * MM, 20 * MM, 30 * MM, 15 * MM
PARA_GAP = 5.0
INDENT = 10 * MM
# letterhead: (left column centre from the left margin, right column centre from the right margin), in mm
LETTERHEADS = {"standard": (26.0, 50.0), "narrow": (22.0, 56.0), "wide": (36.0, 44.0)}
_BLOCK_STYLE = {
    "part": ("B", False, 4.0), "section": ("B", False, 2.0), "subsection": ("BI", False, 0.0),
    "item": ("I", False, 0.0), "para": ("R", True, 0.0), "bullet": ("R", True, 0.0),
}


@dataclass
class _Flow:
    """Flowing portrait text on pages of one size, at one font size; page numbers from page 2."""

    w: PageWriter
    size: tuple[float, float]
    font: float
    y: float = TOP
    pages: int = 0

    @property
    def width(self) -> float:
        return self.size[0] - LEFT - RIGHT

    @property
    def leading(self) -> float:
        return self.font * 1.27

    def new_page(self) -> None:
        self.w.new_page(self.size)
        self.pages += 1
        self.y = TOP
        if self.pages > 1:
            self.w.draw(self.size[0] / 2 + (LEFT - RIGHT) / 2, 12 * MM, str(self.pages), "R", 13, align="center")
            self.y = TOP + 2

    def ensure(self, height: float) -> None:
        if self.y + height > self.size[1] - BOTTOM:
            self.new_page()

    def paragraph(self, text: str, style: str = "R", justify: bool = True, gap: float = 0.0,
                  indent: float = INDENT, center: bool = False) -> None:
        lines = wrap(text, self.w.fonts[style], self.font, self.width * (0.85 if center else 1.0),
                     first_indent=0.0 if center else indent)
        self.y += gap
        self.ensure(self.leading * min(len(lines), 2 if justify else len(lines) + 2))
        for i, line in enumerate(lines):
            self.ensure(self.leading)
            self.y += self.leading
            if center:
                self.w.draw(LEFT + self.width / 2, self.y - 4, line, style, self.font, align="center")
                continue
            x = LEFT + (indent if i == 0 else 0.0)
            if justify and i < len(lines) - 1:
                self.w.draw_justified(x, self.y - 4, line, self.width - (indent if i == 0 else 0.0), style,
                                      self.font)
            else:
                self.w.draw(x, self.y - 4, line, style, self.font)
        self.y += PARA_GAP


def _letterhead(flow: _Flow, spec: VarietySpec, number: str | None, date_line: str | None) -> None:
    """Issuer block left (number under it), national motto right (place and date under it)."""
    w, pw = flow.w, flow.size[0]
    left_mm, right_mm = LETTERHEADS[spec.variation.letterhead]
    left_c, right_c = LEFT + left_mm * MM, pw - RIGHT - right_mm * MM
    y = TOP + 8
    lines = spec.issuer.lines
    for i, line in enumerate(lines):
        w.draw(left_c, y + i * 16, line, "B" if i == len(lines) - 1 else "R", 12.5, align="center")
    rule_y = y + (len(lines) - 1) * 16 + 5
    w.hline(left_c - 12 * MM, left_c + 12 * MM, rule_y, 0.6)
    low = max(rule_y + 24, y + 16 + 28)
    if number:
        w.draw(left_c, low, f"Số: {number}", "R", 13, align="center")
    w.draw(right_c, y, NATIONAL, "B", 12.5, align="center")
    motto_w = w.draw(right_c, y + 16, MOTTO, "B", 13.5, align="center")
    w.hline(right_c - motto_w / 2, right_c + motto_w / 2, y + 16 + 4, 0.6)
    if date_line:
        w.draw(right_c, low, date_line, "I", 13.5, align="center")
    flow.y = low + 22


def _date_line(spec: VarietySpec, d) -> str:
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{spec.plan.place}, ngày {d.day:02d} tháng {month} năm {d.year}"


def _centred_bold(flow: _Flow, text: str, size: float = 14.0) -> None:
    for line in wrap(text, flow.w.fonts["B"], size, flow.width * 0.8):
        flow.y += size + 4
        flow.w.draw(LEFT + flow.width / 2, flow.y, line, "B", size, align="center")


def _decision_pages(flow: _Flow, spec: VarietySpec) -> None:
    """The decision that issues the plan: header, title, authority, grounds, articles, signature."""
    dec = spec.decision
    assert dec is not None
    _letterhead(flow, spec, dec.number, _date_line(spec, dec.date))
    flow.y += 10
    _centred_bold(flow, dec.word)
    _centred_bold(flow, f"Ban hành Kế hoạch {spec.plan.title[0].lower()}{spec.plan.title[1:]}")
    flow.y += 14
    _centred_bold(flow, spec.issuer.authority, 13.0)
    flow.y += 6
    unit = spec.issuer.short
    for text in (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;",
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình tổng thể cải cách "
        "hành chính nhà nước giai đoạn 2021-2030;",
        "Theo đề nghị của Giám đốc Sở Nội vụ.",
    ):
        flow.paragraph(text, "I")
    _centred_bold(flow, f"{dec.word}:", 13.0)
    flow.y += 4
    kind = "Nghị quyết" if dec.word == "NGHỊ QUYẾT" else "Quyết định"
    for text in (
        f"Điều 1. Ban hành kèm theo {kind} này Kế hoạch {spec.plan.title[0].lower()}{spec.plan.title[1:]}.",
        f"Điều 2. {kind} này có hiệu lực kể từ ngày ký.",
        f"Điều 3. Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị thuộc {unit} chịu trách nhiệm thi hành "
        f"{kind} này./.",
    ):
        flow.paragraph(text)
    _signature(flow, spec)


def _signature(flow: _Flow, spec: VarietySpec) -> None:
    p = spec.plan
    flow.ensure(max((1 + len(p.recipients)) * 13.5, (len(p.signer_lines) + 1) * 17 + 70) + 20)
    top = flow.y + 16
    y = top
    flow.w.draw(LEFT, y, "Nơi nhận:", "BI", 12)
    for r in p.recipients:
        y += 13.5
        flow.w.draw(LEFT, y, r, "R", 11)
    cx = LEFT + flow.width * 0.74
    sy = top
    for line in p.signer_lines:
        flow.w.draw(cx, sy, line, "B", 13, align="center")
        sy += 17
    sy += 70
    flow.w.draw(cx, sy, p.signer_name, "B", 13, align="center")
    flow.y = max(sy, y) + 10


def _plan_pages(flow: _Flow, spec: VarietySpec) -> None:
    p = spec.plan
    numbered = spec.decision is None
    _letterhead(flow, spec, p.doc_number if numbered else None, _date_line(spec, p.issue_date) if numbered else None)
    flow.y += 10
    _centred_bold(flow, p.doc_kind_title)
    _centred_bold(flow, p.title)
    if not numbered:
        dec = spec.decision
        kind = "Nghị quyết" if dec.word == "NGHỊ QUYẾT" else "Quyết định"
        flow.y += 2
        flow.paragraph(f"(Ban hành kèm theo {kind} số {dec.number} ngày {dec.date.day:02d} tháng "
                       f"{dec.date.month:02d} năm {dec.date.year} của {spec.issuer.short})", "I", False,
                       center=True)
    flow.y += 9
    cx = LEFT + flow.width / 2
    flow.w.hline(cx - 15 * MM, cx + 15 * MM, flow.y, 0.6)
    flow.y += 8
    for b in p.blocks:
        style, justify, gap = _BLOCK_STYLE[b.kind]
        flow.paragraph(f"- {b.text}" if b.kind == "bullet" else b.text, style, justify, gap)
    _signature(flow, spec)


def _appendix(w: PageWriter, spec: VarietySpec, page: tuple[float, float]) -> None:
    size = landscape(page) if spec.variation.table_landscape else page
    left, right, top, bottom = 20 * MM, 15 * MM, 15 * MM, 15 * MM
    width = size[0] - left - right
    cols = spec.columns
    style = TableStyle(col_widths=[width * s / sum(cols.shares) for s in cols.shares],
                       center_cols=frozenset({0}), bottom=size[1] - bottom,
                       repeat_header=spec.variation.header_repeat, header_groups=cols.groups,
                       number_row=spec.variation.number_row)
    rows: list[list[str]] = []
    for k, sec in enumerate(spec.plan.appendix_sections, 1):
        tasks = [t for t in spec.plan.tasks if t.area == sec.area]
        if tasks:
            if k != spec.variation.lost_section:
                rows.extend(_section_row(spec.variation.sections, k, sec.label, sec.title))
            rows.extend(cols.cells(t) for t in tasks)
    w.new_page(size)
    y = top
    for text, style_name, fsize in (("Phụ lục", "B", 13), (spec.plan.appendix_title, "B", 13),
                                    (spec.plan.appendix_note, "I", 12)):
        for line in wrap(text, w.fonts[style_name], fsize, width):
            y += fsize + 5
            w.draw(size[0] / 2, y, line, style_name, fsize, align="center")
    y += 12

    def new_page() -> float:
        w.new_page(size)
        return top

    draw_table(w, list(cols.headers), rows, left, y, style, new_page)


def _section_row(kind: str, number: int, roman: str, title: str) -> list[list[str]]:
    """The row that opens an area's tasks, in the variation's wording (none for `none`)."""
    sentence = title[:1] + title[1:].lower()
    return {
        "roman": [[roman, title]],
        "roman_full": [[f"{roman}. {title}"]],
        "arabic": [[f"{number}. {sentence}"]],
        "nhiem_vu": [[f"Nhiệm vụ {number}: {sentence}"]],
        "none": [],
    }[kind]


def layout_variety(spec: VarietySpec, path: Path) -> None:
    """Draw the whole case into `path` (text layer; deterministic)."""
    check_spec(spec.plan)
    page = LETTER if spec.variation.page == "letter" else A4
    w = PageWriter(Path(path), register_fonts(), title=spec.name)
    flow = _Flow(w, page, spec.variation.font)
    if spec.variation.mode == "decision_then_plan":
        flow.new_page()
        _decision_pages(flow, spec)
        flow = _Flow(w, page, spec.variation.font)
    flow.new_page()
    _plan_pages(flow, spec)
    _appendix(w, spec, page)
    w.save()
