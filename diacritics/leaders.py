"""Dot leaders read as letters by an English OCR model.

Forms and templates are full of dot leaders ("Họ và tên: ..........", "ngày ... tháng ...").
On a blurred or resampled scan, `tesseract -l eng` reads long runs of dots partly as dots and
partly as runs of small round letters ("........esceesessesesssseses", "eee cece eeeeeeen"); the
restorer would then "repair" those into Vietnamese words.  On the English-OCR pages of the dev
split they were about two thirds of the character errors left after restoration.  This module
puts such runs back as dots before decoding, within one line (line count and order are kept).
"""

from __future__ import annotations

import re

from diacritics.text import SYLLABLE_SHAPE, strip_marks

_SPLIT = re.compile(r"(\w+)")
#: Letters English OCR makes of dots: mostly e, c and s, now and then o, a, n, u, t, r or 0.
_STRONG = re.compile(r"^[ecsnoatur0]+$")
_WEAK = re.compile(r"^[ecso0]+$")
_LEADER = re.compile(r"\.{3,}|…")
_LEADER_ENDS = ("..", "…")
LONG_GARBLE = 12
#: The colon that opens a leader ("Địa chỉ: ........") read as "?", "%" or "°", or as "2" after
#: a closing bracket ("(ghi rõ họ tên) :......" -> ") 2......"); after a colon, a "2" glued to
#: the dots is one more dot.
_COLON_SIGN = re.compile(r"(?<=[^\s.])([ \t]?)[?%°](?=[ \t]?\.{5})")
_COLON_TWO = re.compile(r"(?<=[):][ \t])2(?=\.{2})")
LEADER_COLONS = True
#: ... or read as a letter glued to the word in front of the leader ("Địa chỉ thường trú:....."
#: -> "tris.....", "Điện thoại:" -> "thoaie", "Số giấy phép:" -> "Phépr"): the word is no
#: syllable with that letter and one without it.
_COLON_LETTER = re.compile(r"([^\W\d_]+)([serz])(?=[ \t]?\.{3})")
#: Dashes and guillemets English OCR reads for dots of a leader: "-" right after a dot (not
#: after a letter: "QĐ-...", "GP-BS-..." keep theirs), "«" or "»" touching two dots.
_LEADER_SIGNS = re.compile(r"(?<=\.)-+(?=[.(\s]|$)|[«»](?=\.\.)|(?<=\.\.)[«»]")
#: One or two words in capitals right after a leader, then another leader, a sign or the line
#: end: English OCR reads the words that follow a long run of dots in capitals ("Số CCCD:
#: ........ NGAY CAP ........ NOI CAP" for "ngày cấp", "nơi cấp").
_CAPS_AFTER_LEADER = re.compile(r"(?<=\.{5})([ \t]*)([A-Z]{2,}(?:[ \t]+[A-Z]{2,})?)(?=[ \t]*(?:[^\w \t]|\d|$|[a-z]\.))")
_LOWER_WORD = re.compile(r"\b[^\W\d_]*[a-z][^\W\d_]*\b")
CAPS_AFTER_LEADER = True


def _is_garble(token: str) -> bool:
    """A token of four letters or more that only dots make: round letters, at least 60% e, c
    or s and two e's or more (no Vietnamese syllable or abbreviation looks like it)."""
    return (
        len(token) >= 4
        and bool(_STRONG.match(token))
        and sum(ch in "ecs" for ch in token) >= 0.6 * len(token)
        and token.count("e") >= 2
    )


def clean_line(line: str) -> str:
    """One line with its leader garble turned back into dots.  A short round token ("ee",
    "cece", "0") counts as garble too when it touches garble or touches dots and cannot be a
    syllable ("co", "so" after "..." stay: "ngày ... có"); dots separated only by blanks are
    joined."""
    parts = _SPLIT.split(line)
    n = len(parts)
    garble = [i % 2 == 1 and _is_garble(parts[i]) for i in range(n)]
    # A line needs dots read as dots somewhere, or a run of garble too long to be anything else
    # (a whole leader line read as letters: "cesessesseeecoceseeeceeescs...").
    if not _LEADER.search(line) and not any(g and len(parts[i]) >= LONG_GARBLE for i, g in enumerate(garble)):
        return line
    changed = True
    while changed:
        changed = False
        for i in range(1, n, 2):
            token = parts[i]
            if garble[i] or not _WEAK.match(token):
                continue
            left, right = parts[i - 1], parts[i + 1] if i + 1 < n else ""
            by_garble = (i >= 2 and garble[i - 2] and not left.strip(" .")) or (
                i + 2 < n and garble[i + 2] and not right.strip(" .")
            )
            by_dots = left.rstrip(" ").endswith(_LEADER_ENDS) or right.lstrip(" ").startswith(_LEADER_ENDS)
            if by_garble or (by_dots and (not SYLLABLE_SHAPE.match(token) or set(token) == {"e"})):
                garble[i] = changed = True
    if not any(garble):
        return line
    for i in range(1, n, 2):
        if garble[i]:
            parts[i] = "." * len(parts[i])
    return re.sub(r"(?<=\.) +(?=\.)", "", "".join(parts))


def _colon_letter(match: re.Match[str]) -> str:
    word = strip_marks(match.group(1)).lower()
    if SYLLABLE_SHAPE.match(word) and not SYLLABLE_SHAPE.match(word + match.group(2)):
        return match.group(1) + ":"
    return match.group(0)


def leader_colons(line: str) -> str:
    """`line` with the colon before its leader and the dots read as signs put back (see
    _COLON_SIGN, _LEADER_SIGNS)."""
    if "..." not in line or not LEADER_COLONS:
        return line
    line = _COLON_SIGN.sub(r"\1:", line)
    line = _COLON_LETTER.sub(_colon_letter, line)
    if "-" in line or "«" in line or "»" in line:
        line = _LEADER_SIGNS.sub(lambda m: "." * len(m.group()), line)
    return _COLON_TWO.sub(lambda m: "." if line[m.start() - 2] == ":" else ":", line)


def lower_after_leader(line: str) -> str:
    """`line` with the words in capitals after its leaders in lower case (see
    _CAPS_AFTER_LEADER), when the text in front of the first leader has a word in lower case
    (the line is running text, not a heading or a table of contents)."""
    if not CAPS_AFTER_LEADER or "....." not in line:
        return line
    head = line[: line.index(".....")]
    if not _LOWER_WORD.search(head):
        return line
    return _CAPS_AFTER_LEADER.sub(lambda m: m.group(1) + m.group(2).lower(), line)


def clean_leaders(text: str) -> str:
    """`clean_line` on every line of a page (line breaks kept)."""
    return "\n".join(lower_after_leader(leader_colons(clean_line(line))) for line in text.split("\n"))
