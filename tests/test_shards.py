"""Sharded indexes give the results of one index; merge; streaming compaction; format 4."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from unspin import Article, Index, IndexMismatchError, check, retrieve
from unspin.cli import main
from unspin.index import storage as storage_mod
from unspin.index.maintenance import fingerprinter
from unspin.index.manifest import FORMAT_VERSION
from unspin.index.shards import ShardedIndex, merge, shard_of
from unspin.index.storage import posting_key, segment_parts
from unspin.ingest import read_inputs

from .conftest import EXAMPLES, edit_manifest, sample_articles

SUSPECTS = sorted((EXAMPLES / "suspects").glob("*.txt"))


def _suspects(articles: list[Article]) -> list[str]:
    texts = [next(iter(read_inputs([str(p)]))).text for p in SUSPECTS]
    # and copies of indexed articles: a paragraph dropped, one sentence cut
    texts += [a.text[len(a.text) // 5 :] for a in articles[10:200:40]]
    return texts


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("shards")
    arts = sample_articles()
    with Index.create(root / "one") as one:
        one.add(arts)
    with Index.create(root / "four", shards=4) as four:
        four.add(arts[:150])  # added in two calls: the second adds to the sharded index
    with Index.open(root / "four") as four:
        assert isinstance(four, ShardedIndex)
        four.add(arts[150:])
    return root / "one", root / "four"


def test_sharded_results_equal_unsharded(built: tuple[Path, Path]) -> None:
    one_path, four_path = built
    arts = sample_articles()
    with Index.open(one_path, readonly=True) as one, Index.open(four_path, readonly=True) as four:
        assert isinstance(four, ShardedIndex) and len(four.shards) == 4
        assert len(four) == len(one) == len(arts)
        assert all(len(s) < len(arts) for s in four.shards)  # really spread
        assert sorted(a.id for a in four) == sorted(a.id for a in one)
        for text in _suspects(arts):
            assert retrieve(text, four, k=5) == retrieve(text, one, k=5)
            assert check(text, four) == check(text, one)
        some = arts[42]
        assert four.get(some.id) == one.get(some.id) and some.id in four
        assert check(some.text, four, exclude=[some.id]) == check(some.text, one, exclude=[some.id])


def test_placement_is_stable() -> None:
    assert [shard_of(f"id-{i}", 4) for i in range(6)] == [shard_of(f"id-{i}", 4) for i in range(6)]
    assert {shard_of(f"id-{i}", 4) for i in range(100)} == {0, 1, 2, 3}


def test_duplicates_replace_within_their_shard(tmp_path: Path) -> None:
    with Index.create(tmp_path / "s", shards=3) as index:
        index.add([Article(id="a", text="Wheat prices rose in Chicago."),
                   Article(id="b", text="Barley fell.")])
        report = index.add([Article(id="a", text="Wheat prices fell sharply in Chicago.")])
        assert (report.added, report.replaced, len(index)) == (0, 1, 2)
        assert "sharply" in (index.get("a") or Article(id="x", text="")).text


def test_merge_and_cli(built: tuple[Path, Path], tmp_path: Path,
                       capsys: pytest.CaptureFixture[str]) -> None:
    one_path, four_path = built
    merged = tmp_path / "merged"
    report = merge([one_path], merged, shards=2)
    assert report.added == 300
    with Index.open(merged, readonly=True) as two, Index.open(one_path, readonly=True) as one:
        assert isinstance(two, ShardedIndex) and len(two.shards) == 2
        text = _suspects(sample_articles())[0]
        assert check(text, two) == check(text, one)
    assert main(["index", "merge", str(four_path), "--index", str(tmp_path / "flat"),
                 "--on-duplicate", "skip"]) == 0
    assert "added 300" in capsys.readouterr().err
    with Index.open(tmp_path / "flat", readonly=True) as flat:
        assert not isinstance(flat, ShardedIndex) and len(flat) == 300
    corpus = EXAMPLES / "corpus"
    assert main(["index", "build", str(corpus), "--index", str(tmp_path / "cli"), "--shards", "3",
                 "-q"]) == 0
    assert main(["check", str(SUSPECTS[0]), "--index", str(tmp_path / "cli"), "--json"]) == 0
    assert main(["index", "info", "--index", str(tmp_path / "cli"), "--json"]) == 0
    assert main(["index", "verify", "--index", str(tmp_path / "cli")]) == 0
    seg = next((tmp_path / "cli").glob("shard-*/seg-*.npy"))
    seg.unlink()  # a shard's damage is found and repaired through the sharded index
    assert main(["index", "verify", "--index", str(tmp_path / "cli")]) == 1
    assert main(["index", "repair", "--index", str(tmp_path / "cli")]) == 0


def test_streaming_compaction_equals_a_full_sort(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_mod, "MERGE_CHUNK", 97)  # many ranges, cut mid-run of a hash
    arts = sample_articles(60)
    with Index.create(tmp_path / "i") as index:
        index.add_fingerprinted(_fp(arts[:30], index), batch_size=7, finish=False)
        index.add_fingerprinted(_fp(arts[30:], index), batch_size=5, finish=False)
        # replaces: the article of the highest rowid (60) first, which SQLite would reuse
        index.add_fingerprinted(_fp([arts[59], *arts[:10]], index), batch_size=5, finish=False)
        assert len(index.storage.segments()) > 8
        index.storage.compact()
        segs = index.storage.segments()
        assert len(segs) == 1
        hashes, rows = segment_parts(segs[0])
        live = {}
        fingerprint = fingerprinter(index.config)
        for (rowid,) in index.storage.conn.execute("SELECT rowid FROM articles"):
            live[rowid] = np.unique(posting_key(fingerprint(index.storage.text_of(rowid)))
                                    ).astype(np.int64)
        want_h = np.concatenate(list(live.values()))
        want_r = np.concatenate([np.full(len(v), r) for r, v in live.items()])
        order = np.lexsort((want_r, want_h))
        assert np.array_equal(hashes, want_h[order]) and np.array_equal(rows, want_r[order])
        assert 60 not in live and min(live) == 11  # replaced articles' rowids are never reused


def _fp(arts: list[Article], index: Index) -> list[tuple[Article, np.ndarray]]:
    from unspin.pipeline import fingerprint_article

    return [fingerprint_article(a, index.config) for a in arts]


def test_texts_are_stored_compressed(tmp_path: Path) -> None:
    arts = sample_articles(50)
    with Index.create(tmp_path / "i") as index:
        index.add(arts)
        stored = sum(len(b) for (b,) in index.storage.conn.execute("SELECT text FROM articles"))
        assert stored < 0.7 * sum(len(a.text.encode()) for a in arts)
        assert [a.text for a in index] == [a.text for a in arts]


def test_older_format_index_gets_a_rebuild_message(tmp_path: Path) -> None:
    with Index.create(tmp_path / "i") as index:
        index.add(sample_articles(3))
    edit_manifest(tmp_path / "i", "format_version", str(FORMAT_VERSION - 1))
    with pytest.raises(IndexMismatchError, match=r"older than .*rebuild it from its corpus"):
        Index.open(tmp_path / "i")
    conn = sqlite3.connect(tmp_path / "i" / "unspin.sqlite")
    assert conn.execute("SELECT value FROM meta WHERE key='format_version'").fetchone() == (str(FORMAT_VERSION - 1),)
    conn.close()
