"""The replaced-word probe: the model's states it reads, its tie to the model, what it judges."""

from __future__ import annotations

import numpy as np
import pytest

from unspin.errors import ModelError
from unspin.lm import llama, load
from unspin.tortured.probe import WordProbe, load_probe


@pytest.fixture(scope="module")
def lm():
    return load()


def test_taps_return_each_layers_states_and_leave_the_scores_unchanged(lm):
    ids = np.array([[lm.start, *lm.encode("The bank raised interest rates again.").ids]])
    plain, _ = lm.scored(ids)
    lp, cache = lm.scored(ids, taps=(16, lm.config.n_layer))
    np.testing.assert_array_equal(plain, lp)
    assert sorted(cache.states) == [16, lm.config.n_layer]
    assert cache.states[16].shape == (1, ids.shape[1], lm.config.n_embd)
    # the last tap is the residual stream the output head reads, after the final norm
    w = lm.weights
    h = llama._rms_norm(cache.states[lm.config.n_layer], w.out_norm, lm.config.eps)
    again = llama._log_softmax_head(w, h)
    np.testing.assert_allclose(again, lp, atol=1e-4)
    assert not np.allclose(cache.states[16], cache.states[lm.config.n_layer])


def test_the_shipped_probe_is_tied_to_the_shipped_model(lm):
    probe = load_probe(None, lm.sha256)
    assert probe.model_sha256 == lm.sha256
    assert probe.describe()["sha256"] and probe.layers
    with pytest.raises(ModelError, match="retrain it"):
        load_probe(None, "0" * 64)


def test_a_missing_probe_file_is_a_one_line_model_error(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        WordProbe.load(tmp_path / "nothing.npz")


def word_logits(lm, probe: WordProbe, text: str) -> dict[str, float]:
    from unspin.analysis import analyze
    from unspin.tortured import DetectConfig, Detector
    from unspin.tortured.model_detector import ModelSettings

    det = Detector(config=DetectConfig(thorough=True, model=ModelSettings(thorough_probe_bar=99.0)))
    m = det.model
    doc = analyze(text)
    seq = m._encode(doc, 0)
    base = np.array([lm.start, *seq.ids])
    lp, cache = lm.scored(base[None, :], taps=probe.layers)
    got = m.probe_logits(doc, seq, base, lp[0], {k: v[0] for k, v in cache.states.items()})
    return {doc.tokens.lower[i]: x for i, x in got.items()}


def test_the_probe_reads_a_spinners_pick_as_replaced_and_the_writers_word_as_written(lm):
    probe = load_probe(None, lm.sha256)
    written = word_logits(lm, probe, "The company said quarterly profits rose sharply on strong "
                                     "demand for its new phones.")
    spun = word_logits(lm, probe, "The company said quarterly profits rose sharply on burly "
                                  "demand for its new phones.")
    assert spun["burly"] > written["strong"] + 2.0
    assert spun["burly"] > 0.0 > written["strong"]
    # the words before the swap read the same; the word after it is judged with it in view
    assert spun["profits"] == pytest.approx(written["profits"], abs=1e-4)


def probe_only(**more):
    """The probe's flags alone, at a bar under the shipped one (the mechanism; BENCHMARKS.md
    has what the shipped bars find): the fitted score's bar out of reach, no page rule."""
    from dataclasses import replace

    from unspin.tortured import DetectConfig
    from unspin.tortured.model_detector import ModelSettings

    base = {"thorough_threshold": 99.0, "thorough_probe_bar": 1.9,
            "thorough_page_threshold": None, "thorough_page_probe_bar": None,
            "page_probe_rate": None}
    settings = replace(ModelSettings(), **{**base, **more})
    return DetectConfig(thorough=True, model=settings)


def test_a_word_the_probe_reads_as_replaced_is_flagged_with_the_candidate_the_sentence_prefers():
    from unspin.tortured import Detector

    det = Detector(config=probe_only())
    spun = det.detect("The company said it would slash 500 occupations as part of a "
                      "restructuring plan.")
    assert [(p.phrase, p.suggestion, p.evidence) for p in spun] == [
        ("occupations", "jobs", "model")]
    assert "replaced-word probe +" in spun[0].detail
    assert det.detect("The company said it would slash 500 jobs as part of a "
                      "restructuring plan.") == []


def test_the_page_rule_reads_a_dense_page_again_at_the_probes_lower_bar():
    """With --thorough every sentence is read once; only a page dense with flags is read a
    second time, at the page's lower bars (most pages are clean and pay nothing more)."""
    from unspin.tortured import Detector
    from unspin.tortured.model_detector import ModelDetector

    text = ("The company said it would slash 500 occupations as part of a restructuring plan. "
            "Police said the suspect had fled the scene in a pinched car before being arrested.")
    calls: list[int] = []
    original = ModelDetector.read

    def counted(self, doc, sentences, *args, **kwargs):
        calls.append(len(sentences))
        return original(self, doc, sentences, *args, **kwargs)

    sparse = Detector(config=probe_only(thorough_page_probe_bar=0.5, thorough_page_words=2))
    dense = Detector(config=probe_only(thorough_page_probe_bar=0.5))
    ModelDetector.read = counted  # type: ignore[method-assign]
    try:
        assert [p.phrase for p in sparse.detect(text)] == ["occupations"]
        assert calls == [2]  # not dense enough: one reading
        calls.clear()
        got = [(p.phrase, p.suggestion) for p in dense.detect(text)]
    finally:
        ModelDetector.read = original  # type: ignore[method-assign]
    assert ("occupations", "jobs") in got
    assert "pinched" in [phrase for phrase, _ in got]  # at 1.7, under the stage-1 bar of 1.9
    assert calls == [2, 2]  # dense: the page is read again


TWO = ("The company said it would slash 500 occupations as part of a restructuring plan. "
       "Police said the suspect had fled the scene in a pinched car before being arrested.")


def test_the_detectors_features_give_the_probes_fitted_log_odds_alone_and_in_a_batch(lm):
    """Pinned log-odds (this probe, this model): a shifted position or a padded row read as a
    token changes them by far more than the tolerance."""
    from unspin.analysis import analyze
    from unspin.tortured import DetectConfig, Detector
    from unspin.tortured.model_detector import ModelSettings

    m = Detector(config=DetectConfig(thorough=True,
                                     model=ModelSettings(thorough_probe_bar=99.0))).model
    doc = analyze(TWO)
    seqs = [m._encode(doc, k) for k in range(2)]
    bases = [np.array([lm.start, *s.ids]) for s in seqs]
    ids = np.zeros((2, max(map(len, bases))), dtype=np.int64)
    for r, b in enumerate(bases):
        ids[r, : len(b)] = b
    lp, cache = lm.scored(ids, all_rows=True, taps=m.probe.layers)
    batched = [m.probe_logits(doc, seqs[r], bases[r], lp[r],
                              {k: v[r] for k, v in cache.states.items()}) for r in range(2)]
    for r in range(2):
        alone_lp, alone = lm.scored(bases[r][None, :], taps=m.probe.layers)
        got = m.probe_logits(doc, seqs[r], bases[r], alone_lp[0],
                             {k: v[0] for k, v in alone.states.items()})
        assert got.keys() == batched[r].keys()
        for i in got:
            assert got[i] == pytest.approx(batched[r][i], abs=1e-3)
    named = {doc.tokens.lower[i]: x for got in batched for i, x in got.items()}
    assert named["occupations"] == pytest.approx(2.105, abs=0.02)
    assert named["pinched"] == pytest.approx(1.707, abs=0.02)
    assert named["restructuring"] == pytest.approx(-1.757, abs=0.02)
    assert named["car"] == pytest.approx(-1.902, abs=0.02)


def test_the_page_rules_second_stage_never_flags_a_word_the_first_flagged_again():
    from dataclasses import replace

    from unspin.tortured import DetectConfig, Detector
    from unspin.tortured.model_detector import ModelSettings

    text = "Doctors said the patient had a feeble bosom assault when he arrived at the infirmary."
    first = replace(ModelSettings(), thorough_threshold=12.0, thorough_page_threshold=None,
                    thorough_page_probe_bar=None)
    both = replace(first, thorough_page_threshold=4.0, thorough_page_probe_bar=-0.5)
    alone = Detector(config=DetectConfig(thorough=True, model=first)).detect(text)
    paged = Detector(config=DetectConfig(thorough=True, model=both)).detect(text)
    assert [(p.phrase, p.suggestion) for p in alone] == [("feeble bosom", "weak heart")]
    assert ("feeble bosom", "weak heart") in [(p.phrase, p.suggestion) for p in paged]
    spans = sorted(p.at for p in paged)
    # no two flags overlap
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
    assert len(paged) > 1  # and the second stage did flag more at its lower bars


def test_by_default_the_probe_reads_only_the_sentences_the_cheap_detectors_pick():
    from dataclasses import replace

    from unspin.tortured import DetectConfig, Detector
    from unspin.tortured.model_detector import ModelSettings

    low = DetectConfig(model=replace(ModelSettings(), threshold=99.0, probe_bar=-0.5))
    det = Detector(config=low)
    assert det.detect(TWO) == []  # no cheap flag, no rare word: no sentence is picked
    picked = det.detect("The factory closed its entryways last year.")
    assert [p.phrase for p in picked] == ["entryways"]
    assert "replaced-word probe" in picked[0].detail


def test_a_damaged_shipped_probe_fails_its_checksum(monkeypatch):
    from unspin.tortured import probe as probe_module

    monkeypatch.setattr(probe_module, "SHA256", "0" * 64)
    with pytest.raises(ModelError, match="fails its checksum"):
        probe_module.load_probe.__wrapped__(None, None)


def test_the_binomial_tail_is_the_sum_of_its_terms():
    from math import comb

    from unspin.tortured.probe import binomial_tail

    for n, p in ((12, 0.1), (40, 0.0141), (300, 0.02)):
        for k in (0, 1, 2, 5, 9, n, n + 1):
            want = sum(comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))
            assert binomial_tail(k, n, p) == pytest.approx(want, rel=1e-9, abs=1e-300)


def test_the_probe_test_calls_a_page_hot_only_when_a_clean_page_would_rarely_be_so():
    from unspin.tortured.model_detector import ModelSettings
    from unspin.tortured.probe import unlikely_if_clean

    def page(hot: int, words: int) -> list[float]:
        return [1.5] * hot + [-2.0] * (words - hot)

    # a clean word reaches log-odds 1 at 1.4%: 4 of 200 is what a clean page holds
    assert not unlikely_if_clean(page(4, 200), 1.0, 0.014, 1e-4)
    assert unlikely_if_clean(page(20, 200), 1.0, 0.014, 1e-4)
    assert not unlikely_if_clean(page(0, 200), 1.0, 0.014, 1e-4)
    assert not unlikely_if_clean(page(20, 200), 1.6, 0.014, 1e-4)  # none at the bar
    # a short text: 2 hot words in 2 have chance 2e-4 on a clean page; the shipped settings
    # also want 3 hot words at least, so a headline with two odd words is never "a page"
    st = ModelSettings()
    assert st.page_probe_rate is not None
    shipped = (st.page_probe_rate_at, st.page_probe_rate, st.page_probe_alpha, st.page_probe_hot)
    assert unlikely_if_clean(page(2, 2), 1.0, 0.014, 1e-3)
    assert not unlikely_if_clean(page(2, 2), *shipped)
    assert not unlikely_if_clean(page(2, 5), *shipped)
    assert unlikely_if_clean(page(3, 5), *shipped)  # chance 4.9e-5: three odd words in five


def test_a_page_the_probe_test_calls_hot_is_read_again_with_no_flag_in_the_first_reading():
    """Stage 1 flags nothing here; the probe test alone sends the page to the second reading,
    and the page rule's lower probe bar flags the spinner's pick there."""
    from unspin.tortured import Detector
    from unspin.tortured.model_detector import ModelDetector

    calls: list[int] = []
    original = ModelDetector.read

    def counted(self, doc, sentences, *args, **kwargs):
        calls.append(len(sentences))
        return original(self, doc, sentences, *args, **kwargs)

    quiet = {"thorough_probe_bar": 99.0, "thorough_page_probe_bar": 0.5}
    untested = Detector(config=probe_only(**quiet))
    # a clean word reaching the bar so rarely that two such words in a page are news
    test = {"page_probe_rate": 1e-4, "page_probe_rate_at": 0.5, "page_probe_alpha": 1e-3,
            "page_probe_hot": 2}
    tested = Detector(config=probe_only(**quiet, **test))
    # a rate measured at another bar than the second stage's says nothing there: no test
    elsewhere = Detector(config=probe_only(**quiet, **{**test, "page_probe_rate_at": 1.0}))
    ModelDetector.read = counted  # type: ignore[method-assign]
    try:
        assert untested.detect(TWO) == []
        assert calls == [2]
        calls.clear()
        assert elsewhere.detect(TWO) == []
        assert calls == [2]
        calls.clear()
        got = [(p.phrase, p.suggestion) for p in tested.detect(TWO)]
    finally:
        ModelDetector.read = original  # type: ignore[method-assign]
    assert calls == [2, 2]
    assert ("occupations", "jobs") in got


def test_the_probes_reading_alone_gives_the_log_odds_the_detectors_reading_gives():
    """``word_logits`` (what the probe test is fitted on) reads each word as ``read`` does."""
    from unspin.analysis import analyze
    from unspin.tortured import DetectConfig, Detector

    m = Detector(config=DetectConfig(thorough=True)).model
    doc = analyze(TWO + " Nobody was hurt in the blaze, which firefighters put out by midnight.")
    every = range(len(doc.sentences))
    alone = m.word_logits(doc, every)
    read = m.read(doc, every)
    assert len(alone.logits) >= 15 and alone.findings == []
    assert alone.logits == pytest.approx(read.logits, abs=1e-4)
    assert alone.words == read.words
    # in page order, whatever order the sentences were batched in (shortest first)
    assert alone.words[:2] == ("company", "said") and alone.words[-1] == "midnight"


def test_the_probe_test_counts_a_repeated_word_once():
    """A page repeats its subject's names and terms; the test takes words as independent
    draws, so each distinct word counts once, hot if any of its uses is."""
    from unspin.tortured.probe import distinct, unlikely_if_clean

    words = ["reintegro", "coffee", "reintegro", "price", "reintegro", "exporters"] + \
        [f"w{k}" for k in range(40)]
    logits = [2.0, -3.0, 1.5, -2.5, 0.5, -1.0] + [-2.0] * 40
    assert distinct(["a", "b", "a"], [0.5, -1.0, 2.0]) == [2.0, -1.0]
    assert len(distinct(words, logits)) == 44
    assert unlikely_if_clean(logits, 1.0, 1e-4, 1e-3, 2)  # two uses of one term: "a page"
    assert not unlikely_if_clean(distinct(words, logits), 1.0, 1e-4, 1e-3, 2)
