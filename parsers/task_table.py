"""Task rows from a table grid (`schema.document.Table`): PDF text layers, OCR'd grids, tab-separated dumps.

Reads row by row with a little state, the way a person reads the appendix:
- header rows (and their repeats at each page top) give column roles;
- a row whose only text is a heading is a section: it changes the current
  area when it names one (Roman numbering, or Arabic when it starts with the
  area name), otherwise it is a sub-heading and is skipped;
- a row without its own label that starts in lower case, or that opens a new
  page and has no deadline, continues the row before it (a cell split by a
  page break);
- every other row with task text is one task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.agencies import complete_cut_name
from parsers.task_columns import assign_roles, header_score
from parsers.task_sections import area_of_heading, is_roman
from parsers.text import fold
from schema.document import Table

_TAGS = re.compile(r"</p>\s*<p>|<br\s*/?>")
_ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_OCR_ROMAN = re.compile(r"^\s*(?=[IVXLHl1|vxhn]*[VXHvxh])[IVXLHl1|ivxlhn]{1,4}\.?\s*$")
"""Roman section numbers as OCR reads them ("HI" for III, "H" for II, "vn" for VII)."""
_LABEL = re.compile(r"^(?:[IVXL]+|\d+(?:\.\d+)*|[a-zđ])[.)]?$")


def _unread_section_number(label_text: str, cells: list[str], text_cols: list[int]) -> bool:
    """A short word in the number column beside a lone capitalised area heading is a section number OCR misread.

    Bold Roman numerals come back as words ("II" as "lỗi" or "ll"), which no
    Roman pattern can list; the row's shape — one heading in capitals that
    names an area, nothing else — is what marks it as a section.
    """
    if not label_text or len(label_text) > 4 or " " in label_text.strip():
        return False
    others = [cells[c] for c in text_cols if c < len(cells) and cells[c]]
    return len(others) == 1 and others[0].isupper() and area_of_heading(others[0]) is not None


@dataclass
class RawTask:
    """One task as read, before agencies and deadlines are normalised."""

    area: str | None
    row_label: str
    content: str
    output: str | None
    lead_text: str
    partner_text: str
    deadline_text: str
    page: int | None
    scrambled: bool = False
    """Read from unstructured OCR text: only gazetteer-known agencies are trusted."""
    lines: list[str] | None = None
    """The OCR lines the row was read from (unrestored when available), when it came from plain text."""
    interleaved: bool = False
    """Its cells were read from lines that mix several columns ("… | Phòng Nội | Các cơ quan, | Tháng")."""


def clean_cell(text: str | None, bullets: bool = True) -> str:
    """Cell text as one line: HTML remnants dropped, paragraphs (and bullets) joined with "; ".

    Agency and deadline cells pass `bullets=False`: there " - " is part of a
    name ("Phòng Văn hóa - Xã hội") or of the wording, not a list.
    """
    if not text:
        return ""
    text = _TAGS.sub("\n\n", text)
    text = _ANY_TAG.sub(" ", text)
    text = re.sub(r" {2,}", "\n\n", text)
    parts: list[str] = []
    pattern = r"\n\s*(?=[-–•+]\s)|(?:^|\s)[-–•+]\s+(?=[A-ZĐÀ-Ỹ])|\n{2,}" if bullets else r"\n{2,}"
    for chunk in re.split(pattern, text):
        chunk = re.sub(r"\s+", " ", chunk).strip(" ;-–•+")
        if chunk and chunk not in parts:
            parts.append(chunk)
    return "; ".join(parts)


def normalise_label(text: str) -> str:
    """"1." → "1", "<b>II</b>" → "II", "1.2." → "1.2"; anything that is not a label → ""."""
    label = re.sub(r"\s+", "", _ANY_TAG.sub("", text or "")).rstrip(".),;:")
    return label if _LABEL.match(label + ".") or _LABEL.match(label) else ""


def _get(row: list[str], roles: dict[str, int], role: str) -> str:
    col = roles.get(role)
    return row[col] if col is not None and col < len(row) else ""


def find_header(grid: list[list[str]], header_rows: int) -> tuple[int, dict[str, int]]:
    """(index of the first body row, column roles) — header rows may be 1-3 rows, texts joined per column."""
    best_end, best_roles = 0, {}
    for start in range(min(len(grid), 6)):
        if header_score(grid[start]) < 2:
            continue
        end = start + 1
        while end < len(grid) and end < start + 3 and _continues_header(grid[end]):
            end += 1
        joined = [" ".join(grid[r][c] for r in range(start, end)) for c in range(len(grid[start]))]
        roles = assign_roles(joined)
        if len(roles) > len(best_roles):
            best_end, best_roles = end, roles
        break
    if not best_roles and header_rows and grid:
        joined = [" ".join(grid[r][c] for r in range(min(header_rows, len(grid)))) for c in range(len(grid[0]))]
        best_end, best_roles = min(header_rows, len(grid)), assign_roles(joined)
    return best_end, best_roles


def _continues_header(row: list[str]) -> bool:
    """A second header row names columns too, and is neither a numbered row nor an area section."""
    if header_score(row) < 1 or _has_label(row) or _OCR_ROMAN.match(row[0] if row else ""):
        return False
    return not any(area_of_heading(c) for c in row if c)


def _has_label(row: list[str]) -> bool:
    return bool(row) and bool(normalise_label(row[0]))


def tasks_from_grid(
    grid: list[list[str]],
    roles: dict[str, int],
    start: int,
    row_pages: list[int] | None = None,
    area: str | None = None,
    default_page: int | None = None,
    tasks: list[RawTask] | None = None,
    page_break: bool = False,
) -> tuple[list[RawTask], str | None]:
    """Read body rows `grid[start:]`; returns the tasks and the area in force at the end.

    `tasks` (appended to in place) lets a table that the OCR stage could not
    stitch to the previous page's table continue its last row; pass
    `page_break=True` for such a follow-on table.
    """
    tasks = [] if tasks is None else tasks
    label_col = roles.get("label", -1)  # -1: the table has no number column
    text_cols = [c for r, c in roles.items() if r not in ("label", "other")]
    prev_page = row_pages[start - 1] if row_pages and 0 < start <= len(row_pages) else None
    for r in range(start, len(grid)):
        row = grid[r]
        page = row_pages[r] if row_pages and r < len(row_pages) else default_page
        if prev_page is not None and page != prev_page:
            page_break = True
        prev_page = page
        if header_score(row) >= 3:
            page_break = True
            continue
        cells = [clean_cell(c) for c in row]
        if not any(cells):
            continue
        has_label = 0 <= label_col < len(cells)
        label = normalise_label(cells[label_col]) if has_label else ""
        raw_label_text = cells[label_col] if has_label and not label else ""
        if _OCR_ROMAN.match(raw_label_text) or _unread_section_number(raw_label_text, cells, text_cols):
            label, raw_label_text = raw_label_text.strip(), ""
        content = clean_cell(_get(row, roles, "content"))
        objective = clean_cell(_get(row, roles, "objective"))
        output = clean_cell(_get(row, roles, "output"))
        lead = clean_cell(_get(row, roles, "lead"), bullets=False)
        partner = clean_cell(_get(row, roles, "partner"), bullets=False)
        deadline = clean_cell(_get(row, roles, "deadline"), bullets=False)
        filled = [cells[c] for c in text_cols if c < len(cells) and cells[c]]
        if raw_label_text:
            filled.insert(0, raw_label_text)
        starts_lower = bool(content) and content[:1].islower()
        heading_like = len(filled) <= 1 and area_of_heading(content) is not None
        continues = starts_lower or (page_break and not deadline and not heading_like)
        if tasks and not label and content and continues:
            prev = tasks[-1]
            prev.content = _join(prev.content, content, starts_lower)
            prev.output = _join(prev.output or "", output, False) or None
            prev.lead_text = _join(prev.lead_text, lead, False, sep="; ")
            prev.partner_text = _join(prev.partner_text, partner, False, sep="; ")
            prev.deadline_text = _join(prev.deadline_text, deadline, False)
            page_break = False
            continue
        if len(filled) <= 1 and not (lead or partner or deadline or output):
            heading = filled[0] if filled else ""
            roman = is_roman(label) or bool(_OCR_ROMAN.match(label)) or (not label and bool(heading))
            lower = heading[:1].islower()
            found = area_of_heading(heading, strict=not roman) if heading and not lower else None
            if found is not None:
                area = found
            elif label and "." in label and tasks and not tasks[-1].row_label and not content:
                tasks[-1].row_label = label
            elif heading and tasks and not label and page_break and not content:
                pass  # objective text continued over a page break
            page_break = False
            continue
        if page_break and tasks and not label:
            # a lead/partner cell cut by the page break after its head word ("…; Văn phòng"):
            # the name's rest stands in the same column of the first row on the new page
            for attr, cell in (("lead_text", lead), ("partner_text", partner)):
                moved = complete_cut_name(getattr(tasks[-1], attr), cell)
                if moved:
                    setattr(tasks[-1], attr, moved[0])
                    lead, partner = (moved[1], partner) if attr == "lead_text" else (lead, moved[1])
        page_break = False
        if not (content or output or lead):
            continue
        tasks.append(
            RawTask(
                area=area,
                row_label=label,
                content=content or (objective if not output else ""),
                output=output or None,
                lead_text=lead,
                partner_text=partner,
                deadline_text=deadline,
                page=page,
            )
        )
    return tasks, area


def _join(a: str, b: str, tight: bool, sep: str = " ") -> str:
    """Append a continued cell: a lower-case continuation joins with a space, a new item with `sep`."""
    if not b:
        return a
    if not a:
        return b
    return f"{a} {b}" if tight or sep == " " else f"{a}{sep}{b}"


def tasks_from_table(table: Table, area: str | None = None) -> tuple[list[RawTask], str | None]:
    """All tasks of one (possibly stitched) table; `area` is the area in force before it."""
    return TableSequenceReader().read(table, area)


class TableSequenceReader:
    """Reads a document's tables in order, carrying area, column roles and the last row across them.

    A table without a recognisable header but with the same number of columns
    as the previous task table is its continuation on a new page (when the OCR
    stage could not stitch the two), so it is read with the previous roles.
    """

    def __init__(self) -> None:
        self.tasks: list[RawTask] = []
        self._roles: dict[str, int] | None = None
        self._n_cols = 0

    def read(self, table: Table, area: str | None) -> tuple[list[RawTask], str | None]:
        grid = table.grid()
        start, roles = find_header(grid, table.header_rows)
        is_tasks = "content" in roles and ("lead" in roles or "deadline" in roles)
        if not is_tasks:
            if self._roles is None or table.n_cols != self._n_cols:
                return self.tasks, area
            start, roles = 0, self._roles
        follow_on = bool(self.tasks)
        self._roles, self._n_cols = roles, table.n_cols
        _, area = tasks_from_grid(
            grid, roles, start, table.row_pages or None, area, table.page, tasks=self.tasks, page_break=follow_on
        )
        return self.tasks, area


def folded_has_task_header(text: str) -> bool:
    """Whether a line reads like a task table header (several column names on one line)."""
    folded = fold(text)
    hits = sum(kw in folded for kw in ("chu tri", "phoi hop", "thoi gian", "noi dung", "nhiem vu", "ket qua"))
    return hits >= 3
