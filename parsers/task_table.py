"""Task rows from a table grid (`schema.document.Table`): PDF text layers, OCR'd grids, tab-separated dumps.

Reads row by row with a little state (`GridReader`), the way a person reads the appendix:
- header rows give column roles; their repeats at each page top are skipped;
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
from functools import lru_cache

from rapidfuzz import fuzz

from parsers.agencies import complete_cut_name
from parsers.deadlines import parse_deadline
from parsers.task_columns import assign_roles, header_score, role_of_header
from parsers.task_sections import area_of_heading, closest_area, is_roman
from parsers.text import fold
from schema.document import Table

_TAGS = re.compile(r"</p>\s*<p>|<br\s*/?>")
_ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_OCR_ROMAN = re.compile(r"^\s*(?=[IVXLHl1|vxhn]*[VXHvxh])[IVXLHl1|ivxlhn]{1,4}\.?\s*$")
"""Roman section numbers as OCR reads them ("HI" for III, "H" for II, "vn" for VII)."""
_LABEL = re.compile(r"^(?:[IVXL]+|\d+(?:\.\d+)*|[a-zđ])[.)]?$")
_RUN_OF_SPACES = re.compile(r" {2,}")
_SPACES = re.compile(r"\s+")
_PARAGRAPHS = re.compile(r"\n{2,}")
_BULLETS_OR_PARAGRAPHS = re.compile(r"\n\s*(?=[-–•+]\s)|(?:^|\s)[-–•+]\s+(?=[A-ZĐÀ-Ỹ])|\n{2,}")


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
    section: int = 0
    """Which section row (counted through the document) the task sits under: label sequences restart per section."""


def clean_cell(text: str | None, bullets: bool = True) -> str:
    """Cell text as one line: HTML remnants dropped, paragraphs (and bullets) joined with "; ".

    Agency and deadline cells pass `bullets=False`: there " - " is part of a
    name ("Phòng Văn hóa - Xã hội") or of the wording, not a list.
    """
    if not text:
        return ""
    text = _TAGS.sub("\n\n", text)
    text = _ANY_TAG.sub(" ", text)
    text = _RUN_OF_SPACES.sub("\n\n", text)
    parts: list[str] = []
    for chunk in (_BULLETS_OR_PARAGRAPHS if bullets else _PARAGRAPHS).split(text):
        chunk = _SPACES.sub(" ", chunk).strip(" ;-–•+")
        if chunk and chunk not in parts:
            parts.append(chunk)
    return "; ".join(parts)


def normalise_label(text: str) -> str:
    """"1." → "1", "<b>II</b>" → "II", "1.2." → "1.2"; anything that is not a label → ""."""
    label = re.sub(r"\s+", "", _ANY_TAG.sub("", text or "")).rstrip(".),;:")
    label = re.sub(r"(?<=\d)(?:\.{2,}|,)(?=\d)", ".", label)  # OCR's "1..2" / "1,2" for 1.2
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


@dataclass
class RowFields:
    """One body row's cells by role (cleaned), plus what the row-kind decisions need."""

    label: str
    content: str
    objective: str
    output: str
    lead: str
    partner: str
    deadline: str
    filled: list[str]
    """Non-empty text cells (the unreadable label text first, when there is one)."""


def _row_fields(row: list[str], roles: dict[str, int], cells: list[str] | None = None) -> RowFields | None:
    """The row's cells by role; None for an empty row. `cells`: the row's cells already `clean_cell`ed."""
    cells = [clean_cell(c) for c in row] if cells is None else cells
    if not any(cells):
        return None
    label_col = roles.get("label", -1)  # -1: the table has no number column
    text_cols = [c for r, c in roles.items() if r not in ("label", "other")]
    has_label = 0 <= label_col < len(cells)
    label = normalise_label(cells[label_col]) if has_label else ""
    raw_label_text = cells[label_col] if has_label and not label else ""
    if _OCR_ROMAN.match(raw_label_text) or _unread_section_number(raw_label_text, cells, text_cols):
        label, raw_label_text = raw_label_text.strip(), ""
    lead = clean_cell(_get(row, roles, "lead"), bullets=False)
    partner = clean_cell(_get(row, roles, "partner"), bullets=False)
    if "lead_partner" in roles:
        lead, partner = split_lead_partner(clean_cell(_get(row, roles, "lead_partner"), bullets=False))
    filled = [cells[c] for c in text_cols if c < len(cells) and cells[c]]
    if raw_label_text:
        filled.insert(0, raw_label_text)
    return RowFields(
        label=label,
        content=_get(cells, roles, "content"),
        objective=_get(cells, roles, "objective"),
        output=_get(cells, roles, "output"),
        lead=lead,
        partner=partner,
        deadline=clean_cell(_get(row, roles, "deadline"), bullets=False),
        filled=filled,
    )


_LEAD_MARK = re.compile(r"(?i)\bch[uủ]\s*tr[iì]\s*[:：]\s*")
_PARTNER_MARK = re.compile(r"(?i)[.;,]?\s*\bph[oố]i\s*h[oợ]p\s*(?:v[oớ]i)?\s*[:：]\s*")
_ROLE_NOTE = re.compile(r"(?i)\(\s*(ch[uủ]\s*tr[iì]|ph[oố]i\s*h[oợ]p)\s*\)")


def split_lead_partner(text: str) -> tuple[str, str]:
    """A merged "Chủ trì/phối hợp" cell → (lead, partner) text.

    Marked as printed ("Chủ trì: A. Phối hợp: B", "A (chủ trì); B (phối hợp)"), else the
    first agency named leads and the rest take part, the order such columns list them in.
    """
    if not text:
        return "", ""
    parts = _PARTNER_MARK.split(text, maxsplit=1)
    if len(parts) == 2:
        return _LEAD_MARK.sub("", parts[0]).strip(" .;,"), parts[1].strip(" .;,")
    if _ROLE_NOTE.search(text):
        lead, partner = [], []
        for piece in re.split(r"[;\n]", text):
            note = _ROLE_NOTE.search(piece)
            name = _ROLE_NOTE.sub("", piece).strip(" .;,")
            if name:
                (partner if note and fold(note.group(1)).startswith("phoi") else lead).append(name)
        return "; ".join(lead), "; ".join(partner)
    text = _LEAD_MARK.sub("", text)
    pieces = [p.strip(" .") for p in text.split(";") if p.strip(" .")]
    return (pieces[0], "; ".join(pieces[1:])) if pieces else ("", "")


class GridReader:
    """Body rows of one grid read in order, appending to `tasks` (shared across the document's tables).

    State: the area in force, whether a page break came just before the row, and the
    section count (tasks of one section share `RawTask.section`).
    """

    def __init__(self, roles: dict[str, int], header: list[list[str]], tasks: list[RawTask], area: str | None,
                 page_break: bool, section: int) -> None:
        self.roles, self.header, self.tasks, self.area = roles, header, tasks, area
        self.page_break, self.section = page_break, section

    def read(self, grid: list[list[str]], start: int, row_pages: list[int] | None, default_page: int | None) -> None:
        prev_page = row_pages[start - 1] if row_pages and 0 < start <= len(row_pages) else None
        for r in range(start, len(grid)):
            page = row_pages[r] if row_pages and r < len(row_pages) else default_page
            if prev_page is not None and page != prev_page:
                self.page_break = True
            prev_page = page
            if not is_column_number_row(grid[r]):
                self.read_row(grid[r], page)

    def read_row(self, row: list[str], page: int | None) -> None:
        cells = [clean_cell(c) for c in row]  # once a row: the header check and the fields share them
        if is_repeated_header(row, self.header, cells):
            self.page_break = True
            return
        f = _row_fields(row, self.roles, cells)
        if f is None:
            return
        if self._continues(f):
            self._join_previous(f)
        elif len(f.filled) <= 1 and not (f.lead or f.partner or f.deadline or f.output):
            self._section_row(f)
        else:
            self._carry_cut_names(f)
            self._add_task(f, page)
        self.page_break = False

    def _continues(self, f: RowFields) -> bool:
        """A row without a label that goes on with the row before: lower-case start, or a page-top row without
        a deadline of its own (none, or the rest of a deadline cut by the break: "Trước ngày" / "15/12/2024")."""
        starts_lower = bool(f.content) and f.content[:1].islower()
        heading_like = len(f.filled) <= 1 and area_of_heading(f.content) is not None
        own_deadline = bool(f.deadline) and not (self.tasks and _completes_deadline(self.tasks[-1].deadline_text,
                                                                                     f.deadline))
        continues = starts_lower or (self.page_break and not own_deadline and not heading_like)
        return bool(self.tasks) and not f.label and bool(f.content) and continues

    def _join_previous(self, f: RowFields) -> None:
        prev = self.tasks[-1]
        tight = f.content[:1].islower()
        prev.content = _join(prev.content, f.content, tight)
        prev.output = _join(prev.output or "", f.output, False) or None
        # a cell cut inside a name goes on in lower case ("Phòng Văn" / "hóa - Xã hội"): one name, not two
        prev.lead_text = _join(prev.lead_text, f.lead, f.lead[:1].islower(), sep="; ")
        prev.partner_text = _join(prev.partner_text, f.partner, f.partner[:1].islower(), sep="; ")
        prev.deadline_text = _join(prev.deadline_text, f.deadline, False)

    def _section_row(self, f: RowFields) -> None:
        """A heading-only row: a new area section when it names one, a late label, or a sub-heading (skipped)."""
        heading = f.filled[0] if f.filled else ""
        label = f.label
        roman = is_roman(label) or bool(_OCR_ROMAN.match(label)) or (not label and bool(heading))
        lower = heading[:1].islower()
        found = area_of_heading(heading, strict=not roman) if heading and not lower else None
        if found is None and heading and not lower and (is_roman(label) or bool(_OCR_ROMAN.match(label))):
            found = closest_area(heading)  # a numbered section whose title OCR damaged
        if found is not None:
            self.area = found
            self.section += 1
        elif label and "." in label and self.tasks and not self.tasks[-1].row_label and not f.content:
            self.tasks[-1].row_label = label

    def _carry_cut_names(self, f: RowFields) -> None:
        """After a page break, an agency name cut after its head word ("…; Văn phòng") is completed from this row."""
        if not (self.page_break and self.tasks and not f.label):
            return
        prev = self.tasks[-1]
        moved = complete_cut_name(prev.lead_text, f.lead)
        if moved:
            prev.lead_text, f.lead = moved
        moved = complete_cut_name(prev.partner_text, f.partner)
        if moved:
            prev.partner_text, f.partner = moved

    def _add_task(self, f: RowFields, page: int | None) -> None:
        if not (f.content or f.output or f.lead):
            return
        self.tasks.append(
            RawTask(
                area=self.area,
                row_label=f.label,
                content=f.content or (f.objective if not f.output else ""),
                output=f.output or None,
                lead_text=f.lead,
                partner_text=f.partner,
                deadline_text=f.deadline,
                page=page,
                section=self.section,
            )
        )


def _completes_deadline(before: str, piece: str) -> bool:
    """Whether `piece` is the rest of a deadline cell cut by a page break: the part before names no date or
    recurrence by itself, the two together do."""
    if not before or not piece:
        return False
    alone = parse_deadline(before)
    return alone.date is None and not alone.recurring and parse_deadline(f"{before} {piece}").date is not None


def _join(a: str, b: str, tight: bool, sep: str = " ") -> str:
    """Append a continued cell: a lower-case continuation joins with a space, a new item with `sep`."""
    if not b:
        return a
    if not a:
        return b
    return f"{a} {b}" if tight or sep == " " else f"{a}{sep}{b}"


_COLUMN_NO = re.compile(r"^\(?(\d{1,2})\)?$")


def is_column_number_row(row: list[str]) -> bool:
    """The row official forms print under the header to number the columns ("(1) | (2) | … | (7)", or bare
    digits): the filled cells numbers rising one by one, most columns filled; a scan may garble one or two
    ("G)" for "(5)"), which stay short and keep a bracket. It is part of the header."""
    filled = [clean_cell(c).replace(" ", "") for c in row if c and c.strip()]
    if len(filled) < 3 or len(filled) < 0.6 * len(row):
        return False
    numbers = [m for m in (_COLUMN_NO.match(c) for c in filled) if m]
    garbled = [c for c in filled if not _COLUMN_NO.match(c)]
    if len(numbers) < max(3, 0.6 * len(filled)) or any(len(c) > 4 or not re.search(r"[()]", c) for c in garbled):
        return False
    values = [int(m.group(1)) for m in numbers]
    return all(b > a for a, b in zip(values, values[1:], strict=False)) and values[-1] - values[0] <= len(row)


def is_repeated_header(row: list[str], header: list[list[str]], cells: list[str] | None = None) -> bool:
    """The table's header row again (each page repeats it), read from a text layer or OCR.

    Close to the header read at the table's top, or (when that is unknown) a row whose
    every non-empty cell is a short column name, three roles at least: a task row whose
    cells happen to hold "kết quả", "thực hiện" and "tiến độ" is not one. `cells`: the row `clean_cell`ed.
    """
    texts = [clean_cell(c) for c in row] if cells is None else cells
    folded = fold(" ".join(texts))
    for head in header:
        printed = _printed_header(tuple(head))
        if folded and printed and fuzz.ratio(folded, printed) >= 80:
            return True
    filled = [t for t in texts if t]
    if not filled or normalise_label(texts[0]) or header_score(row) < 3:
        return False
    return all(len(t) <= 40 and role_of_header(t) is not None for t in filled)


@lru_cache(maxsize=64)
def _printed_header(head: tuple[str, ...]) -> str:
    """A header row's text as `is_repeated_header` compares it, made once a header (not once a body row)."""
    return fold(" ".join(clean_cell(c) for c in head))


class TableSequenceReader:
    """Reads a document's tables in order, carrying area, column roles and the last row across them.

    A table without a recognisable header but with the same number of columns
    as the previous task table is its continuation on a new page (when the OCR
    stage could not stitch the two), so it is read with the previous roles.
    """

    def __init__(self) -> None:
        self.tasks: list[RawTask] = []
        self._roles: dict[str, int] | None = None
        self._header: list[list[str]] = []
        self._n_cols = 0
        self._section = 0

    def read(self, table: Table, area: str | None) -> tuple[list[RawTask], str | None]:
        grid = table.grid()
        start, roles = find_header(grid, table.header_rows)
        is_tasks = "content" in roles and ("lead" in roles or "lead_partner" in roles or "deadline" in roles)
        if is_tasks:
            self._header = [row for row in grid[:start] if any(row)]
        else:
            if self._roles is None or table.n_cols != self._n_cols:
                return self.tasks, area
            start, roles = 0, self._roles
        follow_on = bool(self.tasks)
        self._roles, self._n_cols = roles, table.n_cols
        reader = GridReader(roles, self._header, self.tasks, area, follow_on, self._section)
        reader.read(grid, start, table.row_pages or None, table.page)
        self._section = reader.section
        return self.tasks, reader.area


def folded_has_task_header(text: str) -> bool:
    """Whether a line reads like a task table header (several column names on one line)."""
    folded = fold(text)
    hits = sum(kw in folded for kw in ("chu tri", "phoi hop", "thoi gian", "noi dung", "nhiem vu", "ket qua"))
    return hits >= 3
