"""Numeric targets of a CCHC plan: every figure the plan sets out to reach.

Targets are percentages ("100% văn bản QPPL được ..."), counts with a bound
("từ 15 bản tin, bài viết") and ranks ("nằm trong nhóm 30 tỉnh, thành phố").
The body text is cut into paragraphs, sentences and ';' clauses; every
figure in a clause becomes a target whose comparator comes from the words
right around it (tối thiểu / ít nhất / từ … trở lên → >=, trên → >, tối đa /
không quá → <=, dưới → <, rank → <=, plain → =), and whose metric is the
clause text that belongs to it: the words after the figure ("100% hồ sơ ...
được số hoá"), or before it when they lead into it ("Tỷ lệ ... đạt tối thiểu
97%"). Figures in a list that only add a level ("80% tại cấp sở, 40% tại cấp
huyện") share the metric and comparator and get their own scope. Rules match
on OCR-folded text; the values written out are cut from the text itself.
Dates, years, document and article numbers never match: a number is a target
only with "%", a bound word and a counted noun, or in a rank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from parsers.areas import Outline
from parsers.text import clean_line, fold, ocr_fold
from schema.records import TargetRow

_BULLET = re.compile(r"^\s*(?:[-+•*–]\s|\d{1,2}(?:\.\d{1,2})*\s?[.)]\s|[a-zđ]\)\s|[ivxl]{1,4}\.\s)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ])")
_PERCENT = re.compile(r"(?<![\d/.,])(\d{1,3}(?:[.,]\d{1,2})?)\s?%")
_RANK = re.compile(
    r"\b(?:nh[oe]m|top|(?:nam\s+trong|thuoc)\s+[a-z]+)\s+(?:dau\s+)?(\d{1,3})\s+(?=[a-z])"
    r"|\b(?:nam\s+trong|thuoc)\s+(\d{1,3})\s+(?=tinh|thanh\s+pho|dia\s+phuong)"
)
_BOUND_COUNT = re.compile(
    r"\b(toi thieu|tol thieu|it nhat|tu|tir|tren|duoi|toi da|khong qua|khong vuot qua)\s+(\d{1,4})\s+(?=[a-z])"
)

_GE_BEFORE = re.compile(r"(?:\b(?:toi|tol|to|tot)\s?t?h?i[ae]?u|\bit\s+nhat|\b(?:tu|tir|tw))\s*$")
_GT_BEFORE = re.compile(r"\b(?:tren|vuot)\s*$")
_LE_BEFORE = re.compile(r"\b(?:toi\s+da|khong\s+qua|khong\s+vuot\s+qua)\s*$")
_LT_BEFORE = re.compile(r"\bduoi\s*$")
_GE_AFTER = re.compile(r"^\s*(?:tr[a-z]{0,2}\s*[li]en|o\s*len)\b")
_LE_AFTER = re.compile(r"^\s*tro\s*xuong\b")
_LEADS_IN = re.compile(
    r"(?:\bdat|\bla|\bchiem|\bo\s+muc|\bmuc|\btoi\s?thi[a-z]{1,2}|\bit\s+nhat|\btu|\btir|\btren|\bduoi|\btoi\s+da|\bkhong\s+qua)[\s:,]*$"
)
_MEASURE = re.compile(r"(?:ty\s*l[ea]|muc\s+do|chi\s+so|so\s+luong|tong\s+so|gia\s+tri)\b")
_LINK_WORDS = re.compile(
    r"^(?:dat|la|chiem|o muc|muc|toi thieu|tol thieu|it nhat|tu|tir|tren|duoi|toi da|khong qua|tro len|o len|dam bao|phan dau)$"
)
_SCOPE = re.compile(r"\b(?:(tai|o|cua|thuoc|pham vi|don vi|tham quyen)\s+)?cap\s+(tinh|so|huyen|xa)\b")
_SCOPE_CODE = {"tinh": "cap_tinh", "so": "cap_tinh", "huyen": "cap_huyen", "xa": "cap_xa"}
_DEADLINE = re.compile(r"\b(?:trong|den|vao|truoc|het|cuoi)\s+(?:het\s+|cuoi\s+)?n[a-z]{1,2}\s+(20\d\d)\b")
_LEAD_IN_YEAR = re.compile(r"\b(?:den|trong|vao)\s+(?:het\s+|cuoi\s+)?n[a-z]{1,2}\s+(20\d\d)\W*$")
_CITATION = re.compile(r"^\W*(?:c[a-z]{1,2}n\s*c[a-z]{1,2}|th[a-z]{1,2}c\s+hi[a-z]{1,2}n\s+(?:quyet|nghi|ke|chi))\b")
_WORD = re.compile(r"[a-z0-9]+")

# Counted nouns a count or rank may be in, as printed; matched on OCR-folded text.
UNIT_WORDS: tuple[str, ...] = (
    "tỉnh", "thành phố", "địa phương", "bản tin", "bài viết", "bài", "tin", "đơn vị", "cơ quan",
    "xã", "phường", "huyện", "người", "lượt người", "lớp", "cuộc", "đợt", "doanh nghiệp", "hồ sơ",
    "thủ tục", "thủ tục hành chính", "văn bản", "sản phẩm", "mô hình", "sáng kiến", "hội nghị", "buổi",
    "chuyên mục", "phóng sự", "video", "clip", "lần", "hợp tác xã", "công trình", "dự án", "tài khoản",
    "dịch vụ", "dịch vụ công", "chương trình", "kế hoạch", "cuộc kiểm tra", "nhiệm vụ", "chỉ tiêu",
    "phòng", "ngành", "điểm", "giải pháp", "đề án", "chuyên đề", "trang", "kênh", "bậc", "hạng",
)
_PEER_UNITS = {"tỉnh", "thành phố", "tỉnh, thành phố", "địa phương"}
_UNIT_KEYS = sorted(((fold(u), u) for u in UNIT_WORDS), key=lambda kv: len(kv[0]), reverse=True)


@dataclass
class _Figure:
    start: int  # offsets in the clause
    end: int
    value: float
    unit: str
    kind: str  # "pct" | "count" | "rank"
    comparator: str = "="
    explicit: bool = False


def _paragraphs(lines: list[tuple[int, str]], outline: Outline) -> list[tuple[int, str]]:
    """Body text regrouped into paragraphs: (first line index, text joined with spaces)."""
    heading_lines = {h.index for h in outline.headings}
    out: list[tuple[int, str]] = []
    cur: list[str] = []
    cur_start = 0
    prev_heading = False

    def flush() -> None:
        if cur:
            out.append((cur_start, " ".join(cur)))
            cur.clear()

    for i in range(min(outline.body_end, len(lines))):
        if lines[i][1].count("\t") >= 2:
            # A table row inside the body (baseline and target columns side by side) is not prose.
            flush()
            continue
        text = clean_line(lines[i][1])
        if not text:
            if cur and cur[-1].rstrip().endswith((".", ";", ":")):
                flush()
            continue
        bullet = _BULLET.match(text)
        starts_new = bool(bullet) or i in heading_lines or prev_heading
        if starts_new or not cur:
            flush()
            cur_start = i
        if bullet and i not in heading_lines:
            text = text[bullet.end() :].strip() or text
        cur.append(text)
        prev_heading = i in heading_lines
    flush()
    return out


def _unit_word_at(folded: str, pos: int) -> tuple[int, str] | None:
    """A counted noun at `pos` (OCR-tolerant: "thanh phd" is "thành phố"): (end, canonical form)."""
    words = list(re.finditer(r"[a-z0-9]+", folded[pos : pos + 40]))
    for key, canon in _UNIT_KEYS:
        n = len(key.split())
        if len(words) < n or words[0].start() != 0:
            continue
        cand = " ".join(w.group(0) for w in words[:n])
        if cand == key or (len(key) >= 5 and cand[0] == key[0] and fuzz.ratio(cand, key) >= 80):
            return pos + words[n - 1].end(), canon
    return None


def _unit_at(folded: str, pos: int) -> tuple[int, str] | None:
    """A counted noun, or a list of them ("tỉnh, thành phố"), at `pos`: (end, canonical text)."""
    first = _unit_word_at(folded, pos)
    if first is None:
        return None
    end, text = first
    while True:
        m = re.match(r"\s*(,|va\b)\s*", folded[end:])
        if not m:
            break
        nxt = _unit_word_at(folded, end + m.end())
        if nxt is None:
            break
        sep = ", " if m.group(1) == "," else " và "
        end, text = nxt[0], f"{text}{sep}{nxt[1]}"
    return end, text


def _figures(clause: str, folded: str) -> list[_Figure]:
    figs: list[_Figure] = []
    taken: list[tuple[int, int]] = []
    for m in _PERCENT.finditer(folded):
        value = float(m.group(1).replace(",", "."))
        if value > 1000:
            continue
        figs.append(_Figure(m.start(1), m.end(), value, "%", "pct"))
        taken.append((m.start(), m.end()))
    for m in _RANK.finditer(folded):
        unit = _unit_at(folded, m.end())
        if unit is None:
            continue
        g = 1 if m.group(1) else 2
        if g == 1 and not re.match(r"nh[oe]m|top", m.group(0)) and unit[1] not in _PEER_UNITS:
            continue  # "thuộc <word> N <noun>" is a rank only among provinces or localities
        figs.append(_Figure(m.start(g), m.end(g), float(m.group(g)), unit[1], "rank", "<=", True))
        taken.append((m.start(g), m.end(g)))
    for m in _BOUND_COUNT.finditer(folded):
        if any(a <= m.start(2) < b for a, b in taken):
            continue
        num = m.group(2)
        if len(num) == 4 and num.startswith(("19", "20")):
            continue
        unit = _unit_at(folded, m.end())
        if unit is None:
            continue
        figs.append(_Figure(m.start(2), m.end(2), float(num), unit[1], "count"))
    figs.sort(key=lambda f: f.start)
    return figs


_AFTER_RULES = ((_GE_AFTER, ">="), (_LE_AFTER, "<="))
"""Bound words right after a figure ("... trở lên", "... trở xuống"): they win."""
_BEFORE_RULES = ((_LE_BEFORE, "<="), (_GE_BEFORE, ">="), (_GT_BEFORE, ">"), (_LT_BEFORE, "<"))
"""Bound words before it ("tối thiểu", "không quá", "trên", "dưới"), tried in this order."""


def _comparator(before: str, after: str) -> str | None:
    """The comparator the words around a figure give it, or None when they give none."""
    before = before.rstrip(" :,")
    for pattern, cmp_ in _AFTER_RULES:
        if pattern.match(after):
            return cmp_
    for pattern, cmp_ in _BEFORE_RULES:
        if pattern.search(before):
            return cmp_
    return None


def _content_words(folded: str) -> list[str]:
    """Words that say what is measured: scope, deadline and link words removed."""
    text = _SCOPE.sub(" ", folded)
    text = _DEADLINE.sub(" ", text)
    text = re.sub(r"\b(?:tro\s*len|o\s*len|tro\s*xuong|va|hoac|trong do|cu the)\b", " ", text)
    words = _WORD.findall(text)
    return [w for w in words if not _LINK_WORDS.match(w)]


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:.-–+")
    text = re.sub(r"^(?:và|hoặc|va|hoac)\s+", "", text, flags=re.IGNORECASE)
    return text.strip(" ,;:.")


def _strip_link(raw: str, folded: str) -> str:
    """Drop the bound/link words that end a lead-in ("... đạt tối thiểu")."""
    while True:
        m = _LEADS_IN.search(folded)
        if not m or m.start() == 0 and not folded.strip():
            break
        raw, folded = raw[: m.start()], folded[: m.start()]
        if not folded.strip():
            break
    return raw


def _strip_after(raw: str, folded: str) -> str:
    m = re.match(r"^\s*(?:tr[a-z]{0,2}\s*[li]en|o\s*len|tro\s*xuong)\b", folded)
    return raw[m.end() :] if m else raw


def _scopes(text_after: str) -> list[str]:
    """Levels a figure applies to, from the words after it ("tại cấp sở, cấp huyện" -> two).

    Only a level introduced as a place or a remit counts ("tại/ở/của/thuộc/trong phạm vi cấp
    X", "đơn vị cấp X"): a bare "cấp huyện" usually names an agency ("UBND cấp huyện").
    """
    found = [m for m in _SCOPE.finditer(text_after) if m.group(1)]
    if not found:
        return []
    first = found[0]
    levels = [_SCOPE_CODE[first.group(2)]]
    if first.group(1) in {"tai", "o"}:
        tail = text_after[first.end() :]
        m = re.match(r"^((?:\s*(?:,|va)\s*(?:cap\s+)?(?:tinh|so|huyen|xa)\b)+)", tail)
        if m:
            levels += [_SCOPE_CODE[w] for w in re.findall(r"(tinh|so|huyen|xa)", m.group(1))]
    return list(dict.fromkeys(levels))


def extract_targets(lines: list[tuple[int, str]], outline: Outline, plan_id: str) -> list[TargetRow]:
    """Every target in the plan body (before `outline.body_end`), filed under the area section it sits in."""
    rows: list[TargetRow] = []
    lead_year: int | None = None
    lead_area: str | None = None
    seen: set[tuple] = set()
    for start, para in _paragraphs(lines, outline):
        area = outline.area_at(start)
        if area != lead_area:
            lead_year, lead_area = None, area
        fpara = ocr_fold(para)
        if _CITATION.match(fpara):
            continue
        m = _LEAD_IN_YEAR.search(fpara)
        if m and fpara.rstrip().endswith(":"):
            lead_year = int(m.group(1))
        page = lines[start][0]
        for sentence in _SENTENCE_END.split(para):
            for clause in _clauses(sentence):
                rows.extend(_clause_targets(clause, sentence, area, lead_year, page, plan_id, seen))
    for n, row in enumerate(rows, start=1):
        row.target_id = f"{plan_id}-t{n:03d}"
    return rows


def _leads_in(gap: str) -> bool:
    return bool(_LEADS_IN.search(gap.rstrip())) and len(_content_words(gap)) >= 2


def _split_gaps(folded: str, gaps: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Share the text between figures out: for each figure the span before it that is its
    lead-in ("Tỷ lệ ... đạt tối thiểu"), and the span after it that describes it.

    A gap that leads into the next figure is cut at its last comma break ("..., trong số
    đó, tỷ lệ ... đạt từ"): the words before the break stay with the earlier figure.
    """
    n = len(gaps) - 1
    before = [(0, 0)] * n
    after = [(0, 0)] * n
    g0 = gaps[0]
    before[0] = g0 if _content_words(folded[g0[0] : g0[1]]) else (g0[1], g0[1])
    for j in range(1, n + 1):
        s, e = gaps[j]
        gap = folded[s:e]
        if j == n or not _leads_in(gap):
            after[j - 1] = (s, e)
            if j < n:
                before[j] = (e, e)
            continue
        breaks = list(re.finditer(r"(?:^|,)\s*(?:trong\s+(?:[a-z0-9]{1,3}\s+)?do\s*,?\s*)?", gap))
        full = [m for m in breaks if len(_content_words(gap[m.end() :])) >= 2]
        measure = [m for m in full if _MEASURE.match(gap[m.end() :])]
        within = [m for m in full if "trong" in m.group(0)]
        bare = [
            m
            for m in breaks
            if m.start() > 0 and _content_words(gap[: m.start()]) and len(_content_words(gap[m.end() :])) < 2
        ]
        if measure:
            # The next figure's lead-in names a measure: "..., tỷ lệ giao dịch ... đạt từ".
            cut = s + measure[-1].end()
        elif within:
            cut = s + within[-1].end()
        elif bare:
            # "không quá 5% hồ sơ trễ hạn, dưới 2%": only a bound word after the comma.
            cut = s + bare[-1].end()
        elif full:
            cut = s + full[0].end()
        else:
            cut = s
        after[j - 1] = (s, cut)
        before[j] = (cut, e)
    return before, after


def _clauses(sentence: str) -> list[str]:
    """';'-separated clauses; one without a figure continues the clause before it
    ("100% cơ quan ... (cả Ban Quản lý); UBND các huyện ...; được đánh giá")."""
    out: list[str] = []
    for part in sentence.split(";"):
        f = ocr_fold(part)
        has_figure = bool(_PERCENT.search(f) or _RANK.search(f) or _BOUND_COUNT.search(f))
        if out and not has_figure:
            out[-1] += ";" + part
        else:
            out.append(part)
    return out


@dataclass
class _Clause:
    """One ';' clause read for targets: its folded text, its figures, and who owns the words between them."""

    raw: str
    folded: str
    figs: list[_Figure]
    gaps: list[tuple[int, int]]
    """Text around the figures: gap k precedes figure k, the last one follows the last figure."""
    owned: list[tuple[int, int]]
    """The span before figure k that leads into it ("Tỷ lệ ... đạt tối thiểu")."""
    owned_after: list[tuple[int, int]]
    """The span after figure k that describes it ("hồ sơ ... được số hoá")."""

    @classmethod
    def read(cls, clause: str) -> _Clause | None:
        folded = ocr_fold(clause)
        figs = _figures(clause, folded)
        if not figs:
            return None
        bounds = [0] + [x for f in figs for x in (f.start, f.end)] + [len(clause)]
        gaps = [(bounds[2 * k], bounds[2 * k + 1]) for k in range(len(figs) + 1)]
        owned, owned_after = _split_gaps(folded, gaps)
        return cls(clause, folded, figs, gaps, owned, owned_after)

    def shared_tail(self) -> str:
        """The words after the last figure, from its predicate on ("được ..."): what a list of figures shares."""
        s, e = self.gaps[-1]
        pred = re.search(r"\bduoc\b", self.folded[s:e])
        return self.raw[s:e][pred.start() :] if pred else self.raw[s:e]


def _clause_deadline(folded: str, lead_year: int | None) -> int | None:
    """The clause's last "năm 2025" (not "so với năm ..."), else the year its paragraph led in with."""
    dm = [m for m in _DEADLINE.finditer(folded) if "so voi" not in folded[max(0, m.start() - 8) : m.start()]]
    return int(dm[-1].group(1)) if dm else lead_year


def _assign_comparator(c: _Clause, k: int, chain: str | None) -> str | None:
    """Set figure k's comparator from the words right around it, or from the comparator a list of
    figures shares ("tối thiểu 80% ..., 40% ..."); returns that shared comparator for the next figure."""
    fig = c.figs[k]
    if fig.kind == "rank":
        return chain
    fb, fa = c.folded[slice(*c.gaps[k])], c.folded[slice(*c.gaps[k + 1])]
    cmp_ = _comparator(fb, fa)
    if cmp_ is None and fig.kind == "count":
        cmp_ = _comparator(c.folded[max(0, fig.start - 20) : fig.start], fa)
    if cmp_ is not None:
        fig.comparator, fig.explicit = cmp_, True
        return cmp_
    if chain is not None and k > 0 and len(fb) < 120 and fig.value < 100:
        fig.comparator = chain
        return chain
    return None


def _own_words(c: _Clause, k: int) -> str:
    """The words that belong to figure k: the part of the gap before it that leads in (all of it
    for the first figure), and the gap after it up to where a lead-in to the next figure starts."""
    parts: list[str] = []
    b0, b1 = c.owned[k]
    if b1 > b0:
        parts.append(_strip_link(c.raw[b0:b1], c.folded[b0:b1]))
    a0, a1 = c.owned_after[k]
    if a1 > a0:
        parts.append(_strip_after(c.raw[a0:a1], c.folded[a0:a1]))
    return _tidy(" ".join(p.strip() for p in parts))


def _figure_metric(c: _Clause, k: int, prev_metric: str, shared_tail: str) -> str:
    """Figure k's metric: its own words, completed from the figure before or the predicate a list shares."""
    metric = _own_words(c, k)
    fm = ocr_fold(metric)
    if len(_content_words(fm)) < 2 and prev_metric:
        metric = prev_metric
    elif re.match(r"^(?:tai|o)\s+cap\b", fm) and prev_metric:
        # The counted noun is left out after the first figure: "40% hồ sơ ... tại cấp huyện, 35% ở cấp xã".
        head = re.split(r"\s(?:tại|ở|thuộc)\s", prev_metric, maxsplit=1)[0]
        metric = f"{head} {metric}"
    next_leads = k + 1 < len(c.figs) and c.owned[k + 1][1] > c.owned[k + 1][0]
    if (
        k + 1 < len(c.figs)
        and not next_leads
        and not re.search(r"\bduoc\b", ocr_fold(metric))
        and len(_content_words(c.folded[slice(*c.gaps[k + 1])])) <= 8
        and len(_content_words(ocr_fold(shared_tail))) >= 2
    ):
        # A list sharing one predicate: "100% cơ quan A, 90% đơn vị B hoàn thiện ...".
        metric = _tidy(f"{metric} {shared_tail}")
    return metric


def _target_rows(fig: _Figure, metric: str, scopes: list[str | None], where: dict, seen: set[tuple]) -> list[TargetRow]:
    """One row per scope of a figure, unless the same target was already read (`seen`)."""
    unit = fig.unit if fig.kind != "pct" else "%"
    out: list[TargetRow] = []
    for scope in scopes:
        key = (where["area"], fig.value, unit, fig.comparator, scope, metric)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            TargetRow(
                **where,
                target_id="",
                value=fig.value,
                unit=unit,
                comparator=fig.comparator,  # type: ignore[arg-type]
                scope=scope,
                metric=metric,
            )
        )
    return out


def _clause_targets(
    clause: str,
    sentence: str,
    area: str | None,
    lead_year: int | None,
    page: int,
    plan_id: str,
    seen: set[tuple],
) -> list[TargetRow]:
    """Targets of one ';' clause: figures, their comparators, the words that describe each, scopes."""
    c = _Clause.read(clause)
    if c is None:
        return []
    where = {
        "plan_id": plan_id,
        "area": area,
        "deadline_year": _clause_deadline(c.folded, lead_year),
        "source_text": _tidy(sentence),
        "page": page,
    }
    shared_tail = c.shared_tail()
    out: list[TargetRow] = []
    chain: str | None = None  # the comparator a list of figures shares
    prev_metric = ""
    for k, fig in enumerate(c.figs):
        chain = _assign_comparator(c, k, chain)
        metric = _figure_metric(c, k, prev_metric, shared_tail)
        a0, a1 = c.owned_after[k]
        out += _target_rows(fig, metric, _scopes(c.folded[a0:a1]) or [None], where, seen)
        prev_metric = metric
    return out
