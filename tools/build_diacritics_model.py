"""Build the shipped restoration model (`diacritics/vi_model.json.gz`) from its sources.

Run: `python -m tools.build_diacritics_model [--ocr-pages N] [--workers W]`.

Two models come from the same command:
- the shipped model (the default): every corpus file, the held-out ones too, since the
  maintainers score text the repository has never seen and more in-genre text is what pays
  (learning curve in diacritics/README.md);
- the benchmark's model (`--no-held-out`, or `build(held_out_too=False)`, which
  `bench/diacritics_bench.py` builds in process): the same without the held-out files, so
  `make bench-diacritics` still measures text its model never saw.
Both take their OCR channel from training-side pages only (never held-out text), so the
benchmark's English-OCR pages are unseen too; the model file records both facts
(`held_out_text`, `ocr_text`).

Sources (all in the repo or in installed packages; nothing downloaded):
- data/corpus/legal/*.md and data/corpus/legal_extra/*.md (the held-out files, name starting
  with 0, 1 or 2, only in the shipped model; see tools/corpus.py), cleaned of markdown:
  syllable lexicon and trigram language model;
- data/raw/seeds/001 (clean OCR of a real CCHC plan): same;
- pyvi's `models/words.txt` (Vietnamese word list): extra syllables for the lexicon;
- OCR confusions: training paragraphs rendered to page images and read back with
  `tesseract -l eng` (ocr_sim.py, cached in bench/cache/ocr_train.jsonl), aligned token by token
  with the truth to count how each syllable comes out of an English OCR model.  Training side
  (train + dev files) only, in both models.
Never used: tests/gold, seeds 000/002/003 (evaluation material); held-out corpus files in the
benchmark's model and in every OCR page.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from diacritics.text import (
    OCR_TOKEN_RE,
    TOKEN_RE,
    is_caps_word,
    is_mixed,
    is_number,
    is_word,
    old_style,
    strip_marks,
)
from tools.corpus import (
    CORPUS_DIRS,
    REPO_ROOT,
    clean_markdown,
    corpus_files,
    iter_paragraphs,
    seed_paragraphs,
)

MODEL_PATH = REPO_ROOT / "diacritics" / "vi_model.json.gz"
OCR_CACHE = REPO_ROOT / "bench" / "cache" / "ocr_train.jsonl"
#: What the OCR channel was read from (recorded in the model; the benchmark checks it).
OCR_TEXT = "training side"
BOS, EOS, NUM = "<s>", "</s>", "<num>"
WORD_LIST_PAIR_COUNT = 3
LEXICON_FILES = (("pyvi", "models/words.txt"), ("underthesea", "corpus/data/Viet74K.txt"))


def is_glued(token: str) -> bool:
    """Two words glued by the crawl ("phườngPhong", "vàTrung"): two or more lower-case letters
    then a capital inside one token.  Units and codes with one lower-case letter ("kV", "IoT",
    "TTg") are words of their own."""
    lower_run = 0
    for ch in token:
        if ch.isupper() and lower_run >= 2:
            return True
        lower_run = lower_run + 1 if ch.islower() else 0
    return False


def lm_sequences(text: str, keep_case: bool = False) -> Iterable[list[str]]:
    """Split text into runs the language model sees as contiguous: words (lower case) and
    numbers joined only by white space.  Punctuation and codes ("QH15") break a run, exactly
    as the decoder does (restore.py), so training and decoding contexts agree.  So do words the
    crawl glued together ("phườngPhong"): learnt as one lower-case form, they would teach the
    decoder to read such a token as a word and to lower its capital."""
    seq: list[str] = []
    prev_end = 0
    for m in TOKEN_RE.finditer(text):
        token = m.group()
        if seq and text[prev_end : m.start()].strip():
            yield seq
            seq = []
        prev_end = m.end()
        if is_word(token) and not is_glued(token):
            token = old_style(token)  # one spelling per word: where the tone sits is the document's convention
            seq.append(token if keep_case else token.lower())
        elif is_number(token):
            seq.append(NUM)
        else:
            if seq:
                yield seq
            seq = []
    if seq:
        yield seq


def count_title_case(paragraphs: Iterable[str]) -> tuple[Counter, Counter]:
    """How often each (lower-case) form is written in Title case inside a sentence (names and
    institutions), and how often it occurs there at all, keyed (form, "T" or "L") by whether the
    word before it was capitalised: names come in runs ("xã Long Cang"), so a Title-case word
    after a lower-case one is a name's first word or an institution ("của Cảng quốc tế").
    Only tokens that follow a word in the same run count: at the start of a line, after
    punctuation or after a number ("1. Quỹ", "Điều 4. Thẻ") every word is capitalised, which
    says nothing about the word; nor do headings in capitals."""
    titles: Counter = Counter()
    mids: Counter = Counter()
    for para in paragraphs:
        for seq in lm_sequences(para, keep_case=True):
            for prev, token in zip(seq, seq[1:], strict=False):
                if prev == NUM or token == NUM or is_caps_word(prev) or is_caps_word(token):
                    continue
                key = (token.lower(), "T" if prev[0].isupper() else "L")
                mids[key] += 1
                if token[0].isupper():
                    titles[key] += 1
    return titles, mids


def count_ngrams(paragraphs: Iterable[str]) -> tuple[Counter, Counter, Counter]:
    unigrams: Counter = Counter()
    bigrams: Counter = Counter()
    trigrams: Counter = Counter()
    for para in paragraphs:
        for seq in lm_sequences(para):
            padded = [BOS, *seq, EOS]
            unigrams.update(seq)
            bigrams.update(zip(padded, padded[1:], strict=False))
            trigrams.update(zip(padded, padded[1:], padded[2:], strict=False))
    return unigrams, bigrams, trigrams


def _package_file(package: str, relative: str) -> Path | None:
    """A data file inside an installed package, found without importing the package."""
    import importlib.util

    spec = importlib.util.find_spec(package)
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / relative
        if path.exists():
            return path
    return None


def word_list(path: Path | None) -> list[list[str]]:
    """A Vietnamese word list (one word a line) as syllable lists ("thiệt hại" -> ["thiệt",
    "hại"]); entries that are not plain syllables (hyphenated loans, digits) are skipped."""
    if path is None:
        return []
    out: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        syllables = [old_style(s) for s in unicodedata.normalize("NFC", line).lower().split()]
        if syllables and all(is_word(s) for s in syllables):
            out.append(syllables)
    return out


def lexicon_words() -> list[list[str]]:
    """Distinct words of pyvi's `models/words.txt` and underthesea's `Viet74K.txt` (each list
    is used when its package is installed: `make diacritics-model` installs both)."""
    words: set[tuple[str, ...]] = set()
    for package, relative in LEXICON_FILES:
        words.update(tuple(w) for w in word_list(_package_file(package, relative)))
    return [list(w) for w in sorted(words)]


GAZETTEER = REPO_ROOT / "parsers" / "data" / "gazetteer.tsv.gz"


def gazetteer_rows() -> list[list[str]]:
    """The parsers' locality list (era, level, kind, name, province a row; built from the
    `vietnam-provinces` package), read as a data file: the restorer never imports `parsers/`."""
    if not GAZETTEER.exists():
        return []
    with gzip.open(GAZETTEER, "rt", encoding="utf-8") as fh:
        return [line.rstrip("\n").split("\t") for line in fh]


def place_names() -> list[list[str]]:
    """Vietnamese administrative units as word runs in original case ("xã Thụy Hải", "huyện
    Chư Prông"), from the locality list the parsers ship (parsers/data/gazetteer.tsv.gz, built
    from the `vietnam-provinces` package).  Read as a data file at build time only: the restorer
    never imports `parsers/`.  Each distinct unit counts once, with and without its unit word."""
    units = {(cols[2], cols[3]) for cols in gazetteer_rows() if len(cols) >= 4}
    out: list[list[str]] = []
    for kind, name in sorted(units):
        words = [old_style(w) for w in name.split()]
        if not words or not all(is_word(w) for w in words):
            continue
        out.append(words)
        if kind and all(is_word(w) for w in kind.split()):
            out.append(kind.split() + words)
    return out


def place_register() -> list[list[str]]:
    """(level, name, province) of every administrative unit of the parsers' locality list, both
    eras, once each: the restorer spells a unit named after its unit word as the register does
    (diacritics/place_names.py), preferring the units of a province the text names."""
    rows: set[tuple[str, str, str]] = set()
    for cols in gazetteer_rows():
        words = cols[3].split() if len(cols) >= 5 else []
        if words and words[-1].isdigit():  # "Cổ Nhuế 1": the text's run of capitals ends before the number
            words = words[:-1]
        if words and all(is_word(w) for w in words):
            rows.add((cols[1], " ".join(words), cols[4]))
    return [list(row) for row in sorted(rows)]


def ocr_tokens(text: str, pattern: re.Pattern[str] = TOKEN_RE) -> list[str]:
    return [m.group().lower() for m in pattern.finditer(text)]


def count_confusions(pages: Iterable[dict]) -> tuple[Counter, Counter]:
    """Align truth and OCR tokens page by page; count (observed, true) pairs.

    Levenshtein alignment over token lists pairs a truth token with the OCR token that took its
    place; pairs whose letters have little in common (the OCR dropped or merged words) are not
    counted, since they would teach the channel nonsense."""
    pairs: Counter = Counter()
    seen: Counter = Counter()
    for page in pages:
        truth = ocr_tokens("\n".join(page["truth"]))
        ocr = ocr_tokens(page["ocr"], OCR_TOKEN_RE)
        ops = Levenshtein.opcodes(truth, ocr)
        for op in ops:
            if op.tag == "equal":
                for k in range(op.src_end - op.src_start):
                    tok = truth[op.src_start + k]
                    if is_word(tok):
                        pairs[(tok, old_style(tok))] += 1
                        seen[old_style(tok)] += 1
            elif op.tag == "replace" and op.src_end - op.src_start == op.dest_end - op.dest_start:
                for k in range(op.src_end - op.src_start):
                    tok, got = truth[op.src_start + k], ocr[op.dest_start + k]
                    if not is_word(tok):
                        continue
                    if is_word(got) or is_mixed(got):
                        if fuzz.ratio(strip_marks(tok), got) < 40:
                            continue
                    elif len(got) > 1 or len(tok) > 2:
                        continue  # a lone digit or symbol stands only for a short syllable ("6" for "ở")
                    pairs[(got, old_style(tok))] += 1
                    seen[old_style(tok)] += 1
    return pairs, seen


def count_caps_misreads(pages: Iterable[dict]) -> Counter:
    """For OCR tokens printed in capitals ("BO", "SG"), count whether the truth was Title case
    ("Bộ", "Sở": the mark became a capital glyph) or capitals too.  Keys: (lower-case OCR
    token, "title" | "caps")."""
    stats: Counter = Counter()
    for page in pages:
        truth = TOKEN_RE.findall("\n".join(page["truth"]))
        ocr = OCR_TOKEN_RE.findall(page["ocr"])
        ops = Levenshtein.opcodes([t.lower() for t in truth], [o.lower() for o in ocr])
        for op in ops:
            if op.tag not in ("equal", "replace") or op.src_end - op.src_start != op.dest_end - op.dest_start:
                continue
            for k in range(op.src_end - op.src_start):
                tok, got = truth[op.src_start + k], ocr[op.dest_start + k]
                letters = [ch for ch in got if ch.isalpha()]
                if len(letters) < 2 or not all(ch.isupper() for ch in letters) or not is_word(tok):
                    continue
                if is_caps_word(tok):
                    stats[(got.lower(), "caps")] += 1
                elif tok[0].isupper():
                    stats[(got.lower(), "title")] += 1
    return stats


def training_ocr_pages(max_pages: int, workers: int) -> list[dict]:
    """Rendered and OCR'd pages of training-side text (never held-out files, whatever the
    language model is built on: the benchmark's English-OCR pages are held-out text)."""
    from tools.ocr_sim import ocr_pages

    paras = list(iter_paragraphs(held_out=False))
    random.Random(7).shuffle(paras)  # mix documents so pages cover many kinds of text
    return ocr_pages(paras, OCR_CACHE, max_pages=max_pages, workers=workers)


def confusions_of(path: Path) -> tuple[Counter, Counter, list[str], int]:
    """The OCR confusion counts of an already built model: (pairs, seen, caps_title, pages).
    Rendering and OCR-ing the training pages costs about 5 s of CPU per page; the language
    model can be rebuilt on its own with the channel it already has."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        old = json.load(fh)
    vocab = old["vocab"]
    pairs: Counter = Counter()
    seen: Counter = Counter()
    seen_by_form: dict[str, int] = {}
    for obs, true, n, n_seen in old["confusion"]:
        pairs[(obs, old_style(vocab[true]))] += n  # both tone placements are one form (lm_sequences)
        seen_by_form[vocab[true]] = n_seen
    for form, n_seen in seen_by_form.items():
        seen[old_style(form)] += n_seen
    return pairs, seen, list(old.get("caps_title", ())), int(old.get("ocr_pages", 0))


def ocr_text_of(path: Path) -> str:
    """What the OCR channel of a built model was read from ("" for a file from before that was
    recorded)."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return str(json.load(fh).get("ocr_text", ""))


def training_files(
    dev_prefixes: str = "", train_fraction: float = 1.0, folders: tuple[Path, ...] = CORPUS_DIRS,
    held_out_too: bool = False,
) -> list[Path]:
    """The corpus files a model is built on: the training side of the hold-out split (with
    `held_out_too`, the held-out files as well: the shipped model), less the files starting
    with `dev_prefixes`; with `train_fraction` < 1, only whole documents, in a fixed shuffled
    order, until that share of their words (the learning curve)."""
    files = [p for p in corpus_files(held_out=False, folders=folders) if p.name[:1] not in dev_prefixes]
    if held_out_too:
        files += corpus_files(held_out=True, folders=folders)
    if train_fraction >= 1.0:
        return files
    words = {p: len(p.read_text(encoding="utf-8").split()) for p in files}
    order = sorted(files, key=lambda p: p.name)
    random.Random(17).shuffle(order)
    budget = train_fraction * sum(words.values())
    chosen: list[Path] = []
    total = 0
    for path in order:
        if total >= budget:
            break
        chosen.append(path)
        total += words[path]
    return sorted(chosen, key=files.index)


def build(
    max_pages: int, workers: int, min_conf: int = 2, dev_prefixes: str = "", confusions_from: Path | None = None,
    extra_texts: tuple[Path, ...] = (), train_fraction: float = 1.0, folders: tuple[Path, ...] = CORPUS_DIRS,
    held_out_too: bool = False,
) -> dict:
    """`dev_prefixes`: also leave out training files starting with these hex digits, to tune
    decoder settings on text the tuned model has not seen (the shipped model uses none).
    `confusions_from`: take the OCR channel from this model instead of OCR-ing pages.
    `train_fraction`, `folders`: build on part of the corpus (learning curve, before/after).
    `held_out_too`: the held-out files too (the shipped model; never a model that is scored)."""
    if confusions_from is not None and ocr_text_of(confusions_from) not in ("", OCR_TEXT):
        raise ValueError(f"{confusions_from}: OCR channel not from training-side pages")
    paragraphs = [
        para
        for path in training_files(dev_prefixes, train_fraction, folders, held_out_too)
        for para in clean_markdown(path.read_text(encoding="utf-8"))
    ] + seed_paragraphs()
    for extra_path in extra_texts:
        paragraphs += [line for line in extra_path.read_text(encoding="utf-8").split("\n") if line.strip()]
    unigrams, bigrams, trigrams = count_ngrams(paragraphs)
    titles, mids = count_title_case(paragraphs)
    # Each dictionary word adds one count to its syllable pairs: the corpus is one genre, and
    # word pairs it never shows ("thiệt hại" outside disaster reports) still exist.
    lexicon = lexicon_words()
    for syllables in lexicon:
        for pair in zip(syllables, syllables[1:], strict=False):
            bigrams[pair] += WORD_LIST_PAIR_COUNT
        for triple in zip(syllables, syllables[1:], syllables[2:], strict=False):
            trigrams[triple] += WORD_LIST_PAIR_COUNT
    # Place names: the corpus names few of the country's ~10,000 communes, and a name's marks
    # ("Thụy", "Chư", "Ân") cannot be told from the letters.
    for words in place_names():
        seq = [w.lower() for w in words]  # a name is a piece of a sentence: no <s>, </s>
        unigrams.update(seq)
        bigrams.update(zip(seq, seq[1:], strict=False))
        trigrams.update(zip(seq, seq[1:], seq[2:], strict=False))
        for prev, word in zip(words, words[1:], strict=False):
            key = (word.lower(), "T" if prev[0].isupper() else "L")
            mids[key] += 1
            titles[key] += word[0].isupper()
    if confusions_from is not None:
        pairs, seen, caps_title, n_pages = confusions_of(confusions_from)
    else:
        pages = training_ocr_pages(max_pages, workers) if max_pages else []
        pairs, seen = count_confusions(pages)
        caps = count_caps_misreads(pages)
        # OCR tokens in capitals that were mostly a Title-case word ("BO" for "Bộ")
        caps_title = sorted(
            obs
            for (obs, kind), n in caps.items()
            if kind == "title" and n >= 3 and n >= 2 * caps.get((obs, "caps"), 0)
        )
        n_pages = len(pages)
    extra = {s for word in lexicon for s in word} - set(unigrams)
    # Confusions are counted on lower-case forms; make sure each kept one has an id (only those
    # the table keeps, so a rebuild with --confusions-from gives the same vocabulary).
    extra |= {tok for (_, tok), n in pairs.items() if n >= min_conf and tok not in unigrams}

    words = [w for w in unigrams if w not in (BOS, EOS, NUM)]
    vocab = [BOS, EOS, NUM] + sorted(words, key=lambda w: (-unigrams[w], w)) + sorted(extra)
    index = {w: i for i, w in enumerate(vocab)}
    # Confusions keep only pairs seen min_conf times or more, and pairs that changed the token.
    conf = [
        [obs, index[true], n, seen[true]]
        for (obs, true), n in sorted(pairs.items())
        if n >= min_conf and true in index
    ]
    return {
        "version": 1,
        "vocab": vocab,
        "unigram": [unigrams.get(w, 0) for w in vocab],
        # Title-case and all counts inside sentences, after a lower-case / a capitalised word
        "title": [titles.get((w, "L"), 0) for w in vocab],
        "mid": [mids.get((w, "L"), 0) for w in vocab],
        "title_after_title": [titles.get((w, "T"), 0) for w in vocab],
        "mid_after_title": [mids.get((w, "T"), 0) for w in vocab],
        "bigram": [[index[a], index[b], n] for (a, b), n in sorted(bigrams.items())],
        "trigram": [[index[a], index[b], index[c], n] for (a, b, c), n in sorted(trigrams.items())],
        "confusion": conf,
        "caps_title": caps_title,
        "places": place_register(),
        "ocr_pages": n_pages,
        "held_out_text": held_out_too,
        "ocr_text": OCR_TEXT,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ocr-pages", type=int, default=400, help="pages rendered and OCR'd for confusions")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--dev-prefixes", default="", help="extra files to leave out, for tuning only (implies --no-held-out)")
    ap.add_argument(
        "--no-held-out", action="store_true",
        help="leave the held-out files out (the benchmark's model; the shipped model has them)",
    )
    ap.add_argument(
        "--confusions-from", type=Path, default=None,
        help="reuse the OCR confusion table of this model (e.g. the shipped one) instead of OCR-ing pages",
    )
    ap.add_argument("--extra-text", type=Path, action="append", default=[], help="more running text, one paragraph a line")
    ap.add_argument("--train-fraction", type=float, default=1.0, help="share of the training words (learning curve)")
    ap.add_argument(
        "--folders", default=",".join(p.name for p in CORPUS_DIRS), help="corpus folders to build on (comma-separated)"
    )
    args = ap.parse_args(argv)
    folders = tuple(p for p in CORPUS_DIRS if p.name in args.folders.split(","))
    model = build(
        args.ocr_pages, args.workers, dev_prefixes=args.dev_prefixes, confusions_from=args.confusions_from,
        extra_texts=tuple(args.extra_text), train_fraction=args.train_fraction, folders=folders,
        held_out_too=not (args.no_held_out or args.dev_prefixes),
    )
    # mtime=0: the same sources give a byte-identical file
    with open(args.out, "wb") as raw, gzip.GzipFile(filename="", fileobj=raw, mode="wb", compresslevel=9, mtime=0) as gz:
        gz.write(json.dumps(model, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    print(
        f"wrote {args.out}: {len(model['vocab'])} forms, {len(model['bigram'])} bigrams, "
        f"{len(model['trigram'])} trigrams, "
        f"{len(model['confusion'])} confusion pairs from {model['ocr_pages']} OCR pages, "
        f"held-out text {'in' if model['held_out_text'] else 'left out'}, {args.out.stat().st_size / 1e6:.1f} MB"
    )


if __name__ == "__main__":
    main()
