"""The benchmark's own text helpers, spinner and tortured-phrase injection."""

from __future__ import annotations

import random

import pytest

from unspin.bench.corpus import dedupe, read_bbc, read_reuters, reflow_reuters
from unspin.bench.spinner import Spinner, inflect, match_case
from unspin.bench.text import paragraph_spans, sentence_spans, word_shingles, words
from unspin.bench.tortured import TorturedPhrases

TEXT = (
    "The U.S. economy grew 3.1 pct in the first quarter, Mr. Smith said. Analysts expected less.\n\n"
    "Prices rose again! Did they? Yes."
)


def test_sentences_respect_abbreviations_and_paragraphs():
    got = [TEXT[a:b] for a, b in sentence_spans(TEXT)]
    assert got == [
        "The U.S. economy grew 3.1 pct in the first quarter, Mr. Smith said.",
        "Analysts expected less.",
        "Prices rose again!",
        "Did they?",
        "Yes.",
    ]


def test_paragraphs_are_stripped_blocks():
    assert [TEXT[a:b][:6] for a, b in paragraph_spans(TEXT)] == ["The U.", "Prices"]


def test_words_and_shingles():
    assert words("Don't stop, U.S. 3.1") == ["don't", "stop", "u.s", "3.1"]
    assert word_shingles("a b c d e f", 5) == {"a b c d e", "b c d e f"}
    assert word_shingles("a b", 5) == {"a b"}
    assert word_shingles("", 5) == set()


def test_reflow_reuters_joins_wrapped_lines_and_drops_signature():
    body = "Showers continued in\nthe Bahia zone.\n    The dry period\nmeans delays.\n REUTER\n"
    assert (
        reflow_reuters(body)
        == "Showers continued in the Bahia zone.\n\nThe dry period means delays."
    )


def test_readers_and_dedupe(tmp_path):
    bbc = tmp_path / "bbc.jsonl"
    bbc.write_text(
        '{"id": "business/001", "category": "business", "title": "T", "text": "Some text."}\n'
        '{"id": "business/002", "category": "business", "title": "T", "text": "  some   TEXT. "}\n'
    )
    reuters = tmp_path / "r.jsonl"
    reuters.write_text(
        '{"newid": 7, "topics": ["grain", "wheat"], "title": "X", "body": "Wheat\\nrose."}\n'
        '{"newid": 8, "topics": [], "title": "Y", "body": null}\n'
    )
    arts = list(dedupe(read_bbc(bbc)))
    assert [a.id for a in arts] == ["bbc/business/001"]
    (r,) = list(read_reuters(reuters))
    assert (r.id, r.text, r.metadata["subject"], r.source) == (
        "reuters/7",
        "Wheat rose.",
        "grain",
        "reuters",
    )


SYNONYMS = {
    "profit": ["gain"],
    "jump": ["leap"],
    "company": ["firm"],
    "quarterly": ["periodic"],
    "strong": ["sturdy"],
    "sale": ["auction"],
    "try": ["attempt"],
}


def spinner() -> Spinner:
    return Spinner(lambda w: SYNONYMS.get(w, []))


def test_spinner_keeps_names_numbers_stopwords_and_case():
    text = "Quarterly profits jumped 76% at the company. Acme Company said sales were strong."
    spun = spinner().spin(text, 1.0, random.Random(0))
    assert (
        spun.text
        == "Periodic gains leaped 76% at the firm. Acme Company said auctions were sturdy."
    )
    assert spun.replaced == 6 and spun.content_words == 6


def test_spinner_rate_is_a_share_of_content_words():
    text = " ".join(["profit company strong"] * 20)
    spun = spinner().spin(text, 0.3, random.Random(1))
    assert spun.content_words == 60 and spun.replaced == 18
    assert spun.rate == pytest.approx(0.3)
    assert spinner().spin(text, 0.3, random.Random(1)) == spun  # deterministic
    assert len(spun.text.split()) == 60


def test_spinner_name_at_sentence_start_is_not_spun():
    text = "Strong said so. The report by Strong was strong."
    spun = spinner().spin(text, 1.0, random.Random(0))
    assert spun.text == "Strong said so. The report by Strong was sturdy."


def test_spinner_rejects_bad_rate():
    with pytest.raises(ValueError):
        spinner().spin("x", 1.5, random.Random(0))


def test_inflection_and_case_helpers():
    assert inflect("try", "ed") == "tried" and inflect("leap", "ing") == "leaping"
    assert inflect("box", "s") == "boxes" and inflect("party", "s") == "parties"
    assert match_case("firm", "COMPANY") == "FIRM" and match_case("firm", "Company") == "Firm"
    assert match_case("unused york", "New York") == "Unused York"


def test_tortured_phrases_longest_match_and_case():
    tp = TorturedPhrases(
        {
            "artificial intelligence": "counterfeit consciousness",
            "intelligence": "knowledge",
            "and": "associate in nursing",
        }
    )
    got = tp.inject("Artificial intelligence and intelligence, artificial\nintelligence.")
    assert got.text == "Counterfeit consciousness and knowledge, counterfeit consciousness."
    assert got.replaced == 3


def test_tortured_csv_skips_operators_and_keeps_most_frequent(tmp_path):
    csv = tmp_path / "pps.csv"
    csv.write_text(
        "fingerprint,expected,num_papers,query_has_operators,raw_query\n"
        "surface region,surface area,40,AND,x\n"
        "information mining,data mining,20,,x\n"
        "data digging,data mining,5,,x\n"
        "assiduity 4.0,industry 4.0,5,,x\n"
    )
    tp = TorturedPhrases.from_csv(csv)
    assert len(tp) == 1
    assert tp.inject("data mining and surface area").text == "information mining and surface area"
