"""The report's charts as inline SVG (matplotlib): no script, no network, nothing to load.

SVG text stays text (`svg.fonttype = none`), so Vietnamese names render with the browser's fonts
and the charts are searchable. Each function returns one `<svg>` element as a string.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

plt.rcParams.update({"svg.fonttype": "none", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False})

AREA_LABELS = {
    "the_che": "Thể chế",
    "thu_tuc_hanh_chinh": "Thủ tục hành chính",
    "to_chuc_bo_may": "Tổ chức bộ máy",
    "che_do_cong_vu": "Chế độ công vụ",
    "tai_chinh_cong": "Tài chính công",
    "chinh_quyen_so": "Chính quyền số",
    "chi_dao_dieu_hanh": "Chỉ đạo điều hành",
    "(general)": "(chung)",
}

COMMON_METRICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Dịch vụ công trực tuyến", ("truc tuyen",)),
    ("Giải quyết đúng hạn", ("dung han", "dung thoi han")),
    ("Mức độ hài lòng", ("hai long",)),
    ("Số hóa hồ sơ", ("so hoa",)),
    ("Thanh toán trực tuyến", ("thanh toan",)),
)
"""Metric groups compared across localities: folded keywords a metric must contain."""


def metric_group(folded_metric: str) -> str | None:
    """The common metric a (folded) target metric belongs to; payment beats 'online' when both occur."""
    if "thanh toan" in folded_metric:
        return "Thanh toán trực tuyến"
    for name, words in COMMON_METRICS:
        if any(w in folded_metric for w in words):
            return name
    return None


def _svg(fig: plt.Figure, title: str) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg") :]
    # a title for screen readers and for the browser test to name the chart
    return re.sub(r"(<svg[^>]*>)", lambda m: f'{m.group(1)}<title>{title}</title>', svg, count=1)


def _empty(fig: plt.Figure, ax: plt.Axes, title: str) -> str:
    ax.text(0.5, 0.5, "no data", ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return _svg(fig, title)


def targets_by_area(rows: list[tuple[str, str, int]]) -> str:
    """Stacked bars: targets per area, one colour per admin level. rows: (area, level, count)."""
    title = "Targets by area"
    fig, ax = plt.subplots(figsize=(7, 3.2))
    if not rows:
        return _empty(fig, ax, title)
    areas = sorted({a for a, _, _ in rows}, key=lambda a: AREA_LABELS.get(a, a))
    levels = sorted({lvl for _, lvl, _ in rows})
    bottom = [0] * len(areas)
    for lvl in levels:
        counts = [sum(n for a, lv, n in rows if a == area and lv == lvl) for area in areas]
        ax.barh([AREA_LABELS.get(a, a) for a in areas], counts, left=bottom, label=lvl or "?")
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    ax.set_xlabel("targets")
    ax.legend(title="level", fontsize=8)
    ax.invert_yaxis()
    return _svg(fig, title)


def metric_distribution(rows: list[tuple[str, str, float]]) -> str:
    """Dots: each locality's target values for the common metrics. rows: (group, locality, value)."""
    title = "Target values of common metrics"
    fig, ax = plt.subplots(figsize=(7, 3.2))
    if not rows:
        return _empty(fig, ax, title)
    groups = [g for g, _ in COMMON_METRICS if any(r[0] == g for r in rows)]
    by_loc: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for g, loc, v in rows:
        by_loc[loc or "?"].append((groups.index(g), v))
    n = max(1, len(by_loc))
    for i, (loc, pts) in enumerate(sorted(by_loc.items())):
        offset = (i - (n - 1) / 2) * 0.12
        ax.scatter([x + offset for x, _ in pts], [v for _, v in pts], label=loc, s=22, alpha=0.8)
    ax.set_xticks(range(len(groups)), groups, rotation=15, ha="right")
    ax.set_ylabel("target (%)")
    ax.legend(title="locality", fontsize=7, loc="lower left")
    return _svg(fig, title)


def agency_load(rows: list[tuple[str, int]], top: int = 15) -> str:
    """Horizontal bars: tasks led per agency, the busiest first. rows: (agency, tasks)."""
    title = "Task load per lead agency"
    rows = rows[:top]
    fig, ax = plt.subplots(figsize=(7, max(2.0, 0.28 * len(rows) + 0.8)))
    if not rows:
        return _empty(fig, ax, title)
    ax.barh([a[:45] for a, _ in rows], [n for _, n in rows], color="#4c72b0")
    ax.invert_yaxis()
    ax.set_xlabel("tasks led")
    return _svg(fig, title)


def deadlines_by_quarter(rows: list[tuple[str, int]]) -> str:
    """Bars: dated tasks due per quarter. rows: (YYYY-Qn, count) in order."""
    title = "Deadlines by quarter"
    fig, ax = plt.subplots(figsize=(7, 2.8))
    if not rows:
        return _empty(fig, ax, title)
    ax.bar([q for q, _ in rows], [n for _, n in rows], color="#dd8452")
    ax.set_ylabel("tasks due")
    ax.tick_params(axis="x", rotation=45)
    return _svg(fig, title)
