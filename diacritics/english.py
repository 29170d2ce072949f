"""English passages inside a Vietnamese document are copied through as they are.

State documents quote English: the translated title of a decree ("Decree No 120/2016/ND-CP
dated August 23, 2016 on elaborating ..."), the name of a foreign partner, a UNESCO
register.  Its short words are Vietnamese letters too ("to", "No", "a", "on"), and between the
long English words (which are no syllable and end a decoding run) each of them is read alone
as its commonest Vietnamese form ("to" -> "tố"), and the "ND" of a decree code as "NĐ".  A
passage is found by its function words, which no Vietnamese syllable spells ("of", "and",
"for", "with", "from", "by", "which", "shall", ...): a stretch of words that begins and ends
with an English word, never holds three Vietnamese-looking words in a row, and has at least
two function words and English words for half of its words.  Everything inside it (codes and
numbers too) is left alone.  A Vietnamese sentence with an English name in it keeps its own
words: the name ends where three Vietnamese words follow each other, and a stretch without
two function words is no passage.
"""

from __future__ import annotations

from functools import lru_cache

from diacritics.text import SYLLABLE_SHAPE, has_marks, is_caps_word, strip_marks, token_indices

#: English function words that no Vietnamese syllable spells ("the" and "that" do: "thể",
#: "thật"; a test checks the rest against the model's forms).
FUNCTION_WORDS = frozenset(
    "of and for with from by which shall this these those is are was were been has have "
    "will would its their dated pursuant under into upon such".split()
)
MIN_FUNCTION_WORDS = 2
MIN_ENGLISH_SHARE = 0.5  # of the stretch's words: English ones (the rest look Vietnamese)
#: Vietnamese-looking words in a row that still belong to a passage ("other than the fee").
MAX_SYLLABLE_RUN = 2
ENGLISH_ENABLED = True

_ENGLISH, _VIETNAMESE, _NEUTRAL = 0, 1, 2


@lru_cache(maxsize=100_000)
def _kind(token: str) -> int:
    """English (a function word, or a word of letters that no Vietnamese syllable spells),
    Vietnamese-looking (a syllable's letters, or marks), or neutral (numbers, codes, words in
    capitals, single letters): neutral tokens neither make nor break a passage."""
    if not token.isalpha() or len(token) < 2 or is_caps_word(token):
        return _NEUTRAL
    low = token.lower()
    if low in FUNCTION_WORDS:
        return _ENGLISH
    if has_marks(token) or SYLLABLE_SHAPE.match(strip_marks(low)):
        return _VIETNAMESE
    return _ENGLISH


def _edge(parts: list[str], start: int, step: int) -> int:
    """The last English word reached from the English word `start` going `step` (+-2) before
    MAX_SYLLABLE_RUN + 1 Vietnamese-looking words in a row (or the page's end)."""
    edge, run, i = start, 0, start + step
    while 0 < i < len(parts):
        kind = _kind(parts[i])
        if kind == _ENGLISH:
            edge, run = i, 0
        elif kind == _VIETNAMESE:
            run += 1
            if run > MAX_SYLLABLE_RUN:
                break
        i += step
    return edge


def english_tokens(parts: list[str]) -> set[int]:
    """Indices (odd: tokens) of `parts` ([gap, token, gap, ...] of one page) inside an English
    passage.  Only the neighbourhood of the function words is read: most pages hold none (their
    distinct tokens, a C-speed set, say so), and a long page holds a few passages at most."""
    if not ENGLISH_ENABLED:
        return set()
    found = {t for t in set(parts[1::2]) if t.lower() in FUNCTION_WORDS}
    if not found:
        return set()
    hits = token_indices(parts, found)
    if len(hits) < MIN_FUNCTION_WORDS:
        return set()
    out: set[int] = set()
    done = -1  # tokens up to here belong to a stretch already read
    for h in hits:
        if h <= done:
            continue
        lo, hi = _edge(parts, h, -2), _edge(parts, h, 2)
        done = hi
        kinds = [_kind(parts[i]) for i in range(lo, hi + 1, 2)]
        words = [k for k in kinds if k != _NEUTRAL]
        function = sum(1 for i in range(lo, hi + 1, 2) if parts[i].lower() in FUNCTION_WORDS)
        if function >= MIN_FUNCTION_WORDS and words.count(_ENGLISH) >= MIN_ENGLISH_SHARE * len(words):
            out.update(range(lo, hi + 1, 2))
    return out
