"""A faster build writes the same index: the same articles, postings, vectors and graph."""

from __future__ import annotations

from pathlib import Path

from unspin import Index
from unspin.checksum import sha256_of
from unspin.config import IndexConfig
from unspin.pipeline import Fingerprinted, fingerprint_article

from .build_digest import HOSTILE, build, digest_corpus, digests
from .conftest import sample_articles

# printed by `python -m tests.build_digest DIR` with the build code of main at d1f4ade (two passes
# over each text: fingerprints while adding, sentence vectors from the stored texts at the end)
MAIN_DIGESTS = {
    "articles": "b212a9c4fdc6a74ee4fc7fdb342c05371edc2bd3a566d1f40cae9e379e75609d",
    "postings": "5ff40cb15b5e08eeb931711e88a514d314d46dcafd8ca7d5c47dfd8156de6e21",
    "vectors": "d9bb255c207eb2b1be2d349886e2a87ae724bd67a7c955d91afea488e4158ba2",
}


def test_build_holds_what_mains_build_held(tmp_path: Path) -> None:
    build(tmp_path / "i")
    assert digests(tmp_path / "i") == MAIN_DIGESTS


def test_one_pass_build_writes_the_graph_a_build_from_the_texts_writes(tmp_path: Path) -> None:
    from unspin import Article

    arts = [*sample_articles(80), *(Article(id=f"h{i}", text=t or " ")
                                    for i, t in enumerate(HOSTILE))]
    with Index.create(tmp_path / "one") as index:
        index.add(arts, batch_size=16)  # sentences embedded batch by batch, from the one pass
        config = index.config
    assert config.semantic != "off"
    items = [fingerprint_article(a, config) for a in arts]
    assert all(isinstance(x, Fingerprinted) and x.sentences is not None for x in items)
    with Index.create(tmp_path / "two") as index:  # without the sentences: embedded by finish()
        index.add_fingerprinted([(x.article, x.hashes) for x in items], batch_size=16)
    graph = "sentences.usearch"
    assert sha256_of(tmp_path / "one" / graph) == sha256_of(tmp_path / "two" / graph)
    assert digests(tmp_path / "one") == digests(tmp_path / "two")


def test_unfinished_add_leaves_the_vectors_to_the_next_build(tmp_path: Path) -> None:
    arts = sample_articles(30)
    index = Index.create(tmp_path / "i")
    index.add_fingerprinted([fingerprint_article(a, index.config) for a in arts[:20]],
                            finish=False)
    index.close()  # the graph added to was never saved
    with Index.create(tmp_path / "i") as index:
        index.add(arts[20:])
    with Index.open(tmp_path / "i", readonly=True) as index:
        store = index.vector_store()
        assert store is not None
        rows = [r for (r,) in index.storage.conn.execute("SELECT rowid FROM articles")]
        assert len(rows) == 30 and all(r in store for r in rows)


def test_no_sentences_are_kept_without_vectors() -> None:
    item = fingerprint_article(digest_corpus()[0], IndexConfig(semantic="off"))
    assert item.sentences is None and len(item.hashes)


def test_worker_processes_build_the_same_index(tmp_path: Path) -> None:
    arts = sample_articles(40)
    for name, workers in (("serial", 1), ("pool", 2)):
        with Index.create(tmp_path / name) as index:
            index.add(arts, workers=workers, batch_size=8)
    graph = "sentences.usearch"
    assert sha256_of(tmp_path / "serial" / graph) == sha256_of(tmp_path / "pool" / graph)
    assert digests(tmp_path / "serial") == digests(tmp_path / "pool")


def test_shards_get_their_articles_vectors(tmp_path: Path) -> None:
    arts = sample_articles(40)
    with Index.create(tmp_path / "s", shards=2) as index:
        index.add(arts, batch_size=8)
    for shard in sorted((tmp_path / "s").glob("shard-*")):
        with Index.open(shard, readonly=True) as part:
            store = part.vector_store()
            assert store is not None and len(part) > 0
            assert all(r in store for (r,) in part.storage.conn.execute(
                "SELECT rowid FROM articles"))


def test_a_sharded_add_holds_no_shards_graph_open_until_finish(tmp_path: Path) -> None:
    """Each shard embeds its texts at ``finish``, one shard at a time: an add that holds every
    shard's writable graph open until the end would hold them all in memory at once."""
    arts = sample_articles(40)
    with Index.create(tmp_path / "s", shards=4) as index:
        items = [fingerprint_article(a, index.config) for a in arts]
        assert all(isinstance(i, Fingerprinted) and i.sentences for i in items)
        index.add_fingerprinted(items, batch_size=4, finish=False)
        assert [s._writer for s in index.shards] == [None] * 4  # type: ignore[attr-defined]
        index.finish()
