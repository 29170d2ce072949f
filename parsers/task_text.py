"""Task rows from plain-text dumps, where the appendix table survives only as text.

Two shapes occur:
- tab-separated rows (a clean export such as seed 001): rebuilt into a
  `Table` and read by `parsers.task_table` like any grid;
- OCR of a ruled table without structure (seeds 000, 003): cells come out as
  blank-line separated blocks, column order scrambled. Each block is
  classified — area heading, row label, agency list (the gazetteer must
  recognise most of it), deadline (by pattern), or task wording — and the
  blocks are assembled in reading order: task wording opens a task, agency
  blocks fill its lead then partner slot, a deadline block fills the newest
  of the two latest tasks still without one (OCR sometimes emits a row's
  deadline after the next row's first cells);
- OCR that read the ruled table line by line across all columns: each line
  holds a fragment of every cell ("… | Phòng Nội | Các cơ quan, | Tháng").
  Such blocks (lines with "|", or an agency head in mid-line) are cut into
  rows at the lead agency heads and read by `parsers.task_anchors`: wording
  left of the heads, lead from the heads, deadline from the line tails.
  Blocks with "|" but no heads to cut at are split where a task sentence
  starts and read cell by cell (first cell wording, then lead, partner).
"""

from __future__ import annotations

import re

from parsers.agencies import key, split_agencies
from parsers.deadlines import deadline_fold, looks_like_deadline
from parsers.task_anchors import (
    agency_anchors,
    agency_side,
    fill_from_lines,
    list_group_at_start,
    row_starts,
    wording,
)
from parsers.task_columns import header_score
from parsers.task_sections import area_of_heading
from parsers.task_table import RawTask, clean_cell, folded_has_task_header, normalise_label
from parsers.text import fold
from schema.document import Cell, Page, Table
from schema.vntext import HeadUse, agency_heads

_MIN_TAB_COLS = 3


def tab_table(page: Page) -> Table | None:
    """The page's tab-separated lines as one grid, when there are enough of them to be a table."""
    rows = [line.split("\t") for line in page.text.splitlines() if line.count("\t") >= _MIN_TAB_COLS - 1]
    if len(rows) < 2 or not any(header_score(r) >= 3 for r in rows[:5]):
        return None
    n_cols = max(len(r) for r in rows)
    cells = [
        Cell(row=i, col=j, text=text.strip())
        for i, row in enumerate(rows)
        for j, text in enumerate(row)
        if text.strip()
    ]
    return Table(
        page=page.page_no,
        pages=[page.page_no],
        n_rows=len(rows),
        n_cols=n_cols,
        header_rows=1,
        cells=cells,
        row_pages=[page.page_no] * len(rows),
    )


_PHU_LUC = re.compile(r"^[\W_]*phu\s*luc\b")


def appendix_start(lines: list[str]) -> int | None:
    """Index of the appendix's first line: a short "PHỤ LỤC" line, else the first task-header line."""
    for i, line in enumerate(lines):
        folded = fold(line)
        if len(folded) < 40 and _PHU_LUC.match(folded):
            return i
    for i, line in enumerate(lines):
        if folded_has_task_header(line):
            return i
    return None


def _is_header_junk(block: str) -> bool:
    folded = fold(block)
    if len(folded) > 80:
        return False
    hits = sum(
        kw in folded
        for kw in ("noi dung", "nhiem vu", "chu tri", "phoi hop", "thoi gian", "hoan thanh", "ghi chu", "stt", "co quan")
    )
    if not (hits >= 3 or (hits >= 2 and len(folded) <= 40) or (hits >= 1 and len(folded) <= 25)):
        return False
    return len(split_agencies(block, keep_unknown=False)) == 0


_LOCAL_BODY = re.compile(r"^(?:bao|dai|truong|hoi|tinh doan|ngan hang|bao hiem xa hoi)\s+(?!cao\b)\w")
"""Heads of bodies named after their locality ("Báo Quảng Ngãi", "Trường Chính trị …"); not "Báo cáo"."""
_MAX_LOCAL_WORDS = 5


def _is_agency_block(block: str) -> bool:
    """Whether a block is an agency cell: known names cover most of it. A short unknown piece
    that opens with a head word ("Báo Quảng Ngãi" next to "Đài Phát thanh - Truyền hình") is a
    local body the gazetteer cannot list and counts as covered once a known name stands by it."""
    mentions = split_agencies(block, keep_unknown=True)
    if not any(m.known for m in mentions):
        return False
    covered = sum(
        len(key(m.printed))
        for m in mentions
        if m.known or (len(m.printed.split()) <= _MAX_LOCAL_WORDS and _LOCAL_BODY.match(key(m.printed)))
    )
    return covered >= 0.6 * len(key(block))


_LABEL_PREFIX = re.compile(r"^\s*(\d{1,2})\s*[.)]?\s*[|]\s*|^\s*(\d{1,2})\s*[.)]\s+(?=[A-ZĐ])")


_ROW_LABEL = re.compile(r"^(\d{1,2})\s*[.,;:\]]\s*\d?(?=\s|$)")
_DEADLINE_IN_TEXT = re.compile(
    r"thuong xuyen(?: trong nam| hang (?:thang|quy))?|(?:trong )?quy [iv]+/20\d\d|thang \d{1,2}/20\d\d|"
    r"trong nam(?: 20\d\d)?|hang (?:thang|quy|nam)|dinh ky"
)
_DANGLING = re.compile(r"(?:\bva|,)\s*$")
"""An agency list cut by the OCR block split ("...; UBND cấp huyện và" + "UBND cấp xã")."""
_SENTENCE_START = re.compile(r"^[A-ZĐ][a-zà-ỹ]")
_MIN_WORDING = 25
"""An interleaved row with less wording than this left of its heads is agency cells only."""
_SECTION_LINE = re.compile(r"^\s*([IVXLl1]{1,4}|\d{1,2})(?:\s*[|.]\s*|\s+)(\S.{3,80})$")


_AREA_LEAD = re.compile(r"^(?:cai cach|xay dung|cong tac)\b")


def section_heading(line: str) -> str | None:
    """The area a line heads in a text appendix, or None.

    Numbered ("VI Cải cách tài chính công", "2. Cải cách thể chế"), or a
    short line that is nothing but an area name ("Cải cách chế độ công vụ"):
    some appendices drop the numeral, and OCR may lose it or read "VI" as a
    word. Callers also try the unrestored line, since restoring diacritics
    can turn a damaged numeral into a word ("VI" → "Về").
    """
    section = _SECTION_LINE.match(line)
    if section:
        area = area_of_heading(section.group(2), strict=section.group(1).isdigit())
        if area is not None:
            return area
    folded = fold(line).strip(" .:|")
    if len(folded) > 45 or "|" in line or not _AREA_LEAD.match(folded):
        return None
    return area_of_heading(folded, strict=True)


_AGENCY_START = re.compile(r"^(?:" + "|".join(agency_heads(HeadUse.CELL_START)) + r")\b")
_MAX_FRAGMENT = 40


_WORDING_COLUMNS = (
    ("objective", re.compile(r"\b(?:muc tieu|chi tieu)\b")),
    ("content", re.compile(r"\b(?:noi dung|nhiem vu|hoat dong|cong viec)\b")),
    ("output", re.compile(r"\b(?:ket ?qua|san ?pham)\b")),
)


def wording_columns(lines: list[str]) -> tuple[list[str], int]:
    """The wording columns a text appendix's header names, in printed order (default: content only).

    Scrambled OCR emits a row's cells one block each, in column order, so a
    table with "Mục tiêu | Nhiệm vụ | Kết quả/Sản phẩm" gives three wording
    blocks per row before its agency cells, not three rows. Also returns the
    header line's index (-1 when none is found).
    """
    for n in range(min(len(lines), 12)):
        folded = fold(" ".join(lines[n : n + 2]))  # header cells often wrap onto a second line
        if not re.search(r"chu tri|co quan|coquan|thoi gian", folded):
            continue
        found = sorted((m.start(), role) for role, rx in _WORDING_COLUMNS if (m := rx.search(folded)))
        if any(role == "content" for _, role in found):
            return [role for _, role in found], n
    return ["content"], -1


def _agency_fragment(text: str, printed: str) -> bool:
    """A short block opening with a body's head word is a cut agency cell, not task wording:
    task wording opens with a verb ("Tham mưu …", "Triển khai …")."""
    return any(len(key(t)) < _MAX_FRAGMENT and _AGENCY_START.match(key(t)) for t in (text, printed))


def _mixes_columns(block: str, source: list[str]) -> bool:
    """A multi-line block with an agency head in mid-line holds several columns side by side
    (OCR drew no "|"), so it is read like a piped block."""
    lines = block.splitlines()
    if len(lines) < 3:
        return False
    return any(a.col > 0 for a in agency_anchors(source if len(source) == len(lines) else lines))


class _Assembler:
    """Reading-order state for scrambled blocks."""

    def __init__(self, area: str | None, page: int | None) -> None:
        self.tasks: list[RawTask] = []
        self.area = area
        self.page = page
        self.pending_label = ""
        self.source: list[str] = []
        """Raw OCR lines of the block being fed (what `parsers.task_anchors` reads)."""
        self.columns: list[str] = ["content"]
        """Wording columns of the table, in order (`wording_columns`)."""
        self.filled = 0
        """How many wording columns of the newest task its blocks have filled."""

    def _open(self, text: str) -> None:
        m = _LABEL_PREFIX.match(text)
        label = self.pending_label
        if m:
            label = m.group(1) or m.group(2)
            text = text[m.end():]
        self.tasks.append(
            RawTask(self.area, label, clean_cell(text), None, "", "", "", self.page, scrambled=True, lines=list(self.source))
        )
        self.pending_label = ""
        self.filled = 1

    def _wording_block(self, block: str) -> None:
        """A wording block: the next wording column of the newest row while that row has no agency
        or deadline yet, else a new row. An objective ("Mục tiêu") cell is replaced by the task's own
        wording; an output cell goes to `output`."""
        last = self.tasks[-1] if self.tasks else None
        fresh = last is not None and not (last.lead_text or last.partner_text or last.deadline_text)
        if len(self.columns) > 1 and fresh and self.filled < len(self.columns):
            role = self.columns[self.filled]
            text = clean_cell(block)
            if role == "content" and self.columns[self.filled - 1] == "objective":
                last.content = text
            elif role == "output":
                last.output = text
            else:
                last.content = f"{last.content} {text}".strip()
            last.lines = (last.lines or []) + self.source
            self.filled += 1
            return
        self._open(block)

    def _slot(self, attr: str, value: str) -> None:
        for task in reversed(self.tasks[-2:]):
            if not getattr(task, attr):
                setattr(task, attr, value)
                return

    def _take_list_end(self, block: str) -> str:
        """A lead cell read as its own block that ends in ";" ("…; UBND cấp huyện;") goes on at the
        head of the next block, whose first line then opens with the list's last group ("UBND
        cấp xã", the partner's cut words after it): the group is the cell's, the line no row's."""
        last = self.tasks[-1] if self.tasks else None
        lines = block.splitlines()
        if not (last and last.lead_text and not last.interleaved and last.lead_text.rstrip().endswith(";")):
            return block
        if len(lines) != len(self.source):
            return block
        name = list_group_at_start(self.source[0]) or list_group_at_start(lines[0])
        if name is None:
            return block
        last.lead_text = f"{last.lead_text.rstrip()} {name}"
        self.source = self.source[1:]
        return "\n".join(lines[1:])

    def _piped(self, block: str) -> None:
        """Rows OCR'd line by line with "|" between cells, split where a new task sentence starts."""
        source = self.source if len(self.source) == len(block.splitlines()) else block.splitlines()
        lines = block.splitlines()
        starts = row_starts(source)
        if starts:
            bounds = [*starts, len(lines)]
            rows = [lines[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]
        else:
            rows = self._sentence_rows(lines)
        start = 0
        for row in rows:
            self.source = source[start : start + len(row)]
            start += len(row)
            if starts:
                self._anchored_row(row)
            else:
                self._piped_row("\n".join(row))
            self.tasks[-1].interleaved = True
        self.filled = len(self.columns)  # a row read across holds all its wording columns already

    def _anchored_row(self, lines: list[str]) -> None:
        """A row cut out of an interleaved block at its lead head: wording from left of the heads.

        A row number on any of its lines is the row's (cells are centred
        vertically). A deadline phrase is looked for right of the lead heads
        only, so words of the task ("chi thường xuyên") are not taken for one;
        `fill_from_lines` prefers the deadline the line tails spell.
        """
        labels = [m.group(1) for m in (_ROW_LABEL.match(line.strip()) for line in lines) if m]
        text = wording(lines, self.source)
        if len(fold(text)) < _MIN_WORDING and self.tasks and not labels:
            # only agency cells left of nothing: the rest of the previous row's lead/partner column
            self.tasks[-1].lines = (self.tasks[-1].lines or []) + self.source
            return
        if labels:
            self.pending_label = labels[0]
        self._open(text)
        deadline = _DEADLINE_IN_TEXT.search(deadline_fold(agency_side(lines, self.source)))
        if deadline:
            self.tasks[-1].deadline_text = deadline.group(0)

    @staticmethod
    def _sentence_rows(lines: list[str]) -> list[list[str]]:
        """Rows of a piped block without agency heads to split by: a new task sentence opens a row."""
        rows: list[list[str]] = [[]]
        written = 0
        ended = False
        for line in lines:
            first = line.split("|")[0].strip()
            first = first[_ROW_LABEL.match(first).end():].strip() if _ROW_LABEL.match(first) else first
            if rows[-1] and _SENTENCE_START.match(first) and len(first) > 30 and (ended or written >= 100):
                rows.append([])
                written = 0
            rows[-1].append(line)
            if len(first) > 30:
                written += len(first)
                ended = first.endswith(".")
        return rows

    def _piped_row(self, block: str) -> None:
        """One "|"-separated row: first cell is content, then lead, then partner (and deadline)."""
        content: list[str] = []
        lead: list[str] = []
        partner: list[str] = []
        label = ""
        for line in block.splitlines():
            parts = [p.strip() for p in line.split("|")]
            head = _ROW_LABEL.match(parts[0])
            if head:
                label = label or head.group(1)
                parts[0] = parts[0][head.end():].strip()
                if not parts[0] and len(parts) > 1:
                    parts = parts[1:]
            if len(parts) == 1:
                (content if len(parts[0]) > 40 else lead).append(parts[0])
                continue
            content.append(parts[0])
            lead.append(parts[1])
            partner.extend(parts[2:])
        rest = " ".join(lead + partner)
        deadline = _DEADLINE_IN_TEXT.search(deadline_fold(rest))
        self.pending_label = label or self.pending_label
        self._open(" ".join(c for c in content if c))
        task = self.tasks[-1]
        task.lead_text = " ".join(lead)
        task.partner_text = " ".join(partner)
        if deadline:
            task.deadline_text = deadline.group(0)

    def feed(self, block: str, source: list[str] | None = None) -> None:
        self.source = source if source is not None else block.splitlines()
        one_line = re.sub(r"\s+", " ", block).strip()
        printed = re.sub(r"\s+", " ", " ".join(self.source)).strip()
        if not one_line:
            return
        if sum("|" in line for line in block.splitlines()) >= 2:
            block = self._take_list_end(block)
            self._piped(block)
            return
        label = normalise_label(one_line)
        if label and len(one_line) <= 5:
            if label.isdigit():
                self.pending_label = label
            return
        if len(one_line) <= 90 and not one_line[:1].islower():  # a heading does not start mid-sentence
            area = area_of_heading(one_line, strict=True)
            # Restoring diacritics can invent an area name ("Tổ chức" read "Té chire",
            # restored "Thể chế"): the unrestored text must name the same area.
            if area is not None and printed != one_line and area_of_heading(printed, strict=True) != area:
                area = None
            if area is not None and not _is_agency_block(one_line):
                self.area = area
                return
        letters = [c for c in one_line if c.isalpha()]
        if one_line.startswith("(") or (len(letters) > 12 and all(c.isupper() for c in letters)):
            return  # appendix title, "(Kèm theo Kế hoạch số ...)", or a heading that names no area
        if looks_like_deadline(one_line):
            self._slot("deadline_text", one_line)
            return
        if not _is_agency_block(one_line) and printed != one_line and _is_agency_block(printed):
            one_line = printed  # restoration damaged a name ("Báo" → "Bảo"): keep it as OCR printed it
        if _is_agency_block(one_line):
            last = self.tasks[-1] if self.tasks else None
            if last and last.lead_text and not last.partner_text and _DANGLING.search(fold(last.lead_text)):
                last.lead_text = f"{last.lead_text} {one_line}"
                return
            for task in self.tasks[-1:]:
                if not task.lead_text:
                    task.lead_text = one_line
                    return
                if not task.partner_text:
                    task.partner_text = one_line
                    return
            return
        if _is_header_junk(one_line) or len(fold(one_line)) < 12:
            return
        if one_line[:1].islower() and self.tasks:
            self.tasks[-1].content = f"{self.tasks[-1].content} {clean_cell(one_line)}".strip()
            self.tasks[-1].lines = (self.tasks[-1].lines or []) + self.source
            return
        if self.tasks and _agency_fragment(one_line, printed):
            return  # a piece of an agency cell the gazetteer cannot complete ("Sở Thông tin và")
        if _mixes_columns(block, self.source):
            self._piped(block)
            return
        self._wording_block(block)


def block_tasks(pages: list[Page], area: str | None = None) -> list[RawTask]:
    """Tasks recovered from the appendix of unstructured OCR text (no tables, no tabs)."""
    # One reader for the whole appendix: a row cut by a page break goes on being filled
    # (its lead, partner or deadline cells, a lower-case continuation) on the next page.
    asm = _Assembler(area, None)
    started = False
    for page in pages:
        lines = page.text.splitlines()
        begin = 0
        if not started:
            found = appendix_start(lines)
            if found is None:
                continue
            started, begin = True, found + 1
            asm.columns, header = wording_columns(lines[found:])
            if len(asm.columns) > 1:
                begin = found + header + 1  # the header names more than the wording: skip it
        asm.page = page.page_no
        raw = (page.raw_text or page.text).splitlines()
        if len(raw) != len(lines):
            raw = lines
        block: list[str] = []
        first = begin
        for n, line in enumerate(lines[begin:] + [""], start=begin):
            heading = section_heading(line) or section_heading(raw[n]) if n < len(raw) else section_heading(line)
            if line.strip() and not heading and not _is_header_junk(line):
                if not block:
                    first = n
                block.append(line)
                continue
            if block:
                asm.feed("\n".join(block), raw[first : first + len(block)])
                block = []
            if heading:
                asm.area = heading
                asm.filled = len(asm.columns)  # a section heading closes the row above
    out = asm.tasks
    for task in out:
        fill_from_lines(task)
    # Stray cells of a scrambled table (an output cell, the header's cost column) name no
    # agency and no deadline: a task row names at least one of them.
    out = [
        t
        for t in out
        if t.lead_text or t.partner_text or t.deadline_text or (t.area is not None and len(t.content) >= 60)
    ]
    # A text appendix that yields no agency and no deadline at all is not a task table.
    if not any(t.lead_text or t.partner_text or t.deadline_text for t in out):
        return []
    restore_sub_labels(out)
    fill_label_gaps(out)
    return out


def restore_sub_labels(tasks: list[RawTask]) -> None:
    """Give back the dot OCR dropped from a sub-row number ("1.1" read "11").

    An area whose rows are numbered from 1 cannot open with row 11: when the
    first numbered row of an area is a two-digit "ab" and the area's later
    numbers (at least two) are all single digits, the plan numbers rows within
    each area by group and sub-row, and "ab" is sub-row "a.b".
    """
    by_area: dict[str | None, list[RawTask]] = {}
    for task in tasks:
        if task.row_label:
            by_area.setdefault(task.area, []).append(task)
    for rows in by_area.values():
        first, later = rows[0], rows[1:]
        label = first.row_label
        if not re.fullmatch(r"[1-9][1-9]", label) or len(later) < 2:
            continue
        if all(re.fullmatch(r"[1-9]", t.row_label) for t in later):
            first.row_label = f"{label[0]}.{label[1]}"


def fill_label_gaps(tasks: list[RawTask]) -> None:
    """Give unlabelled rows the numbers their labelled neighbours imply.

    Appendices number tasks 1, 2, 3 ... OCR loses many of the numbers, but
    when rows i and j carry labels whose difference equals j - i, the rows
    between are exactly the missing numbers.
    """
    numbered = [(i, int(t.row_label)) for i, t in enumerate(tasks) if t.row_label.isdigit()]
    for (i, a), (j, b) in zip(numbered, numbered[1:], strict=False):
        if j - i > 1 and b - a == j - i:
            for k in range(i + 1, j):
                tasks[k].row_label = str(a + k - i)
