"""``unspin scan`` on damaged crawls and unwritable output folders (RELIABILITY.md, scan rows).

The output folder faults are real: the scan runs in a user and mount namespace (``unshare``)
where its folder is a read-only bind mount, or a tmpfs too small for its results.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from unspin import Index, scan
from unspin.cli import main
from unspin.ingest.warc import record_offsets

from .conftest import ROOT, sample_articles
from .scan_helpers import page_html, write_warc

ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


@pytest.fixture(scope="module")
def material(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list]:
    """An index of 6 articles; pages: copies of those 6, then 6 other articles."""
    root = tmp_path_factory.mktemp("scan-reliability")
    articles = [a for a in sample_articles() if len(a.text) > 800][:12]
    with Index.create(root / "index") as index:
        index.add(articles[:6])
    pages = [(f"https://copy.example/{i}", page_html(a.title, a.text))
             for i, a in enumerate(articles[:6])]
    pages += [(f"https://clean.example/{i}", page_html(a.title, a.text))
              for i, a in enumerate(articles[6:])]
    return root, pages


def _urls(out: Path) -> list[str]:
    return [json.loads(line)["url"] for p in sorted((out / "shards").glob("*.jsonl"))
            for line in p.read_text(encoding="utf-8").splitlines()]


def test_gzip_warc_cut_mid_record_keeps_every_page_before(material: tuple[Path, list],
                                                          tmp_path: Path, capsys) -> None:
    root, pages = material
    crawl = tmp_path / "cut.warc.gz"
    write_warc(crawl, pages, cut_last=True)  # the last response record loses its end
    out = tmp_path / "out"
    assert main(["scan", str(crawl), "--index", str(root / "index"), "--out", str(out),
                 "--shard-records", "4", "-q", "--json"]) == 1  # bad records: exit 1
    summary = json.loads(capsys.readouterr().out)
    assert summary["pages"]["read"] == len(pages) - 1 and summary["pages"]["bad"] == 1
    assert sorted(_urls(out)) == sorted(u for u, _ in pages[:6])
    [reason] = summary["bad_by_reason"]
    assert "truncated or corrupt" in reason
    assert summary["shards"]["done"] == summary["shards"]["planned"]


def test_corrupt_gzip_member_is_counted_and_the_rest_of_the_file_is_read(
        material: tuple[Path, list], tmp_path: Path) -> None:
    root, pages = material
    crawl = tmp_path / "damaged.warc.gz"
    order = [pages[6], pages[0], pages[7], pages[1], pages[8], pages[2], pages[9], pages[3]]
    write_warc(crawl, order)
    starts = list(record_offsets(str(crawl)))
    assert len(starts) == 2 * len(order)  # a request and a response record per page
    data = bytearray(crawl.read_bytes())
    # the 4th page's response (pages[1], a copy): garble the middle of its gzip member
    begin, end = starts[7], starts[8]
    middle = (begin + end) // 2
    data[middle : middle + 40] = bytes(40)
    crawl.write_bytes(bytes(data))
    summary = scan([crawl], index=root / "index", out=tmp_path / "out", shard_records=3)
    assert summary["pages"]["bad"] == 1
    [(reason, n)] = summary["bad_by_reason"].items()
    assert "truncated or corrupt" in reason and n == 1
    assert "record 8" in summary["bad_examples"][0]
    # every page but the damaged one is read, the copies after it included
    assert summary["pages"]["read"] == len(order) - 1
    assert sorted(_urls(tmp_path / "out")) == sorted(u for u, _ in (pages[0], pages[2], pages[3]))


def test_listing_names_missing_and_unreadable_paths(material: tuple[Path, list], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    capsys) -> None:
    root, pages = material
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    write_warc(crawl / "good.warc.gz", pages[:2])
    write_warc(crawl / "locked.warc.gz", pages[2:4])
    listing = crawl / "crawl.paths"
    listing.write_text("good.warc.gz\nmissing.warc.gz\n# a comment\nlocked.warc.gz\n\n")
    real_access = os.access  # tests run as root, who may read anything: deny one file by hand
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if str(p).endswith(
        "locked.warc.gz") else real_access(p, mode, **kw))
    out = tmp_path / "out"
    assert main(["scan", str(listing), "--index", str(root / "index"), "--out", str(out),
                 "-q"]) == 1
    text = capsys.readouterr().out
    assert "2 read, 2 derived" in text
    skipped = [line for line in text.splitlines() if "input skipped" in line]
    assert len(skipped) == 2
    assert any("missing.warc.gz" in s and "no such file" in s for s in skipped), skipped
    assert any("locked.warc.gz" in s and "permission denied" in s for s in skipped), skipped
    missing_list = tmp_path / "nowhere.paths"
    assert main(["scan", str(missing_list), "--index", str(root / "index"), "--out",
                 str(tmp_path / "o2"), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert "nowhere.paths" in err and "\n" not in err


def _namespace_scan(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["unshare", "-Urm", "sh", "-c", script], capture_output=True, text=True,
                          env=ENV, timeout=300)


def _scan_line(crawl: Path, index: Path, out: Path) -> str:
    return (f'"{sys.executable}" -m unspin scan "{crawl}" --index "{index}" --out "{out}" '
            "--shard-records 2 -q")


def test_read_only_output_folder_is_one_line(material: tuple[Path, list], tmp_path: Path) -> None:
    assert shutil.which("unshare"), "the test needs util-linux's unshare"
    root, pages = material
    write_warc(tmp_path / "crawl.warc.gz", pages[:4])
    locked = tmp_path / "locked"
    locked.mkdir()
    done = _namespace_scan(
        f'mount --bind "{locked}" "{locked}" && mount -o remount,ro,bind "{locked}" && '
        + _scan_line(tmp_path / "crawl.warc.gz", root / "index", locked / "out"))
    assert done.returncode == 2, done.stderr
    err = done.stderr.strip()
    assert "\n" not in err and "Traceback" not in err
    assert "cannot write the scan's files here (Read-only file system)" in err
    assert not (locked / "out").exists()


def test_full_output_folder_is_one_line_and_keeps_nothing_half_written(
        material: tuple[Path, list], tmp_path: Path) -> None:
    root, pages = material
    write_warc(tmp_path / "crawl.warc.gz", pages)
    small = tmp_path / "small"
    small.mkdir()
    out = small / "out"
    script = (f'mount -t tmpfs -o size=12k tmpfs "{small}" && '
              + _scan_line(tmp_path / "crawl.warc.gz", root / "index", out)
              + f'; code=$?; ls "{out}/shards" > "{tmp_path}/left.txt"; exit $code')
    done = _namespace_scan(script)
    assert done.returncode == 2, done.stderr
    err = done.stderr.strip()
    assert "\n" not in err and "Traceback" not in err
    assert "cannot write the scan's files here (No space left on device)" in err
    left = (tmp_path / "left.txt").read_text().split()
    # no file is half written: each done-marker has its results file, and no temporary file is
    # left (a results file without its marker is not done: a rerun does that shard again)
    results = {n[: -len(".jsonl")] for n in left if n.endswith(".jsonl")}
    markers = {n[: -len(".done.json")] for n in left if n.endswith(".done.json")}
    assert markers <= results and not [n for n in left if n.endswith(".tmp")], left


def test_the_warc_reader_reads_on_after_a_corrupt_member_for_index_build_too(
        material: tuple[Path, list], tmp_path: Path) -> None:
    from unspin.ingest.warc import read_warc_file

    _, pages = material
    crawl = tmp_path / "damaged.warc.gz"
    write_warc(crawl, pages[:5])
    starts = list(record_offsets(str(crawl)))
    data = bytearray(crawl.read_bytes())
    middle = (starts[3] + starts[4]) // 2  # the 2nd page's response record
    data[middle : middle + 40] = bytes(40)
    crawl.write_bytes(bytes(data))
    bad: list = []
    urls = [a.url for a in read_warc_file(str(crawl), on_bad=bad.append)]
    assert urls == [u for u, _ in pages[:5] if u != pages[1][0]]
    assert len(bad) == 1 and bad[0].location == "record 4"
    assert "reading goes on at the next whole gzip member" in bad[0].message


def test_plan_goes_on_after_a_corrupt_member(material: tuple[Path, list], tmp_path: Path) -> None:
    from unspin.scan.plan import make_plan

    root, pages = material
    crawl = tmp_path / "damaged.warc.gz"
    write_warc(crawl, pages)
    starts = list(record_offsets(str(crawl)))
    data = bytearray(crawl.read_bytes())
    middle = (starts[3] + starts[4]) // 2  # the 2nd page's response record
    data[middle : middle + 40] = bytes(40)
    crawl.write_bytes(bytes(data))
    assert list(record_offsets(str(crawl))) == starts  # every record start is still found
    shards = make_plan([str(crawl)], shard_records=4).shards
    assert len(shards) == len(starts) // 4 and [s.first for s in shards] == [1, 5, 9, 13, 17, 21]
    summary = scan([crawl], index=root / "index", out=tmp_path / "out", shard_records=4)
    assert summary["pages"]["read"] == len(pages) - 1 and summary["pages"]["bad"] == 1
    assert "record 4" in summary["bad_examples"][0]
