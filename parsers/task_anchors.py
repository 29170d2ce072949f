"""Lead agency and deadline of an appendix row whose table columns OCR interleaved.

When OCR reads a ruled appendix table line by line without its grid, each
printed line carries a fragment of every column ("Tham mưu UBND tỉnh ban
hành Kế | Kế hoạch của | Phòng Nội | Các cơ quan, | Tháng"), so a cell's
words are spread over the row's lines: the lead agency is cut after its
first name word ("Phòng Nội" … "vụ") and the deadline after its first word
("Tháng" … "02/2024"). What survives is where the words sit:

- an agency cell starts with a head word and a name word ("Phòng Nội",
  "Văn phòng HĐND"): that is enough to complete the name from the gazetteer
  when one entry starts that way, or when the rest of one candidate's name
  turns up in the next lines ("Phòng Văn" + "hóa - Thông" + "tin");
- the deadline column is the right-most filled one, so its words are the
  tails of the row's lines; joined in order they read "Thường xuyên trong
  năm" or "Tháng … 02/2024" again.

Rows read this way keep the first agency head of the row as lead (the lead
column stands left of the partner column and starts at the row's top), and
the first deadline phrase of the line tails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from parsers.agencies import GazetteerEntry, gazetteer, key, split_agencies
from parsers.deadlines import deadline_fold
from parsers.task_table import RawTask
from schema.vntext import HeadUse, agency_heads

# Head words that open the name of one specific body. Generic groups ("Các cơ
# quan", "UBND các phường") are left out: in interleaved rows they are mostly
# the partner column, or objects inside the task wording ("tham mưu UBND tỉnh").
_HEADS: tuple[tuple[str, ...], ...] = tuple(tuple(h.split()) for h in agency_heads(HeadUse.BODY))
_SENTENCE_BEFORE = {"voi", "cho", "muu", "giao", "gui", "qua", "ho", "hd", "co"}
"""A name right after "với", "cho", "tham mưu" … is part of the task wording, not a cell; after
"hồ", "cơ" the word "sơ/sở" is "hồ sơ", "cơ sở". ("chỉ số" is left to the name check: "chi"
is also OCR's "chủ trì" right before a lead, "được giao chủ trì Sở Tư pháp".) ("của" is not in the list:
in interleaved rows it often ends the output column next to the lead, "Kế hoạch của | Phòng …".)"""


@dataclass(frozen=True)
class AgencyAnchor:
    line: int
    col: int
    entry: GazetteerEntry


def _close(word: str, target: str) -> bool:
    """OCR-tolerant word equality, same first letter: one substituted letter in a short word
    ("Nbi" for "Nội", "Vin" for "Văn"), one edit from five letters, two from seven.

    Short words may not gain or lose a letter: "đôn" is not "Đoàn".
    """
    if word == target:
        return True
    if len(target) < 3 or len(word) < 3 or word[0] != target[0]:
        return False
    if len(target) <= 4:
        return len(word) == len(target) and Levenshtein.distance(word, target) <= 1
    return Levenshtein.distance(word, target) <= (1 if len(target) <= 6 else 2)


@lru_cache(maxsize=1)
def _names_by_head() -> dict[tuple[str, ...], list[tuple[tuple[str, ...], GazetteerEntry]]]:
    """Gazetteer aliases grouped by head: head → [(rest-of-name words, entry)]."""
    out: dict[tuple[str, ...], list[tuple[tuple[str, ...], GazetteerEntry]]] = {}
    for alias, entry in gazetteer().by_key.items():
        words = tuple(alias.split())
        for head in _HEADS:
            if words[: len(head)] == head and len(words) > len(head):
                out.setdefault(head, []).append((words[len(head):], entry))
                break
    return out


def _head_word(word: str, target: str, after_exact: bool) -> bool:
    """A head word as OCR prints it; once the first word is exact the second may also lose a letter ("Trung tm")."""
    if after_exact and len(word) >= 2 and word[0] == target[0] and Levenshtein.distance(word, target) <= 1:
        return True
    return _close(word, target) if len(target) >= 4 else word == target


def _head_at(words: list[str], i: int) -> tuple[str, ...] | None:
    for head in _HEADS:
        n = len(head)
        got = words[i : i + n]
        if len(got) == n and all(
            _head_word(w, h, k > 0 and got[0] == head[0]) for k, (w, h) in enumerate(zip(got, head, strict=True))
        ):
            if n == 1 and got[0] == "phuong":  # "phường" (ward) is one edit from "phong"
                return None
            return head
    return None


def _complete(head: tuple[str, ...], first: str | None, window: list[str]) -> GazetteerEntry | None:
    """The body a head plus its first name word names; the next lines' words break ties."""
    names = _names_by_head().get(head, [])
    if first is not None:
        starting = [(rest, e) for rest, e in names if _close(first, rest[0])]
        if starting:
            names = starting
        elif len(head) == 1:
            return None  # "Sở" / "Phòng" must be followed by a name word we know
    entries = {e.canonical: e for _, e in names}
    if len(entries) == 1:
        rest = names[0][0]
        if head == ("so",) and len(rest) > 1 and not _rest_found(rest[1:], window):
            return None  # "số"/"sơ" are common words: "Sở" + one name word needs more of the name nearby
        return next(iter(entries.values()))
    best: GazetteerEntry | None = None
    best_score: tuple[float, int] = (0.0, 0)
    for rest, e in names:
        words = _distinct(rest[1:])
        found = sum(any(_close(w, t) for t in window) for w in words)
        score = (found / len(words) if words else 0.0, found)
        if found and score > best_score:
            best, best_score = e, score
    return best


def _distinct(words: tuple[str, ...]) -> list[str]:
    return [w for w in words if len(w) >= 2 and w not in ("va", "cap", "cac")]


def _rest_found(rest: tuple[str, ...], window: list[str]) -> bool:
    words = _distinct(rest)
    return not words or any(any(_close(w, t) for t in window) for w in words)


def agency_anchors(lines: list[str]) -> list[AgencyAnchor]:
    """Specific bodies whose names start on these lines, in reading order (line, then position)."""
    keyed = [key(line).split() for line in lines]
    out: list[AgencyAnchor] = []
    for n, words in enumerate(keyed):
        window = [w for ws in keyed[n : n + 4] for w in ws]
        i = 0
        while i < len(words):
            head = _head_at(words, i)
            if head is None or (i and words[i - 1] in _SENTENCE_BEFORE):
                i += 1
                continue
            after = i + len(head)
            first = words[after] if after < len(words) else None
            entry = _complete(head, first, window)
            if entry is None and first is not None and len(head) > 1:
                entry = _complete(head, None, window)
            if entry is not None:
                out.append(AgencyAnchor(n, i, entry))
                i = after + 1
                continue
            i = after  # a head naming nothing known: its last word ("Văn phòng") heads nothing either
    return out


# Deadline phrases as they read once the line tails are joined: a word or two of
# another column may sit between "Tháng" and "02/2024", or between "Năm" and "2024".
_JUNK = r"(?:\S{1,6}\s+){0,4}?"
_TAIL_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\bth\w{1,4}\s+" + _JUNK + r"\w?xu\w{0,2}n\b(\s+" + _JUNK + r"tro\w{0,2}\s+" + _JUNK + r"n\w{0,2}m\b)?"),
        "recurring",
    ),
    # "Thường xuyên trong năm" whose middle word OCR lost ("Thudng … [{WY€N trong … năm")
    (re.compile(r"\bth\w?[uo]\w{0,2}ng\s+" + _JUNK + r"(tro\w{0,2}\s+" + _JUNK + r"n\w{0,2}m)\b"), "recurring"),
    (re.compile(r"\bq\w{0,2}y\s+" + _JUNK + r"(iv|i{1,3}|1v|1{1,3}|l{1,3})\s*/?\s*(20\d\d)\b"), "quarter"),
    (re.compile(r"\btruoc\s+" + _JUNK + r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(20\d\d)\b"), "before"),
    (re.compile(r"\btrong\s+nam\s+(20\d\d)\b"), "in_year"),
    (re.compile(r"(?<!ngay )(?<![\d/])(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(20\d\d)\b"), "date"),
    (re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(20\d\d)\b"), "month"),
    (re.compile(r"\bn\w{1,2}m\s+" + _JUNK + r"(20\d\d)\b"), "year"),
)
_TAIL_WORDS = 2


def _tails(lines: list[str]) -> str:
    words = [re.sub(r"[^\w/]", " ", deadline_fold(line)).split() for line in lines]
    return " ".join(" ".join(ws[-_TAIL_WORDS:]) for ws in words if ws)


def tail_deadline(lines: list[str]) -> str | None:
    """The deadline the row's line tails spell, in the plan's usual wording, or None.

    A date or month older than the latest year in the tails is a document
    reference ("Nghị định 34/2016 ngày 14/5/2016"), not the deadline.
    """
    tails = _tails(lines)
    latest = max((int(y) for y in re.findall(r"(?<!\d)20\d\d(?!\d)", tails)), default=0)
    found: list[tuple[int, str]] = []  # in pattern priority order
    for pattern, kind in _TAIL_PATTERNS:
        m = pattern.search(tails)
        if m is None:
            continue
        if kind in ("date", "month") and int(m.group(m.lastindex or 0)) < latest:
            continue
        if kind == "recurring":
            text = "Thường xuyên trong năm" if m.group(1) else "Thường xuyên"
        elif kind == "quarter":
            roman = m.group(1).replace("1", "i").replace("l", "i").upper()
            text = f"Quý {roman}/{m.group(2)}"
        elif kind == "before":
            text = f"Trước {m.group(1)}/{m.group(2)}/{m.group(3)}"
        elif kind == "date":
            if not 1 <= int(m.group(2)) <= 12:
                continue
            text = f"{m.group(1)}/{m.group(2)}/{m.group(3)}"
        elif kind == "month":
            if not 1 <= int(m.group(1)) <= 12:
                continue
            text = f"Tháng {m.group(1)}/{m.group(2)}"
        elif kind == "in_year":
            text = f"Trong năm {m.group(1)}"
        else:
            text = f"Năm {m.group(1)}"
        found.append((m.start(), text))
        if kind in ("recurring", "quarter", "before", "in_year"):
            break  # the most specific wordings win over a bare date or year further on
    return found[0][1] if found else None


_AND_BEFORE = re.compile(r"\b(?:va|và|vả)\s*$", re.IGNORECASE)


def _joined_lead(lines: list[str], anchors: list[AgencyAnchor]) -> list[str]:
    """The first agency head of a row, and the body joined to it by "và" that opens the
    agency part of the next line ("Trung tâm Hành chính" / "công và Bộ phận Một cửa"): one
    lead cell naming two bodies. A body after "và" further right on a line is the partner's."""
    first = anchors[0]
    out = [first.entry.canonical]
    nxt = next((a for a in anchors[1:] if a.line > first.line), None)
    words = key(lines[first.line]).split()
    # another head right of the first one on its line starts the partner cell, which "và" may continue
    partner_head = any(_head_at(words, i) for i in range(first.col + 2, len(words)))
    if (
        nxt is not None
        and not partner_head
        and nxt.line == first.line + 1
        and not any(a.line == nxt.line and a.col < nxt.col for a in anchors)
        and _AND_BEFORE.search(_raw_before(lines[nxt.line], nxt.col))
        and nxt.entry.canonical not in out
    ):
        out.append(nxt.entry.canonical)
    # "Sở Nội vụ và các" / "cơ quan, đơn vị có" / "liên quan": the lead cell goes on with the
    # generic "các cơ quan, đơn vị có liên quan", cut over the next lines
    tail = words[first.col + 1 : first.col + 8]
    if any(tail[i : i + 2] == ["va", "cac"] and tail[i + 2 : i + 4] != ["co", "quan"] for i in range(len(tail))):
        below = " ".join(key(line) for line in lines[first.line + 1 : first.line + 3])
        if re.search(r"\bco quan\s+don vi\b", below):
            out.append("Các cơ quan, đơn vị có liên quan")
    return out


def list_group_at_start(line: str) -> str | None:
    """The generic group a line opens with ("UBND cấp xã quan" → "UBND cấp xã"), or None;
    at most one word may follow it (the cut end of a neighbouring cell)."""
    keyed = key(line)
    for pattern, name in _GROUPS:
        m = pattern.match(keyed)
        if m and name and len(keyed[m.end() :].split()) <= 1:
            return name
    return None


def _is_group(name: str) -> bool:
    return name in {g for _, g in _GROUPS if g}


def fill_from_lines(task: RawTask, override_interleaved: bool = True) -> None:
    """Give a row read from plain text the lead and deadline its lines still show.

    A row whose cells came out clean keeps them; a row whose lead cell names no
    known body, or whose lines mixed several columns (`interleaved`), takes the
    first agency head of its lines, or the list of generic groups an interleaved
    row opens with (`group_lead`); an interleaved row takes the deadline its
    line tails spell (a phrase found anywhere in a mixed row may be task
    wording: "chi thường xuyên"). A row read from separate cell blocks keeps
    only its wording's lines, whose tails are no deadline column.
    """
    if not task.lines:
        return
    known = split_agencies(task.lead_text, keep_unknown=False)
    if not known or (override_interleaved and task.interleaved):
        anchors = agency_anchors(task.lines)
        groups = group_lead(task.lines) if task.interleaved else None
        if groups:
            # a cut-off piece of the lead cell read as its own cell ("tuyến; UBND cấp xã") adds its groups
            printed = [m.canonical for m in split_agencies(task.lead_text, keep_unknown=False)]
            if printed and all(_is_group(name) for name in printed):
                groups += [name for name in printed if name not in groups]
        if groups or anchors:
            task.lead_text = "; ".join(groups) if groups else "; ".join(_joined_lead(task.lines, anchors))
            if task.interleaved and not split_agencies(task.partner_text, keep_unknown=False):
                task.partner_text = ""
    if task.interleaved:
        task.deadline_text = tail_deadline(task.lines) or task.deadline_text


_LABEL_START = re.compile(r"^[\W_]*(?:\d{1,2}(?:\.\d{1,2})?[.)]?)?[\s|\[\]]*")


def _opens_sentence(line: str, anchored_at_start: bool) -> bool:
    """Whether a line starts task wording: a capitalised word first after any row number, or second
    after the tail of the column to its left (" phố Lựa chọn …"), and not an agency name."""
    words = _LABEL_START.sub("", line).split()[:2]
    return not anchored_at_start and any(len(w) >= 2 and w[0].isupper() for w in words)


def row_starts(lines: list[str]) -> list[int]:
    """Where the rows of an interleaved block start, one row per lead agency head.

    Every row names its lead, so the first agency head of a line opens a row
    unless no task wording started since the last one (then it is that row's
    partner or second lead). The row starts at the last line, up to the
    head's, that begins with a capitalised word: the wording column starts
    at the row's top while the lead cell may sit a line or two lower; when the
    wording starts only on the line after the head, the row starts at the
    head (a short wording cell centred below a taller agency cell). Returns
    [] when the block has fewer than two heads (nothing to split by).
    """
    firsts: dict[int, AgencyAnchor] = {}
    for a in agency_anchors(lines):
        firsts.setdefault(a.line, a)
    if len(firsts) < 2:
        return []
    starts = [0]
    prev = next(iter(firsts))
    for n in list(firsts)[1:]:
        begin = max(prev, starts[-1]) + 1
        cands = [i for i in range(begin, n + 1) if _opens_sentence(lines[i], i in firsts and firsts[i].col == 0)]
        if cands:
            starts.append(max(cands))
        elif n + 1 < len(lines) and _opens_sentence(lines[n + 1], n + 1 in firsts and firsts[n + 1].col == 0):
            starts.append(n)  # the head's cell starts a line above a shorter wording cell
        else:
            continue
        prev = n
    return starts


def _cut_before(line: str, col: int) -> str:
    """The line up to its `col`-th agency-key word (the words `agency_anchors` counted)."""
    count = 0
    for m in re.finditer(r"\S+", line):
        if count >= col:
            return line[: m.start()]
        count += len(key(m.group()).split())
    return line


def _first_heads(lines: list[str], source: list[str] | None) -> dict[int, AgencyAnchor]:
    firsts: dict[int, AgencyAnchor] = {}
    for a in agency_anchors(source if source and len(source) == len(lines) else lines):
        firsts.setdefault(a.line, a)
    return firsts


def agency_side(lines: list[str], source: list[str] | None = None) -> str:
    """What stands from the lead head on, on the lines that hold one: agency, partner, deadline columns."""
    firsts = _first_heads(lines, source)
    return " ".join(lines[n][len(_cut_before(lines[n], a.col)) :].strip() for n, a in sorted(firsts.items()))


def wording(lines: list[str], source: list[str] | None = None) -> str:
    """Task wording (and output) of an interleaved row: what stands left of the lead head on each line.

    The wording and output columns come before the lead column, so on a line
    that holds an agency head everything from the head on belongs to the
    agency, partner and deadline columns; other lines are kept whole.
    `source` (the unrestored lines, same count) is where heads are found.
    """
    firsts = _first_heads(lines, source)
    out = []
    for n, line in enumerate(lines):
        text = _cut_before(line, firsts[n].col) if n in firsts else line
        text = re.sub(r"\s*\|\s*", " ", text).strip()
        if text:
            out.append(text)
    return " ".join(out)


_CAP = r"c\w{0,2}(?:\s\w{1,2})?p"
""""cấp" as OCR prints it ("cap", "cép", "cAp", "cé‘ip")."""

# Generic lead groups as interleaved rows print them, on the folded key of a line. "Các" may be
# cut from "sở, ban, ngành" to the line above, the level of "UBND cấp" to the line below.
_GROUPS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"\b(?:c\wc\s+\S{1,3}|s\w{0,2})(?:\s+va)?\s+ban\s+nganh\b"), "Các sở, ban, ngành"),
    # "sở" and "ngành" both damaged ("LAy, ban. Bpanh"): a short word, "ban", and a five-letter
    # word ending like "ngành" that is no word "ban" precedes ("ban thanh tra"; "ban hành" has four)
    (
        re.compile(r"\b\w{2,3}\s+ban\s+(?!(?:thanh|nhanh|chanh|khanh|tranh|gianh)\b)\w{2}anh\b"),
        "Các sở, ban, ngành",
    ),
    (re.compile(r"\bubnd\s+" + _CAP + r"\s+huy\w{1,2}n\b"), "UBND cấp huyện"),
    (re.compile(r"\bubnd\s+" + _CAP + r"\s+x\w?\b"), "UBND cấp xã"),
    (re.compile(r"\bubnd\s+" + _CAP + r"\b(?!\s+(?:tinh|huy\w{1,2}n|x\w?)\b)"), None),
)
_LEVEL_WORD = re.compile(r"(?<!cap )(?<!ubnd )\bhuy\w{1,2}n\b")


def _cut_level(lines: list[str]) -> str | None:
    """The level a cut "UBND cấp" continues with on the next lines: "huyện" standing apart
    (not "cấp huyện" of the wording), the cell's last word, which sits at the line's end."""
    for line in lines:
        words = key(line).split()
        if words and (words == ["huyen"] or any(_LEVEL_WORD.fullmatch(w) for w in words[-2:])):
            return "UBND cấp huyện"
    return None
_CELL_START = re.compile(r"(?:^|[;|:,]|\b(?:va|và|vả)|^\s*\d{1,2}\s*[.,;:\]|]+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class _Mention:
    line: int
    col: int
    name: str | None  # None: a specific body (an anchor) or a "UBND cấp" whose level was cut off
    specific: bool


def _word_index(keyed: str, pos: int) -> int:
    return len(keyed[:pos].split())


def _raw_before(line: str, col: int) -> str:
    """The line up to the printed word that holds its `col`-th key word (punctuation kept)."""
    count = 0
    for m in re.finditer(r"\S+", line):
        words = len(key(m.group()).split())
        if words and count >= col:
            return line[: m.start()]
        count += words
    return line


def _group_mentions(lines: list[str]) -> list[_Mention]:
    out: list[_Mention] = []
    for n, line in enumerate(lines):
        keyed = key(line)
        taken: list[tuple[int, int]] = []
        for pattern, name in _GROUPS:
            for m in pattern.finditer(keyed):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                col = _word_index(keyed, m.start())
                before = _raw_before(line, col)
                capital = line[len(before) :].lstrip()[:1].isupper()
                # a "UBND cấp" cut at the cell's edge, the partner column's name right after it
                cut = name is None and _head_at(keyed[m.end() :].split(), 0) is not None
                # after the wording's full stop, the last words of the line: the lead cell's last line
                last = m.end() == len(keyed) and before.rstrip().endswith(".")
                if not (_CELL_START.search(before) or cut or last or (name == "Các sở, ban, ngành" and capital)):
                    continue  # inside the task wording ("chỉ đạo các sở, ban, ngành", "100% UBND cấp xã")
                taken.append((m.start(), m.end()))
                out.append(_Mention(n, col, name, False))
    return out


def _partner_cell(line: str, col: int) -> bool:
    """Whether a mention stands in the third "|"-cell of its line or further right (partner column)."""
    before = _raw_before(line, col)
    return before.count("|") >= 2 and not re.match(r"^\s*\d{1,2}\s*[.,;:\]]*\s*\|", before)


def group_lead(lines: list[str]) -> list[str] | None:
    """The lead cell of an interleaved row that lists generic groups, or None.

    Appendix tables put the lead column left of the partner column, so the
    row's first agency phrase belongs to the lead. When that phrase is a
    generic group ("Các sở, ban, ngành tỉnh; UBND cấp huyện; UBND cấp xã"),
    or a specific body followed by ";" ("Trung tâm Phục vụ hành chính công;
    các sở, ban, ngành tỉnh; …"), the lead cell is a list: each further group
    that opens a line's agency part, or follows ";" / "và", continues it,
    while a specific body printed after it on the same line ("tỉnh; UBND cấp
    | Sở Nội vụ") or in a later "|"-cell is the partner column's. The list
    ends at the first specific body that opens a line. A "UBND cấp" whose
    level was cut takes it from the next lines ("huyện" standing at a line's
    end), else the level below the one listed before it (lists run province,
    district, commune: after "sở, ban, ngành tỉnh" or before "UBND cấp xã"
    it is the district).
    """
    groups = _group_mentions(lines)
    if not groups:
        return None
    at = {(m.line, m.col) for m in groups}
    anchors = [
        _Mention(a.line, a.col, a.entry.canonical, not _is_group(a.entry.canonical))
        for a in agency_anchors(lines)
        if (a.line, a.col) not in at and (a.line, a.col - 1) not in at
    ]
    mentions = sorted(
        (m for m in groups + anchors if not _partner_cell(lines[m.line], m.col)), key=lambda m: (m.line, m.col)
    )
    if not mentions or mentions[0].specific and not _listed_on(lines, mentions):
        return None
    first_on_line: dict[int, _Mention] = {}
    for m in mentions:
        first_on_line.setdefault(m.line, m)
    chain: list[_Mention] = [mentions[0]]
    for m in mentions[1:]:
        opens = first_on_line[m.line] is m
        if m.specific:
            if opens:
                break
            continue
        if opens or _CELL_START.search(_raw_before(lines[m.line], m.col)):
            chain.append(m)
    if not any(not m.specific for m in chain):
        return None
    out: list[str] = []
    for n, m in enumerate(chain):
        name = m.name
        if name is None:
            name = _cut_level(lines[m.line + 1 : m.line + 3])
            after_province = n > 0 and chain[n - 1].name == "Các sở, ban, ngành"
            if name is None and (after_province or any(c.name == "UBND cấp xã" for c in chain[n + 1 :])):
                name = "UBND cấp huyện"
        if name and name not in out:
            out.append(name)
    return out or None


def _listed_on(lines: list[str], mentions: list[_Mention]) -> bool:
    """Whether the specific body opening a row is the first item of a ";" list: a ";" follows it
    on its line or the next, before the next agency named there."""
    first = mentions[0]
    nxt = next((m for m in mentions[1:] if m.line <= first.line + 1), None)
    text = lines[first.line][len(_raw_before(lines[first.line], first.col)) :]
    if first.line + 1 < len(lines):
        following = lines[first.line + 1]
        if nxt is not None and nxt.line == first.line + 1:
            following = _raw_before(following, nxt.col)
        text += " " + following
    elif nxt is not None and nxt.line == first.line:
        text = lines[first.line][len(_raw_before(lines[first.line], first.col)) : len(_raw_before(lines[first.line], nxt.col))]
    return ";" in text
