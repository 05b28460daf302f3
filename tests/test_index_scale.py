"""Index format 5 at small scale: sampled fingerprints, 8-byte postings, int8 vectors, the limits."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from unspin import Index, IndexMismatchError, UsageError, retrieve
from unspin.analysis import analyze
from unspin.config import IndexConfig
from unspin.embed import VectorStore
from unspin.embed.vectors import chunk_means, windows
from unspin.errors import ConfigError
from unspin.fingerprint import fingerprints, kind_of, sampled
from unspin.index import storage as storage_mod
from unspin.index.storage import (
    MAX_ROWID,
    merge_bounds,
    pack_postings,
    posting_key,
    segment_parts,
)
from unspin.semantic import STORE_FILE

from .conftest import sample_articles

ALL = IndexConfig(word_sample=1, skeleton_sample=1, anchor_sample=1, term_sample=1)


def test_sampling_keeps_the_same_subset_of_every_kind() -> None:
    tokens = analyze(sample_articles(1)[0].text).tokens
    full = fingerprints(tokens, ALL)
    quarter = fingerprints(tokens, replace(ALL, word_sample=4, skeleton_sample=4))
    assert set(quarter.tolist()) < set(full.tolist())  # a subset, chosen by the hash alone
    kinds_full, kinds_quarter = np.bincount(kind_of(full)), np.bincount(kind_of(quarter))
    assert kinds_quarter[3] == kinds_full[3] and kinds_quarter[4] == kinds_full[4]  # anchors, terms
    for code in (1, 2):  # word and skeleton n-grams: about a quarter each
        assert 0.1 * kinds_full[code] < kinds_quarter[code] < 0.45 * kinds_full[code]
    again = sampled(full, 4)
    assert np.array_equal(sampled(again, 4), again)  # idempotent: the query side keeps the same


def test_sampled_index_finds_copies_and_records_its_sampling(tmp_path: Path) -> None:
    arts = sample_articles(80)
    config = replace(ALL, word_sample=8, skeleton_sample=8, term_sample=2, semantic="off")
    with Index.create(tmp_path / "i", config=config) as index:
        index.add(arts)
    with Index.open(tmp_path / "i", readonly=True) as index:
        for art in arts[5:80:15]:  # a paragraph dropped
            found = retrieve(art.text[len(art.text) // 4 :], index, k=1)
            assert found and found[0][0] == art.id
    with pytest.raises(IndexMismatchError, match="word_sample=8 .asked 4."):
        Index.open(tmp_path / "i", config=replace(config, word_sample=4))


def test_postings_pack_key_above_rowid_and_sort_by_key() -> None:
    hashes = fingerprints(analyze(sample_articles(1)[0].text).tokens, ALL).astype(np.int64)
    keys = posting_key(hashes)
    assert int(keys.max()) < 1 << 40 and len(np.unique(keys)) == len(hashes)
    assert np.array_equal(kind_of(hashes.view(np.uint64)), (keys >> np.uint64(37)).astype(np.int64))
    rows = np.arange(len(keys), dtype=np.uint64)[::-1] + np.uint64(MAX_ROWID - len(keys) + 1)
    words = pack_postings(keys, rows)
    got_keys, got_rows = segment_parts(words)
    order = np.argsort(keys, kind="stable")
    assert np.array_equal(got_keys, keys[order].astype(np.int64))
    assert np.array_equal(got_rows, rows[order].astype(np.int64))
    assert words.dtype == np.uint64 and words.nbytes == 8 * len(hashes)


def test_more_articles_than_a_rowid_holds_asks_for_shards(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_mod, "MAX_ROWID", 5)
    arts = sample_articles(8)
    with Index.create(tmp_path / "i", config=replace(ALL, semantic="off")) as index:
        index.add(arts[:5])
        with pytest.raises(UsageError, match="split it into shards"):
            index.add(arts[5:])
        assert len(index) == 5  # the refused batch left nothing behind


def test_int8_vectors_with_a_sparser_graph(tmp_path: Path) -> None:
    arts = sample_articles(40)
    config = IndexConfig(vector_dtype="i8", vector_connectivity=4, semantic="static")
    with Index.create(tmp_path / "i", config=config) as index:
        index.add(arts)
    store = VectorStore.open(tmp_path / "i" / STORE_FILE)
    assert store.settings.dtype == "i8" and len(store) > len(arts)
    store.close()
    with Index.open(tmp_path / "i", readonly=True) as index:
        art = arts[7]
        assert retrieve(art.text, index, k=1)[0][0] == art.id
    with pytest.raises(IndexMismatchError, match="vector_dtype='i8'"):
        Index.open(tmp_path / "i", config=replace(config, vector_dtype="f16"))


@pytest.mark.parametrize("bad", [{"word_sample": 0}, {"vector_dtype": "b1"},
                                 {"vector_connectivity": 0}, {"vector_chunk": 0}])
def test_bad_scale_settings_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="IndexConfig"):
        IndexConfig(**bad)  # type: ignore[arg-type]


def test_chunks_and_query_windows_are_renormalised_means() -> None:
    rng = np.random.default_rng(3)
    v = rng.normal(size=(7, 8)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    chunks = chunk_means(v, 3)  # sentences 0-2, 3-5, 6
    assert chunks.shape == (3, 8)
    for row, part in zip(chunks, (v[0:3], v[3:6], v[6:7]), strict=True):
        mean = part.mean(axis=0)
        assert np.allclose(row, mean / np.linalg.norm(mean), atol=1e-6)
    wins = windows(v, 3)  # every run of three, one step apart
    assert wins.shape == (5, 8)
    mean = v[2:5].mean(axis=0)
    assert np.allclose(wins[2], mean / np.linalg.norm(mean), atol=1e-5)
    assert windows(v[:2], 3).shape == (1, 8)  # fewer rows than a run: one window of all
    assert np.array_equal(chunk_means(v, 1), v) and np.array_equal(windows(v, 1), v)


def test_chunk_level_store_is_a_third_of_the_sentences(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import unspin.index as index_mod

    arts = sample_articles(40)
    with Index.create(tmp_path / "i", config=IndexConfig(semantic="static")) as index:
        index.add(arts)
        store = index.vector_store()
        assert store is not None and store.settings.level == "chunk"
        sentences = sum(len(v) for v in index.sentence_vectors(
            [index.storage.rowid_of(a.id) for a in arts]).values())
        assert len(arts) <= len(store) < sentences / 2
        # a full cache answers first, then forgets its oldest (here: some of those asked for)
        monkeypatch.setattr(index_mod, "SENTENCE_CACHE", 4)
        rows = [index.storage.rowid_of(a.id) for a in arts[:6]]
        index.sentence_vectors(rows[:3])
        assert set(index.sentence_vectors(rows)) == set(rows) and len(index._sentence_cache) == 4
    with pytest.raises(IndexMismatchError, match="vector_chunk=3"):
        Index.open(tmp_path / "i", config=IndexConfig(semantic="static", vector_chunk=1))


def test_static_piece_cache_starts_again_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    from unspin.embed import static
    from unspin.semantic import embedder

    emb = embedder("static")
    assert isinstance(emb, static.StaticEmbedder)
    monkeypatch.setattr(static, "PIECE_CACHE", 6)
    first = ["Oil prices fell sharply on Monday.", "U.S. oil fell."]
    want = emb.embed(first)
    emb._pieces.clear()
    emb.embed(["Oil prices rose."])  # three chunks cached
    assert np.allclose(emb.embed(first), want)  # overflows: cleared, all tokenised again
    assert len(emb._pieces) <= 6 + len(first[0].split()) + 3
    emb._pieces.clear()


def test_static_vectors_are_sums_of_table_rows() -> None:
    from unspin.semantic import embedder

    emb = embedder("static")
    if emb is None:
        pytest.fail("the static table is installed by make")
    # each distinct whitespace chunk of a batch is tokenised once: the same rows as whole sentences
    sentences = ["The central bank raised rates.", "", "Oil prices fell sharply on Monday.",
                 "Rates, rates and (rates)! Rates' rise: 4.5% - the bank's \"rates\"."]
    got = emb.embed(sentences)
    enc = emb._tok.encode_batch(sentences, add_special_tokens=False)  # type: ignore[attr-defined]
    for row, e in zip(got, enc, strict=True):
        want = emb._table[e.ids].sum(axis=0) if e.ids else np.zeros(emb.dim)  # type: ignore[attr-defined]
        norm = np.linalg.norm(want)
        assert np.allclose(row, want / norm if norm else want, atol=1e-5)



def test_merge_ranges_stay_small_however_many_small_segments(monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    monkeypatch.setattr(storage_mod, "MERGE_CHUNK", 1000)
    rng = np.random.default_rng(5)
    segs = [np.sort(rng.integers(0, 2**63, 300, dtype=np.uint64)) for _ in range(200)]
    bounds = merge_bounds(segs)  # each segment far under MERGE_CHUNK: 60,000 postings in all
    assert 40 <= len(bounds) <= 90
    lo = 0
    for hi in bounds:
        held = sum(int(np.searchsorted(s, np.uint64(hi), "left") if hi is not None else len(s))
                   - int(np.searchsorted(s, np.uint64(lo), "left")) for s in segs)
        assert held <= 2000  # what one range of the merge holds in memory
        lo = hi or 0
