"""The embedded index: manifest, mismatched settings, duplicates, interrupted builds."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from unspin import (
    Article,
    DuplicateArticleError,
    Index,
    IndexConfig,
    IndexMismatchError,
    IndexNotFoundError,
    retrieve,
)
from unspin.errors import IndexDamagedError
from unspin.index.maintenance import fingerprinter
from unspin.index.manifest import FORMAT_VERSION
from unspin.index.storage import posting_key, segment_parts

from .conftest import ROOT, edit_manifest, sample_articles


def test_manifest_records_settings(tmp_path: Path) -> None:
    with Index.create(tmp_path / "i") as index:
        index.add(sample_articles(5))
        meta = index.manifest
    assert meta["format_version"] == str(FORMAT_VERSION)
    assert json.loads(meta["config"])["hash_seed"] == IndexConfig().hash_seed
    assert meta["thesaurus.name"] == "wordnet"
    assert len(meta["thesaurus.sha256"]) == 64


def test_reopen_adds_to_index(tmp_path: Path) -> None:
    arts = sample_articles(10)
    with Index.create(tmp_path / "i") as index:
        index.add(arts[:5])
    with Index.create(tmp_path / "i") as index:
        index.add(arts[5:])
        assert len(index) == 10


def test_open_with_other_settings_fails(tmp_path: Path) -> None:
    Index.create(tmp_path / "i").close()
    with pytest.raises(IndexMismatchError, match="word_ngram=4 \\(asked 5\\)"):
        Index.open(tmp_path / "i", config=IndexConfig(word_ngram=5))


def test_open_newer_format_fails(tmp_path: Path) -> None:
    Index.create(tmp_path / "i").close()
    conn = sqlite3.connect(tmp_path / "i" / "unspin.sqlite")
    conn.execute(
        "UPDATE meta SET value = ? WHERE key = 'format_version'", (str(FORMAT_VERSION + 1),)
    )
    conn.commit()
    conn.close()
    with pytest.raises(IndexMismatchError, match="newer unspin"):
        Index.open(tmp_path / "i")


def test_open_with_other_thesaurus_checksum_fails(tmp_path: Path) -> None:
    Index.create(tmp_path / "i").close()
    edit_manifest(tmp_path / "i", "thesaurus.sha256", "abc")  # as if built with another table
    with pytest.raises(IndexMismatchError, match="thesaurus.sha256"):
        Index.open(tmp_path / "i")


def test_missing_index(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFoundError, match="unspin index build"):
        Index.open(tmp_path / "nothing")


def test_duplicates_replace_skip_error(tmp_path: Path) -> None:
    with Index.create(tmp_path / "i") as index:
        index.add([Article(id="a", text="The first version of the story about grain exports.")])
        report = index.add([Article(id="a", text="The second version: wheat exports rose 5 pct.")])
        assert (report.added, report.replaced, report.written) == (0, 1, 1) and len(index) == 1
        assert "second" in index.get("a").text
        twice = [Article(id="b", text="Barley prices fell."), Article(id="b", text="Barley rose.")]
        report = index.add(twice)  # the second copy replaces the first, in one batch
        assert (report.added, report.replaced) == (1, 1) and index.get("b").text == "Barley rose."
        report = index.add([Article(id="a", text="third")], on_duplicate="skip")
        assert report.refused == ["a"] and "second" in index.get("a").text
        with pytest.raises(DuplicateArticleError, match="already in the index"):
            index.add([Article(id="a", text="fourth")], on_duplicate="error")
        # replacing dropped the old postings: segments hold exactly the live fingerprints
        _assert_segments_match_articles(index)


def _assert_segments_match_articles(index: Index) -> None:
    conn = index.storage.conn
    fingerprint = fingerprinter(index.config)  # the segments are the only copy: compute again
    live = {rowid: set(posting_key(fingerprint(index.storage.text_of(rowid))).astype(np.int64).tolist())
            for (rowid,) in conn.execute("SELECT rowid FROM articles")}
    seen: dict[int, set[int]] = {}
    for seg in index.storage.segments():
        hashes, rows = segment_parts(seg)
        for h, r in zip(hashes.tolist(), rows.tolist(), strict=True):
            seen.setdefault(r, set()).add(h)
    assert seen == live
    registered = {n for (n,) in conn.execute("SELECT name FROM segments")}
    assert {p.name for p in index.path.glob("seg-*")} == registered


BUILD_FOREVER = """
import sys
from unspin import Article, Index
from tests.conftest import sample_articles
arts = sample_articles()
def forever():
    n = 0
    while True:
        for a in arts:
            n += 1
            yield Article(id=f"{a.id}-{n}", text=a.text, title=a.title)
            if n == 300:
                print("started", flush=True)
with Index.create(sys.argv[1]) as index:
    index.add(forever(), batch_size=64)
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_build_leaves_whole_articles(tmp_path: Path, sig: int) -> None:
    path = tmp_path / "i"
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    proc = subprocess.Popen(
        [sys.executable, "-c", BUILD_FOREVER, str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "started"
    time.sleep(0.5)
    proc.send_signal(sig)
    proc.wait(timeout=120)  # generous: the shared machine may be loaded
    with Index.open(path) as index:
        n = len(index)
        assert n > 0 and n % 64 == 0  # whole batches, hence whole articles
        # every article has its postings, no posting points to a missing article
        index.storage._segments.clear()
        registered = {name for (name,) in index.storage.conn.execute("SELECT name FROM segments")}
        live = {r for (r,) in index.storage.conn.execute("SELECT rowid FROM articles")}
        in_segments = {r for seg in index.storage.segments()
                           for r in np.unique(segment_parts(seg)[1]).tolist()}
        assert in_segments == live and len(registered) >= 1
        first = next(iter(index))
        hit = retrieve(first.text, index, k=1)  # the build repeats texts: any copy will do
        assert hit and index.get(hit[0][0]).text == first.text
        index.add([Article(id="after", text="The index is still usable after the interruption.")])
        assert len(index) == n + 1
        _assert_segments_match_articles(index)  # the next write removed any orphan segment


def test_damaged_or_foreign_file_fails_with_message(tmp_path: Path) -> None:
    (tmp_path / "i").mkdir()
    (tmp_path / "i" / "unspin.sqlite").write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(IndexDamagedError, match="SQLite file cannot be read.*--rebuild"):
        Index.open(tmp_path / "i")
    other = tmp_path / "other"
    other.mkdir()
    conn = sqlite3.connect(other / "unspin.sqlite")
    conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('format_version', '1')")
    conn.commit()
    conn.close()
    with pytest.raises(IndexMismatchError, match="older than this unspin's"):
        Index.open(other)


def test_readonly_open_reads_and_refuses_writes(tmp_path):
    from unspin import Article, Index
    from unspin.errors import UsageError

    with Index.create(tmp_path / "idx", config=IndexConfig(semantic="off")) as index:
        index.add([Article(id="a", text="The council approved the new budget on Monday evening.")])
    with Index.open(tmp_path / "idx", readonly=True) as ro:
        assert len(ro) == 1 and ro.get("a") is not None
        with pytest.raises(UsageError, match="read-only"):
            ro.add([Article(id="b", text="Another article about something else entirely here.")])
    with Index.open(tmp_path / "idx") as rw:
        assert len(rw) == 1


def test_an_article_too_short_for_any_fingerprint_is_stored(tmp_path):
    # found by the property suite: one "!" made an empty posting segment and crashed the build
    with Index.create(tmp_path / "idx", config=IndexConfig(semantic="off")) as index:
        report = index.add([Article(id="bang", text="!")])
        assert report.added == 1 and len(index) == 1 and index.get("bang") is not None
