"""Normalisation keeps a map back to the original characters."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from unspin.normalize import normalize
from unspin.tokens import tokenize

ALPHABET = list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 .,'\"\n\t-") + [
    "\u0430",
    "\u0435",
    "\u043e",
    "\u0440",
    "\u0441",
    "\u0391",
    "\u03bf",  # homoglyphs
    "\u200b",
    "\u200d",
    "\u00ad",
    "\ufeff",  # zero-width, soft hyphen, BOM
    "\ufb01",
    "\u00e9",
    "e\u0301",
    "\u00a0",
    "\uff48",
    "\u2019",
    "\u00bd",  # NFKC cases
]
texts = st.lists(st.sampled_from(ALPHABET), max_size=80).map("".join)


def test_folds_homoglyphs_and_removes_invisibles() -> None:
    text = "\u0422he c\u043empany s\u200bai\u00add it w\u200dill ra\u0456se pr\u0456ces"
    norm = normalize(text)
    assert norm.text == "The company said it will raise prices"


def test_collapses_whitespace_and_keeps_paragraphs() -> None:
    norm = normalize("  One  two\nthree.\n\n   Four\n    five  ")
    assert norm.text == "One two three.\nFour\nfive"


def test_nfkc_ligature_maps_to_whole_original_character() -> None:
    text = "the \ufb01sh"
    norm = normalize(text)
    assert norm.text == "the fish"
    s, e = norm.to_original(4, 8)
    assert text[s:e] == "\ufb01sh"


def test_cyrillic_word_in_cyrillic_text_is_kept() -> None:
    text = "\u0441\u043e\u0440 \u043c\u0438\u0440 \u0434\u0440\u0443\u0433 \u0432\u043e\u0434\u0430"
    assert normalize(text).text == text


@settings(max_examples=300, deadline=None)
@given(texts)
def test_token_offsets_round_trip(text: str) -> None:
    norm = normalize(text)
    toks = tokenize(norm.text)
    for start, end in zip(toks.starts, toks.ends, strict=True):
        o_start, o_end = norm.to_original(start, end)
        assert 0 <= o_start <= o_end <= len(text)
        # the original slice normalises back to the token (or, where one original character
        # expanded into several, such as "\u00bd" -> "1\u20442", to text that contains it)
        back = normalize(text[o_start:o_end]).text
        assert back == norm.text[start:end] or norm.text[start:end] in back


@settings(max_examples=300, deadline=None)
@given(texts)
@example("a \u200b b")
@example("x\u00a0 \u00a0y")
@example(" \u200b\n\n a")
def test_map_is_monotone_and_in_bounds(text: str) -> None:
    norm = normalize(text)
    last = 0
    for pos in range(len(norm.text)):
        s, e = norm.to_original(pos, pos + 1)
        assert last <= s < e <= len(text)
        last = s
    assert not re.search(r"[\u200b\u200d\u00ad\ufeff]", norm.text)
    assert "  " not in norm.text
