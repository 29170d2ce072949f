"""Acute or hook-above? A second look at one mark on low-resolution scans, from the pixels alone.

Why: on 200 dpi scans (blur, JPEG, low contrast) tesseract `vie` reads a hook above (ả ẻ ỏ ủ ỉ ỷ
ẩ ể ổ ở ử ...) as an acute (á é ó ú í ý ấ ế ố ớ ứ ...): on the bench's hard table it was the only
error in 13 of 28 wrong cells. Tesseract's own second choice cannot always help there (the hook
was not even offered for 4 of 10 such glyphs; `ocr.word_choice` ranks the offered ones by the
words around them, after this check). The larger tesseract models were worse, and no second
Vietnamese recogniser that runs offline was usable (see ocr/README.md).

So: a small classifier of our own looks at the mark zone of every character tesseract read
with an acute or a hook, cut from the image tesseract read, at the character box tesseract gave
(`TessWord.symbols`, in-process engine only). It was trained (`python -m tools.build_mark_model`)
on table and body pages the repo's own generator draws from legal-corpus text (training side of
`tools.corpus`, never the benchmark's text) and degrades like the bench's hard scans, labelled
from the drawn text. It can only turn an acute into a hook above on the same vowel, and only
when it is sure (`SURE`); every other letter of the word stays as tesseract read it, and a hook
tesseract read is never changed (those were right in 99.6% of the training marks).

Used only on pages whose resolution is below `LOW_DPI` (300 dpi scans read these marks right)
and only when the model file is present and the engine gives character boxes; otherwise the
words pass through unchanged.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

MODEL = Path(__file__).resolve().parent / "mark_model.npz"
LOW_DPI = 250
"""Pages below this resolution (the scan's own) get the second look."""
SURE = 0.9
"""P(hook) the classifier must give before an acute is changed. On held-out training documents:
355 of 465 hooks read as acutes put back, 7 of 3822 right acutes turned wrong (0.7: 390 / 23)."""

ACUTE, HOOK = "\u0301", "\u0309"
CROP_W, CROP_H = 24, 20
N_FEATURES = CROP_W * CROP_H + 2
"""Length of a `features` vector: the crop's pixels, then circumflex and upper-case flags."""


def _marks(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", ch) if unicodedata.combining(c))


def mark_of(ch: str) -> str | None:
    """ACUTE or HOOK when `ch` carries one of them, else None."""
    marks = _marks(ch)
    if ACUTE in marks:
        return ACUTE
    if HOOK in marks:
        return HOOK
    return None


def swapped(ch: str) -> str:
    """`ch` with its acute turned into a hook above, or its hook into an acute (nothing else changes)."""
    nfd = unicodedata.normalize("NFD", ch)
    if ACUTE in nfd:
        nfd = nfd.replace(ACUTE, HOOK)
    elif HOOK in nfd:
        nfd = nfd.replace(HOOK, ACUTE)
    return unicodedata.normalize("NFC", nfd)


def fold(text: str) -> str:
    """`text` with every hook above read as an acute: two words equal under `fold` differ by those marks only."""
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", text).replace(HOOK, ACUTE))


def char_box(word, i: int) -> tuple[int, int, int, int]:  # word: TessWord
    """Character `i`'s box, trimmed to the gap its neighbours leave when tesseract's box overlaps them.

    LSTM character boxes are rough: about one in four spans a neighbour too ("ộ" of "Nội" from
    the N's left edge, "à" of "hoàn" over the n). Where the neighbours' boxes leave the
    character at least a third of the word height of its own, that part is used.
    """
    syms = word.symbols
    x0, y0, x1, y1 = syms[i][1]
    left = max(x0, syms[i - 1][1][2]) if i > 0 else x0
    right = min(x1, syms[i + 1][1][0]) if i + 1 < len(syms) else x1
    if right - left >= max(0.33 * word.height, 3) and right - left < x1 - x0:
        return left, y0, right, y1
    return x0, y0, x1, y1


_CIRCUMFLEX = "\u0302"


def features(image: np.ndarray, word, i: int) -> np.ndarray | None:  # word: TessWord
    """The mark zone above character `i` of `word`, and two facts about the letter as tesseract read it.

    The crop: the character's columns (`char_box`) and a fifth of the word height to the right (the
    mark of ấ / ẩ sits right of the circumflex), from just above its top to half a word height down,
    scaled to CROP_W x CROP_H, as [0, 1] ink darkness with the crop's own paper level and ink
    contrast taken out (the scans' contrast varies). Then: does the letter carry a circumflex, is it
    upper case (the mark then sits lower and closer). None when the box is degenerate.
    """
    x0, y0, x1, y1 = char_box(word, i)
    pad_x = max(2, round(0.06 * word.height))
    top = max(min(y0, word.top) - pad_x, 0)
    bottom = min(top + max(round(0.55 * word.height), 8), image.shape[0])
    left, right = max(x0 - pad_x, 0), min(x1 + max(pad_x, round(0.2 * word.height)), image.shape[1])
    if right - left < 3 or bottom - top < 3:
        return None
    crop = image[top:bottom, left:right].astype(np.float32)
    crop = cv2.resize(crop, (CROP_W, CROP_H), interpolation=cv2.INTER_AREA)
    lo, hi = float(crop.min()), float(np.percentile(crop, 90))
    ink = np.clip((hi - crop) / max(hi - lo, 1.0), 0.0, 1.0).ravel()
    ch = word.symbols[i][0]
    facts = np.array([float(_CIRCUMFLEX in unicodedata.normalize("NFD", ch)), float(ch.isupper())], dtype=np.float32)
    return np.concatenate([ink, facts])


class MarkModel:
    """Boosted decision trees (scikit-learn's HistGradientBoosting, trained by `tools.build_mark_model`),
    stored as flat node arrays in an .npz and evaluated with numpy: P(hook) per crop.

    numpy only at run time: scikit-learn is needed to build the model, not to use it.
    """

    def __init__(self, feature: np.ndarray, threshold: np.ndarray, left: np.ndarray, right: np.ndarray,
                 leaf: np.ndarray, value: np.ndarray, roots: np.ndarray, baseline: float) -> None:
        self.feature, self.threshold = feature.astype(np.int32), threshold.astype(np.float32)
        self.left, self.right = left.astype(np.int32), right.astype(np.int32)
        self.leaf, self.value = leaf.astype(bool), value.astype(np.float32)
        self.roots, self.baseline = roots.astype(np.int32), float(baseline)

    @classmethod
    def from_sklearn(cls, clf) -> MarkModel:  # a fitted binary HistGradientBoostingClassifier
        parts = {k: [] for k in ("feature", "threshold", "left", "right", "leaf", "value")}
        roots, offset = [], 0
        for (tree,) in clf._predictors:
            nodes = tree.nodes
            if nodes["is_categorical"].any():
                raise ValueError("categorical splits are not supported")
            roots.append(offset)
            parts["feature"].append(nodes["feature_idx"])
            parts["threshold"].append(nodes["num_threshold"])
            parts["left"].append(nodes["left"].astype(np.int64) + offset)
            parts["right"].append(nodes["right"].astype(np.int64) + offset)
            parts["leaf"].append(nodes["is_leaf"])
            parts["value"].append(nodes["value"])
            offset += len(nodes)
        cat = {k: np.concatenate(v) for k, v in parts.items()}
        return cls(cat["feature"], cat["threshold"], cat["left"], cat["right"], cat["leaf"], cat["value"],
                   np.array(roots), float(np.ravel(clf._baseline_prediction)[0]))

    @classmethod
    def load(cls, path: Path) -> MarkModel:
        d = np.load(path)
        return cls(d["feature"], d["threshold"], d["left"], d["right"], d["leaf"], d["value"], d["roots"],
                   float(d["baseline"]))

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays `load` reads back, by name (the builder writes them, `tools.reproducible.write_npz`)."""
        return {"feature": self.feature.astype(np.int16), "threshold": self.threshold, "left": self.left,
                "right": self.right, "leaf": self.leaf, "value": self.value, "roots": self.roots,
                "baseline": np.array(self.baseline)}

    def p_hook(self, x: np.ndarray) -> np.ndarray:
        """P(hook) of each row of `x`: all trees walked together, one level per step."""
        x = np.atleast_2d(x).astype(np.float32)
        node = np.broadcast_to(self.roots, (len(x), len(self.roots))).copy()
        rows = np.arange(len(x))[:, None]
        inner = ~self.leaf[node]
        while inner.any():
            n = node[inner]
            go_left = x[np.broadcast_to(rows, node.shape)[inner], self.feature[n]] <= self.threshold[n]
            node[inner] = np.where(go_left, self.left[n], self.right[n])
            inner = ~self.leaf[node]
        raw = self.baseline + self.value[node].astype(np.float64).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-raw))


@lru_cache(maxsize=1)
def model() -> MarkModel | None:
    """The shipped classifier, or None when its file is missing (the words then pass through)."""
    if not MODEL.exists():
        return None
    return MarkModel.load(MODEL)


def applies(dpi: float) -> bool:
    """Whether pages of this (source) resolution get the second look."""
    return 0 < dpi < LOW_DPI and model() is not None


def candidates(word) -> list[int]:  # word: TessWord
    """Indexes of the word's characters read with an acute or a hook, when its character boxes line up.

    (The build script labels both; `check_words` only ever looks again at the acutes.)
    """
    syms = word.symbols
    if not syms or "".join(t for t, _ in syms) != word.text:
        return []
    return [i for i, (t, _) in enumerate(syms) if len(t) == 1 and mark_of(t) is not None]


def check_words(words: list, image: np.ndarray, clf: MarkModel | None = None, sure: float = SURE) -> list:
    """`words` (read from `image`) with acutes and hooks the classifier is sure of set to what it sees.

    Only an acute <-> hook swap on a character tesseract marked with one of the two; a word
    without character boxes (CLI engine) or without such a character is returned as it is.
    """
    clf = clf if clf is not None else model()
    if clf is None:
        return words
    todo = [(k, i) for k, w in enumerate(words) for i in candidates(w)]
    if not todo:
        return words
    feats, keep = [], []
    for k, i in todo:
        w = words[k]
        f = features(image, w, i)
        if f is not None:
            feats.append(f)
            keep.append((k, i))
    if not feats:
        return words
    probs = clf.p_hook(np.stack(feats))
    out = list(words)
    changes: dict[int, list[int]] = {}
    for (k, i), p in zip(keep, probs, strict=True):
        mark = mark_of(words[k].symbols[i][0])
        if mark == ACUTE and p >= sure:
            changes.setdefault(k, []).append(i)
    for k, idx in changes.items():
        w = words[k]
        chars = [t for t, _ in w.symbols]
        for i in idx:
            chars[i] = swapped(chars[i])
        text = "".join(chars)
        syms = tuple((c, b) for c, (_, b) in zip(chars, w.symbols, strict=True))
        out[k] = replace(w, text=text, symbols=syms)
    return out
