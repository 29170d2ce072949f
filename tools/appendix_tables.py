"""Appendix task tables in many layouts, typeset from labelled rows, with the gold they must give back.

A variant is a column set (which roles, in which order, under which header
wording), a page orientation, a font size and the section-title wording; the
content is a list of labelled task rows (a seed's gold rows). The same rows can
be typeset as a 7-column landscape table with an objective column, a 6-column
one in another order, a 5-column portrait one with merged "Chủ trì/phối hợp"
... Tables run over many pages, so every page repeats the header and rows
split at page breaks (`tools.pdfgen.pdf_table.draw_table`).

Used by `bench.tasks_bench` (task rows F1, lead agency and deadline accuracy per
source: text layer, 300 dpi and 200 dpi scans) and by the task-table tests.
The DEV variants are the ones tuned on; HELD_OUT ones use other content (other
seeds' rows) and other column orders and are only ever measured.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tools.pdfgen.pdf_canvas import LANDSCAPE, MM, PORTRAIT, PageWriter, register_fonts
from tools.pdfgen.pdf_table import TableResult, TableStyle, draw_table

GOLD_DIR = Path(__file__).resolve().parent.parent / "tests" / "gold"

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

SECTION_TITLES: dict[str, tuple[str, str]] = {
    # area -> (official wording, a shorter variant)
    "the_che": ("CẢI CÁCH THỂ CHẾ", "Cải cách thể chế"),
    "thu_tuc_hanh_chinh": ("CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "Cải cách thủ tục hành chính"),
    "to_chuc_bo_may": ("CẢI CÁCH TỔ CHỨC BỘ MÁY HÀNH CHÍNH NHÀ NƯỚC", "Cải cách tổ chức bộ máy"),
    "che_do_cong_vu": ("CẢI CÁCH CHẾ ĐỘ CÔNG VỤ", "Cải cách chế độ công vụ"),
    "tai_chinh_cong": ("CẢI CÁCH TÀI CHÍNH CÔNG", "Cải cách tài chính công"),
    "chinh_quyen_so": ("XÂY DỰNG VÀ PHÁT TRIỂN CHÍNH QUYỀN ĐIỆN TỬ, CHÍNH QUYỀN SỐ",
                       "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số"),
    "chi_dao_dieu_hanh": ("CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH", "Công tác chỉ đạo, điều hành"),
}

OBJECTIVE = ("Nâng cao chất lượng, hiệu quả công tác {title}, đáp ứng yêu cầu phát triển kinh tế - xã hội "
             "của địa phương")


@dataclass(frozen=True)
class Variant:
    """One table layout: roles in column order, their header wording and width shares."""

    name: str
    content: str  # gold file stem the rows come from
    roles: tuple[str, ...]  # label objective content output lead partner lead_partner deadline note
    headers: tuple[str, ...]
    shares: tuple[float, ...]
    landscape: bool = True
    size: float = 12.0
    short_titles: bool = False
    merge_objective: bool = False
    """The objective cell spans its section's rows (no rules under it), as Word tables print it."""
    held_out: bool = False


SEED1 = "001_0dfc435017dae436"
SEED0 = "000_8a3462fcf3bb5988"
SEED3 = "003_9bfe1781afd0dd40"

VARIANTS: tuple[Variant, ...] = (
    Variant("seed001_7col", SEED1,
            ("label", "objective", "content", "output", "lead", "partner", "deadline"),
            ("STT", "Mục tiêu", "Nhiệm vụ", "Kết quả/Sản phẩm", "Chủ trì", "Phối hợp", "Thời gian hoàn thành"),
            (0.05, 0.15, 0.27, 0.15, 0.13, 0.14, 0.11), size=13.0, merge_objective=True),
    Variant("seed001_6col", SEED1,
            ("label", "content", "lead", "partner", "deadline", "output"),
            ("TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Sản phẩm"),
            (0.055, 0.33, 0.15, 0.175, 0.12, 0.17)),
    Variant("seed001_5col_portrait", SEED1,
            ("label", "content", "lead_partner", "deadline", "output"),
            ("STT", "Nội dung", "Cơ quan chủ trì/phối hợp", "Thời gian thực hiện", "Sản phẩm"),
            (0.07, 0.37, 0.22, 0.16, 0.18), landscape=False, size=11.0, short_titles=True),
    Variant("seed001_7col_portrait", SEED1,
            ("label", "content", "objective", "lead", "partner", "deadline", "output"),
            ("STT", "Nội dung", "Mục tiêu", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành",
             "Sản phẩm"),
            (0.06, 0.26, 0.14, 0.14, 0.14, 0.12, 0.14), landscape=False, size=13.0),
    # held out: other seeds' rows, other orders and wordings; never tuned on
    Variant("seed000_6col_portrait", SEED0,
            ("label", "content", "deadline", "lead", "partner", "output"),
            ("STT", "Nội dung công việc", "Thời gian hoàn thành", "Cơ quan chủ trì", "Cơ quan phối hợp",
             "Sản phẩm"),
            (0.07, 0.33, 0.13, 0.16, 0.16, 0.15), landscape=False, size=11.0, held_out=True),
    Variant("seed003_8col", SEED3,
            ("label", "objective", "content", "lead", "partner", "deadline", "output", "note"),
            ("TT", "Mục tiêu", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Tiến độ",
             "Kết quả dự kiến", "Ghi chú"),
            (0.045, 0.14, 0.24, 0.12, 0.13, 0.1, 0.14, 0.085), merge_objective=True, held_out=True),
    Variant("seed000_5col_merged", SEED0,
            ("label", "content", "output", "lead_partner", "deadline"),
            ("Số TT", "Nhiệm vụ, giải pháp", "Hình thức sản phẩm", "Chủ trì/phối hợp", "Thời gian thực hiện"),
            (0.06, 0.4, 0.17, 0.22, 0.15), short_titles=True, held_out=True),
)


def variant(name: str) -> Variant:
    return next(v for v in VARIANTS if v.name == name)


def gold_rows(stem: str) -> list[dict]:
    """The labelled task rows of a seed (tests/gold), with labels filled where the gold leaves them out.

    A row without a label in the gold gets the next number of its section (1, 2, 3 ...),
    printed and expected alike.
    """
    rows = json.loads((GOLD_DIR / f"{stem}.json").read_text(encoding="utf-8"))["tasks"]["rows"]
    if all("row_label" in r for r in rows):
        return [dict(r) for r in rows]
    out, area, n = [], None, 0
    for r in rows:
        n = 1 if r["area"] != area else n + 1
        area = r["area"]
        out.append({**r, "row_label": str(n)})
    return out


def _cell(role: str, row: dict, first_in_section: bool, title: str) -> str:
    if role == "label":
        return row.get("row_label") or ""
    if role == "objective":
        return OBJECTIVE.format(title=title.lower()) if first_in_section else ""
    if role == "content":
        return row.get("content") or ""
    if role == "output":
        return row.get("output") or ""
    if role == "lead":
        return "; ".join(row.get("lead_agencies") or [])
    if role == "partner":
        return "; ".join(row.get("partner_agencies") or [])
    if role == "lead_partner":
        lead, partner = "; ".join(row.get("lead_agencies") or []), "; ".join(row.get("partner_agencies") or [])
        return f"Chủ trì: {lead}. Phối hợp: {partner}" if partner else lead
    if role == "deadline":
        return row.get("deadline_text") or ""
    return ""


def table_rows(v: Variant, rows: Sequence[dict], drop_sections: frozenset[int] = frozenset()) -> list[list[str]]:
    """Printed rows: a 2-cell section row ("I", title) before each area's tasks, then task rows.

    `drop_sections` (0-based section numbers) leaves those section rows out, as when OCR loses one.
    """
    out: list[list[str]] = []
    area = None
    k = 0
    for r in rows:
        first = r["area"] != area
        if first:
            area = r["area"]
            official, short = SECTION_TITLES[area]
            if k not in drop_sections:
                out.append([ROMAN[k], short if v.short_titles else official])
            k += 1
        title = SECTION_TITLES[area][1]
        out.append([_cell(role, r, first, title) for role in v.roles])
    return out


def build_variant_pdf(v: Variant, path: Path, limit: int | None = None,
                      drop_sections: frozenset[int] = frozenset()) -> TableResult:
    """Typeset the variant's table (with the appendix title above it on page 1) to `path`.

    `limit` keeps the first rows only (short documents for tests); see `table_rows` for `drop_sections`.
    """
    size = LANDSCAPE if v.landscape else PORTRAIT
    pw, ph = size
    left, right, top, bottom = (20 * MM, 15 * MM, 15 * MM, 15 * MM) if v.landscape else \
        (25 * MM, 15 * MM, 20 * MM, 20 * MM)
    width = pw - left - right
    widths = [width * s / sum(v.shares) for s in v.shares]
    centre = {i for i, r in enumerate(v.roles) if r in ("label", "deadline")}
    merge = frozenset(i for i, r in enumerate(v.roles) if r == "objective" and v.merge_objective)
    style = TableStyle(col_widths=widths, size=v.size, leading=v.size + 2, header_size=v.size,
                       center_cols=frozenset(centre), bottom=ph - bottom, merge_down=merge)
    w = PageWriter(Path(path), register_fonts(), title=v.name)
    w.new_page(size)
    y = top
    for text, style_name, fsize in (("Phụ lục", "B", 13), ("NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2024", "B", 13),
                                    ("(Kèm theo Kế hoạch của Ủy ban nhân dân)", "I", 12)):
        y += fsize + 5
        w.draw(pw / 2, y, text, style_name, fsize, align="center")
    y += 12

    def new_page() -> float:
        w.new_page(size)
        return top

    rows = table_rows(v, gold_rows(v.content)[:limit], drop_sections)
    result = draw_table(w, v.headers, rows, left, y, style, new_page)
    w.save()
    return result


def gold_document(v: Variant, source: str, limit: int | None = None) -> dict:
    """The gold file (CONTRACT.md format, tasks only) for the variant's PDF named `source`."""
    rows = []
    for r in gold_rows(v.content)[:limit]:
        g = {k: r[k] for k in ("area", "row_label", "content", "lead_agencies", "deadline_text") if k in r}
        if "output" in v.roles and r.get("output"):
            g["output"] = r["output"]
        rows.append(g)
    return {"source": source, "tasks": {"count": len(rows), "rows": rows}}
