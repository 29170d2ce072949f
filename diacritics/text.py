"""Character-level helpers shared by the builder and the restorer: mark stripping, token
splitting and case transfer.

Everything is keyed on lower-case NFC forms; the original token's case pattern is put back
after decoding, so "KE HOACH" and "Ke hoach" share statistics with "ke hoach".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set as AbstractSet
from functools import lru_cache
from itertools import compress

from schema import vntext

#: A token is a run of word characters plus the symbols English OCR substitutes for marked
#: letters ("S&" for "Sở", "S¢" for "Sở").
TOKEN_RE = re.compile(r"[\w&¢©®@€£$§]+")
TOKEN_SPLIT = re.compile(r"([\w&¢©®@€£$§]+)")
#: On English-OCR pages a hook or tilde often comes out as "?" or "’" glued after the letters
#: ("ct?" for "cứ"); the OCR side of the confusion table keeps it as part of the token.
OCR_TOKEN_RE = re.compile(r"[\w&¢©®@€£$§]+[?’]?")
GLUED_MARKS = "?’"
#: Letters that can spell one Vietnamese syllable (onset, vowels, coda), marks stripped.
SYLLABLE_SHAPE = re.compile(r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(ng|nh|ch|[cmnpt])?$")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_ALL_LETTERS = re.compile(r"^[^\W\d_]+$")


strip_marks = lru_cache(maxsize=200_000)(vntext.strip_marks)
"""`schema.vntext.strip_marks` ("Điều" -> "Dieu"), cached: the restorer strips every candidate
form of every token several times per page."""


def is_caps_word(token: str) -> bool:
    """A word written in capitals: two letters or more, all upper case (a heading's word, an
    abbreviation); a lone capital is just an initial."""
    return len(token) > 1 and token.isupper()


def has_marks(word: str) -> bool:
    """True when the word carries any Vietnamese mark or đ."""
    return strip_marks(word) != word


def is_word(token: str) -> bool:
    """Only letters: a syllable, abbreviation or foreign word."""
    return bool(_ALL_LETTERS.match(token))


def is_mixed(token: str) -> bool:
    """Letters mixed with digits or OCR symbols ("s6", "S&", "QH15")."""
    return bool(_HAS_LETTER.search(token)) and not is_word(token)


def is_number(token: str) -> bool:
    return token.isdigit()


def apply_case(template: str, word: str) -> str:
    """Give `word` (lower case) the case pattern of the observed token `template`."""
    if template.islower():  # the common cases first, without looking at every letter
        return word
    if template[:1].isupper() and template[1:].islower():
        return word[:1].upper() + word[1:]
    letters = [ch for ch in template if ch.isalpha()]
    if not letters:
        return word
    if len(letters) > 1 and all(ch.isupper() for ch in letters):
        return word.upper()
    if letters[0].isupper():
        return word[:1].upper() + word[1:]
    return word



_TONES = "\u0300\u0301\u0303\u0309\u0323"
_STYLE_SHAPE = re.compile(r"^([bcdđhklmnprstvx]*)(oa|oe|uy)$")


def tone_styles(form: str) -> tuple[str, str] | None:
    """("hóa", "hoá"): the old and the new placement of the tone of an open oa/oe/uy syllable
    (lower case), or None when the two spellings are the same ("quý", "hoạch")."""
    d = unicodedata.normalize("NFD", form)
    tone = [c for c in d if c in _TONES]
    if len(tone) != 1:
        return None
    bare = unicodedata.normalize("NFC", "".join(c for c in d if c not in _TONES))
    m = _STYLE_SHAPE.match(bare)
    if not m:
        return None
    onset, v = m.groups()
    return (
        unicodedata.normalize("NFC", onset + v[0] + tone[0] + v[1]),
        unicodedata.normalize("NFC", onset + v + tone[0]),
    )


@lru_cache(maxsize=100_000)
def old_style(word: str) -> str:
    """`word` with the tone of an open oa/oe/uy syllable placed the old way ("Hoá" -> "Hóa",
    "uỷ" -> "ủy"), its case kept: the one spelling the language model knows.  Where a writer
    puts that tone is a convention of the document, not of the word, so the model's counts of
    the two placements are pooled, mark-less input comes out in the old placement (the
    corpus writes "hóa" 23 times for one "hoá", "Ủy" 70 times for one "Uỷ"), and a token
    that has its marks keeps its own placement (restore._changes)."""
    both = tone_styles(word.lower())
    if both is None or both[0] == word.lower():
        return word
    return apply_case(word, both[0])


def letters_of(name: str) -> str:
    """A name's letters without marks, in lower case, one space apart ("Phù Ninh" -> "phu
    ninh"): the key a place is looked up by, whatever marks the text gave it."""
    return " ".join(strip_marks(w).lower() for w in name.split())


def token_indices(parts: list[str], wanted: AbstractSet[str]) -> list[int]:
    """Indices in `parts` ([gap, token, gap, ...] of a page) of the tokens that are in `wanted`,
    found with one C-speed pass: a long page has many tokens and few that a rule looks for."""
    tokens = parts[1::2]
    return [2 * k + 1 for k in compress(range(len(tokens)), map(wanted.__contains__, tokens))]
