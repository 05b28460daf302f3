"""The rewriter that shares none of the detector's assumptions, and its edit log."""

from __future__ import annotations

import random

from unspin.article import Article
from unspin.bench.rewrite import confusables, make_rewrite_case, rewrite, split_sentences
from unspin.normalize import normalize

TEXT = (
    "The company bought the plant in order to expand, and its shares rose 5 per cent. "
    "Its chairman, who joined in 2001, said the deal would close soon. "
    '"We will stay in the market," he said.\n\n'
    "The board approved the plan on Monday. Analysts said the price was about right."
)


def test_own_sentence_splitter() -> None:
    spans = split_sentences(TEXT)
    assert [TEXT[a:b][:12] for a, b in spans] == [
        "The company ", "Its chairman", '"We will sta', "The board ap", "Analysts sai"]


def test_every_logged_edit_points_at_both_sides() -> None:
    for seed in range(20):
        suspect, log = rewrite(TEXT, (0, len(TEXT)), random.Random(seed), rate=0.7,
                               characters=True, char_rate=0.05)
        assert log
        for e in log:
            assert TEXT[slice(*e.source_at)] == e.source
            assert suspect[slice(*e.suspect_at)] == e.suspect
        starts = [e.source_at for e in log]
        assert starts == sorted(starts)


def test_structural_edits_are_made() -> None:
    kinds: set[str] = set()
    for seed in range(40):
        kinds |= {e.kind for e in rewrite(TEXT, (0, len(TEXT)), random.Random(seed), rate=0.6)[1]}
    assert {"phrase", "clause-deleted", "clause-inserted", "split", "merge", "passive",
            "reported"} <= kinds


def test_reported_speech_and_passive() -> None:
    text = '"We will stay in the market," he said.'
    suspect, log = rewrite(text, (0, len(text)), random.Random(0), rate=1.0)
    assert suspect == "He said that they would stay in the market." and log[0].kind == "reported"
    text = "The board approved the plan on Monday."
    suspect, _ = rewrite(text, (0, len(text)), random.Random(0), rate=1.0)
    assert suspect.startswith("The plan was approved by the board")


def test_homoglyphs_come_from_the_unicode_data_not_the_engine() -> None:
    table = confusables()
    assert "\u0430" in table["a"]  # Cyrillic a
    engine_folds = sum(normalize(c).text == letter for letter, cs in table.items() for c in cs)
    assert engine_folds < sum(len(cs) for cs in table.values())  # the data holds more than the engine


def test_a_case_has_one_passage_and_its_log() -> None:
    case = make_rewrite_case(Article(id="s", text=TEXT), random.Random(3), "r-1", characters=True)
    (passage,) = case.passages
    assert passage.source_id == "s" and passage.suspect_range == (0, len(case.suspect))
    assert all(set(e) == {"kind", "source_at", "suspect_at", "source", "suspect"}
               for e in case.meta["edits"])
