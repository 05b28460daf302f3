"""The language-model and translation evidence of the tortured-phrase detector, and page verdicts.

A few sentences only: each model-scored sentence costs a forward pass or two."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from unspin.tortured import DetectConfig, Detector, detect
from unspin.tortured.translation import find_damage
from unspin.tortured.verdict import page_verdict

THOROUGH = DetectConfig(thorough=True)


@pytest.fixture(scope="module")
def det() -> Detector:
    return Detector(config=THOROUGH)


def flags(found) -> list[tuple[str, str, str]]:
    return [(p.phrase, p.suggestion, p.evidence) for p in found]


def model_flags(detector: Detector, text: str) -> list[tuple[str, str, str]]:
    """The model's flags of a one-sentence text at the bar of a sentence the cheap detectors
    picked (``threshold``), whether or not they would pick it."""
    from unspin.analysis import analyze

    doc = analyze(text)
    toks = doc.tokens
    return [(text[slice(*doc.to_original(toks.starts[f.first], toks.ends[f.last]))],
             f.suggestion, f.evidence) for f in detector.model.find(doc, [0])]


def test_model_finds_a_swap_no_list_holds():
    text = "Police said the driver had been arrested on mistrust of drink driving after the crash."
    assert not detect(text, config=DetectConfig(use_statistical=False, use_model=False))
    assert model_flags(Detector(), text) == [("mistrust", "suspicion", "model")]
    text = "The factory closed its entryways last year."  # picked by the cheap detectors
    found = detect(text)
    assert flags(found) == [("entryways", "doors", "model")]
    assert found[0].at == (text.index("entryways"), text.index("entryways") + len("entryways"))


def test_model_flags_a_two_word_swap_as_one_phrase():
    """The mechanism, below the shipped bar (the pair scores about 8 there; BENCHMARKS.md has
    what the shipped bars find)."""
    from unspin.tortured.model_detector import ModelSettings

    low = Detector(config=DetectConfig(model=replace(ModelSettings(), threshold=6.0)))
    text = "He was rushed to hospital after he suffered a bosom assault at home."
    assert model_flags(low, text) == [("bosom assault", "heart attack", "model")]


def test_a_lower_cased_name_or_day_is_no_swap(det):
    """Spinners keep the case; a word the sentence reads far better capitalised is a name or a
    day written in lower case (as in Reuters' old wire copy), and is not flagged. Without the
    check the model offers "yesterday" and "wake"."""
    text = ("Surinam's military leader told a news conference tuesday his government may ask the "
            "world court in the hague to order a resumption of Dutch aid.")
    unchecked = Detector(config=replace(THOROUGH, model=replace(THOROUGH.model, casing_gain=None)))
    assert {p.phrase for p in unchecked.detect(text)} == {"tuesday", "hague"}
    assert det.detect(text) == []
    # a spinner's pick may read better capitalised (an odd word might be a name: "Calm" gains
    # about 2 nats), but far less than with the word it replaced ("equal"): it stays flagged
    spun = "Sales of all firms are calm to rise 2.3 pct from the previous year, the survey said."
    assert [(p.phrase, p.suggestion) for p in det.detect(spun)] == [("calm", "equal")]
    # and one that reads worse capitalised, too
    low = Detector(config=DetectConfig(model=replace(THOROUGH.model, threshold=6.0)))
    bosom = "He was rushed to hospital after he suffered a bosom assault at home."
    assert model_flags(low, bosom) == [("bosom assault", "heart attack", "model")]


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


def test_the_model_vetoes_a_statistical_flag_it_finds_no_better_replacement_for(det):
    """"lychgate" is rare and unseen next to its neighbours, so the statistical detector flags
    it; read in its sentence, no replacement is likelier, so with the model on the flag goes."""
    text = "Villagers gathered at the lychgate to watch the procession leave the church."
    no_model = DetectConfig(use_model=False)
    assert [p.evidence for p in detect(text, config=no_model)] == ["statistical"]
    assert det.detect(text) == []
    assert detect(text) == []  # the default mode too


def test_a_statistical_flag_the_model_confirms_stands():
    text = "The prime minister will hold a press league later today."
    found = detect(text, config=DetectConfig(use_list=False))
    assert [(p.phrase, p.evidence) for p in found] == [("press league", "statistical")]
    assert "the model prefers a replacement by" in found[0].detail


def test_a_statistical_flag_the_model_likes_too_little_goes_at_the_fitted_veto_bar():
    """"chief executive" is preferred to "main executive" by about 2.4 nats: enough at the old
    bar of 0, not at the fitted 10 (the price of the clean-text budget)."""
    from unspin.tortured.model_detector import ModelSettings

    text = "The company said its main executive officer would step down at the end of the year."
    assert detect(text, config=DetectConfig(use_list=False)) == []
    old = DetectConfig(use_list=False, model=replace(ModelSettings(), veto_gain=0.0))
    assert [p.phrase for p in detect(text, config=old)] == ["main executive"]


def test_the_veto_measures_a_swap_against_the_text(det):
    """``support``: the best gain of a replacement, positive for a spun word, negative when
    every replacement reads worse than the text."""
    from unspin.analysis import analyze

    doc = analyze("The central bank raised interest charges by half a share point on Tuesday.")
    lower = list(doc.tokens.lower)
    charges, bank = lower.index("charges"), lower.index("bank")
    got = det.model.support(doc, [(charges, charges, "rates"), (bank, bank, "lender")])
    assert got[0] is not None and got[0] > 2.0
    assert got[1] is not None and got[1] < 0.0


def test_candidates_reach_beyond_the_thesaurus_through_the_models_near_synonyms(det):
    """The model's likeliest words at the place that are close in meaning to the written word
    are candidates too: "began" for "commenced", which WordNet does not relate to it."""
    import numpy as np

    from unspin.analysis import analyze

    text = "Thousands of fans queued outside the stadium for hours before the concert commenced."
    doc = analyze(text)
    model = det.model
    i = list(doc.tokens.lower).index("commenced")
    seq = model._encode(doc, 0)
    assert seq is not None
    lp = model.lm.log_probs(np.array([[model.lm.start, *seq.ids]]))[0]
    near = dict(model._similar("commenced", "commence", lp[seq.words[i][0]], {"commenced"}))
    assert "began" not in det.statistical.thesaurus.synonyms("commenced")
    assert near.get("began") == "model"
    assert model.similarity.cosine("commenced", "began") > model.similarity.cosine(
        "commenced", "stadium")


def test_evidence_weighs_every_candidate_of_every_word(det):
    """``evidence`` (what the ceiling benchmark reads) keeps none of the detector's cuts: it
    verifies candidates the first token already disfavours (``left_gap``) and more per word
    than ``per_word`` keeps, so for every word its best swap scores at least as well as the best
    the detector itself verifies (``swaps``)."""
    from unspin.analysis import analyze

    text = ("The focal bank left premium rates unchanged on Thursday, saying expansion had "
            "slowed for a third month.")
    doc = analyze(text)
    st = det.model.settings
    got = det.model.evidence(doc, [0])
    verified = {s.word: s for s in det.model.swaps(doc, [0]) if s.source != "function"}
    assert verified and set(verified) <= set(got)
    for i, s in verified.items():
        assert max(x.score for x in got[i][0]) >= s.score - 1e-4
    every = [x for swaps, _ in got.values() for x in swaps]
    assert any(x.left < st.left_gap for x in every)
    assert any(len(swaps) > st.per_word + 1 for swaps, _ in got.values())
    focal = list(doc.tokens.lower).index("focal")
    swaps, logit = got[focal]
    assert logit is not None and "central" in {x.new for x in swaps}


def test_the_model_reads_a_flagged_phrase_with_its_suggestion_in_place(det):
    """A listed phrase is read with its suggestion in place, so the clean words after it are
    not judged against the spun wording, and its own words are no candidates."""
    from unspin.analysis import analyze

    text = ("Our team used counterfeit consciousness to sort the images of the survey, and the "
            "results were checked by hand over several weeks of careful work.")
    doc = analyze(text)
    lower = list(doc.tokens.lower)
    first = lower.index("counterfeit")
    seq = det.model._encode(doc, 0, [(first, first + 1, "artificial intelligence")])
    assert seq is not None
    lm = det.model.lm
    fixed = text.replace("counterfeit consciousness", "artificial intelligence")
    assert seq.ids == lm.encode(fixed).ids
    assert first not in seq.words and first + 1 not in seq.words
    a, b = seq.words[lower.index("survey")]
    assert lm.decode(list(seq.ids[a:b])) == " survey"
    found = detect(text)
    assert found[0].phrase == "counterfeit consciousness" and found[0].evidence == "list"
    assert "survey" not in [p.phrase for p in found]


def test_default_mode_scores_only_the_sentences_the_cheap_detectors_pick(det):
    text = ("The committee will scrutinise the bill's provisions before the vote on Thursday. "
            "The factory closed its entryways last year.")
    doc_picked = Detector().pick_sentences  # bound method of a default detector
    from unspin.analysis import analyze

    assert doc_picked(analyze(text), []) == [1]
    assert flags(detect(text)) == [("entryways", "doors", "model")]


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
    f.write_text("The factory closed its entryways last year. The workers were sent home.",
                 encoding="utf-8")
    ap = argparse.ArgumentParser()
    register(ap.add_subparsers())
    args = ap.parse_args(["tortured", "--json", str(f)])
    assert args.func(args) == 0
    record = json.loads(capsys.readouterr().out)
    assert [p["evidence"] for p in record["tortured_phrases"]] == ["model"]
    assert record["verdict"] == {"label": "likely spun", "words": 12, "flags": {"model": 1}}
    args = ap.parse_args(["tortured", str(f)])
    assert args.func(args) == 0
    assert "page: likely spun (1 model; 12 words)" in capsys.readouterr().out


def test_a_page_dense_with_flags_is_read_again_at_the_page_rules_bar():
    """The page rule: a spinner swaps words all over a page, so once a page holds enough flags
    every sentence of it is read again at the lower bar, including a sentence no cheap detector
    picked; a page below the density is left at stage 1."""
    from unspin.tortured.model_detector import ModelSettings

    text = ("The factory closed its entryways last year. "
            "Police held the driver on mistrust of drink driving.")
    rule = replace(ModelSettings(), threshold=11.0, page_flags=1, page_words=40,
                   page_threshold=9.0)
    dense = flags(Detector(config=DetectConfig(model=rule)).detect(text))
    assert ("entryways", "doors", "model") in dense
    assert ("mistrust", "suspicion", "model") in dense
    sparse = replace(rule, page_words=2)  # one flag per 2 words needed: not met
    assert flags(Detector(config=DetectConfig(model=sparse)).detect(text)) == [
        ("entryways", "doors", "model")]
    # the shipped settings (README's example): the page rule is off by default
    assert flags(detect(text)) == [("entryways", "doors", "model")]
    fitted = replace(ModelSettings(), page_threshold=8.0)  # the bar the dev fit chose
    assert flags(Detector(config=DetectConfig(model=fitted)).detect(text)) == [
        ("entryways", "doors", "model"), ("mistrust", "suspicion", "model")]
