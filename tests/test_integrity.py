"""Damaged indexes: each fault gets one line naming its fix, and that fix works on the same
directory. Every file is damaged for real (bytes overwritten, files truncated, settings edited)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from unspin import Index, check
from unspin.cli import main
from unspin.errors import IndexDamagedError
from unspin.index.maintenance import repair, verify

from .conftest import edit_manifest, sample_articles

ARTICLES = sample_articles(40)
SUSPECT = ARTICLES[3].text


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "corpus.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for a in ARTICLES:
            fh.write(json.dumps({"id": a.id, "text": a.text, "title": a.title}) + "\n")
    return path


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    path = tmp_path_factory.mktemp("good") / "index"
    assert main(["index", "build", str(corpus), "--index", str(path), "-q"]) == 0
    return path


@pytest.fixture()
def idx(good: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "index"
    shutil.copytree(good, copy)
    return copy


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    rc = main(args)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return rc, err.splitlines()


def _one_line_naming(lines: list[str], fix: str) -> None:
    assert len(lines) == 1, lines
    assert fix in lines[0], lines[0]


def _check_works(path: Path) -> None:
    with Index.open(path, readonly=True) as index:
        result = check(SUSPECT, index)
    assert result.derived and result.sources[0].id == ARTICLES[3].id


def test_a_whole_index_verifies(good: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert verify(good) == []
    assert main(["index", "verify", "--index", str(good)]) == 0
    assert "index is whole" in capsys.readouterr().out


def test_garbage_in_the_sqlite_file(idx: Path, corpus: Path,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    db = idx / "unspin.sqlite"
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.seek(size // 2 // 4096 * 4096)
        fh.write(os.urandom(min(65536, size // 3)))
    rebuild = f"unspin index build --rebuild CORPUS --index {idx}"
    for args in (["index", "info", "--index", str(idx)],
                 ["index", "verify", "--index", str(idx)],
                 ["index", "build", str(corpus), "--index", str(idx), "-q"],
                 ["index", "repair", "--index", str(idx)]):
        rc, err = _run(args, capsys)
        assert rc in (1, 2), args
        _one_line_naming(err, rebuild)
    rc, err = _run(["index", "build", "--rebuild", str(corpus), "--index", str(idx), "-q"], capsys)
    assert rc == 0, err
    assert verify(idx) == []
    _check_works(idx)


def test_manifest_config_not_json(idx: Path, corpus: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    edit_manifest(idx, "config", "{not json", resign=False)
    rc, err = _run(["check", "-", "--index", str(idx)], capsys)
    assert rc == 2
    _one_line_naming(err, "index build --rebuild")
    edit_manifest(idx, "config", "{not json", resign=True)  # even with a matching checksum
    rc, err = _run(["index", "info", "--index", str(idx)], capsys)
    assert rc == 2
    _one_line_naming(err, "index build --rebuild")
    assert _run(["index", "build", "--rebuild", str(corpus), "--index", str(idx), "-q"],
                capsys)[0] == 0
    _check_works(idx)


def test_changed_hash_seed_is_refused(idx: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Index.open(idx) as index:
        config = json.loads(index.manifest["config"])
    edit_manifest(idx, "config", json.dumps(config | {"hash_seed": 1}, sort_keys=True),
                  resign=False)
    with pytest.raises(IndexDamagedError, match="settings were changed"):
        Index.open(idx)
    rc, err = _run(["index", "verify", "--index", str(idx)], capsys)
    assert rc == 1
    _one_line_naming(err, "--rebuild")


def test_truncated_vector_store(idx: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = idx / "sentences.usearch"
    os.truncate(store, store.stat().st_size // 2)
    rc, err = _run(["check", "-", "--index", str(idx)], capsys)
    assert rc == 2
    _one_line_naming(err, f"unspin index repair --index {idx}")
    assert repair(idx) == ["embedded the sentences of 40 article(s) again"]
    assert verify(idx) == []
    _check_works(idx)


def test_garbage_in_the_vector_store_found_by_verify(idx: Path) -> None:
    store = idx / "sentences.usearch"
    with open(store, "r+b") as fh:  # same size: only the checksum can tell
        fh.seek(store.stat().st_size // 2)
        fh.write(b"\xff" * 64)
    found = verify(idx)
    assert len(found) == 1 and "checksum" in found[0] and "index repair" in found[0]
    repair(idx)
    assert verify(idx) == []


def test_repair_routes_on_the_damaged_store_not_on_the_path(good: Path, tmp_path: Path) -> None:
    """An index path that names other stores ("cross-lingual", "segments") leaves repair to
    rebuild only the damaged one: the sentence vectors here."""
    idx = tmp_path / "cross-lingual-segments" / "index"
    shutil.copytree(good, idx)
    store = idx / "sentences.usearch"
    with open(store, "r+b") as fh:
        fh.seek(store.stat().st_size // 2)
        fh.write(b"\xff" * 64)
    assert len(verify(idx)) == 1
    assert repair(idx) == ["embedded the sentences of 40 article(s) again"]
    assert verify(idx) == []


def test_segments_short_of_the_articles_postings_routed_to_the_segments(idx: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(idx / "unspin.sqlite")
    conn.execute("UPDATE articles SET postings = postings + 100000 WHERE id = ?", (ARTICLES[3].id,))
    conn.commit()
    conn.close()
    found = verify(idx)
    assert len(found) == 1 and "the segments hold" in found[0]
    # routed to the segments (the count tampered with here is not one a rewrite corrects)
    assert repair(idx) == ["rewrote the posting segments from the articles' texts"]


def test_truncated_and_missing_segments(idx: Path, corpus: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    segs = sorted(idx.glob("seg-*.npy"))
    os.truncate(segs[0], segs[0].stat().st_size - 100)
    rc, err = _run(["check", "-", "--index", str(idx)], capsys)
    assert rc == 2
    _one_line_naming(err, f"unspin index repair --index {idx}")
    rc, out = _run(["index", "repair", "--index", str(idx)], capsys)
    assert rc == 0
    _check_works(idx)
    for seg in idx.glob("seg-*.npy"):
        seg.unlink()
    assert "missing" in verify(idx)[0]
    # the next build rewrites them by itself (what a user runs after a crash or a lost file)
    rc, err = _run(["index", "build", str(corpus), "--index", str(idx), "-q"], capsys)
    assert rc == 0, err
    assert verify(idx) == []
    _check_works(idx)


def test_garbage_in_an_article_text_found_by_checksum(idx: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(idx / "unspin.sqlite")
    conn.execute("UPDATE articles SET text = 'tampered ' || text WHERE id = ?", (ARTICLES[3].id,))
    conn.commit()
    conn.close()
    found = verify(idx)
    assert len(found) == 1 and "do not match their checksum" in found[0]
    with Index.open(idx, readonly=True) as index, pytest.raises(IndexDamagedError, match="rebuild"):
        index.get(ARTICLES[3].id)


def test_old_format_gets_a_rebuild_message(idx: Path, corpus: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    edit_manifest(idx, "format_version", "2")
    rc, err = _run(["check", "-", "--index", str(idx)], capsys)
    assert rc == 2
    _one_line_naming(err, f"unspin index build --rebuild CORPUS --index {idx}")
    assert _run(["index", "build", "--rebuild", str(corpus), "--index", str(idx), "-q"],
                capsys)[0] == 0
    _check_works(idx)


def test_rebuild_keeps_the_old_index_when_nothing_is_read(
    idx: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, err = _run(["index", "build", "--rebuild", str(tmp_path / "absent"), "--index", str(idx)],
                   capsys)
    assert rc == 1 and "was left as it was" in err[-1]
    assert verify(idx) == []
    _check_works(idx)
    assert not list(tmp_path.glob(".index.rebuild-*"))


def test_vector_settings_file_missing_and_build_embeds_again(
    idx: Path, corpus: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (idx / "sentences.usearch.json").unlink()  # as if killed between the two files of a save
    rc, err = _run(["check", "-", "--index", str(idx)], capsys)
    assert rc == 2
    _one_line_naming(err, "index repair")
    assert any("index repair" in line for line in verify(idx))
    # the next build (what a user runs after a crash) embeds the vectors again by itself
    rc, err = _run(["index", "build", str(corpus), "--index", str(idx), "-q"], capsys)
    assert rc == 0, err
    assert verify(idx) == []
    _check_works(idx)
