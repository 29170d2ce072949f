"""Appendix column sets of the layout-variety generator: which columns, in which order, with which headers.

Plans print their task table in many shapes: an objective column before the
task, "Đơn vị" or "Cơ quan" for the agency columns, a merged "Chủ trì/phối
hợp" column, the deadline before the agencies, budget and note columns at
the end or in between, 5 to 8 columns, and two-level headers ("Cơ quan thực
hiện" merged over "Chủ trì | Phối hợp", "Thời gian" over "Bắt đầu | Hoàn
thành"). Each `ColumnSet` names, per column, the header as
printed and which task field fills it; `cells(task)` gives a row's cells and
`has_output` says whether the gold may state the output.
"""

from __future__ import annotations

from dataclasses import dataclass

from tools.pdfgen.plan_spec import TaskSpec

# What an objective cell says, by area (the "Mục tiêu" column of the official 7-column layout).
OBJECTIVES = {
    "the_che": "Nâng cao chất lượng xây dựng, ban hành văn bản quy phạm pháp luật",
    "thu_tuc_hanh_chinh": "Cắt giảm, đơn giản hóa thủ tục hành chính; nâng cao chất lượng phục vụ",
    "to_chuc_bo_may": "Tinh gọn tổ chức bộ máy, hoạt động hiệu lực, hiệu quả",
    "che_do_cong_vu": "Xây dựng đội ngũ cán bộ, công chức chuyên nghiệp",
    "tai_chinh_cong": "Quản lý, sử dụng hiệu quả tài chính công",
    "chinh_quyen_so": "Phát triển chính quyền điện tử, chính quyền số",
    "chi_dao_dieu_hanh": "Nâng cao hiệu quả chỉ đạo, điều hành công tác cải cách hành chính",
}


@dataclass(frozen=True)
class ColumnSet:
    """Headers and fields of one table shape; `shares` are the columns' fractions of the table width."""

    key: str
    headers: tuple[str, ...]
    fields: tuple[str, ...]  # label, objective, content, output, lead, partner, lead_partner, deadline, start,
    # budget, funding, note
    shares: tuple[float, ...]
    groups: tuple[tuple[str, int, int], ...] = ()
    """Two-level header: (title, first column, last column) merged over those columns' titles."""

    @property
    def has_output(self) -> bool:
        return "output" in self.fields

    def cells(self, task: TaskSpec) -> list[str]:
        """The row's cells in this column order."""
        values = {
            "label": task.row_label,
            "objective": OBJECTIVES.get(task.area, ""),
            "content": task.content,
            "output": task.output or "",
            "lead": "; ".join(task.lead),
            "partner": "; ".join(task.partner),
            "lead_partner": f"Chủ trì: {'; '.join(task.lead)}. Phối hợp: {'; '.join(task.partner)}"
            if task.partner else f"Chủ trì: {'; '.join(task.lead)}",
            "deadline": task.deadline,
            "budget": "Ngân sách nhà nước",
            "funding": "Ngân sách tỉnh" if len(task.content) % 2 else "Nguồn chi thường xuyên",
            "start": "Tháng 01",
            "note": "" if len(task.content) % 3 else "Báo cáo kết quả về Sở Nội vụ",
        }
        return [values[f] for f in self.fields]


COLUMN_SETS: dict[str, ColumnSet] = {
    c.key: c
    for c in (
        ColumnSet("official7",
                  ("STT", "Mục tiêu", "Nhiệm vụ", "Kết quả/Sản phẩm", "Chủ trì", "Phối hợp", "Thời gian hoàn thành"),
                  ("label", "objective", "content", "output", "lead", "partner", "deadline"),
                  (0.05, 0.16, 0.27, 0.14, 0.13, 0.14, 0.11)),
        ColumnSet("content6",
                  ("TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Sản phẩm"),
                  ("label", "content", "lead", "partner", "deadline", "output"),
                  (0.055, 0.34, 0.15, 0.175, 0.11, 0.17)),
        ColumnSet("shipped6",
                  ("TT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành",
                   "Sản phẩm"),
                  ("label", "content", "lead", "partner", "deadline", "output"),
                  (0.055, 0.33, 0.15, 0.175, 0.12, 0.17)),
        ColumnSet("merged5",
                  ("STT", "Nội dung", "Cơ quan chủ trì/phối hợp", "Thời gian thực hiện", "Sản phẩm"),
                  ("label", "content", "lead_partner", "deadline", "output"),
                  (0.06, 0.40, 0.27, 0.12, 0.15)),
        ColumnSet("reordered6",
                  ("STT", "Nội dung công việc", "Thời gian hoàn thành", "Cơ quan chủ trì", "Cơ quan phối hợp",
                   "Kết quả"),
                  ("label", "content", "deadline", "lead", "partner", "output"),
                  (0.06, 0.34, 0.12, 0.15, 0.18, 0.15)),
        ColumnSet("wide8",
                  ("STT", "Nhiệm vụ", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành",
                   "Kinh phí", "Ghi chú"),
                  ("label", "content", "output", "lead", "partner", "deadline", "budget", "note"),
                  (0.05, 0.28, 0.13, 0.13, 0.15, 0.10, 0.10, 0.06)),
        ColumnSet("twolevel7",
                  ("STT", "Nội dung nhiệm vụ", "Chủ trì", "Phối hợp", "Bắt đầu", "Hoàn thành", "Sản phẩm"),
                  ("label", "content", "lead", "partner", "start", "deadline", "output"),
                  (0.05, 0.31, 0.14, 0.16, 0.09, 0.10, 0.15),
                  (("Cơ quan thực hiện", 2, 3), ("Thời gian", 4, 5))),
        ColumnSet("twolevel_note8",
                  ("TT", "Nhiệm vụ", "Kết quả/Sản phẩm", "Chủ trì", "Phối hợp", "Thời gian hoàn thành",
                   "Nguồn kinh phí", "Ghi chú"),
                  ("label", "content", "output", "lead", "partner", "deadline", "funding", "note"),
                  (0.05, 0.27, 0.13, 0.13, 0.14, 0.10, 0.09, 0.09),
                  (("Cơ quan thực hiện", 3, 4),)),
        ColumnSet("nolabel5",  # no number column: section titles then take the whole row ("I. CẢI CÁCH …")
                  ("Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Tiến độ thực hiện",
                   "Hình thức sản phẩm"),
                  ("content", "lead", "partner", "deadline", "output"),
                  (0.40, 0.15, 0.18, 0.12, 0.15)),
        ColumnSet("funding7",
                  ("TT", "Nội dung", "Nguồn kinh phí", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn hoàn thành",
                   "Ghi chú"),
                  ("label", "content", "funding", "lead", "partner", "deadline", "note"),
                  (0.05, 0.33, 0.10, 0.14, 0.16, 0.11, 0.11)),
    )
}
