"""Diacritic restoration and English-OCR correction by noisy-channel decoding.

For every word token the decoder proposes candidate syllables (same letters with other marks,
and forms the OCR confusion table says were read as this token: "s6" -> "số", "ctia" -> "của"),
scores each by a channel probability P(observed | candidate) and picks the best sequence under
an interpolated trigram language model with an exact Viterbi.  Only word tokens are ever replaced; everything between
them (numbers, codes, punctuation, spacing, line breaks) is copied through, so line count and
layout are preserved by construction.

The channel depends on how the page was damaged, which is measured per page (`page_mode`):
- "clean": most syllables carry marks -> tokens that are already valid are frozen, only
  unknown unmarked tokens are repaired (already-correct text comes back unchanged);
- "stripped": no marks at all (typed or exported without them) -> every accent variant of the
  letters is equally likely a priori, the language model decides;
- "ocr": marks mangled by an English OCR model -> the confusion counts learned from rendered and
  re-OCR'd text decide how likely each reading is.
"""

from __future__ import annotations

import gc
import math
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from itertools import chain, compress

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from diacritics.caps_misread import misread_capitals, misread_lower
from diacritics.english import english_tokens
from diacritics.model import Model, load_model
from diacritics.numerals import roman_headings
from diacritics.ocr_repair import repair_ocr_text
from diacritics.place_names import fix_place_names
from diacritics.text import (
    GLUED_MARKS,
    SYLLABLE_SHAPE,
    TOKEN_SPLIT,
    apply_case,
    has_marks,
    is_caps_word,
    is_mixed,
    is_word,
    old_style,
    strip_marks,
    token_indices,
)
from diacritics.verbatim import verbatim_tokens

CLEAN, STRIPPED, OCR = "clean", "stripped", "ocr"
_VOWEL = re.compile(r"[aeiouy]")
#: Dot leaders ("Họ và tên: ........") that English OCR read as letters are put back as dots
#: on English-OCR pages, and other text-level OCR damage is repaired (ocr_repair.py).
LEADERS_ENABLED = True
#: Share of marked syllables below which a page is treated as stripped of marks.
STRIPPED_MAX_MARKED = 0.03
#: Share of marked syllables at and above which a page is treated as correct Vietnamese.
CLEAN_MIN_MARKED = 0.55
#: Share of unknown tokens above which a marked page is still damaged.
CLEAN_MAX_UNKNOWN = 0.05

# Channel parameters (tuned on the training side of the split, see bench/diacritics_bench.py).
PRIOR_SAME = 1.0  # pseudo-count: OCR reads a syllable right
PRIOR_STRIPPED = 0.5  # pseudo-count: OCR drops all its marks
VARIANT_FLOOR = 1e-3  # any other accent variant of the same letters
OCR_IN_STRIPPED = 0.05  # weight of OCR confusions on a page without marks
CHANNEL_WEIGHT = 1.0
MAX_VARIANTS = 12
CASE_WEIGHT = 0.5
CASE_PRIOR = 4.0  # pseudo-count pulling a form's Title-case rate towards the corpus average
FUZZY_EDIT_P = 0.01  # channel probability per character edit beyond learned confusions
FUZZY_MAX_FORMS = 16
#: Edit distance charged for a form one letter longer than the garble (a lost glyph).
FUZZY_DROP_DISTANCE = 0.7  # dev English-OCR CER: 1.0 2.26%, 0.7 2.17%, 0.5 2.23%
#: Fuzzy edits of a token that is already a syllable cost this many times more: the OCR
#: mostly read it right, and the marks it garbles are in the learned confusion table; dev
#: English-OCR CER 2.17% (1.0) -> 2.06% (1.3), 2.03% (2.0), 2.02-2.03% (2.5-100).  A glyph lost in
#: front ("rong" for "trong") keeps its own cost.
FUZZY_KNOWN_FACTOR = 2.0
FUZZY_TWO_EDITS_MIN_LEN = 3  # unknown tokens this long may be two letter edits from the truth
KEEP_UNKNOWN_P = 0.05  # an unknown token may be a name or code that is right as it is
KEEP_SYMBOL_P = 0.9  # a lone digit or symbol is mostly what it says
#: Trigram Viterbi (on) or bigram Viterbi (off): the trigram buys about +0.3 points of syllable
#: accuracy for about a fifth of the speed; `set_trigram_pass(False)` trades it for speed.
TRIGRAM_PASS = True
VARIANT_MIN_SHARE = 0.0005  # dev stripped: 0.002 98.767%, 0.0005 98.779%, 0 98.777%
BEAM = 12.0  # states further than this (nats) below the best are not extended


def _split(text: str) -> list[str]:
    """[gap, token, gap, token, ..., gap]: tokens at odd indices, everything else kept verbatim."""
    return TOKEN_SPLIT.split(text)


def _word_stats(parts: list[str], model: Model) -> tuple[float, float, int]:
    """(share of marked syllables, share of syllables not in the lexicon, number of syllables)."""
    index = model.index
    n = marked = unknown = 0
    for token, count in Counter(parts[1::2]).items():  # C-speed counting: a page repeats its words
        if not token.isalpha():
            continue
        n += count
        key = token.lower()
        if not key.isascii() and has_marks(key):
            marked += count
        if key not in index and old_style(key) not in index:  # "hoá": the model's "hóa"
            unknown += count
    if not n:
        return 0.0, 0.0, 0
    return marked / n, unknown / n, n


def _mode_of(parts: list[str], model: Model) -> str:
    marked, unknown, n = _word_stats(parts, model)
    if n == 0:
        return CLEAN
    if marked < STRIPPED_MAX_MARKED:
        return STRIPPED
    if marked >= CLEAN_MIN_MARKED and unknown <= CLEAN_MAX_UNKNOWN:
        return CLEAN
    return OCR


def page_mode(text: str, model: Model | None = None) -> str:
    """How a page was damaged: "clean", "stripped" or "ocr" (see module docstring)."""
    model = model or load_model()
    return _mode_of(_split(text), model)


def needs_restoration(text: str) -> bool:
    """True when the page is not already valid accented Vietnamese (few marks or many
    non-words); pages that are mostly numbers or empty need nothing."""
    return page_mode(text) != CLEAN


def _ocr_channel(model: Model, obs: str, cand: str) -> float:
    """P(obs | cand) under English OCR, from confusion counts with pseudo-count priors."""
    n = model.ocr_pairs.get((obs, cand), 0)
    seen = model.ocr_seen.get(cand, 0)
    prior = (PRIOR_SAME if obs == cand or old_style(obs) == cand else 0.0) + (PRIOR_STRIPPED if obs == strip_marks(cand) else 0.0)
    p = (n + prior) / (seen + PRIOR_SAME + PRIOR_STRIPPED)
    if strip_marks(obs) == strip_marks(cand):
        p += VARIANT_FLOOR
    return p


def _variants(model: Model, base: str) -> list[str]:
    """Accent variants of `base` (a key, possibly "^"-marked) worth a lattice column: forms much
    rarer than the commonest reading of the same letters almost never win."""
    ids = model.by_base.get(base, ())
    if not ids:
        return []
    floor = max(1, VARIANT_MIN_SHARE * model.counts[ids[0]])
    return [model.vocab[i] for i in ids[:MAX_VARIANTS] if model.counts[i] >= floor or i == ids[0]]


def _channel(model: Model, obs: str, cand: str, mode: str) -> float:
    if mode != STRIPPED:
        return _ocr_channel(model, obs, cand)
    same_letters = strip_marks(cand) == strip_marks(obs)
    if has_marks(obs):
        p = (1.0 if cand == obs or cand == old_style(obs) else 0.0) + (VARIANT_FLOOR if same_letters else 0.0)
    else:
        p = 1.0 if strip_marks(cand) == obs else 0.0
    if cand != obs:
        p += OCR_IN_STRIPPED * _ocr_channel(model, obs, cand)
    return p


@lru_cache(maxsize=200_000)
def _candidates(obs: str, mode: str, shape: str = "") -> tuple[tuple[int, float], ...]:
    """Candidate (LM id, weighted log channel) pairs for a lower-case token; empty = leave it.

    `shape` is how the token was written: "" lower case, CAPS ("^"), where abbreviations live
    ("UBKTTC") and which are only repaired by look-alikes when their letters could be a
    Vietnamese syllable ("PINH"), or Title case ("~"), which favours forms that are often
    capitalised (names: "Cảng", "Thạnh") over those that rarely are ("càng", "thành")."""
    caps = shape == CAPS_MARK
    model = load_model()
    index = model.index
    if mode == CLEAN and (obs in index or has_marks(obs)):
        ident = index.get(obs)
        if ident is None:
            ident = index.get(old_style(obs))
        return () if ident is None else ((ident, 0.0),)
    if len(obs) == 1 and not obs.isalpha():
        # A lone digit or symbol on an OCR page: keep it (as a number or as it is) or read it as
        # a syllable the confusion table knows it stands for.
        keep = model.num if obs.isdigit() else model.unk
        cands = {keep: math.log(KEEP_SYMBOL_P)}
        for form in model.confusion.get(obs, ()):
            cands[index[form]] = CHANNEL_WEIGHT * math.log(_ocr_channel(model, obs, form))
        return tuple(cands.items())
    forms: list[str] = []
    if obs in index:
        forms.append(obs)
    elif old_style(obs) in index:
        forms.append(old_style(obs))
    variants = _variants(model, strip_marks(obs)) if is_word(obs) else []
    forms.extend(variants)
    if mode != STRIPPED or not (SYLLABLE_SHAPE.match(obs) or caps):
        # A page typed without marks has no OCR look-alikes; only letters that are no
        # Vietnamese syllable at all ("s6", "ctia") are read through the confusion table there,
        # and never a word in capitals: that is an abbreviation ("TT", "SV"), not a garble.
        # Nor is, on any page, a word in capitals made of consonants only ("TT", "ND"): every
        # syllable has a vowel, and English OCR mostly keeps the vowel letter of a capital; the
        # few it does not ("SG" for "Sở") are the capitals the OCR pages showed to be
        # Title-case words (`caps_title`).
        if not (caps and obs.isalpha() and not _VOWEL.search(strip_marks(obs)) and obs not in model.caps_title):
            forms.extend(model.confusion.get(obs, ()))
    out: dict[int, float] = {}
    for form in forms:
        lm_id = index.get(form)
        if lm_id is None or lm_id in out:
            continue
        p = _channel(model, obs, form, mode)
        if p > 0:
            out[lm_id] = CHANNEL_WEIGHT * math.log(p) + _case_score(model, lm_id, shape)
    if mode == OCR and (not caps or SYLLABLE_SHAPE.match(strip_marks(obs))):
        for form, dist in _fuzzy_forms(model, obs, front_lost=not shape or not CAPITAL_KEEPS_FRONT):
            lm_id = index[form]
            if lm_id not in out:
                out[lm_id] = CHANNEL_WEIGHT * dist * math.log(FUZZY_EDIT_P) + _case_score(model, lm_id, shape)
        if obs not in index and out:
            out[model.unk] = CHANNEL_WEIGHT * math.log(KEEP_UNKNOWN_P)
    elif mode == STRIPPED and obs not in index and out and not has_marks(obs):
        # Only look-alikes from the confusion table: the token may be a code that is right as it is.
        out[model.unk] = CHANNEL_WEIGHT * math.log(KEEP_UNKNOWN_P)
    return tuple(out.items())


def _case_score(model: Model, lm_id: int, shape: str) -> float:
    """log P(written in Title case or not | form), from how the corpus writes the form inside a
    sentence.  CAPS and sentence-initial capitals say nothing about the form."""
    if shape == CAPS_MARK or shape == START_MARK:
        return 0.0
    if shape == TITLE_AFTER_TITLE or shape == LOWER_AFTER_TITLE:
        title, total, rate = model.title_counts_t[lm_id], model.mid_counts_t[lm_id], model.title_rate_t
    else:
        title, total, rate = model.title_counts[lm_id], model.mid_counts[lm_id], model.title_rate
    p_title = (title + CASE_PRIOR * rate) / (total + CASE_PRIOR)
    is_title = shape == TITLE_MARK or shape == TITLE_AFTER_TITLE
    return CASE_WEIGHT * math.log(p_title if is_title else 1.0 - p_title)


#: A token written with a capital first letter has its first glyph: the discount for a glyph
#: the OCR lost ("rong" for "trong") is not given to a form one letter longer in front ("Hen"
#: is no "Chen").  Dev English-OCR CER on 100 pages: 2.180% -> 2.143%.
CAPITAL_KEEPS_FRONT = True


def _fuzzy_forms(model: Model, obs: str, front_lost: bool = True) -> list[tuple[str, int]]:
    """Lexicon forms whose letters are one edit (two for unknown longer tokens) away from the
    observed letters: English OCR garbles marked vowels in ways too varied to have all been seen
    ("dén" for "dân", "Ludt" for "Luật").  Codes without vowels are left alone."""
    letters = strip_marks(obs)
    if len(letters) < 2 or not any(v in letters for v in "aeiouy"):
        return []
    max_dist = 2 if obs not in model.index and len(letters) >= FUZZY_TWO_EDITS_MIN_LEN else 1
    hits = process.extract(
        letters, model.bases, scorer=Levenshtein.distance, score_cutoff=max_dist, limit=None
    )
    known = obs in model.index
    ranked: list[tuple[float, int, str]] = []
    for base, dist, _ in hits:
        if dist == 0:
            continue
        if dist == 1 and len(base) == len(letters) + 1 and FUZZY_DROP_DISTANCE != 1.0 and (front_lost or base[1:] != letters):
            dist = FUZZY_DROP_DISTANCE  # the OCR lost one glyph ("rong" for "trong")
        elif known:
            dist *= FUZZY_KNOWN_FACTOR
        for i in model.by_base[base][:3]:
            ranked.append((dist, -model.counts[i], model.vocab[i]))
    ranked.sort()
    return [(form, dist) for dist, _, form in ranked[:FUZZY_MAX_FORMS]]


def _backtrace(history: list[tuple[list[int], list[int]]], arg: int) -> list[int]:
    """The id path that ends in state `arg` of the last column, read back through the pointers."""
    path: list[int] = []
    for ids, pointers in reversed(history):
        path.append(ids[arg])
        arg = pointers[arg]
    path.reverse()
    return path


def _viterbi(model: Model, lattice: list[tuple[tuple[int, float], ...]]) -> list[int]:
    """Best id sequence through the candidate lattice under the bigram model.

    Exact, but avoids the K x K loop: an unseen pair scores `backoff[a] + unigram[b]`, which is
    never more than what a seen pair scores, so the best predecessor of `b` is either the best
    `score[a] + backoff[a]` (one pass per column) or one of the few previous candidates that
    have a seen pair with `b` (a C-level set intersection)."""
    backoff = model.backoff
    uni = model.unigram
    preceding = model.preceding
    prev_ids = [model.bos]
    prev_sc = [0.0]
    history: list[tuple[list[int], list[int]]] = []
    for cands in lattice:
        position = {a: j for j, a in enumerate(prev_ids)}
        bo_best, bo_arg = -1e30, 0
        for j, a in enumerate(prev_ids):
            s = prev_sc[j] + backoff[a]
            if s > bo_best:
                bo_best, bo_arg = s, j
        ids: list[int] = []
        scores: list[float] = []
        pointers: list[int] = []
        for b, ch in cands:
            best = bo_best + uni[b]
            arg = bo_arg
            preds = preceding[b]
            for a in position.keys() & preds.keys():
                j = position[a]
                s = prev_sc[j] + preds[a]
                if s > best:
                    best, arg = s, j
            ids.append(b)
            scores.append(best + ch)
            pointers.append(arg)
        if len(ids) > 1:
            cut = max(scores) - BEAM
            keep = [j for j, sc in enumerate(scores) if sc >= cut]
            if len(keep) < len(ids):
                ids = [ids[j] for j in keep]
                pointers = [pointers[j] for j in keep]
                scores = [scores[j] for j in keep]
        history.append((ids, pointers))
        prev_ids, prev_sc = ids, scores
    eos = model.eos
    end_preds = preceding[eos]
    best, arg = -1e30, 0
    for j, a in enumerate(prev_ids):
        s = prev_sc[j] + end_preds.get(a, backoff[a] + uni[eos])
        if s > best:
            best, arg = s, j
    return _backtrace(history, arg)


def _viterbi3(model: Model, lattice: list[tuple[tuple[int, float], ...]]) -> list[int]:
    """Best id sequence through the lattice under the interpolated trigram model, exactly.

    States are the last two ids (c, d); extending (b, c) by d scores log P(d | b, c).  An unseen
    triple scores the context's back-off weight plus the bigram log P(d | c), and a seen one
    never scores less (interpolated discounting adds to the back-off mass), so the best
    predecessor of (c, d) is either the state ending in c with the best score + back-off weight
    (found once per c, whatever d) or one of the few states ending in c whose context has seen
    d.  States further than BEAM below the column's best are dropped (`_column3`, one call a
    column: splitting a column into more calls measured 4-5% slower)."""
    # One group per last id c: [c, best score + back-off weight, its state, [(score, seen
    # continuations, state), ...] for the states whose context (b, c) was seen].
    groups: list[list] = [[model.bos, 0.0, 0, ()]]
    history: list[tuple[list[int], list[int]]] = []
    for cands in lattice:
        ids, pointers, groups = _column3(model, groups, cands)
        history.append((ids, pointers))
    eos = model.eos
    pe = model.preceding[eos]
    best, arg = -1e30, 0
    for c, bo_best, bo_arg, seen in groups:
        lo = pe.get(c)
        if lo is None:
            lo = model.backoff[c] + model.unigram[eos]
        if bo_best + lo > best:
            best, arg = bo_best + lo, bo_arg
        for sc, f, j in seen:
            v = f.get(eos)
            if v is not None and sc + v > best:
                best, arg = sc + v, j
    return _backtrace(history, arg)


def _column3(model: Model, groups: list[list], cands: tuple[tuple[int, float], ...]):
    """One lattice column: every state (c, d) with its best predecessor, then the beam, grouped by last id."""
    preceding, backoff, uni = model.preceding, model.backoff, model.unigram
    new: list[tuple[float, int, int, int]] = []  # (score, d, c, predecessor state)
    # A pair (c, d) never seen scores the group's best + back-off weight + backoff[c] + unigram[d]
    # and leaves no trigram context, so of all the groups whose c has never preceded d only the
    # best makes a state (c = -1: no context): mostly the best group of all (a max); the groups
    # are sorted by that score only for a column where that group preceded a candidate.
    if len(groups) == 1:  # after a one-candidate column (a number, a word held fixed): no sort
        c, bo_best, bo_arg, _seen = groups[0]
        unseen = [(bo_best + backoff[c], c, bo_arg)]
        top = unseen[0]
        ranked = True
    else:
        unseen = [(bo_best + backoff[c], c, bo_arg) for c, bo_best, bo_arg, _seen in groups]
        top = max(unseen)
        ranked = False  # sorted only when the best group has preceded some candidate
    for d, ch in cands:
        pd = preceding[d]
        if top[1] not in pd:
            new.append((top[0] + uni[d] + ch, d, -1, top[2]))
        else:
            if not ranked:
                unseen.sort(reverse=True)
                ranked = True
            for v, c, bo_arg in unseen:
                if c not in pd:
                    new.append((v + uni[d] + ch, d, -1, bo_arg))
                    break
        for c, bo_best, bo_arg, seen in groups:
            lo = pd.get(c)
            if lo is None:
                continue
            best, arg = bo_best + lo, bo_arg
            for sc, f, j in seen:
                v = f.get(d)
                if v is not None and sc + v > best:
                    best, arg = sc + v, j
            new.append((best + ch, d, c, arg))
    following, tri_backoff, M = model.following, model.tri_backoff, model.key_base
    cut = max(new)[0] - BEAM if len(new) > 1 else -1e30
    ids: list[int] = []
    pointers: list[int] = []
    by_last: dict[int, list] = {}
    for sc, d, c, arg in new:
        if sc < cut:
            continue
        k = len(ids)
        ids.append(d)
        pointers.append(arg)
        f = None if c < 0 else following.get(c * M + d)
        tb = sc + tri_backoff[c * M + d] if f is not None else sc
        g = by_last.get(d)
        if g is None:
            g = by_last[d] = [d, tb, k, []]
        elif tb > g[1]:
            g[1], g[2] = tb, k
        if f is not None:
            g[3].append((sc, f, k))
    return ids, pointers, list(by_last.values())


NUM_KEY = "<num>"
CAPS_MARK = "^"  # run keys of ALL-CAPS tokens carry it: they get their own candidate lists
TITLE_MARK = "~"  # ... and so do Title-case ones
START_MARK = "°"  # ... and capitalised ones that open a run (line start, after a number or a stop)
TITLE_AFTER_TITLE = "≈"  # Title case after a capitalised word (inside a name)
LOWER_AFTER_TITLE = "_"  # lower case after a capitalised word (a name ended)
SHAPES = (CAPS_MARK, TITLE_MARK, START_MARK, TITLE_AFTER_TITLE, LOWER_AFTER_TITLE)
_CAPITALISED = (CAPS_MARK, TITLE_MARK, START_MARK, TITLE_AFTER_TITLE)
_NUM_CANDS: tuple[tuple[int, float], ...] = ((2, 0.0),)
_RUN_KEYS: dict[str, dict[str, str | None]] = {}  # mode -> raw token -> run key
_MISSING = object()


@lru_cache(maxsize=300_000)
def _decode_piece(words: tuple[str, ...], mode: str) -> tuple[int, ...]:
    """Best ids for a run: exact trigram Viterbi (bigram Viterbi when the trigram is off)."""
    model = load_model()
    lattice = [_lattice_column(w, mode) for w in words]
    if TRIGRAM_PASS:
        return tuple(_viterbi3(model, lattice))
    return tuple(_viterbi(model, lattice))


def _lattice_column(word: str, mode: str) -> tuple[tuple[int, float], ...]:
    if word == NUM_KEY:
        return _NUM_CANDS
    if word[0] in SHAPES:
        return _candidates(word[1:], mode, word[0])
    return _candidates(word, mode)


@lru_cache(maxsize=200_000)
def _changes(words: tuple[str, ...], path: tuple[int, ...]) -> tuple[tuple[int, str], ...]:
    """(offset, new lower-case form) for the tokens of a run that the path changes (cached:
    legal text repeats itself)."""
    model = load_model()
    vocab, unk, num = model.vocab, model.unk, model.num
    changes = []
    for offset, (word, lm_id) in enumerate(zip(words, path, strict=True)):
        if lm_id == unk or lm_id == num or word == NUM_KEY:
            continue
        form = vocab[lm_id]
        bare = word[1:] if word[0] in SHAPES else word
        if form != bare and (bare.isascii() or old_style(bare) != form):  # "hoá" read as "hóa": the writer's placement stays
            changes.append((offset, form))
    return tuple(changes)


def _run_key(token: str, mode: str) -> str | None:
    """Key of a token inside a decoding run ("<num>", shape mark + lower case), or None when the
    token is left alone and ends the run (codes, unknown symbols).

    On English-OCR pages a lone digit or symbol may be a short syllable ("6", "@", "&" for "ở"):
    it keeps its own key so the decoder weighs both readings in context."""
    if len(token) == 1 and not token.isalpha() and mode == OCR and token in load_model().confusion:
        return token
    if token.isdigit():
        return NUM_KEY
    key = token.lower()
    shape = ""
    if token[0].isupper():
        shape = CAPS_MARK if is_caps_word(token) else TITLE_MARK
    if (token.isalpha() or is_mixed(token)) and _candidates(key, mode, shape):
        return shape + key
    return None


def _is_caps(parts: list[str], i: int) -> bool:
    """Whether parts[i] is a word token written in capitals (a heading, an abbreviation)."""
    if i < 1 or i >= len(parts):
        return False
    return is_caps_word(parts[i])


def _restore_page(text: str, model: Model, mode: str | None = None, doc: DocCache | None = None) -> str:
    """Restore one page.  With `doc`, runs are only collected (pass 1 of the document cache);
    they are decoded and written back by `DocCache.finish`."""
    parts = _split(text)
    mode = mode or _mode_of(parts, model)
    if mode == OCR and LEADERS_ENABLED:
        cleaned = repair_ocr_text(text)
        if cleaned != text:
            parts = _split(cleaned)
    cache = _RUN_KEYS.setdefault(mode, {})
    run: list[int] = []  # indices into parts of the current run's tokens
    keys: list[str] = []
    runs: list[tuple[list[int], tuple[str, ...]]] = []
    glue = mode == OCR
    confusion = model.confusion
    verbatim = verbatim_tokens(parts) | english_tokens(parts)

    for i in range(1, len(parts), 2):
        token = parts[i]
        gap = parts[i + 1]
        if i in verbatim:
            if run:
                runs.append((run, tuple(keys)))
                run, keys = [], []
            continue
        if glue and gap and gap[0] in GLUED_MARKS and (len(gap) > 1 or i + 2 == len(parts)):
            glued = token + gap[0]
            if glued.lower() in confusion:
                # "ct?" is one garbled syllable ("cứ"): move the mark residue into the token.
                parts[i] = token = glued
                parts[i + 1] = gap[1:]
        if run and not parts[i - 1].isspace():
            runs.append((run, tuple(keys)))
            run, keys = [], []
        key = cache.get(token, _MISSING)
        if key is _MISSING:
            key = cache[token] = _run_key(token, mode)
        if key is not None:
            if key[0] == TITLE_MARK:
                if not keys or keys[-1] == NUM_KEY or "\n" in parts[i - 1]:
                    key = START_MARK + key[1:]  # capitalised because it opens a sentence or item
                elif keys[-1][0] in _CAPITALISED:
                    key = TITLE_AFTER_TITLE + key[1:]
            elif key[0].isalpha() and keys and keys[-1][0] in _CAPITALISED:
                key = LOWER_AFTER_TITLE + key
            run.append(i)
            keys.append(key)
        elif run:
            runs.append((run, tuple(keys)))
            run, keys = [], []
    if run:
        runs.append((run, tuple(keys)))
    page = _Page(parts, mode, runs, [_decode_piece(k, mode) for _, k in runs])
    if doc is not None:
        doc.pages.append(page)
        return ""
    return page.write(model)


class _Page:
    """A page split into runs with their pass-1 paths."""

    def __init__(self, parts: list[str], mode: str, runs: list, paths: list) -> None:
        self.parts, self.mode, self.runs, self.paths = parts, mode, runs, paths

    def write(self, model: Model) -> str:
        return "".join(self.fill(model))

    def fill(self, model: Model) -> list[str]:
        """The page's parts with the decoded forms written in (changes `parts`)."""
        parts = self.parts
        glue = self.mode == OCR

        def fix_case(i: int, form: str) -> str:
            token = parts[i]
            if glue and misread_capitals(parts, i, form):  # "BO" for "Bộ" (caps_misread.py)
                return form[:1].upper() + form[1:]
            if glue and misread_lower(parts, i):  # "CHUNG CHi HANH" (caps_misread.py)
                return form.upper()
            if (
                glue
                and len(token) > 1
                and token.isupper()
                and token.lower() in model.caps_title
                and not (_is_caps(parts, i - 2) or _is_caps(parts, i + 2))
            ):
                # "SG" amid ordinary words: an English OCR read the mark of "Sở" as a capital.
                return form[:1].upper() + form[1:]
            return apply_case(token, form)

        numerals = roman_headings(parts) if glue else {}
        for (run, keys), path in zip(self.runs, self.paths, strict=True):
            for offset, form in _changes(keys, path):
                parts[run[offset]] = fix_case(run[offset], form)
        for i, numeral in numerals.items():
            parts[i] = numeral
        if self.mode != CLEAN:
            fix_place_names(parts, model.places)
            _fix_item_letters(parts)
            _fix_slash_codes(parts)
        return parts


#: Document cache (two-pass decoding): weight of the bonus a candidate gets for the share of
#: the window's readings of the same letters that chose it.  With the sliding window (below)
#: the evidence is nearer and can weigh more; dev errors, in one call / one call a document:
#: 0.8 4,043 / 4,113; 1.0 3,988 / 4,078; 1.3 3,984 / 4,052; 1.6 3,977 / 4,045; 2.0 3,968 /
#: 4,024; 2.5 3,998 / 4,034; 3.0 4,011 / 4,044; 4.0 4,111 / 4,108.  English-OCR dev pages:
#: 2.13% at 1.0 and 2.0 (100 shuffled pages), 0.964% -> 0.954% (83 pages in document order).
CACHE_WEIGHT = 2.0
#: Runs whose path could gain less than this (nats) from the cache are not re-decoded (speed).
CACHE_MIN_GAIN = 0.0
CACHE_POWER = 1.0  # the bonus grows with this power of the share (>1: only clear majorities count)
CACHE_REACH = 0  # neighbours each side of a disagreeing token that pass 2 may change too (dev: 1 98.7953%, 0 98.7947% and 6% faster)
CACHE_MIN_COUNT = 2  # readings of the same letters needed before the cache says anything
#: The cache slides: the text is cut into blocks of CACHE_SPAN words and a block's cache pools
#: the readings of the CACHE_BLOCKS blocks each side of it too (a window of about 6,000 words,
#: a document's length), so one input holding many documents does not impose one document's
#: readings on another.  Dev errors (64 documents in one call / one call each): whole input
#: 4,223 / 4,063; cut into 4,500-word pieces 3,998 / 4,078; sliding 1,000 x 5 blocks 3,984 /
#: 4,080, 1,500 x 5 4,009 / 4,075, 2,000 x 5 4,021 / 4,071, 2,000 x 3 3,988 / 4,078; a tenth
#: of the whole input's counts added to the window's 4,112 / 4,058.
CACHE_SPAN = 2000
CACHE_BLOCKS = 1
CACHE_ENABLED = True
#: Pages the cache reads and changes: those without marks and English-OCR pages.  On English
#: OCR it measured 2.14% -> 2.13% CER on 100 shuffled dev pages restored a page at a time, and
#: 0.994% -> 0.965% on 83 pages of 20 dev documents kept in order, one call a document (an
#: earlier decoder measured 3.50% -> 3.52% on the benchmark's held-out pages).  Clean pages
#: are frozen anyway.
CACHE_MODES = (STRIPPED, OCR)
#: Shape marks of the tokens whose readings count as evidence: every shape.  Lower case only
#: (a capital's reading leans on the Title-case prior) measured 98.779% on dev, every shape
#: 98.795%; capitalised tokens with a cache of their own, apart from lower-case ones, 98.781%.
CACHE_EVIDENCE = "".join(SHAPES)


class DocCache:
    """Two-pass document adaptation.  Pass 1 decodes every run of every page as usual; the
    forms chosen for lower-case tokens are counted per letters (marks stripped).  Pass 2
    re-decodes only the runs where some token chose a form other than the document's majority
    reading of its letters, with every candidate scored up by CACHE_WEIGHT x its share of the
    document's readings.  A run whose tokens all chose the majority keeps its path (the bonus
    can only raise it further).  Only pages in CACHE_MODES take part."""

    def __init__(self) -> None:
        self.pages: list[_Page] = []

    def _windows(self, model: Model) -> Iterator[tuple[list[tuple[_Page, int]], dict[int, dict[int, int]]]]:
        """(runs of one block, readings counted over the blocks within CACHE_BLOCKS of it), block
        by block in reading order: the counts slide along the text, so a long input pools the
        evidence of its neighbourhood (its own document) rather than of all the documents it holds."""
        base_of = model.base_id
        every_shape = set(SHAPES) <= set(CACHE_EVIDENCE)
        blocks: list[list[tuple[_Page, int]]] = [[]]
        evidence: list[list[int]] = [[]]
        words = 0
        for page in self.pages:
            if page.mode not in CACHE_MODES:
                continue
            for r, ((_, keys), path) in enumerate(zip(page.runs, page.paths, strict=True)):
                if CACHE_SPAN and words >= CACHE_SPAN * len(blocks):
                    blocks.append([])
                    evidence.append([])
                blocks[-1].append((page, r))
                if every_shape:
                    evidence[-1].extend(path)
                else:
                    evidence[-1].extend(i for w, i in zip(keys, path, strict=True) if w[0] not in SHAPES or w[0] in CACHE_EVIDENCE)
                words += len(keys)
        reach = CACHE_BLOCKS if CACHE_SPAN else 0
        counted = [Counter(ids) for ids in evidence]  # C-speed counting; the window adds distinct ids
        window: dict[int, dict[int, int]] = {}

        def shift(k: int, sign: int) -> None:
            """Add (sign 1) or take out (-1) block k's readings."""
            if 0 <= k < len(blocks):
                for lm_id, n in counted[k].items():
                    b = base_of[lm_id]
                    if b >= 0:
                        c = window.setdefault(b, {})
                        c[lm_id] = c.get(lm_id, 0) + sign * n

        for k in range(reach):
            shift(k, 1)
        for j in range(len(blocks)):
            shift(j + reach, 1)
            shift(j - reach - 1, -1)
            yield blocks[j], window

    def finish(self, model: Model) -> list[str]:
        if CACHE_ENABLED:
            scores: dict = {}
            for members, window in self._windows(model):
                _adapt_block(members, window, model, scores)
        filled = [page.fill(model) for page in self.pages]
        if ACRONYMS_ENABLED:
            _spell_defined_acronyms([parts for parts, page in zip(filled, self.pages, strict=True) if page.mode == STRIPPED])
        return ["".join(parts) for parts in filled]


class _Shares:
    """Each form's share of its letters' readings in a window of counts, worked out per letters
    when first asked (a block touches few of the window's letters)."""

    def __init__(self, window: dict[int, dict[int, int]], base_of: list[int]) -> None:
        self.window, self.base_of = window, base_of
        self.by_base: dict[int, tuple[int, dict[int, float]] | None] = {}

    def of_base(self, b: int) -> tuple[int, dict[int, float]] | None:
        """(majority form, share of every form) of letters b, None under CACHE_MIN_COUNT readings."""
        got = self.by_base.get(b, _MISSING)
        if got is _MISSING:
            c = self.window.get(b)
            n = sum(c.values()) if c else 0
            got = None
            if n >= CACHE_MIN_COUNT:
                got = (max(c, key=lambda k: (c[k], -k)), {i: (k / n) ** CACHE_POWER for i, k in c.items()})
            self.by_base[b] = got
        return got

    def get(self, lm_id: int, default: float = 0.0) -> float:
        b = self.base_of[lm_id]
        got = self.of_base(b) if b >= 0 else None
        return default if got is None else got[1].get(lm_id, default)


def _adapt_block(
    members: list[tuple[_Page, int]], window: dict[int, dict[int, int]], model: Model, scores: dict,
) -> None:
    """Pass 2 over one block's runs, with the readings of its window."""
    base_of = model.base_id
    multi = model.has_variants
    share = _Shares(window, base_of)
    memo: dict = {}
    min_gain = CACHE_MIN_GAIN / CACHE_WEIGHT
    # What each reading of the block could gain from the cache, worked out once per distinct
    # reading: only readings that are not their letters' majority in the window can gain, and
    # the runs where every token already reads as its majority keep their path exactly (a
    # form whose letters have no other form always does).
    could_gain: dict[int, float] = {}
    for i in set(chain.from_iterable(page.paths[r] for page, r in members)):
        if multi[i]:
            got = share.of_base(base_of[i])
            if got is not None and got[0] != i:
                could_gain[i] = got[1][got[0]] - got[1].get(i, 0.0)
    for page, r in members:
        keys, path = page.runs[r][1], page.paths[r]
        spots = [t for t, i in enumerate(path) if i in could_gain]
        if not spots:
            continue
        gain = sum(could_gain[path[t]] for t in spots)
        if gain > 0 and gain >= min_gain:
            page.paths[r] = _redecode(keys, path, spots, page.mode, model, share, memo, scores)


ACRONYMS_ENABLED = True
_ACRONYM_OPEN = re.compile(r"\(\s*$")


def _spell_defined_acronyms(pages: list[list[str]]) -> None:
    """An abbreviation in capitals defined in the text ("Văn phòng Đăng ký đất đai (DKDD)") is
    spelled with the initials of the words it stands for, as restored ("ĐKĐĐ"), wherever it
    occurs in the call: input without marks has lost the bar of its Đ, and most abbreviations
    of one document are in no lexicon.  Only D -> Đ ever changes.  Changes `pages`."""
    spelled: dict[str, str] = {}
    for parts in pages:
        for i in range(3, len(parts) - 1, 2):
            token = parts[i]
            if not ("D" in token and token.isupper() and token.isascii() and token.isalpha() and len(token) > 1):
                continue
            if not (_ACRONYM_OPEN.search(parts[i - 1]) and parts[i + 1].lstrip().startswith(")")):
                continue
            k = len(token)
            first = i - 2 * k
            if first < 1 or any(not parts[j].isalpha() or not parts[j + 1].isspace() for j in range(first, i - 2, 2)):
                continue
            initials = "".join(parts[j][0] for j in range(first, i, 2)).upper()
            if strip_marks(initials) == token:
                form = "".join("Đ" if a == "Đ" else t for t, a in zip(token, initials, strict=True))
                if form != token:
                    spelled[token] = form
    if not spelled:
        return
    for parts in pages:
        for i in range(1, len(parts), 2):
            form = spelled.get(parts[i])
            if form is not None:
                parts[i] = form


def _redecode(
    keys: tuple[str, ...], path: tuple[int, ...], spots: list[int], mode: str, model: Model,
    share: _Shares, memo: dict, scores: dict,
) -> tuple[int, ...]:
    """Pass 2 for one run: each token that disagrees with the cache and its neighbours
    (CACHE_REACH each side) are re-decoded with the cache bonus, between two pass-1 tokens held
    fixed on each side (the trigram's whole context), so the rest of the run keeps its path."""
    out = list(path)
    n = len(keys)
    windows: list[list[int]] = []
    for t in spots:
        lo, hi = max(0, t - CACHE_REACH), min(n, t + CACHE_REACH + 1)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        a, b = max(0, lo - 2), min(n, hi + 2)
        memo_key = (keys[lo:hi], path[a:lo], path[hi:b], mode)
        inner = memo.get(memo_key)
        if inner is None and hi - lo == 1 and TRIGRAM_PASS:
            # The candidates' channel + language-model scores do not depend on the cache: kept
            # in `scores` across blocks, and only the bonus is added per block.
            base = scores.get(memo_key)
            if base is None:
                col = _lattice_column(keys[lo], mode)
                left, right = path[a:lo], path[hi:b]
                base = scores[memo_key] = [(ch + _path_score(model, left + (i,) + right), i) for i, ch in col]
            inner = memo[memo_key] = (max([(sc + CACHE_WEIGHT * share.get(i, 0.0), i) for sc, i in base])[1],)
        if inner is None:
            lattice = [((i, 0.0),) for i in path[a:lo]]
            for w in keys[lo:hi]:
                col = _lattice_column(w, mode)
                if len(col) > 1:
                    col = tuple((i, ch + CACHE_WEIGHT * share.get(i, 0.0)) for i, ch in col)
                lattice.append(col)
            lattice.extend(((i, 0.0),) for i in path[hi:b])
            best = _viterbi3(model, lattice) if TRIGRAM_PASS else _viterbi(model, lattice)
            inner = memo[memo_key] = tuple(best[lo - a : lo - a + hi - lo])
        out[lo:hi] = inner
    return tuple(out)


def _path_score(model: Model, ids: tuple[int, ...]) -> float:
    """log P of `ids` between <s> and </s> under the trigram, scored as `_viterbi3` scores a
    path: a pair's trigram context counts once the pair itself was seen.  Pass 2 re-decodes a
    lone token between fixed neighbours by scoring each candidate's window with this (the same
    argmax as a Viterbi over the window, a few look-ups instead of a column a token)."""
    preceding, backoff, uni = model.preceding, model.backoff, model.unigram
    following, tri_backoff, M = model.following, model.tri_backoff, model.key_base
    total = 0.0
    ctx = None  # following[] entry of the last two ids, when the decoder would have one
    key = -1
    v = model.bos
    for w in ids + (model.eos,):
        pw = preceding[w]
        lo = pw.get(v)
        bi = lo if lo is not None else backoff[v] + uni[w]
        if ctx is not None:
            t = ctx.get(w)
            total += t if t is not None else tri_backoff[key] + bi
        else:
            total += bi
        key = v * M + w
        ctx = following.get(key) if lo is not None else None
        v = w
    return total


def _fix_item_letters(parts: list[str]) -> None:
    """List items (at a line start or after a full stop) are lettered a) b) c) d) đ) e) ...:
    a "d)" that follows a "d)" item lost the bar of its "đ" (a lone letter gives the language
    model nothing to go on).  Changes `parts`."""
    previous = ""
    tokens = parts[1::2]
    for k in compress(range(len(tokens)), map((1).__eq__, map(len, tokens))):  # lone characters, at C speed
        i = 2 * k + 1
        token = parts[i]
        if i + 1 >= len(parts) or not token.isalpha() or parts[i + 1][:1] not in ").":
            continue
        before = parts[i - 1]
        stop = before.strip()
        if stop:
            if stop[-1] not in ".;:" or not before[-1].isspace():
                continue  # not after the end of a sentence
        elif i > 1 and "\n" not in before:
            continue  # not at the start of a line
        letter = token.lower()
        if letter == "d" and previous == "d":
            parts[i] = "Đ" if token.isupper() else "đ"
            letter = "đ"
        previous = letter
    _fix_listed_letters(parts)


#: What may stand between two letters of one list of points ("điểm b, c, d, đ và e").
_LIST_GAP = re.compile(r"^\s*,?\s*$")
_LIST_WORDS = frozenset(("và", "hoặc", "va", "hoac"))
_LONE_D = frozenset(("d", "D"))


def _fix_listed_letters(parts: list[str]) -> None:
    """Points of a clause are cited in alphabet order ("các điểm b, c, d, đ, e"): a lone "d"
    right after a lone "d" of the same list ("d, d", "d và d") is the "đ" that lost its bar.
    Changes `parts`."""
    for i in token_indices(parts, _LONE_D):
        if i < 3 or i + 1 >= len(parts) or not _LIST_GAP.match(parts[i - 1]):
            continue
        j = i - 2
        if parts[j].lower() in _LIST_WORDS and j >= 3 and _LIST_GAP.match(parts[j - 1]):
            j -= 2
        if parts[j] in ("d", "D"):
            parts[i] = "Đ" if parts[i] == "D" else "đ"


_LABEL_GAP = re.compile(r"^[ \t]*[:.]?[ \t]*$")


def _slashes(parts: list[str]) -> Iterator[int]:
    """Indices of the gaps that are a lone slash ("d/c", "174/KH"), found with list.index (a
    C-speed scan of a long page; slashes are few)."""
    k = -1
    while True:
        try:
            k = parts.index("/", k + 1)
        except ValueError:
            return
        yield k


def _fix_slash_codes(parts: list[str]) -> None:
    """Two readings a slash settles.  Changes `parts`.

    - "d/c" is "đ/c" (đồng chí, before a name or title; địa chỉ, before an address): the
      abbreviation is only ever written with the bar, and a lone "d" gives the language model
      nothing to go on.
    - "So" before a document number ("So: 174/KH-UBND", "so 12/2025/ND-CP") is "Số": every
      document's header has one, the corpus has no "Sở", "Sơ" or "Sổ" before a number and a
      slash (4,548 "Số"), and in a document full of "Sở" the cache would pull it there."""
    for k in _slashes(parts):
        if k < 1 or k + 1 >= len(parts):
            continue
        before = parts[k - 1]
        if before in ("d", "D") and parts[k + 1] in ("c", "C"):
            parts[k - 1] = "Đ" if before == "D" else "đ"
        elif before.isdigit() and k >= 3 and len(parts[k - 3]) == 2 and _LABEL_GAP.match(parts[k - 2]):
            label = parts[k - 3]
            if strip_marks(label).lower() == "so":
                parts[k - 3] = apply_case(label, "số")


def set_trigram_pass(enabled: bool) -> None:
    """Decode with the trigram (on) or the bigram model (off).  Clears every decoding cache, so the next call runs
    cold (what the benchmark wants to time)."""
    global TRIGRAM_PASS
    TRIGRAM_PASS = enabled
    _decode_piece.cache_clear()
    _changes.cache_clear()
    strip_marks.cache_clear()
    _candidates.cache_clear()
    _RUN_KEYS.clear()


def restore(text: str, mode: str | None = None) -> str:
    """Restore marks and undo English-OCR confusions; same lines, same layout.

    Pages (split on form feeds) are judged and decoded separately, since one file can mix
    clean and damaged pages.  `mode` ("clean", "stripped", "ocr") overrides that judgement:
    a table cell is too short to judge, so a caller restoring the cells of a page should pass
    `page_mode(page_text)`."""
    if mode not in (None, CLEAN, STRIPPED, OCR):
        raise ValueError(f"unknown mode {mode!r}")
    model = load_model()
    with _no_cycle_collection():
        doc = DocCache()
        for page in text.split("\f"):
            _restore_page(page, model, mode, doc)
        return "\f".join(doc.finish(model))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused for one call.  Decoding allocates and frees millions
    of short-lived tuples and lists that never form cycles (reference counting frees them), so
    the collector's passes, which the allocations keep triggering and whose full passes walk the
    whole model, are pure overhead: 5-9% of the time on the benchmark's text.  Whatever cycles
    the call leaves are collected once it is back on."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
