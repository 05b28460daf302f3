"""The language-model and translation evidence of the tortured-phrase detector, and page verdicts.

A few sentences only: each model-scored sentence costs a forward pass or two."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from unspin.tortured import DetectConfig, Detector, detect
from unspin.tortured.model_detector import ModelSettings
from unspin.tortured.translation import find_damage
from unspin.tortured.verdict import page_verdict

THOROUGH = DetectConfig(thorough=True)


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(config=THOROUGH)


def flags(found) -> list[tuple[str, str, str]]:
    return [(p.phrase, p.suggestion, p.evidence) for p in found]


def test_model_finds_a_swap_no_list_holds(det):
    text = "Police said the driver had been arrested on mistrust of drink driving after the crash."
    assert not detect(text, config=DetectConfig(use_statistical=False, use_model=False))
    found = det.detect(text)
    assert flags(found) == [("mistrust", "suspicion", "model")]
    assert found[0].at == (text.index("mistrust"), text.index("mistrust") + len("mistrust"))


def test_model_flags_a_two_word_swap_as_one_phrase(det):
    found = det.detect("He was rushed to hospital after he suffered a bosom assault at home.")
    assert flags(found) == [("bosom assault", "heart attack", "model")]


def test_a_swap_is_judged_by_the_words_after_it_too(det):
    """The gain of a swap is the log-likelihood difference over the swapped word and the six
    tokens after it: the same number as scoring both sentences from scratch."""
    import numpy as np

    from unspin.analysis import analyze

    text = "The bill passed its second perusing in the Commons on Tuesday after a long debate."
    doc = analyze(text)
    swaps = {(doc.tokens.lower[s.word], s.new): s for s in det.model.swaps(doc, [0])}
    s = swaps[("perusing", "reading")]
    lm = det.model.lm

    def loglik(sentence: str, first: int, n: int) -> float:
        ids = [lm.start, *lm.encode(sentence).ids]
        lp = lm.log_probs(np.array([ids]))[0]
        return float(sum(lp[p, ids[p + 1]] for p in range(first, first + n)))

    at = len(lm.encode(text[: text.index(" perusing")]).ids)
    n_old = len(lm.encode(text[: text.index(" in the")]).ids) - at
    old = loglik(text, at, n_old + 6)
    new = loglik(text.replace("perusing", "reading"), at, 1 + 6)
    assert s.gain == pytest.approx(new - old, abs=0.05)
    assert s.gain > s.left + 1.0  # the words after the swap favour it too


@pytest.mark.parametrize("text", [
    "The committee will scrutinise the bill's provisions before the vote on Thursday.",
    "The archbishop called for clemency in his Christmas homily at the cathedral.",
    "The farmers harvested the sorghum before the monsoon rains arrived in the valley.",
])
def test_rare_but_correct_wording_is_left_alone(det, text):
    assert det.detect(text) == []


def test_default_mode_scores_only_the_sentences_the_cheap_detectors_pick(det):
    text = ("The committee will scrutinise the bill's provisions before the vote on Thursday. "
            "The factory closed its entryways last year.")
    doc_picked = Detector().pick_sentences  # bound method of a default detector
    from unspin.analysis import analyze

    assert doc_picked(analyze(text), []) == [1]
    # a lower bar than shipped (24), to see the mechanics on one short sentence
    low = DetectConfig(model=replace(ModelSettings(), threshold=20.0))
    assert flags(detect(text, config=low)) == [("entryways", "doors", "model")]


def test_translation_damage_is_its_own_evidence():
    text = ('The talks with Kim. jong-un and the U. N. -backed envoy began on Nov. 4. 23 , '
            'officials said. "We will not give up."" the minister added.')
    found = detect(text, config=DetectConfig(use_model=False))
    assert flags(found) == [
        ("Kim. jong-un", "Kim Jong-Un", "translation"),
        ("U. N. -backed", "U.N.-backed", "translation"),
        ("Nov. 4. 23", "Nov. 4, 2023", "translation"),  # its stray space before "," overlaps
        ('up.""', 'up."', "translation"),
    ]
    assert detect("Officials said , on Monday, that it rained .", config=DetectConfig(
        use_model=False))[0].suggestion == "said,"
    assert page_verdict(found, len(text.split())).label == "likely machine-translated"


def test_edited_english_typography_is_not_translation_damage():
    text = ("Mr. Smith, of Smith & Co. in the U.S., said on Jan. 5, 2024 that J. R. R. Tolkien "
            "was his favourite author. \"It was great,\" he said. Prices rose 2.5% in May.")
    assert list(find_damage(text)) == []


def test_page_verdict_and_cli_output(tmp_path, capsys):
    import argparse

    from unspin.tortured.cli import register

    f = tmp_path / "page.txt"
    f.write_text("Police said the driver had been arrested on mistrust of drink driving. "
                 "He suffered a bosom assault at home.", encoding="utf-8")
    ap = argparse.ArgumentParser()
    register(ap.add_subparsers())
    args = ap.parse_args(["tortured", "--json", "--thorough", str(f)])
    assert args.func(args) == 0
    record = json.loads(capsys.readouterr().out)
    assert [p["evidence"] for p in record["tortured_phrases"]] == ["model", "model"]
    assert record["verdict"] == {"label": "likely spun", "words": 19, "flags": {"model": 2}}
    args = ap.parse_args(["tortured", "--thorough", str(f)])
    assert args.func(args) == 0
    assert "page: likely spun (2 model; 19 words)" in capsys.readouterr().out
