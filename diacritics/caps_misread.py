"""Short words in capitals amid ordinary words that English OCR made of a marked lower-case vowel.

A vowel with a stacked mark ("ộ", "ở", "ố") stands as tall as a capital, and `tesseract -l eng`
reads it as one: "Bộ" comes out "BO", "Sở" "SO", "có" "CO".  The decoder restores the letters
("bộ"), but the case is copied from the token as read, which gives "BỘ" in running text.  A
short token in capitals whose reading carries a mark, with no word in capitals next to it (a
heading keeps its capitals), is a misread Title-case word.  Abbreviations are untouched: they
carry no mark on a vowel and spell no syllable ("UBND", "TP", "QĐ").
"""

from __future__ import annotations

from diacritics.text import SYLLABLE_SHAPE, has_marks, is_caps_word, strip_marks

#: Longest token (letters) taken for a misread word: the misreads seen are two or three letters.
MAX_LETTERS = 3
#: A heading word read with one small letter ("CHi") is written in capitals (`misread_lower`).
LOWER_IN_HEADINGS = True


def _word_near(parts: list[str], i: int, step: int) -> str:
    """The nearest word of two letters or more from parts[i] in direction `step` (±2), numbers
    and single letters skipped ("14 THÁNG 7 NĂM 2022": the words around "NĂM" are "THÁNG" and
    "CỦA"; "BỘ Y TẾ": the word after "BỘ" is "TẾ")."""
    j = i + step
    while 0 < j < len(parts):
        if sum(ch.isalpha() for ch in parts[j]) > 1:
            return parts[j]
        j += step
    return ""


def misread_capitals(parts: list[str], i: int, form: str) -> bool:
    """Whether parts[i] (a token as read, in capitals) decoded to the lower-case `form` is a
    Title-case word whose marked vowel the OCR read as a capital."""
    token = parts[i]
    if not 1 < len(token) <= MAX_LETTERS or not token.isalpha() or not token.isupper():
        return False
    if is_caps_word(_word_near(parts, i, -2)) or is_caps_word(_word_near(parts, i, 2)):
        return False
    # a mark on a vowel ("đ" alone is the bar of a consonant: "QĐ", "HĐND" are abbreviations)
    # and the letters of one syllable
    return has_marks(form.replace("đ", "d")) and bool(SYLLABLE_SHAPE.match(strip_marks(form)))


def misread_lower(parts: list[str], i: int) -> bool:
    """Whether parts[i], in capitals but for a letter or two ("CHi" for "CHỈ": the marked
    capital read as a small letter), stands between two words in capitals: a heading's word."""
    token = parts[i]
    if not LOWER_IN_HEADINGS or len(token) < 2 or token.isupper() or sum(ch.isupper() for ch in token) < 2:
        return False
    return is_caps_word(_word_near(parts, i, -2)) and is_caps_word(_word_near(parts, i, 2))
