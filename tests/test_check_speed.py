"""The check path's speed changes keep their answers: retrieval scored per article found (ties by
rowid), fingerprints in too many articles left out, the suspect's spans computed once, quotation
marks found without visiting every character."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from unspin import Index, check
from unspin.analysis import analyze
from unspin.config import CheckConfig, IndexConfig
from unspin.quotes import quoted_spans

from .conftest import sample_articles

retrieve_mod = sys.modules["unspin.retrieve"]  # the package's ``retrieve`` is the function
LEXICAL = IndexConfig(semantic="off")


def _reference_scores(doc_text: str, index: Index) -> dict[int, float]:
    """Scores as main computed them: one bincount over every rowid of the index."""
    from unspin.fingerprint import KINDS, fingerprints, kind_of

    hashes = fingerprints(analyze(doc_text).tokens, index.config)
    n = len(index)
    found = index.storage.lookup(hashes, retrieve_mod.max_df(n))
    weights = np.zeros(len(KINDS) + 1)
    for kind, code in KINDS.items():
        weights[code] = retrieve_mod.KIND_WEIGHTS[kind]
    idf = np.log1p(n / np.maximum(found.df, 1)) * weights[kind_of(found.hashes.astype(np.uint64))]
    scores = np.bincount(found.rows, weights=idf[found.which])
    return {r: float(s) for r, s in enumerate(scores) if s > 0}


def test_candidates_keep_the_scores_and_break_ties_by_rowid(tmp_path: Path) -> None:
    arts = sample_articles(30)
    twin = replace(arts[3], id="twin-of-3")  # the same text twice: a tie
    with Index.create(tmp_path / "i", config=LEXICAL) as index:
        index.add([*arts, twin])
    with Index.open(tmp_path / "i", readonly=True) as index:
        doc = analyze(arts[3].text)
        found = retrieve_mod.candidates(doc, index, k=5)
        want = _reference_scores(arts[3].text, index)
        assert {c.rowid: c.score for c in found} == pytest.approx(
            {r: want[r] for r in (c.rowid for c in found)})
        assert [c.score for c in found] == sorted(want.values(), reverse=True)[:len(found)]
        first, second = found[0], found[1]
        assert first.score == second.score and first.rowid < second.rowid
        assert index.storage.get(first.rowid).id == arts[3].id
        skip = frozenset({first.rowid})
        assert retrieve_mod.candidates(doc, index, k=5, exclude=skip)[0].rowid == second.rowid


def test_max_df_bounds_the_postings_gathered(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert retrieve_mod.max_df(1_000) == 20 and retrieve_mod.max_df(21_000) == 420
    assert retrieve_mod.max_df(10_000_000) == retrieve_mod.MAX_DF  # not 2% of the index
    arts = sample_articles(40)
    with Index.create(tmp_path / "i", config=LEXICAL) as index:
        index.add(arts)
    with Index.open(tmp_path / "i", readonly=True) as index:
        doc = analyze(arts[7].text[100:])
        full = retrieve_mod.candidates(doc, index, k=3)
        monkeypatch.setattr(retrieve_mod, "MAX_DF", 1)  # only fingerprints of one article count
        rare = retrieve_mod.candidates(doc, index, k=3)
        assert rare[0].rowid == full[0].rowid  # the copy's own fingerprints still find it
        assert rare[0].score < full[0].score


def test_suspect_spans_are_computed_once_per_suspect(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    check_mod = sys.modules["unspin.check"]
    calls: list[str] = []
    real = check_mod._shared_elements

    def counted(text: str, config: CheckConfig) -> list[tuple[int, int]]:
        calls.append(text)
        return real(text, config)

    monkeypatch.setattr(check_mod, "_shared_elements", counted)
    check_mod._suspect_spans.cache_clear()
    arts = sample_articles(20)
    with Index.create(tmp_path / "i", config=LEXICAL) as index:
        index.add(arts)
    with Index.open(tmp_path / "i", readonly=True) as index:
        suspect = arts[2].text + "\n\n" + arts[5].text  # two sources: two candidates verified
        result = check(suspect, index)
        assert {s.id for s in result.sources[:2]} == {arts[2].id, arts[5].id}
        assert calls == [suspect]
        calls.clear()
        check("Nothing in this sentence was ever indexed, said nobody at all.", index)
        assert calls == []  # no candidate shared a passage: nothing to discount


@pytest.mark.parametrize("text", [
    'He said "yes" and left.', "\u201cOne,\u201d she said, \u2018two\u2019 and don't.",
    '"Open\n\n"Runs on," he said.', "\u00ab Il a parl\u00e9 d'un \u201cd\u00e9sastre\u201d \u00bb",
    "James' car and the '90s", 'quote at the end "', '"', "",
])
def test_quoted_spans_match_a_visit_of_every_character(text: str) -> None:
    from unspin import quotes

    def every_character(t: str) -> list[int]:
        return [i for i in range(len(t)) if quotes._mark(t, i) is not None]

    found = [m.start() for m in quotes._MARK_CHARS.finditer(text)]
    assert set(every_character(text)) <= set(found)  # no mark is skipped
    for s, e in quoted_spans(text):
        assert 0 <= s < e <= len(text)


def test_only_article_length_sources_are_kept_in_the_analysis_cache() -> None:
    check_module = sys.modules["unspin.check"]
    cache = check_module._analyzed_cached
    cache.cache_clear()
    short = "The council approved the budget on Monday. " * 10
    long = "The council approved the budget on Monday. " * (check_module.CACHED_SOURCE_CHARS // 40)
    assert check_module._analyzed_source(short) == analyze(short)
    assert check_module._analyzed_source(long).tokens == analyze(long).tokens
    assert cache.cache_info().currsize == 1  # the short text only
