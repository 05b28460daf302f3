"""The semantic signal in the engine: recorded in the index, used in retrieval and alignment."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from unspin import Article, Index, IndexConfig, IndexMismatchError, check, semantic
from unspin.align import Aligner
from unspin.analysis import analyze
from unspin.embed.vectors import chunk_means
from unspin.retrieve import FUSION_WEIGHT, candidates, fused, retrieve
from unspin.semantic import embed_doc, embedder
from unspin.thesaurus import load as load_thesaurus

from .conftest import EXAMPLES, edit_manifest, sample_articles

SOURCE = Article(id="src", title="Ministers agree farm reform", text=(
    "European Community farm ministers agreed on Tuesday to cut guaranteed prices for cereals by "
    "three pct, ending a week of talks in Brussels. The agreement was reached after France dropped "
    "its opposition to the plan late on Monday night. Officials said the cut would save about "
    "400 mln European currency units a year. West Germany had insisted that its farmers be "
    "compensated for any loss of income. The ministers will meet again in May to discuss milk "
    "quotas."))
# Every sentence rebuilt (attribution moved, clauses reordered, words changed), facts kept.
PARAPHRASE = (
    "On Tuesday, farm ministers of the European Community reached an agreement to lower the "
    "guaranteed prices paid for cereals by three pct, bringing a week of negotiations in Brussels "
    "to an end. France withdrew its objections to the proposal late on Monday night, which made "
    "the deal possible. According to officials, the reduction will save roughly 400 mln European "
    "currency units every year. Compensation for any income lost by its farmers had been demanded "
    "by West Germany. In May the ministers are due to gather again to talk about quotas for milk.")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    idx = Index.create(tmp_path_factory.mktemp("sem") / "i")
    idx.add([SOURCE, *sample_articles(120)])
    yield idx
    idx.close()


def test_index_records_the_embedder(index: Index) -> None:
    meta = index.manifest
    assert index.config.semantic == "static"
    assert meta["embedder.name"].startswith("all-MiniLM-L6-v2")
    assert len(meta["embedder.sha256"]) == 64
    assert (index.path / "sentences.usearch").exists()
    assert len(index.vector_store()) > 0


def test_sentence_by_sentence_paraphrase_is_traced(index: Index) -> None:
    result = check(PARAPHRASE, index)
    assert result.sources and result.sources[0].id == "src"
    assert result.verdict == "derived"
    assert any(p.kind == "paraphrase" for p in result.sources[0].passages)


def test_sentence_vectors_seed_rebuilt_sentences() -> None:
    suspect, source = analyze(PARAPHRASE), analyze(SOURCE.text)
    thesaurus = load_thesaurus("wordnet")
    lexical = Aligner(suspect, thesaurus).align(source)
    with_meaning = Aligner(suspect, thesaurus, embed=lambda d: embed_doc(d, embedder("static"))).align(source)
    assert sum(p.sentences for p in with_meaning) > sum(p.sentences for p in lexical)
    assert sum(p.evidence for p in with_meaning) > sum(p.evidence for p in lexical)


def test_semantic_stage_runs_when_lexical_finds_nothing(index: Index) -> None:
    result = check("Lovely weather for a picnic in the park with friends today.", index)
    assert result.extra["mode"] == "lexical+semantic:static"
    assert result.verdict == "not_derived"


def test_lexical_only_mode_runs_and_says_so(tmp_path: Path) -> None:
    with Index.create(tmp_path / "lex", config=IndexConfig(semantic="off")) as idx:
        idx.add([SOURCE])
        assert idx.manifest["embedder.name"] == "none"
        assert not (tmp_path / "lex" / "sentences.usearch").exists()
        assert check(PARAPHRASE, idx).extra["mode"] == "lexical"


def test_other_embedder_checksum_is_refused(tmp_path: Path) -> None:
    with Index.create(tmp_path / "i") as idx:
        idx.add([SOURCE])
    edit_manifest(tmp_path / "i", "embedder.sha256", "f00")  # as if built with another model
    with pytest.raises(IndexMismatchError, match="embedder.sha256"):
        Index.open(tmp_path / "i")


def test_vectors_are_completed_after_an_interrupted_build(tmp_path: Path) -> None:
    with Index.create(tmp_path / "i") as idx:
        idx.add([SOURCE])
    (tmp_path / "i" / "sentences.usearch").unlink()  # as if killed before the vectors were saved
    (tmp_path / "i" / "sentences.usearch.json").unlink()
    with Index.open(tmp_path / "i") as idx:
        idx.add(sample_articles(3))
        store = idx.vector_store()
        assert store is not None and idx.storage.rowid_of("src") in store


def test_model_from_a_path_is_checked_and_recorded(tmp_path: Path) -> None:
    from unspin.embed import MINILM_INT8_SHA256
    from unspin.embed._files import installed_files

    files = installed_files()
    assert files is not None
    model_dir = tmp_path / "my-minilm"
    model_dir.mkdir()
    shutil.copy(files.model, model_dir / "model.onnx")
    shutil.copy(files.tokenizer, model_dir / "tokenizer.json")
    config = IndexConfig(model=str(model_dir))
    with Index.create(tmp_path / "i", config=config) as idx:
        assert idx.config.semantic == "minilm"  # auto with a model: the model itself
        idx.add([SOURCE])
        assert idx.manifest["embedder.sha256"] == MINILM_INT8_SHA256
    with Index.open(tmp_path / "i") as idx:  # reopened with the recorded path and checksum
        assert check("Lovely weather for a picnic.", idx).extra["mode"] == "lexical+semantic:minilm"
    (model_dir / "model.onnx").write_bytes(b"not the model")
    semantic.embedder.cache_clear()
    with pytest.raises(IndexMismatchError, match="cannot be loaded"):
        Index.open(tmp_path / "i")


# Another outlet's report of the event behind reuters-18085, written independently: the same
# people, figures and topic, its own sentences and order.
INDEPENDENT = """STOCKHOLM - Nigeria's oil minister Rilwanu Lukman, who currently chairs OPEC, spent two days \
in Stockholm meeting Swedish trade officials, a Swedish spokesman said on Thursday.

The talks covered trade between Sweden and Nigeria as well as the debt burden of developing \
countries. Sweden imports nearly all of its oil and was badly hit by the price shocks of the 1970s.

Swedish officials said OPEC's president told them the group wanted an oil price of 18 to 20 dlrs \
a barrel. Oil industry analysts in London said the market remained nervous about output levels.
"""


def test_paraphrased_sample_is_traced_and_independent_report_is_not(sample_index: Index) -> None:
    text = (EXAMPLES / "suspects" / "paraphrased.txt").read_text()
    result = check(text, sample_index)
    assert result.verdict == "derived" and result.sources[0].id == "reuters-18085"
    assert result.sources[0].obfuscation.startswith("paraphrase")
    assert result.sources[0].coverage_suspect > 0.8
    # rebuilt sentences align word by word only by accident: only changes made in place between
    # shared words are claimed ("keep up with" -> "keep pace with"), not the alignment's cuts
    subs = {(s.source, s.suspect) for p in result.sources[0].passages for s in p.substitutions}
    assert ("up", "pace") in subs
    assert ("oil price of between", "to hold steady at") not in subs
    assert all(len(a.split()) <= 4 and len(b.split()) <= 4 for a, b in subs)
    assert check(INDEPENDENT, sample_index).verdict == "not_derived"


def test_paraphrase_keeps_in_place_swaps_only() -> None:
    source = Article(id="s", text=(
        "The central bank raised interest rates by half a point on Tuesday to curb inflation. "
        "The governor told reporters that prices were rising too quickly for comfort."))
    # "boosted" for "raised" is no WordNet pair: kept only because it is made in place, between
    # "the central bank" and "interest rates by"; the second sentence is rebuilt around its words
    rebuilt = ("On Tuesday the central bank boosted interest rates by half a point, in a bid to "
               "curb inflation. Prices, the governor told journalists, were rising too fast.")
    thesaurus = load_thesaurus("wordnet")
    assert not thesaurus.related("raised", "boosted")
    aligner = Aligner(analyze(rebuilt), thesaurus,
                      embed=lambda d: embed_doc(d, embedder("static")))
    passages = aligner.align(analyze(source.text))
    assert passages and {p.kind for p in passages} == {"paraphrase"}
    subs = {(x.source, x.suspect) for p in passages for x in p.substitutions
            if x.kind != "moved"}
    assert subs == {("raised", "boosted")}
    moves = {(x.source, x.suspect) for p in passages for x in p.substitutions if x.kind == "moved"}
    assert moves <= {("on Tuesday", "On Tuesday")}
    # the same swap with its context rebuilt is not claimed
    moved = ("Interest rates were boosted by the central bank on Tuesday by half a point, to curb "
             "inflation. Prices, the governor told journalists, were rising too fast.")
    aligner = Aligner(analyze(moved), thesaurus, embed=lambda d: embed_doc(d, embedder("static")))
    assert all(("raised", "boosted") != (x.source, x.suspect)
               for p in aligner.align(analyze(source.text)) for x in p.substitutions)


def _row_cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_stored_vectors_are_the_chunks_means(index: Index) -> None:
    rowid = index.storage.rowid_of("src")
    stored = index.vector_store().vectors(rowid)
    fresh = embed_doc(analyze(SOURCE.text), semantic.for_index(index.config))
    assert index.config.vector_chunk == 3 and index.vector_store().settings.level == "chunk"
    assert stored.shape == (2, fresh.shape[1])  # five sentences: chunks of 3 and 2
    means = np.stack([fresh[:3].mean(axis=0), fresh[3:].mean(axis=0)])
    assert _row_cosines(stored, means).min() > 0.99
    assert index.vector_store().vectors(10**9).shape == (0, fresh.shape[1])
    # the exact sentence vectors are made again from the article's text
    again = index.sentence_vectors([rowid])[rowid]
    assert again.shape == fresh.shape and _row_cosines(again, fresh).min() > 0.9999


def test_sentence_level_store_keeps_every_sentence(tmp_path: Path) -> None:
    idx = Index.create(tmp_path / "i", config=IndexConfig(vector_chunk=1))
    idx.add([SOURCE, *sample_articles(20)])
    rowid = idx.storage.rowid_of("src")
    stored = idx.vector_store().vectors(rowid)
    fresh = embed_doc(analyze(SOURCE.text), semantic.for_index(idx.config))
    assert stored.shape == fresh.shape == (5, fresh.shape[1])  # five sentences
    assert _row_cosines(stored, fresh).min() > 0.99
    doc = analyze(PARAPHRASE)
    found = semantic.candidates(doc, embed_doc(doc, semantic.for_index(idx.config)), idx)
    assert found[0][0] == rowid
    idx.close()


def test_fused_retrieval_ranks_by_meaning_too(index: Index) -> None:
    doc = analyze(PARAPHRASE)
    vectors = embed_doc(doc, semantic.for_index(index.config))
    ranked = fused(doc, index, 5, vectors=vectors)
    src = index.storage.rowid_of("src")
    assert ranked[0].rowid == src
    meaning = semantic.meaning(vectors, index, [c.rowid for c in ranked])
    assert meaning[src] > 0.7 and all(meaning[c.rowid] < meaning[src] for c in ranked[1:])
    # the score is the lexical share plus the weighted meaning
    lexical = {c.rowid: c.score for c in candidates(doc, index, 20)}
    top = max(lexical.values())
    assert ranked[0].score == pytest.approx(lexical[src] / top + FUSION_WEIGHT * meaning[src])
    assert retrieve(PARAPHRASE, index, 3)[0][0] == "src"


def test_fused_without_vectors_is_the_lexical_ranking(index: Index) -> None:
    doc = analyze(PARAPHRASE)
    assert fused(doc, index, 5, vectors=None) == candidates(doc, index, 20)[:5]


def test_replaced_articles_get_fresh_vectors_and_leave_none_behind(tmp_path: Path) -> None:
    first = Article(id="a", text="The harbour froze over in January. Ferries stopped for a week.")
    last = Article(id="b", text="Wheat prices rose on Monday. Traders blamed the dry weather.")
    new_b = Article(id="b", text="A new museum opened in the old town. Visitors queued for hours.")
    new_a = Article(id="a", text="The council approved a cycle lane. Work starts in spring.")
    with Index.create(tmp_path / "i") as idx:
        idx.add([first, last])
        old_a = idx.storage.rowid_of("a")
        idx.add([new_b])  # the last rowid: SQLite may hand it out again
        idx.add([new_a])  # not the last: its old rowid is left behind
        store = idx.vector_store()
        emb = semantic.for_index(idx.config)
        for article in (new_a, new_b):
            stored = store.vectors(idx.storage.rowid_of(article.id))
            fresh = chunk_means(embed_doc(analyze(article.text), emb), idx.config.vector_chunk)
            assert _row_cosines(stored, fresh).min() > 0.99
        assert old_a != idx.storage.rowid_of("a") and old_a not in store
        assert len(store) == 2  # two sentences each: one chunk each, nothing stale
        assert idx.storage.stale_vector_rows() == []
