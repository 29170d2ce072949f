"""Which of tesseract's own readings of a word do state documents write? A lexicon choice inside OCR.

Why: on 200 dpi scans (and now and then at 300 dpi) the LSTM's best path often carries the wrong mark ("sửa đối", "bố sung",
"tỉnh gọn", "CÀI CÁCH", "TRIẾN") while the right character is among its alternatives for that
position (`lstm_choice_mode=2`, `TessWord.choices`), often at a confidence near the winner's.
The pixels cannot settle it (`ocr.mark_check` settles what they can); the words next to it can,
as tesseract's own dictionary would if its LSTM decoder used one. So, per word:

- candidates are the word with **one** character replaced by one of tesseract's alternatives for
  that character: the same letter with other marks (any confidence), or another letter when
  tesseract gave it at least `LETTER_CONF` (ú/á in "Cúc sở", Đ/D in "UBNĐ");
- the reading changes when a candidate occurs next to the word's neighbours in the syllable
  pairs of the legal corpus's training side (`syllable_pairs.tsv.gz`, built by
  `python -m tools.build_pair_lexicon`) `MIN_PAIRS` times at least and `RATIO` times as often as
  the word as read ("sửa đổi" 503 against "sửa đối" 0 + "đối các" 2); or when
  the word as read is not a syllable of that text at all and a candidate is a common one
  (`MIN_SYLLABLE`) -- "chuấn" -> "chuẩn", "cac" -> "các".

Neighbours are the words next to it on the same printed line with only a space between (a comma,
a bracket or a wide gap ends the context, as in the counts). Numbers, codes and capitalised
abbreviations other than letter-for-letter syllables are never touched: a candidate must be a
syllable of letters. Words without alternatives (CLI engine) pass through.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from schema.vntext import deaccent, nfc

LEXICON = Path(__file__).resolve().parent / "syllable_pairs.tsv.gz"
LETTER_CONF = 40.0
"""Confidence an alternative must have to replace the *letter* rather than only its marks."""
MIN_PAIRS = 3
"""Times a candidate must occur next to the word's neighbours before it replaces a reading they never show."""
RATIO = 20
"""... and at least this many times as often as the reading itself does there."""
MIN_SYLLABLE = 20
"""Times a candidate must occur in the corpus before it replaces a reading that is no syllable of it."""
MAX_GAP = 1.5
"""Widest gap, in word heights, still read as the space between two words of one phrase."""

_OPEN = re.compile(r"^[\"'“”‘’(\[]+")
_CLOSE = re.compile(r"[\"'“”‘’)\].,;:!?…]+$")


@dataclass(frozen=True)
class Lexicon:
    """Syllable and adjacent-pair counts (lower case, NFC)."""

    syllables: dict[str, int]
    pairs: dict[tuple[str, str], int]

    @classmethod
    def load(cls, path: Path) -> Lexicon:
        syllables: dict[str, int] = {}
        pairs: dict[tuple[str, str], int] = {}
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                key, _, n = line.rstrip("\n").rpartition("\t")
                a, _, b = key.partition(" ")
                if b:
                    pairs[a, b] = int(n)
                else:
                    syllables[a] = int(n)
        return cls(syllables, pairs)

    def context(self, left: str | None, syl: str, right: str | None) -> int:
        """How often `syl` occurs after `left` plus before `right`."""
        n = 0
        if left is not None:
            n += self.pairs.get((left, syl), 0)
        if right is not None:
            n += self.pairs.get((syl, right), 0)
        return n


@lru_cache(maxsize=1)
def lexicon() -> Lexicon | None:
    """The shipped counts, or None when the file is missing (words then pass through)."""
    return Lexicon.load(LEXICON) if LEXICON.exists() else None


def applies() -> bool:
    """Whether words get the choice (the counts file is shipped; a checkout without it reads as before)."""
    return lexicon() is not None


@lru_cache(maxsize=4096)
def _base(ch: str) -> str:
    return deaccent(ch).lower()


@dataclass(frozen=True)
class _Parts:
    """A word's text cut into opening punctuation, the syllable, closing punctuation."""

    head: str
    core: str
    tail: str

    @staticmethod
    def of(text: str) -> _Parts:
        return _parts(text)

    @property
    def syllable(self) -> str | None:
        low = nfc(self.core).lower()
        return low if low.isalpha() else None


@lru_cache(maxsize=16384)
def _parts(text: str) -> _Parts:
    """Cached: every word is cut several times per pass (as itself, as a neighbour, per candidate)."""
    rest = _OPEN.sub("", text)
    core = _CLOSE.sub("", rest)
    return _Parts(text[: len(text) - len(rest)], core, rest[len(core):])


def candidates(word) -> list[str]:  # word: TessWord
    """The word's other readings: one character replaced by one of tesseract's alternatives for it."""
    syms = word.symbols
    if not word.choices or len(word.choices) != len(word.text) or "".join(t for t, _ in syms) != word.text:
        return []
    parts = _Parts.of(word.text)
    start = len(parts.head)
    out: list[str] = []
    for i, ch in enumerate(parts.core):
        for alt, conf in word.choices[start + i]:
            if not alt or len(alt) != 1 or alt == ch or not alt.isalpha() or alt.isupper() != ch.isupper():
                continue
            if _base(alt) != _base(ch) and conf < LETTER_CONF:
                continue
            text = parts.head + parts.core[:i] + alt + parts.core[i + 1:] + parts.tail
            if text not in out:
                out.append(text)
    return out


def _neighbours(words: list, k: int) -> tuple[str | None, str | None]:
    """The syllables right before and after word `k` in its phrase (None across punctuation or a gap)."""
    w = words[k]
    here = _Parts.of(w.text)
    left = right = None
    if k > 0 and not here.head:
        p = words[k - 1]
        pp = _Parts.of(p.text)
        if _same_phrase(p, w) and not pp.tail:
            left = pp.syllable
    if k + 1 < len(words) and not here.tail:
        n = words[k + 1]
        np_ = _Parts.of(n.text)
        if _same_phrase(w, n) and not np_.head:
            right = np_.syllable
    return left, right


def _same_phrase(a, b) -> bool:  # a, b: TessWord
    """`b` follows `a` on the same printed line, a word space away."""
    if (a.block, a.par, a.line) != (b.block, b.par, b.line):
        return False
    return 0 <= b.left - a.right <= MAX_GAP * max(a.height, b.height, 1)


def choose(word, left: str | None, right: str | None, lex: Lexicon):  # word: TessWord
    """`word`, or the candidate its neighbours and the corpus make clear (rules in the module doc)."""
    syl = _Parts.of(word.text).syllable
    if syl is None:
        return word
    scored = []
    for text in candidates(word):
        cand = _Parts.of(text).syllable
        if cand is None or cand == syl:
            continue
        scored.append((lex.context(left, cand, right), lex.syllables.get(cand, 0), text))
    if not scored:
        return word
    ctx, freq, text = max(scored)
    if ctx >= MIN_PAIRS and ctx >= RATIO * lex.context(left, syl, right):
        return replace(word, text=text)
    if syl not in lex.syllables and freq >= MIN_SYLLABLE:
        return replace(word, text=text)
    return word


def choose_words(words: list, lex: Lexicon | None = None) -> list:
    """`words` (one recognition, reading order) with each reading its phrase makes clear put right.

    Two passes: the second judges each word against its neighbours as the first left them, so
    of two wrong words side by side ("UBNĐ cac") the one the counts settle alone helps the other.
    """
    lex = lex if lex is not None else lexicon()
    if lex is None or not any(w.choices for w in words):
        return words
    out = list(words)
    todo = [k for k, w in enumerate(words) if w.choices]
    for _ in range(2):
        ctx = list(out)
        changed = set()
        for k in todo:
            left, right = _neighbours(ctx, k)
            out[k] = choose(words[k], left, right, lex)
            if out[k] is not ctx[k]:
                changed.add(k)
        # the second pass only needs the words next to one the first pass changed
        todo = sorted({j for k in changed for j in (k - 1, k + 1) if 0 <= j < len(words) and words[j].choices})
        if not todo:
            break
    return out

