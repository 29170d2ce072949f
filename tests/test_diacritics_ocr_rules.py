"""English-OCR repair rules that are about the page, not the language model: a glyph lost at a
line start, fuzzy repair of tokens that are already syllables, Roman section numerals read as
look-alike letters, and web addresses copied through.  Cases are generated from the rules'
definitions and the model, not taken from a seed."""

from __future__ import annotations

import importlib
import itertools
import math

import pytest

from diacritics import restore
from diacritics.model import load_model
from diacritics.numerals import roman_headings
from diacritics.text import TOKEN_SPLIT, strip_marks
from diacritics.verbatim import verbatim_tokens

R = importlib.import_module("diacritics.restore")


def _fuzzy_cost(model, obs: str) -> dict[str, float]:
    """Channel cost (nats) of each fuzzy-only candidate of `obs` on an English-OCR page."""
    learned = set(model.confusion.get(obs, ())) | {model.vocab[i] for i in model.by_base.get(strip_marks(obs), ())}
    out = {}
    for lm_id, score in R._candidates(obs, R.OCR):
        form = model.vocab[lm_id]
        if lm_id != model.unk and form not in learned:
            out[form] = score - R._case_score(model, lm_id, "")
    return out


def test_fuzzy_repair_of_a_known_syllable_costs_more_than_a_lost_glyph() -> None:
    """A token that is already a syllable is mostly right: a letter changed costs
    FUZZY_KNOWN_FACTOR edits, a glyph lost (one letter more in the form) its own, lower cost."""
    model = load_model()
    edit = -math.log(R.FUZZY_EDIT_P)
    common = sorted((i for i in range(3, model.size) if model.vocab[i].isascii()), key=lambda i: -model.counts[i])
    checked = 0
    for i in common[:150]:
        obs = model.vocab[i]
        for form, cost in _fuzzy_cost(model, obs).items():
            if len(strip_marks(form)) == len(obs) + 1:  # a glyph lost ("rong" for "trong")
                assert -cost == pytest.approx(R.FUZZY_DROP_DISTANCE * edit, abs=1e-6), (obs, form)
            else:
                assert -cost >= R.FUZZY_KNOWN_FACTOR * edit - 1e-6, (obs, form)
            checked += 1
    assert checked > 100


@pytest.mark.parametrize(
    ("ocr", "want"),
    [
        ("Cac don vi bao cao ket qua\nrong quy IV nam 2025 ve So Tai chinh.", "trong quý IV năm 2025"),
        ("To chuc tap huan cho can bo\nrong cac co quan hanh chinh.", "trong các cơ quan"),
        ("Kiem tra viec thuc hien\nhu tuc hanh chinh tai cac xa.", "thủ tục hành chính"),
    ],
)
def test_a_glyph_lost_at_a_line_start_comes_back(ocr: str, want: str) -> None:
    out = restore(ocr, mode="ocr")
    assert out.split("\n")[1].startswith(want)
    assert out.count("\n") == ocr.count("\n")


HEADINGS = ["MOT SO CHI TIEU CHU YEU", "NOI DUNG NHIEM VU", "TO CHUC THUC HIEN", "KINH PHI THUC HIEN"]
LOOKALIKES = "lLT1"


def _garbles(numeral: str) -> list[str]:
    """Every spelling of `numeral` whose strokes after the first are I or a look-alike, except the right one."""
    tails = itertools.product("I" + LOOKALIKES, repeat=len(numeral) - 1)
    return ["I" + "".join(t) for t in tails if "".join(t) != "I" * (len(numeral) - 1)]


@pytest.mark.parametrize("numeral", ["II", "III"])
def test_roman_section_numeral_read_as_lookalikes_is_the_numeral(numeral: str) -> None:
    for garble, heading, stop in itertools.product(_garbles(numeral), HEADINGS, ("", ".")):
        page = f"Ke hoach nay duoc ban hanh.\n{garble}{stop} {heading}\n1. Muc tieu"
        out = restore(page, mode="ocr").split("\n")[1]
        assert out.startswith(f"{numeral}{stop} "), (garble, out)


def test_lookalike_letters_elsewhere_are_not_numerals() -> None:
    for text in ("IL MOT SO", "IT NOI DUNG"):
        parts = TOKEN_SPLIT.split(f"Ve viec {text}")  # not at a line start
        assert roman_headings(parts) == {}
    for text in ("IL mot so van de", "IT, cong nghe"):  # no heading in capitals after it
        assert roman_headings(TOKEN_SPLIT.split(text)) == {}
    assert roman_headings(TOKEN_SPLIT.split("II. NOI DUNG")) == {}  # already right


@pytest.mark.parametrize(
    "address",
    [
        "https://thuvien.example.vn/van-ban/bo-may-hanh-chinh/nghi-dinh-62-2020-nd-cp-vi-tri-viec-lam.aspx",
        "http://dichvucong.example.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html",
        "www.sonoivu.example.gov.vn/tin-tuc/cai-cach-hanh-chinh",
        "van.thu-so.noi.vu@example.gov.vn",
    ],
)
@pytest.mark.parametrize("mode", ["ocr", "stripped"])
def test_web_and_mail_addresses_are_copied_through(address: str, mode: str) -> None:
    page = f"Chi tiet xem tai {address} hoac lien he van phong."
    out = restore(page, mode=mode)
    assert address in out
    assert out.endswith("hoặc liên hệ văn phòng.")  # the text around it is still restored
    parts = TOKEN_SPLIT.split(page)
    inside = verbatim_tokens(parts)
    assert inside and all(parts[i] in address for i in inside)


def test_a_capitalised_token_has_its_first_glyph() -> None:
    """The lost-glyph discount is for a form one letter longer than the garble; when the token
    starts with a capital, its first glyph is there, so a form one letter longer *in front*
    ("Hen" -> "Chen") costs a full letter edit, while written in lower case ("rong" -> "trong")
    it keeps the discount."""
    model = load_model()
    edit = -math.log(R.FUZZY_EDIT_P)
    ids = sorted((i for i in range(3, model.size) if model.vocab[i].isascii() and model.vocab[i].isalpha()),
                 key=lambda i: -model.counts[i])
    checked = 0
    for i in ids[:400]:
        form = model.vocab[i]
        obs = form[1:]
        if len(obs) < 2 or obs not in model.index:
            continue
        lower = {model.vocab[k]: -(s - R._case_score(model, k, "")) for k, s in R._candidates(obs, R.OCR, "")}
        title = {model.vocab[k]: -(s - R._case_score(model, k, R.TITLE_MARK)) for k, s in R._candidates(obs, R.OCR, R.TITLE_MARK)}
        if form not in lower or form in model.confusion.get(obs, ()):
            continue  # not a fuzzy candidate here (beyond the cut), or a learned confusion
        assert lower[form] == pytest.approx(R.FUZZY_DROP_DISTANCE * edit, abs=1e-6), (obs, form)
        assert form not in title or title[form] >= R.FUZZY_KNOWN_FACTOR * edit - 1e-6, (obs, form)
        checked += 1
    assert checked >= 10
