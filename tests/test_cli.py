"""The CLI: a thin skin over the library. JSON schema, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from unspin.cli import build_parser, main

from .conftest import EXAMPLES, ROOT

SUSPECTS = EXAMPLES / "suspects"


def _check_schema(obj: dict) -> None:
    """The schema documented in README.md, checked field by field."""
    assert set(obj) >= {"suspect", "verdict", "confidence", "sources"}
    assert set(obj["suspect"]) - {"text"} == {"id", "path", "chars", "lang"}
    if "text" in obj["suspect"]:  # extracted text of an HTML or WARC suspect
        assert len(obj["suspect"]["text"]) == obj["suspect"]["chars"]
    assert isinstance(obj["suspect"]["id"], str) and isinstance(obj["suspect"]["path"], str)
    assert isinstance(obj["suspect"]["chars"], int)
    assert obj["verdict"] in ("derived", "not_derived")
    assert isinstance(obj["confidence"], float) and 0.0 <= obj["confidence"] <= 1.0
    scores = [s["score"] for s in obj["sources"]]
    assert scores == sorted(scores, reverse=True)
    for src in obj["sources"]:
        assert set(src) == {
            "id",
            "title",
            "score",
            "coverage_suspect",
            "coverage_source",
            "obfuscation",
            "passages",
        }
        assert isinstance(src["id"], str) and isinstance(src["title"], str)
        for key in ("score", "coverage_suspect", "coverage_source"):
            assert isinstance(src[key], float) and 0.0 <= src[key] <= 1.0
        assert isinstance(src["obfuscation"], str)
        for p in src["passages"]:
            assert set(p) == {"suspect", "source", "kind", "substitutions", "variants"}
            for side in ("suspect", "source"):
                assert len(p[side]) == 2 and all(isinstance(x, int) for x in p[side])
                assert p[side][0] < p[side][1]
            assert p["kind"] in ("identical", "minor", "spun", "paraphrase")
            for sub in p["substitutions"]:
                assert set(sub) == {"kind", "suspect", "source", "suspect_at", "source_at"}
                assert sub["kind"] in ("replaced", "inserted", "deleted", "moved")
                assert isinstance(sub["suspect"], str) and isinstance(sub["source"], str)
                assert len(sub["suspect_at"]) == 2 and len(sub["source_at"]) == 2


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "index"
    assert main(["index", "build", str(EXAMPLES / "corpus"), "--index", str(path), "-q"]) == 0
    return path


def test_check_json_schema_and_exit_zero(
    index_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = [str(SUSPECTS / n) for n in ("spun.txt", "same-subject.txt", "verbatim-partial.html")]
    assert main(["check", *paths, "--index", str(index_dir), "--json", "-q"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    objs = [json.loads(line) for line in lines]
    for obj in objs:
        _check_schema(obj)
    assert [o["suspect"]["path"] for o in objs] == paths
    assert objs[0]["verdict"] == "derived" and objs[1]["verdict"] == "not_derived"
    assert "text" not in objs[0]["suspect"] and "text" in objs[2]["suspect"]
    page = objs[2]["suspect"]["text"]
    passage = objs[2]["sources"][0]["passages"][0]["suspect"]
    assert "Lukman" in page[passage[0] : passage[1]]
    text = (SUSPECTS / "spun.txt").read_text()
    for p in objs[0]["sources"][0]["passages"]:
        for sub in p["substitutions"]:
            assert text[sub["suspect_at"][0] : sub["suspect_at"][1]] == sub["suspect"]


def test_bad_input_exit_one_keeps_good_ones(
    index_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 100)
    rc = main(
        [
            "check",
            str(empty),
            str(SUSPECTS / "spun.txt"),
            str(binary),
            "--index",
            str(index_dir),
            "--json",
        ]
    )
    out, err = capsys.readouterr()
    assert rc == 1
    assert len(out.strip().splitlines()) == 1  # the good suspect was still checked
    bad_lines = [line for line in err.splitlines() if line.startswith("unspin: skipped")]
    assert len(bad_lines) == 2
    assert any("empty.txt" in line for line in bad_lines)
    assert any("blob.txt" in line for line in bad_lines)
    assert "Traceback" not in err


def test_missing_index_is_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["check", str(SUSPECTS / "spun.txt"), "--index", str(tmp_path / "none")])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.count("\n") == 1 and "unspin index build" in err


def test_bad_option_is_usage_error() -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2


def test_refused_duplicates_are_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    idx = tmp_path / "dup"
    corpus = str(EXAMPLES / "corpus")
    assert main(["index", "build", corpus, "--index", str(idx), "-q"]) == 0
    rc = main(["index", "build", corpus, "--index", str(idx), "--on-duplicate", "refuse"])
    err = capsys.readouterr().err
    assert rc == 1 and "already in the index" in err


def test_every_command_has_help() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, cmd in sub.choices.items():
        assert cmd.description or cmd.format_help(), name
        assert cmd.format_usage()


def test_real_process_stdin_and_index_info(index_dir: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    text = (SUSPECTS / "spun.txt").read_text()
    proc = subprocess.run(
        [sys.executable, "-m", "unspin", "check", "-", "--index", str(index_dir), "--json"],
        input=text,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    obj = json.loads(proc.stdout)
    _check_schema(obj)
    assert obj["suspect"]["path"] == "-" and obj["verdict"] == "derived"
    info = subprocess.run(
        [sys.executable, "-m", "unspin", "index", "info", "--index", str(index_dir), "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert json.loads(info.stdout)["articles"] == 300


def test_jsonl_field_names_by_option(tmp_path: Path) -> None:
    data = tmp_path / "feed.jsonl"
    data.write_text(json.dumps({"doc": "x1", "body": "The central bank raised rates by half a "
                                "point on Tuesday, citing inflation.", "headline": "Rates up",
                                "link": "https://example.org/x1"}) + "\n")
    idx = tmp_path / "i"
    assert main(["index", "build", str(data), "--index", str(idx), "-q", "--id-field", "doc",
                 "--text-field", "body", "--title-field", "headline", "--url-field", "link"]) == 0
    from unspin import Index

    with Index.open(idx) as index:
        art = index.get("x1")
        assert art is not None and art.title == "Rates up" and art.url == "https://example.org/x1"
