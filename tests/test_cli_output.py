"""The CLI for a working day: output files and formats, record ids, the batch summary, help
that answers, typed ``index info``, and duplicates at build time."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import pytest

from unspin.cli import build_parser, main
from unspin.cli_options import subcommands
from unspin.report.csv import CHECK_COLUMNS

from .conftest import EXAMPLES

SUSPECTS = EXAMPLES / "suspects"
CORPUS = EXAMPLES / "corpus" / "reuters-sample.jsonl"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("out") / "index"
    assert main(["index", "build", str(CORPUS), "--index", str(path), "-q"]) == 0
    return path


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSON lines file of three suspects: a spun copy, an unrelated text, and one bad record."""
    path = tmp_path_factory.mktemp("recs") / "batch.jsonl"
    spun = (SUSPECTS / "spun.txt").read_text(encoding="utf-8")
    other = (SUSPECTS / "same-subject.txt").read_text(encoding="utf-8")
    lines = [json.dumps({"id": "story-1", "text": spun}), json.dumps({"id": "story-2", "text": other}),
             json.dumps({"id": "story-3"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_output_file_holds_results_and_stderr_the_messages(
    index_dir: Path, records: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.json"
    rc = main(["check", str(records), "--index", str(index_dir), "-o", str(out), "--json",
               "--no-tortured"])
    std = capsys.readouterr()
    assert rc == 1  # the record without text is bad, the others were checked
    assert std.out == ""
    objs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [o["suspect"]["id"] for o in objs] == ["story-1", "story-2"]
    assert [o["verdict"] for o in objs] == ["derived", "not_derived"]
    assert "summary: 2 suspect(s) checked: 1 derived, 1 not derived; 1 bad" in std.err


def test_summary_json_is_the_last_line_only_when_asked(
    index_dir: Path, records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", str(records), "--index", str(index_dir), "--format", "json", "--no-tortured",
          "-q", "--summary-json"])
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and "summary" not in json.loads(lines[0])
    summary = json.loads(lines[-1])["summary"]
    assert (summary["read"], summary["derived"], summary["not_derived"], summary["bad"]) == (2, 1, 1, 1)
    assert summary["top_sources"][0]["count"] == 1
    assert isinstance(summary["top_sources"][0]["id"], str)
    main(["check", str(records), "--index", str(index_dir), "--json", "--no-tortured", "-q"])
    assert all("summary" not in json.loads(x) for x in capsys.readouterr().out.splitlines())


def test_summary_json_needs_json(index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["check", str(SUSPECTS / "spun.txt"), "--index", str(index_dir), "--summary-json"])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "--format json" in err


def test_readable_report_names_records_path_hash_id(
    index_dir: Path, records: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", str(records), str(SUSPECTS / "spun.txt"), "--index", str(index_dir), "-q"])
    out = capsys.readouterr().out
    assert f"{records}#story-1: derived" in out
    assert f"{records}#story-2: not derived" in out
    assert f"{SUSPECTS / 'spun.txt'}: derived" in out  # one file, one record: no #id


def test_csv_columns_one_row_per_suspect_and_source(
    index_dir: Path, records: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out.csv"
    main(["check", str(records), "--index", str(index_dir), "-o", str(out), "--format", "csv", "-q"])
    with open(out, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == CHECK_COLUMNS
    first = [r for r in rows if r["suspect_id"] == "story-1"]
    assert first[0]["suspect"] == f"{records}#story-1" and first[0]["rank"] == "1"
    assert first[0]["verdict"] == "derived" and float(first[0]["score"]) >= 0.5
    assert [r["rank"] for r in first] == [str(i) for i in range(1, len(first) + 1)]
    assert int(first[0]["passages"]) >= 1 and first[0]["tortured_phrases"].isdigit()
    assert {r["suspect_id"] for r in rows} == {"story-1", "story-2"}


def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    from unspin.report.csv import cell

    assert cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")" and cell("@SUM(A1)").startswith("'")
    assert cell("plain title") == "plain title"


def test_tortured_json_has_record_ids_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    feed = tmp_path / "papers.jsonl"
    feed.write_text(
        json.dumps({"id": "p1", "text": "We trained a counterfeit consciousness on big data."}) + "\n"
        + json.dumps({"id": "p2", "text": "Plain words about the weather today."}) + "\n",
        encoding="utf-8")
    assert main(["tortured", str(feed), "--json"]) == 0
    objs = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in objs] == ["p1", "p2"]
    assert objs[0]["tortured_phrases"][0]["phrase"] == "counterfeit consciousness"
    out = tmp_path / "t.csv"
    assert main(["tortured", str(feed), "--format", "csv", "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0]["id"] == "p1" and rows[0]["phrase"] == "counterfeit consciousness"
    assert main(["tortured", str(feed)]) == 0
    assert f"{feed}#p1: 1 tortured phrase(s)" in capsys.readouterr().out


def test_index_info_json_is_typed(index_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "info.json"
    assert main(["index", "info", "--index", str(index_dir), "--json", "-o", str(out)]) == 0
    info = json.loads(out.read_text(encoding="utf-8"))
    assert info["articles"] == 300 and isinstance(info["format_version"], int)
    assert isinstance(info["config"], dict) and info["config"]["word_ngram"] == 4


def test_build_summary_added_replaced_skipped_bad(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "a.jsonl"
    first.write_text("".join(json.dumps({"id": f"n{i}", "text": f"Article number {i} says the "
                                         f"harbour reopened after {i} days of repairs."}) + "\n"
                             for i in range(3)), encoding="utf-8")
    second = tmp_path / "b.jsonl"
    second.write_text(json.dumps({"id": "n0", "text": "A new text for n0, about the harbour."})
                      + "\n" + json.dumps({"id": "n9", "text": "A brand new article on fishing boats."})
                      + "\n" + "{not json\n", encoding="utf-8")
    idx = str(tmp_path / "idx")
    assert main(["index", "build", str(first), "--index", idx]) == 0
    assert "added 3, replaced 0, skipped 0, bad 0; 3 article(s) in all" in capsys.readouterr().err
    assert main(["index", "build", str(second), "--index", idx, "--on-duplicate", "skip"]) == 1
    assert "added 1, replaced 0, skipped 1, bad 1; 4 article(s) in all" in capsys.readouterr().err
    assert main(["index", "build", str(second), "--index", idx]) == 1
    assert "added 0, replaced 2, skipped 0, bad 1; 4 article(s) in all" in capsys.readouterr().err
    assert main(["index", "build", str(first), "--index", idx, "--on-duplicate", "refuse"]) == 1
    err = capsys.readouterr().err
    assert err.count("refused") == 1 and "refused 3 article(s)" in err
    assert "added 0, replaced 0, skipped 0, bad 3; 4 article(s) in all" in err


def _options(p: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in p._actions if a.option_strings and a.dest != "help"]


def test_every_command_and_option_has_help_and_an_example() -> None:
    parser = build_parser()
    commands = dict(subcommands(parser))
    assert {"index build", "index info", "check", "tortured", "learn", "restore"} <= set(commands)
    for name, cmd in commands.items():
        assert cmd.description, f"`unspin {name}` has no description"
        assert cmd.epilog and "example" in cmd.epilog, f"`unspin {name}`: add an example to EXAMPLES"
        positional = [a for a in cmd._actions
                      if not a.option_strings and not isinstance(a, argparse._SubParsersAction)]
        for action in _options(cmd) + positional:
            assert action.help, f"`unspin {name}` {action.option_strings or action.dest}: no help text"


def test_help_shows_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, shown in ((["index", "build", "--help"], "(default: 1)"),
                        (["learn", "--help"], "(default: 2)"),
                        (["check", "--help"], "(default: text)")):
        with pytest.raises(SystemExit):
            main(argv)
        assert shown in " ".join(capsys.readouterr().out.split())


def test_unwritable_output_is_one_line(index_dir: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["check", str(SUSPECTS / "spun.txt"), "--index", str(index_dir),
               "-o", str(tmp_path / "no" / "such" / "dir.json")])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "cannot write the output file" in err


def test_record_counts_for_the_progress_total(tmp_path: Path) -> None:
    from unspin.progress import count_records

    (tmp_path / "a.txt").write_text("one article", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": 1}\n{"id": 2}\n{"id": 3}', encoding="utf-8")
    (tmp_path / "README").write_text("not an input", encoding="utf-8")
    assert count_records([str(tmp_path), "https://example.com/x.html", str(tmp_path / "no.txt")]) == 6
    (tmp_path / "c.warc").write_bytes(b"")
    assert count_records([str(tmp_path)]) is None  # WARC records are not cheap to count
    assert count_records(["-"]) is None


def _run_on_a_terminal(argv: list[str]) -> str:
    """Run ``unspin argv`` with stderr on a pseudo-terminal; what it wrote there."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios
    import threading

    from .conftest import ROOT

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # rows, columns
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "unspin", *argv], stdout=subprocess.DEVNULL,
                            stderr=slave, env=env)
    os.close(slave)
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # the terminal closed with the process
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    proc.wait(timeout=300)
    reader.join(10)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_has_a_total_on_a_terminal_and_is_quiet_in_a_pipe(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    feed = tmp_path / "feed.jsonl"
    lines = CORPUS.read_text(encoding="utf-8").splitlines()[:40]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    shown = _run_on_a_terminal(["index", "build", str(feed), "--index", str(tmp_path / "t")])
    assert "/40" in shown and "article/s" in shown  # n/total and the rate
    assert "added 40, replaced 0" in shown
    assert main(["index", "build", str(feed), "--index", str(tmp_path / "p")]) == 0
    err = capsys.readouterr().err
    assert "/40" not in err and "article/s" not in err and "added 40" in err


def test_missing_index_leaves_the_output_file_alone(tmp_path: Path) -> None:
    out = tmp_path / "yesterday.json"
    out.write_text("yesterday's results\n", encoding="utf-8")
    rc = main(["check", str(SUSPECTS / "spun.txt"), "--index", str(tmp_path / "none"), "-o", str(out)])
    assert rc == 2 and out.read_text(encoding="utf-8") == "yesterday's results\n"


def test_restore_and_learn_write_to_a_file(index_dir: Path, tmp_path: Path) -> None:
    feed = tmp_path / "spun.jsonl"
    feed.write_text(json.dumps({"id": "s1", "text": "We used counterfeit consciousness."}) + "\n"
                    + json.dumps({"id": "s2", "text": "Nothing odd in this plain line."}) + "\n",
                    encoding="utf-8")
    out = tmp_path / "restored.jsonl"
    assert main(["restore", str(feed), "--json", "-o", str(out), "--list-only"]) == 0
    objs = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [o["id"] for o in objs] == ["s1", "s2"]
    assert "artificial intelligence" in objs[0]["restored"]
    learned = tmp_path / "learned.json"
    assert main(["learn", "--index", str(index_dir), "--format", "json", "-o", str(learned)]) == 0
    assert isinstance(json.loads(learned.read_text(encoding="utf-8"))["fingerprints_learned"], int)
