"""The learned order of a short suspect's candidates (``unspin.rerank``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unspin import CheckConfig, Index, IndexConfig, check, rerank, semantic
from unspin.analysis import analyze
from unspin.article import Article
from unspin.retrieve import candidates, fused

WIRE = ("Shares of Acme Corp rose 12 percent to $45.10 on Tuesday after the company said its "
        "quarterly profit doubled to $310 million.")
LONGER = ("Acme Corp shares rose 12 percent to $45.10 on Tuesday after the company said its "
          "quarterly profit doubled to $310 million, helped by strong demand for its new chips, "
          "a recovery of its sales in Asia and lower costs at its two plants in Ohio and Texas.")
EDITED = ("Shares in Acme Corp climbed 12 percent to $45.10 on Tuesday as the company reported "
          "that its profit for the quarter had doubled to $310 million.")
OTHER = ("The city council of Springfield voted on Monday to close two public libraries. "
         "Residents protested outside the town hall for most of the evening. "
         "The mayor said the budget left her no other choice this year.")
SUSPECT = ("Acme Corp's shares rose 12 percent to $45.10 on Tuesday after the company said its "
           "quarterly profit doubled to $310 million.")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    path: Path = tmp_path_factory.mktemp("rerank") / "idx"
    with Index.create(path, config=IndexConfig()) as ix:
        ix.add([Article(id="wire", text=WIRE), Article(id="longer", text=LONGER),
                Article(id="edited", text=EDITED), Article(id="other", text=OTHER)])
    opened = Index.open(path, readonly=True)
    yield opened
    opened.close()


def test_identical_texts_have_the_extreme_features() -> None:
    doc = analyze(WIRE)
    f = dict(zip(rerank.FEATURES, rerank.features(doc, doc, verified=1.0, lexical=1.0,
                                                  meaning=1.0), strict=True))
    assert f["overlap"] == f["contained"] == f["facts"] == f["wording"] == 1.0
    assert f["length"] == 0.0


def test_disagreeing_figures_lower_the_facts_feature() -> None:
    a = analyze("Profit rose 12 percent to $310 million.")
    b = analyze("Profit rose 15 percent to $280 million.")
    f = dict(zip(rerank.FEATURES, rerank.features(a, b, verified=0.5, lexical=1.0, meaning=0.9),
                 strict=True))
    assert f["facts"] < 0.5 and f["contained"] < 1.0


def test_the_sentence_itself_ranks_above_a_longer_one_holding_it() -> None:
    """The fitted weights prefer the suspect's own sentence to a longer one that contains it, even
    when the longer one's check score is higher (its score counts reused tokens)."""
    doc = analyze(SUSPECT)
    same = rerank.features(doc, analyze(WIRE), verified=0.75, lexical=0.9, meaning=0.95)
    longer = rerank.features(doc, analyze(LONGER), verified=0.8, lexical=1.0, meaning=0.8)
    assert rerank.order(np.vstack([longer, same])) == [1, 0]


def test_check_orders_a_short_suspects_sources_by_the_model(index: Index) -> None:
    on = check(SUSPECT, index)
    off = check(SUSPECT, index, config=CheckConfig(rerank_short=False))
    assert len(on.sources) >= 2
    # same sources, scores and verdict: only the order is the model's
    assert sorted((s.id, s.score) for s in on.sources) == sorted((s.id, s.score) for s in off.sources)
    assert (on.verdict, on.confidence) == (off.verdict, off.confidence)
    # the suspect is WIRE with one word changed: WIRE is its source, whatever the scores say
    assert on.sources[0].id == "wire"


EXCERPT = ("Acme Corp shares rose 12 percent to $45.10 on Tuesday after the company said its "
           "quarterly profit doubled to $310 million.")  # LONGER's first clause, word for word


def test_an_excerpts_verbatim_source_stays_first(tmp_path: Path) -> None:
    """Another outlet's paraphrase does not pass the clearly better score of the text the excerpt
    was copied from (only scores within ``rerank.MARGIN`` of the best change places)."""
    with Index.create(tmp_path / "idx", config=IndexConfig()) as ix:
        ix.add([Article(id="longer", text=LONGER), Article(id="edited", text=EDITED),
                Article(id="other", text=OTHER)])
    with Index.open(tmp_path / "idx", readonly=True) as ix:
        result = check(EXCERPT, ix)
    assert [s.id for s in result.sources][:2] == ["longer", "edited"]


def test_scores_outside_the_margin_keep_their_places() -> None:
    rows = np.array([[0.9] + [0.0] * 7, [0.88] + [1.0] * 7, [0.5] + [2.0] * 7])
    assert rerank.order(rows, weights=np.ones(16), margin=0.05) == [1, 0, 2]
    assert rerank.order(rows, weights=np.ones(16), margin=np.inf) == [2, 1, 0]


def test_long_suspects_keep_the_score_order(index: Index) -> None:
    text = SUSPECT + " " + OTHER
    result = check(text, index)
    scores = [s.score for s in result.sources]
    assert scores == sorted(scores, reverse=True)
    assert not rerank.short(analyze(text))


def test_fused_retrieval_orders_a_short_suspects_head_by_the_model(index: Index) -> None:
    doc = analyze(SUSPECT)
    vectors = semantic.embed_doc(doc, semantic.for_index(index.config))
    plain = fused(doc, index, 5, vectors=vectors, rerank_short=False)
    learned = fused(doc, index, 5, vectors=vectors)
    assert {c.rowid for c in plain} == {c.rowid for c in learned}
    assert [c.rowid for c in plain] != [c.rowid for c in learned]  # the case tells them apart
    table, movable = rerank.table(doc, index, [c.rowid for c in learned], verified={},
                         lexical={c.rowid: c.score for c in candidates(doc, index, 40)},
                         vectors=vectors)
    got = rerank.scores(table[movable])
    assert list(got) == sorted(got, reverse=True)
    # the three-sentence article is no sentence against a sentence: it keeps its place
    other = index.storage.rowid_of("other")
    assert not movable[[c.rowid for c in learned].index(other)]
    assert [c.rowid for c in plain].index(other) == [c.rowid for c in learned].index(other)


def test_only_movable_rows_change_places() -> None:
    rows = np.array([[0.0] * 8, [1.0] * 8, [2.0] * 8, [3.0] * 8])
    best = rerank.order(rows, weights=np.ones(16), margin=np.inf)
    assert best == [3, 2, 1, 0]
    assert rerank.order(rows, np.array([True, False, True, False]), weights=np.ones(16),
                        margin=np.inf) == [2, 1, 0, 3]
