"""Names of administrative units after their unit word take the marks the register gives them.

"sáp nhập toàn bộ diện tích của các xã Liên Hoa, Lệ Mỹ và Phù Ninh thành xã mới gọi là xã Phù
Ninh": a name's marks cannot be told from its letters, and the language model, which has seen
"Phú" and "Đông" far more often than "Phù" and "Đồng", writes the commoner syllable.  After a
unit word ("xã", "phường", "thị trấn", "huyện", "quận", "thị xã", "thành phố", "tỉnh", "đặc
khu") and along a list of such names ("các xã A, B và C"), a run of capitalised words whose
letters spell a registered unit of that level is written as the register writes it, when the
register knows one spelling of those letters at that level (or the decoded one is among its
spellings).  Villages ("thôn", "ấp", "bản") are in no register and are left to the model.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping

from diacritics.text import letters_of, old_style, strip_marks, token_indices

#: Unit words (letters without marks, lower case) and the level of the units they name.
UNIT_LEVELS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("xa",): ("xa",),
    ("phuong",): ("xa",),
    ("thi", "tran"): ("xa",),
    ("dac", "khu"): ("xa",),
    ("huyen",): ("huyen",),
    ("quan",): ("huyen",),
    ("thi", "xa"): ("huyen",),
    ("thanh", "pho"): ("huyen", "tinh"),
    ("tinh",): ("tinh",),
}
_UNITS_BY_FIRST: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
for _words, _levels in UNIT_LEVELS.items():
    _UNITS_BY_FIRST.setdefault(_words[0], []).append((_words, _levels))
MAX_NAME_WORDS = 4
PLACE_NAMES_ENABLED = True
_LIST_GAP = re.compile(r"^\s*[,;]\s*$")
_AND = frozenset(("và", "va"))

#: level -> letters of a name ("phu ninh") -> each spelling the register has ("Phù Ninh", ...)
#: -> the letters of the provinces that have a unit so spelt ({"phu tho"})
Places = Mapping[str, Mapping[str, Mapping[str, frozenset[str]]]]
#: How far (in parts, two a word) a province named in the text speaks for the units near it.
PROVINCE_REACH = 4000


def _placement_free(text: str) -> str:
    """`text` with every tone in the old placement ("Hoá" -> "Hóa", as `old_style` writes it):
    two spellings that differ only in where the tone sits give the same key."""
    return " ".join(map(old_style, text.split(" ")))


def _unit_at(parts: list[str], i: int) -> tuple[tuple[str, ...], int] | None:
    """(levels, index of the first token after it) when a unit word starts at token i."""
    first = strip_marks(parts[i]).lower()
    for words, levels in _UNITS_BY_FIRST.get(first, ()):
        j = i
        for w in words[1:]:  # "thị xã", "thành phố": the next words, one space apart
            if parts[j + 1] != " " or j + 2 >= len(parts) or strip_marks(parts[j + 2]).lower() != w:
                break
            j += 2
        else:
            if j + 2 < len(parts) and parts[j + 1] == " ":
                return levels, j + 2
    return None


def _title_run(parts: list[str], i: int) -> list[int]:
    """Token indices of the capitalised words from i on, one space apart (at most MAX_NAME_WORDS)."""
    run: list[int] = []
    while i < len(parts) and len(run) < MAX_NAME_WORDS and parts[i][:1].isupper() and parts[i].isalpha():
        run.append(i)
        if i + 1 >= len(parts) or parts[i + 1] != " ":
            break
        i += 2
    return run


def _spell(parts: list[str], run: list[int], levels: tuple[str, ...], places: Places, near: set[str]) -> int:
    """Write the longest registered name at the head of `run`; the number of its words (0: none).
    Of several spellings of the same letters, those of a province named nearby (`near`) win."""
    for n in range(len(run), 0, -1):
        decoded = " ".join(parts[i] for i in run[:n])
        key = letters_of(decoded)
        spellings: dict[str, set[str]] = {}
        for level in levels:
            for spelling, provinces in places.get(level, {}).get(key, {}).items():
                spellings.setdefault(spelling, set()).update(provinces)
        if not spellings:
            continue
        if decoded in spellings and (not near or spellings[decoded] & near or not any(p & near for p in spellings.values())):
            return n  # registered as decoded, and no nearer province spells it otherwise
        local = {sp for sp, provinces in spellings.items() if provinces & near}
        choices = {_placement_free(sp): sp for sp in (local or spellings)}
        if _placement_free(decoded) in choices and (len(choices) > 1 or not local):
            return n  # the decoded spelling is registered and nothing nearer says otherwise
        if len(choices) == 1:
            spelling = next(iter(choices.values()))
            if _placement_free(spelling) != _placement_free(decoded):
                for i, word in zip(run[:n], spelling.split(), strict=True):
                    if _placement_free(word) == _placement_free(parts[i]):
                        continue  # the same syllable, only its tone placed otherwise: the text's way
                    word = old_style(word)  # the register's own placement: the model's one spelling
                    parts[i] = word.upper() if parts[i].isupper() else word[:1].upper() + word[1:]
        return n
    return 0


_MARKED = {"a": "aàáảãạăằắẳẵặâầấẩẫậ", "e": "eèéẻẽẹêềếểễệ", "i": "iìíỉĩị", "o": "oòóỏõọôồốổỗộơờớởỡợ",
           "u": "uùúủũụưừứửữự", "y": "yỳýỷỹỵ", "d": "dđ"}


def _spellings(letters: str) -> frozenset[str]:
    """Every way `letters` can be written with marks, in lower case, Title case and capitals
    ("xa": "xã", "Xã", "XÃ", "xa", ...): the tokens that may spell them, looked up in one
    C-speed pass over a page instead of stripping every token."""
    forms = [""]
    for ch in letters:
        forms = [f + v for f in forms for v in _MARKED.get(ch, ch)]
    return frozenset(w for f in forms for w in (f, f[:1].upper() + f[1:], f.upper()))


def _positions(parts: list[str], *groups: frozenset[str]) -> list[list[int]]:
    """For each group of spellings (`_spellings`), the indices of the tokens that are one of
    them, found with one C-speed pass over the page's tokens."""
    hits = token_indices(parts, frozenset().union(*groups))
    return [[i for i in hits if parts[i] in group] for group in groups]


_UNIT_FIRST = frozenset().union(*(_spellings(words[0]) for words in UNIT_LEVELS))
_DATE_WORD = _spellings("ngay")


def _provinces(parts: list[str], starts: list[int], places: Places) -> list[tuple[int, str]]:
    """(token index, province letters) of every province named after "tỉnh" or "thành phố"
    (`starts`: where unit words may begin)."""
    out: list[tuple[int, str]] = []
    provinces = places.get("tinh", {})
    for i in starts:
        letters = strip_marks(parts[i]).lower()
        if letters == "thanh" and i + 2 < len(parts) and strip_marks(parts[i + 2]).lower() == "pho":
            i += 2
        elif letters != "tinh":
            continue
        run = _title_run(parts, i + 2) if i + 2 < len(parts) and parts[i + 1] == " " else []
        for n in range(len(run), 0, -1):
            key = letters_of(" ".join(parts[k] for k in run[:n]))
            if key in provinces:
                out.append((i, key))
                break
    return out


def _spell_place_of_issue(parts: list[str], dated: list[int], places: Places) -> None:
    """The place a document was issued at opens its date line ("Thanh Hóa, ngày 20 tháng 3 năm
    2025"): a province, district or commune of the register, without its unit word."""
    for d in dated:
        if d < 3 or parts[d - 1] not in (", ", ","):
            continue
        run: list[int] = []
        i = d - 2
        while i >= 1 and len(run) < MAX_NAME_WORDS and parts[i][:1].isupper() and parts[i].isalpha():
            run.insert(0, i)
            if "\n" in parts[i - 1] or i == 1 or parts[i - 1] != " ":
                break
            i -= 2
        if run and (run[0] == 1 or "\n" in parts[run[0] - 1]):
            for level in ("tinh", "huyen", "xa"):  # mostly a province: the largest unit that fits
                if _spell(parts, run, (level,), places, set()):
                    break


def fix_place_names(parts: list[str], places: Places) -> None:
    """Spell the units named after unit words as the register does.  Changes `parts`."""
    if not PLACE_NAMES_ENABLED or not places:
        return
    starts, dated = _positions(parts, _UNIT_FIRST, _DATE_WORD)
    if not starts and not dated:
        return
    named = _provinces(parts, starts, places)  # in text order
    at = [i for i, _ in named]
    _spell_place_of_issue(parts, dated, places)
    n = len(parts)
    done = -1  # names up to here are spelt
    for i in starts:
        # a name follows in capitals, after the unit word or its second word ("thị xã")
        if i <= done or not (parts[i + 2 : i + 3] and (parts[i + 2][:1].isupper() or parts[i + 4 : i + 5] and parts[i + 4][:1].isupper())):
            continue
        unit = _unit_at(parts, i)
        if unit is None:
            continue
        levels, j = unit
        near = {key for _, key in named[bisect_left(at, i - PROVINCE_REACH) : bisect_right(at, i + PROVINCE_REACH)]}
        while True:
            run = _title_run(parts, j)
            used = _spell(parts, run, levels, places, near) if run else 0
            if not used:
                break
            end = done = run[used - 1]  # last token of the name
            k = end + 2
            # the list goes on: ", B", " và C", ", và C"
            if k < n and _LIST_GAP.match(parts[end + 1]) and parts[k][:1].isupper():
                j = k
            elif k + 2 < n and parts[end + 1] in (" ", ", ") and parts[k] in _AND and parts[k + 1] == " " and parts[k + 2][:1].isupper():
                j = k + 2
            else:
                break
            if _unit_at(parts, j) is not None:  # "phường X, Thành phố Y": a unit of its own
                break
