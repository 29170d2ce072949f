"""Row labels of an appendix table as a sequence: misread labels repaired, missed section rows found.

The labels of one section run 1, 2, 3 … or 1.1, 1.2, 2.1 …; OCR damages single
cells ("143" for 13, "21" for 2.1 with the dot lost, "l" for 1, or nothing at
all), but each label is pinned by its neighbours. A label that does not follow
the one before, while exactly one label would fit between its neighbours, is
that label. A blank label is filled only the same way (a sequence with a hole
of one), so the sub-rows a table prints without a number stay blank.

A section row (full-width "II | CẢI CÁCH THỦ TỤC HÀNH CHÍNH") that OCR lost
would leave every row below in the previous area; a restart of the numbering
(… 5, 6, then 1) without a section row in between is where it was, and the
section gets the area that comes next in the programme's order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from parsers.task_sections import AREA_ORDER, area_of_rows, next_area

_NUMERIC = re.compile(r"^\d+(?:\.\d+)*$")
_DIGITISH = re.compile(r"^[\d.,lI|!]*\d[\d.,lI|!]*$|^[lI|!]$")
"""A label OCR may have made of digits: digits and dots, or a lone 1 look-alike ("l", "|")."""


class Labelled(Protocol):
    area: str | None
    row_label: str
    section: int


def _parts(label: str) -> tuple[int, ...] | None:
    return tuple(int(p) for p in label.split(".")) if _NUMERIC.match(label or "") else None


def successors(label: tuple[int, ...]) -> set[tuple[int, ...]]:
    """Labels that may follow `label`: the next at its depth, its first child, or the next at a shallower depth
    (then at the same depth again: 1.9 → 2.1)."""
    out = {label[:-1] + (label[-1] + 1,), label + (1,)}
    for depth in range(1, len(label)):
        up = label[: depth - 1] + (label[depth - 1] + 1,)
        out.add(up)
        out.add(up + (1,) * (len(label) - depth))
    return out


def _follows(prev: tuple[int, ...] | None, label: tuple[int, ...]) -> bool:
    if prev is None:
        return all(p == 1 for p in label)
    return label in successors(prev)


def _fit(prev: tuple[int, ...] | None, nxt: tuple[int, ...] | None) -> set[tuple[int, ...]]:
    """Labels that would follow `prev` (a section's first label when None) and be followed by `nxt`."""
    first = {(1,), (1, 1)}
    candidates = successors(prev) if prev is not None else first
    depths = {len(x) for x in (prev, nxt) if x is not None}
    return {c for c in candidates if (nxt is None or nxt in successors(c)) and (not depths or len(c) in depths)}


def _closest(text: str, candidates: set[tuple[int, ...]]) -> tuple[int, ...] | None:
    """The candidate whose digits the misread label shares most of ("21" → 2.1, "143" → 13)."""
    digits = re.sub(r"\D", "", re.sub(r"[lI|!]", "1", text))
    if len(candidates) == 1:
        return next(iter(candidates))
    scored = sorted(candidates, key=lambda c: -_common("".join(map(str, c)), digits))
    best = scored[0]
    if _common("".join(map(str, best)), digits) > _common("".join(map(str, scored[1])), digits):
        return best
    return None


def _common(a: str, b: str) -> int:
    """Length of the longest common subsequence of two digit strings."""
    row = [0] * (len(b) + 1)
    for ch in a:
        prev_diag = 0
        for j, other in enumerate(b, start=1):
            keep = row[j]
            row[j] = prev_diag + 1 if ch == other else max(row[j], row[j - 1])
            prev_diag = keep
    return row[-1]


def repair_labels(tasks: Sequence[Labelled]) -> None:
    """Misread or blank numeric labels set from their neighbours in the same section (in place)."""
    for section in _by_section(tasks):
        labels = [_parts(t.row_label) for t in section]
        for i, task in enumerate(section):
            prev = labels[i - 1] if i > 0 else None
            if i > 0 and prev is None:
                continue  # the row before has no number: nothing pins this one
            nxt = labels[i + 1] if i + 1 < len(section) else None
            if nxt is None and i + 1 < len(section):
                continue
            own = labels[i]
            if own is not None and _follows(prev, own) and (nxt is None or nxt in successors(own)):
                continue
            if own is None and task.row_label and not _DIGITISH.match(task.row_label):
                continue  # "a", "b": another kind of numbering
            if own is None and not task.row_label and (prev is None or nxt is None):
                continue  # a blank label at a section's edge: a sub-row as likely as a lost number
            fit = _fit(prev, nxt)
            pick = _closest(task.row_label, fit) if fit else None
            if pick is not None and (own is not None or not task.row_label or len(fit) == 1):
                labels[i] = pick
                task.row_label = ".".join(map(str, pick))


def split_missed_sections(tasks: Sequence[Labelled]) -> None:
    """Where numbering restarts at 1 inside a section, a section row was lost: the rows from there on are
    that lost section's. Its area is one no section row names (not before it, not after it); among those,
    the one the rows' own words name (`task_sections.area_of_rows`), else the next in the programme's order."""
    groups = _by_section(tasks)
    seen: list[str] = []
    for gi, section in enumerate(groups):
        area = section[0].area
        if area is not None and area not in seen:
            seen.append(area)
        later = {g[0].area for g in groups[gi + 1:] if g[0].area is not None}
        for run in _restarts(section):
            free = [a for a in (*AREA_ORDER, "chi_dao_dieu_hanh") if a not in seen and a not in later]
            moved = free[0] if len(free) == 1 else area_of_rows([getattr(t, "content", "") for t in run], free)
            moved = moved or next_area(seen)
            if moved is None:
                continue
            seen.append(moved)
            for task in run:
                task.area = moved


def _restarts(section: list[Labelled]) -> list[list[Labelled]]:
    """The runs of a section that restart its numbering at 1 (each one a lost section's rows)."""
    runs: list[list[Labelled]] = []
    prev: tuple[int, ...] | None = None
    for task in section:
        parts = _parts(task.row_label)
        if parts is not None and prev is not None and all(p == 1 for p in parts) and parts not in successors(prev):
            runs.append([])
        if runs:
            runs[-1].append(task)
        prev = parts if parts is not None else prev
    return runs


def _by_section(tasks: Sequence[Labelled]) -> list[list[Labelled]]:
    groups: list[list[Labelled]] = []
    for t in tasks:
        if groups and groups[-1][0].section == t.section:
            groups[-1].append(t)
        else:
            groups.append([t])
    return groups
