"""The trigram decoder's short cuts (grouping states, one state for all unseen pairs) keep it
exact: on small lattices of real syllables it finds a path as good as brute force does."""

from __future__ import annotations

import importlib
import itertools
import random

import pytest

from diacritics.model import load_model
from diacritics.text import TOKEN_RE, strip_marks
from tools.corpus import CLEAN_SEED

restore_mod = importlib.import_module("diacritics.restore")  # the module, not the function


def _score(model, path: list[int], channel: list[float]) -> float:
    """log P of the path under the interpolated trigram, <s> ... </s>, plus its channel scores."""
    M = model.key_base
    ids = [model.bos, *path, model.eos]
    total = sum(channel)
    for i in range(1, len(ids)):
        c, d = ids[i - 1], ids[i]
        lo = model.preceding[d].get(c, model.backoff[c] + model.unigram[d])
        if i >= 2:
            key = ids[i - 2] * M + c
            f = model.following.get(key)
            if f is not None:
                total += f.get(d, model.tri_backoff[key] + lo)
                continue
        total += lo
    return total


def _windows(model) -> list[list[str]]:
    """Runs of 6 known words from the clean seed plan: real contexts, so seen triples abound."""
    words = [w.lower() for w in TOKEN_RE.findall(CLEAN_SEED.read_text(encoding="utf-8"))]
    return [words[i : i + 6] for i in range(0, len(words) - 6, 7) if all(w in model.index for w in words[i : i + 6])]


@pytest.mark.parametrize("seed", range(120))
def test_viterbi3_matches_brute_force(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    model = load_model()
    monkeypatch.setattr(restore_mod, "BEAM", 1e9)  # no pruning: the exact optimum is wanted
    rng = random.Random(seed)
    window = rng.choice(_windows(model))
    lattice = []
    for word in window[: rng.randint(3, 6)]:
        # the word's own form and up to four others with the same letters, as the restorer offers
        forms = [i for i in model.by_base[strip_marks(word)] if i != model.index[word]]
        picked = [model.index[word], *rng.sample(forms, min(len(forms), rng.randint(1, 4)))]
        lattice.append(tuple((i, rng.uniform(-3, 0)) for i in picked))
    got = restore_mod._viterbi3(model, lattice)
    chan = {(k, i): ch for k, col in enumerate(lattice) for i, ch in col}
    best = max(
        _score(model, list(p), [chan[(k, i)] for k, i in enumerate(p)])
        for p in itertools.product(*[[i for i, _ in col] for col in lattice])
    )
    assert _score(model, got, [chan[(k, i)] for k, i in enumerate(got)]) == pytest.approx(best, abs=1e-9)


def test_pass_two_path_score_is_the_decoders_trigram_score() -> None:
    """Pass 2 scores a lone re-decoded token's window directly (`_path_score`): the same log P
    as the brute-force reference, on real windows and on windows with one syllable swapped."""
    model = load_model()
    windows = _windows(model)[:40]
    assert windows
    rng = random.Random(3)
    for words in windows:
        ids = [model.index[w] for w in words]
        assert restore_mod._path_score(model, tuple(ids)) == pytest.approx(_score(model, ids, []), abs=1e-9)
        ids[rng.randrange(len(ids))] = model.index[rng.choice(words)]
        assert restore_mod._path_score(model, tuple(ids)) == pytest.approx(_score(model, ids, []), abs=1e-9)
