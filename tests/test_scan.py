"""``unspin scan``: sharding, resume after a real kill -9, local vs Ray, bad records, summary."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from unspin import Index, scan
from unspin.cli import main
from unspin.ingest import read_inputs
from unspin.scan import report
from unspin.scan.plan import expand_inputs, make_plan
from unspin.scan.shard import bad_reason, shard_items
from unspin.scan.summary import render_summary

from .conftest import ROOT, sample_articles
from .scan_helpers import build_crawl, result_ids, result_lines, write_jsonl

N_INDEXED = 40


@pytest.fixture(scope="module")
def corpus() -> tuple[list, list]:
    articles = [a for a in sample_articles() if len(a.text) > 600]
    return articles[:N_INDEXED], articles[N_INDEXED : N_INDEXED + 40]


@pytest.fixture(scope="module")
def scan_index(tmp_path_factory: pytest.TempPathFactory, corpus: tuple[list, list]) -> Path:
    path = tmp_path_factory.mktemp("scan") / "index"
    with Index.create(path) as index:
        index.add(corpus[0])
    return path


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory, corpus: tuple[list, list]) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("crawl") / "crawl"
    copied = corpus[0][:12]
    truth = build_crawl(root, copied, corpus[1][:24])
    return root, truth


# -- sharding ------------------------------------------------------------------------------
def _ids(items) -> list[str]:
    return [getattr(i, "id", None) or f"bad:{i.location}" for i in items]


def test_shards_of_a_split_warc_read_exactly_the_whole_file(crawl: tuple[Path, dict]) -> None:
    root, _ = crawl
    for name in ("a.warc.gz", "b.warc"):
        path = str(root / name)
        plan = make_plan([path], shard_records=5)
        assert len(plan.shards) > 3
        whole = _ids(shard_items(make_plan([path], shard_records=10_000).shards[0], _cfg()))
        parts = [i for s in plan.shards for i in _ids(shard_items(s, _cfg()))]
        assert parts == whole
        assert plan.shards[1].first == 6 and plan.shards[1].start == plan.shards[0].stop


def test_shards_of_a_split_jsonl_keep_line_numbers(tmp_path: Path, corpus: tuple[list, list]) -> None:
    path = tmp_path / "feed.jsonl"
    write_jsonl(path, corpus[1][:9])  # line 2 is broken
    plan = make_plan([str(path)], shard_records=4)
    assert [s.first for s in plan.shards] == [1, 5, 9]
    items = [i for s in plan.shards for i in shard_items(s, _cfg())]
    assert [a.id for a in items if hasattr(a, "id")] == [a.id for a in corpus[1][:9]]
    bad = [i for i in items if not hasattr(i, "id")]
    assert len(bad) == 1 and bad[0].location == "line 2"
    assert [a.id for a in read_inputs([str(path)], on_bad=lambda b: None)] == [a.id for a in corpus[1][:9]]


def test_html_folders_are_grouped_and_path_lists_are_read(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(5):
        (pages / f"p{i}.html").write_text(f"<html><body><p>page {i}</p></body></html>")
    listing = tmp_path / "crawl.paths"
    listing.write_text("# my crawl\npages\n")
    inputs = expand_inputs([str(listing)])
    assert inputs == [str(pages)]
    plan = make_plan(inputs, shard_records=2)
    assert [len(s.paths) for s in plan.shards] == [2, 2, 1]


# -- a whole scan, its results and summary -------------------------------------------------
def _cfg():
    from unspin.config import IngestConfig

    return IngestConfig()


@pytest.fixture(scope="module")
def serial_run(tmp_path_factory: pytest.TempPathFactory, scan_index: Path,
               crawl: tuple[Path, dict]) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("scan-out") / "out"
    summary = scan([crawl[0]], index=scan_index, out=out, shard_records=7)
    return out, summary


def test_scan_finds_the_copies_and_only_them(serial_run: tuple[Path, dict],
                                            crawl: tuple[Path, dict]) -> None:
    out, summary = serial_run
    found = result_ids(out)
    assert len(found) == len(set(found))
    assert set(found) == crawl[1]["copies"]  # b.warc's cut last record holds a clean page
    record = json.loads((out / "shards" / "000000.jsonl").read_text().splitlines()[0])
    assert record["verdict"] == "derived" and record["host"].startswith("copy")
    assert record["warc_record_id"].startswith("urn:uuid:")
    assert {"suspect", "confidence", "sources", "url"} <= set(record)


def test_summary_counts_pages_bad_records_and_hosts(serial_run: tuple[Path, dict]) -> None:
    out, summary = serial_run
    pages = summary["pages"]
    assert pages["derived"] == len(result_ids(out))
    assert summary["shards"]["done"] == summary["shards"]["planned"]
    assert summary["shards"]["failed"] == []
    reasons = summary["bad_by_reason"]
    assert any("truncated" in r or "cut short" in r or "corrupt" in r for r in reasons), reasons
    assert any("no article text" in r for r in reasons), reasons
    hosts = {h["host"]: h for h in summary["hosts"]}
    assert set(hosts) == {"copy0.example", "copy1.example"}
    assert sum(h["derived"] for h in hosts.values()) == pages["derived"]
    assert all(0.5 < h["mean_coverage"] <= 1.0 for h in hosts.values())
    assert json.loads((out / "summary.json").read_text()) == summary
    assert report(out) == summary


def test_rendered_summary_is_sanitised() -> None:
    summary = {
        "shards": {"planned": 1, "done": 1, "failed": []},
        "pages": {"read": 3, "bad": 1, "derived": 1},
        "bad_by_reason": {"bad \x1b[31mred": 1},
        "bad_inputs": [],
        "hosts": [{"host": "evil\x1b]0;x\x07.example", "derived": 1, "mean_coverage": 0.9,
                   "sources": 1}],
        "sources": [{"id": "a1", "title": "Title \u202eevil", "derived": 1, "hosts": 1,
                     "mean_coverage": 0.9}],
    }
    text = render_summary(summary)
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "\\x1b" in text and "evil" in text


def test_bad_reason_groups_messages() -> None:
    a = bad_reason("page is over the 20,000,000-byte limit (21,000 bytes or more); split it")
    b = bad_reason("page is over the 20,000,000-byte limit (99 bytes or more); split it")
    assert a == b == "page is over the N-byte limit"


# -- resume ----------------------------------------------------------------------------------
def _scan_cmd(crawl: Path, index: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "unspin", "scan", str(crawl), "--index", str(index),
            "--out", str(out), "--shard-records", "2", "-q", *extra]


def test_resume_after_kill_9_gives_the_same_results_without_duplicates(
    tmp_path: Path, scan_index: Path, crawl: tuple[Path, dict], serial_run: tuple[Path, dict]
) -> None:
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen(_scan_cmd(crawl[0], scan_index, out), env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not list((out / "shards").glob("*.done.json")) and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done_at_kill = len(list((out / "shards").glob("*.done.json")))
    planned = len(json.loads((out / "plan.json").read_text())["shards"])
    assert 1 <= done_at_kill < planned, "the scan was not killed mid-way"
    rerun = subprocess.run(_scan_cmd(crawl[0], scan_index, out, "--json"), env=env,
                           capture_output=True, text=True, timeout=300)
    summary = json.loads(rerun.stdout)
    assert summary["shards"]["done"] == planned
    ids = result_ids(out)
    assert len(ids) == len(set(ids))  # nothing written twice
    assert sorted(ids) == sorted(result_ids(serial_run[0]))
    assert summary["pages"] == serial_run[1]["pages"]
    assert not list((out / "shards").glob("*.tmp"))


def test_resume_refuses_other_inputs_and_restart_starts_over(
    tmp_path: Path, scan_index: Path, crawl: tuple[Path, dict], corpus: tuple[list, list], capsys
) -> None:
    feed = tmp_path / "feed.jsonl"
    write_jsonl(feed, corpus[0][:3] + corpus[1][:3], broken_line=False)
    out = tmp_path / "out"
    assert main(["scan", str(feed), "--index", str(scan_index), "--out", str(out), "-q"]) == 0
    first = capsys.readouterr().out
    assert "3 derived" in first and "6 read" in first
    other = tmp_path / "other.jsonl"
    write_jsonl(other, corpus[1][:2], broken_line=False)
    assert main(["scan", str(other), "--index", str(scan_index), "--out", str(out), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--restart" in err
    assert main(["scan", str(other), "--index", str(scan_index), "--out", str(out), "-q",
                 "--restart", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["pages"] == {"read": 2, "bad": 0, "derived": 0}
    assert main(["scan", "report", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == summary


def test_cli_errors_are_one_line(tmp_path: Path, scan_index: Path, capsys) -> None:
    assert main(["scan", "x.warc", "--index", str(tmp_path / "none"), "--out", str(tmp_path / "o")]) == 2
    assert "no unspin index" in capsys.readouterr().err
    assert main(["scan", "report", "--out", str(tmp_path / "nothing")]) == 2
    assert "no scan here" in capsys.readouterr().err
    assert main(["scan", "x.warc", "--out", str(tmp_path / "o")]) == 2
    assert "--index" in capsys.readouterr().err


# -- a failing shard -------------------------------------------------------------------------
def test_a_failing_shard_is_retried_once_then_reported(
    tmp_path: Path, scan_index: Path, crawl: tuple[Path, dict], capsys
) -> None:
    out = tmp_path / "out"
    plan_run = scan([crawl[0]], index=scan_index, out=out, shard_records=7)
    planned = plan_run["shards"]["planned"]
    # shard 1 cannot write its results (its temporary file's name is taken by a folder)
    (out / "shards" / "000001.done.json").unlink()
    (out / "shards" / "000001.jsonl.tmp").mkdir()
    summary = scan([crawl[0]], index=scan_index, out=out, shard_records=7)
    assert summary["shards"]["done"] == planned - 1
    [failure] = summary["shards"]["failed"]
    assert failure["shard"] == "000001" and "IsADirectoryError" in failure["error"]
    assert main(["scan", "report", "--out", str(out)]) == 1
    assert "shard 000001 failed" in capsys.readouterr().out
    (out / "shards" / "000001.jsonl.tmp").rmdir()
    again = scan([crawl[0]], index=scan_index, out=out, shard_records=7)
    assert again["shards"]["failed"] == [] and again["pages"] == plan_run["pages"]


# -- executors: the same results under local and Ray -----------------------------------------
@pytest.fixture(scope="session")
def ray_cluster():
    import ray

    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


def test_local_pool_and_ray_give_identical_results(
    tmp_path: Path, scan_index: Path, crawl: tuple[Path, dict], serial_run: tuple[Path, dict],
    ray_cluster
) -> None:
    local = scan([crawl[0]], index=scan_index, out=tmp_path / "local", workers=2, shard_records=7)
    on_ray = scan([crawl[0]], index=scan_index, out=tmp_path / "ray", executor="ray", workers=2,
                  shard_records=7)
    assert result_lines(tmp_path / "local") == result_lines(tmp_path / "ray")
    assert result_lines(tmp_path / "local") == result_lines(serial_run[0])
    assert local == on_ray == serial_run[1]


# -- the screen ------------------------------------------------------------------------------
def test_screen_lets_copies_through_and_spares_unrelated_pages(
    scan_index: Path, corpus: tuple[list, list]
) -> None:
    from unspin.scan.screen import ScreenConfig, best_ngrams, screen

    unrelated = ("Whisk the eggs with the sugar until pale. Fold in the flour, then bake the cake "
                 "for forty minutes. Let it cool before you cut it, or the crumb will tear. ") * 3
    copy = corpus[0][0].text
    with Index.open(scan_index, readonly=True) as index:
        assert best_ngrams(copy, index) >= 50
        assert screen(copy, index, ScreenConfig()) is None
        skipped = screen(unrelated, index, ScreenConfig(), suspect_id="cake")
        assert skipped is not None and skipped.verdict == "not_derived" and not skipped.sources
        assert skipped.extra == {"mode": "screened"} and skipped.suspect_id == "cake"
        assert screen(unrelated, index, ScreenConfig(min_ngrams=0)) is None


def test_pages_read_without_metadata_keep_the_same_text(crawl: tuple[Path, dict]) -> None:
    from unspin.config import IngestConfig

    path = str(crawl[0] / "a.warc.gz")
    shard = make_plan([path], shard_records=10_000).shards[0]
    full = [i for i in shard_items(shard, IngestConfig()) if hasattr(i, "text")]
    lean = [i for i in shard_items(shard, IngestConfig(metadata=False)) if hasattr(i, "text")]
    assert [a.text for a in lean] == [a.text for a in full] and len(full) > 10
    assert [a.url for a in lean] == [a.url for a in full]
    assert any(a.title for a in full) and not any(a.title for a in lean)


def test_progress_line_shows_rate_eta_and_derived() -> None:
    import io

    from unspin.scan import Progress
    from unspin.scan.cli import ProgressLine

    stream = io.StringIO()
    line = ProgressLine(stream)
    line(Progress(2, 10, 400, 3, 1))  # two shards done by an earlier run
    line(Progress(3, 10, 600, 5, 1))
    line.close()
    text = stream.getvalue()
    last = text.rstrip("\n").split("\r")[-1]
    assert "shard 3/10" in last and "600 pages" in last and "5 derived" in last
    assert "pages/s" in last and "ETA" in last and "ETA ?" not in last
    assert text.endswith("\n")
