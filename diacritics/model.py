"""The shipped model, loaded once: lexicon, bigram language model and OCR confusion counts,
turned into integer ids and precomputed log-probabilities so decoding is dict look-ups only."""

from __future__ import annotations

import gzip
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from diacritics.model_cache import cached_build
from diacritics.text import letters_of, strip_marks

MODEL_PATH = Path(__file__).resolve().parent / "vi_model.json.gz"
DISCOUNT = 0.9  # bigram absolute discount (0.75 before the larger corpus; dev: 0.6-0.9 measured)
UNK = "<unk>"
UNK_PROB = 1e-6  # absolute discount of the bigram model (Kneser-Ney style)
#: Unigram of the back-off: how many contexts a form follows (Kneser-Ney continuation count),
#: plus a share of its plain count and a pseudo-count so lexicon-only forms stay possible.
UNI_COUNT_WEIGHT = 0.01
UNI_PSEUDO = 0.1
TRI_DISCOUNT = 0.75
#: Trigram discounts for triples seen twice and three or more times (modified Kneser-Ney;
#: 0: TRI_DISCOUNT).  Dev stripped 98.732% (0.75 for every count) -> 98.767% (0.75/1.0/1.5);
#: Chen-Goodman's estimate from count-of-counts (0.60/1.13/1.70) 98.749%.  The same for the
#: bigram (0.8/1.0/1.2, 0.9/1.1/1.4) did not pay (98.733%, 98.762%).
TRI_DISCOUNT2 = 1.0
TRI_DISCOUNT3 = 1.5


def _discounts(discount: float) -> tuple[float, float, float, float]:
    """Absolute discount by count (index 1, 2, 3 = three or more)."""
    return (0.0, discount, discount, discount)


class Model:
    """Integer-id view of vi_model.json.gz.

    The language model is an interpolated Kneser-Ney bigram: seen pairs carry their full log-prob
    in `preceding[b][a]`, unseen pairs back off to `backoff[a] + unigram[b]`.
    """

    def __init__(self, data: dict) -> None:
        self.vocab: list[str] = data["vocab"]
        self.size = len(self.vocab)
        self.index = {w: i for i, w in enumerate(self.vocab)}
        self.bos, self.eos, self.num = 0, 1, 2
        self.counts: list[int] = data["unigram"]
        self._bigram_layer(data["bigram"])
        self._trigram_layer(data.get("trigram", ()))
        self._add_unknown()
        self._case_counts(data)
        self._base_index()
        self._confusions(data["confusion"])
        self.caps_title = frozenset(data.get("caps_title", ()))
        self.places = _place_index(data.get("places", ()))

    def _bigram_layer(self, bigrams: Iterable[Sequence[int]]) -> None:
        """Continuation unigram, back-off weights and `preceding[b] = {a: log P(b | a)}`."""
        V, counts = self.size, self.counts
        out_total = [0] * V
        out_disc = [0.0] * V  # discount mass taken from each context's seen pairs
        in_types = [0] * V
        d_bi = _discounts(DISCOUNT)
        for a, b, n in bigrams:
            out_total[a] += n
            out_disc[a] += d_bi[min(n, 3)]
            in_types[b] += 1
        # Continuation unigram (how many contexts a word follows), smoothed so that lexicon-only
        # forms (pyvi word list) stay possible but unlikely.
        mass = [in_types[w] + UNI_PSEUDO + UNI_COUNT_WEIGHT * counts[w] for w in range(V)]
        total_mass = sum(mass)
        self.unigram = [math.log(x / total_mass) for x in mass]
        self.backoff = [
            math.log(out_disc[a] / out_total[a]) if out_total[a] else 0.0 for a in range(V)
        ]
        uni_p = [math.exp(x) for x in self.unigram]
        # preceding[b] = {a: log P(b | a)} for every seen pair: the decoder intersects it with the
        # previous column, so it only touches pairs that exist (see restore._viterbi).
        preceding: list[dict[int, float]] = [{} for _ in range(V)]
        for a, b, n in bigrams:
            p = (n - d_bi[min(n, 3)]) / out_total[a] + math.exp(self.backoff[a]) * uni_p[b]
            preceding[b][a] = math.log(p)
        self.preceding = preceding

    def _trigram_layer(self, trigrams: Iterable[Sequence[int]]) -> None:
        """Trigram layer, interpolated the same way on top of the bigram: following[a*M+b][c] is
        the full log P(c | a, b) of a seen triple, tri_backoff[a*M+b] the weight otherwise."""
        self.key_base = M = self.size + 1  # context keys a*M+b; M > every id, the unknown-token id included
        ctx_total: dict[int, int] = defaultdict(int)
        ctx_disc: dict[int, float] = defaultdict(float)
        d_tri = (0.0, TRI_DISCOUNT, TRI_DISCOUNT2 or TRI_DISCOUNT, TRI_DISCOUNT3 or TRI_DISCOUNT)
        for a, b, _c, n in trigrams:
            ctx_total[a * M + b] += n
            ctx_disc[a * M + b] += d_tri[min(n, 3)]
        self.tri_backoff = {k: math.log(ctx_disc[k] / t) for k, t in ctx_total.items()}
        following: dict[int, dict[int, float]] = defaultdict(dict)
        for a, b, c, n in trigrams:
            k = a * M + b
            lower = math.exp(self.preceding[c].get(b, self.backoff[b] + self.unigram[c]))
            following[k][c] = math.log((n - d_tri[min(n, 3)]) / ctx_total[k] + math.exp(self.tri_backoff[k]) * lower)
        self.following = dict(following)

    def _add_unknown(self) -> None:
        """One id past the lexicon stands for "keep the unknown token as it is": a rare word in
        any context, so the decoder keeps names and codes unless a repair reads much better."""
        self.unk = self.size
        self.vocab.append(UNK)
        self.unigram.append(math.log(UNK_PROB))
        self.backoff.append(0.0)
        self.preceding.append({})
        self.counts.append(0)

    def _case_counts(self, data: dict) -> None:
        """Title-case counts and rates, inside a sentence and after a capitalised word (names)."""
        V = self.size
        self.title_counts: list[int] = data.get("title", [0] * V) + [0]
        # How often each form occurs inside a sentence, where its Title-case count was taken
        # (older models counted every position: fall back to the plain counts).
        self.mid_counts: list[int] = data["mid"] + [0] if "mid" in data else list(self.counts)
        self.title_rate = sum(self.title_counts) / max(1, sum(self.mid_counts))
        # ... and after a capitalised word (inside names); older models: the same counts
        self.title_counts_t: list[int] = data.get("title_after_title", self.title_counts[:-1]) + [0]
        self.mid_counts_t: list[int] = data.get("mid_after_title", self.mid_counts[:-1]) + [0]
        self.title_rate_t = sum(self.title_counts_t) / max(1, sum(self.mid_counts_t))

    def _base_index(self) -> None:
        """Forms grouped by their letters without marks (`by_base`, most frequent first) and each
        id's group number (`base_id`; -1 for <s>, <num>, <unk>, ...)."""
        counts = self.counts
        by_base: dict[str, list[int]] = defaultdict(list)
        for i, w in enumerate(self.vocab[3:], start=3):
            by_base[strip_marks(w)].append(i)
        for ids in by_base.values():
            ids.sort(key=lambda i: -counts[i])
        self.by_base = dict(by_base)
        self.bases = sorted(self.by_base)  # for fuzzy look-up of OCR-garbled letters
        self.base_id: list[int] = [-1] * len(self.counts)
        for b, ids in enumerate(self.by_base.values()):
            for i in ids:
                self.base_id[i] = b
        #: whether a form's letters have another form too (only those can read otherwise)
        sizes = [len(ids) for ids in self.by_base.values()]
        self.has_variants: list[bool] = [b >= 0 and sizes[b] > 1 for b in self.base_id]

    def _confusions(self, rows: Iterable[Sequence]) -> None:
        """confusion[obs] -> lower-case true forms obs was read for; counts in ocr_pairs/ocr_seen."""
        confusion: dict[str, list[str]] = defaultdict(list)
        self.ocr_seen: dict[str, int] = {}
        self.ocr_pairs: dict[tuple[str, str], int] = {}
        for obs, true, n, seen in rows:
            form = self.vocab[true]
            confusion[obs].append(form)
            self.ocr_seen[form] = seen
            self.ocr_pairs[(obs, form)] = n
        self.confusion = dict(confusion)


def _place_index(rows: Iterable[Sequence[str]]) -> dict[str, dict[str, dict[str, frozenset[str]]]]:
    """level -> a name's letters ("phu ninh") -> each registered spelling -> the letters of the
    provinces that have a unit so spelt (a province counts as its own)."""
    index: dict[str, dict[str, dict[str, set[str]]]] = {}
    for level, name, province in rows:
        provinces = index.setdefault(level, {}).setdefault(letters_of(name), {}).setdefault(name, set())
        provinces.add(letters_of(province))
        if level == "tinh":
            provinces.add(letters_of(name))
    return {
        level: {key: {name: frozenset(p) for name, p in spellings.items()} for key, spellings in names.items()}
        for level, names in index.items()
    }


def build_model_object(path: str = str(MODEL_PATH)) -> Model:
    """Parse the shipped JSON and build the decoder's view of it (~1 s of CPU)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return Model(json.load(fh))


@lru_cache(maxsize=1)
def load_model(path: str = str(MODEL_PATH)) -> Model:
    """The model, built once per machine and then unpickled from the cache (model_cache.py)."""
    return cached_build(Path(path), lambda: build_model_object(path), Model)
