"""Hostile input: nothing an input holds reaches the terminal raw; bad entries are skipped one by
one, with capped, CLI-worded messages; nothing is created from nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from unspin import Article, Index, IndexConfig, check
from unspin.cli import main
from unspin.errors import UsageError
from unspin.ingest import read_inputs
from unspin.messages import CappedMessages, cli_words

from .conftest import sample_articles

ESC = "\x1b[2J"
SOURCE = sample_articles(1)[0]


@pytest.fixture(scope="module")
def evil_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index whose one article has an escape sequence in its id, title and body."""
    path = tmp_path_factory.mktemp("evil") / "index"
    body = SOURCE.text.replace(". ", f". {ESC}", 1)
    with Index.create(path, config=IndexConfig(semantic="off")) as index:
        index.add([Article(id=f"src{ESC}", text=body, title=f"T{ESC}"), *sample_articles(8)[1:]])
    return path


def _no_raw_escape(*texts: str) -> None:
    for text in texts:
        assert "\x1b" not in text and "\x9b" not in text, text


def test_check_output_shows_escapes_in_ids_names_and_bodies(
    evil_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suspect = tmp_path / f"sus{ESC}.txt"
    suspect.write_text(SOURCE.text.replace(" ", f" {ESC}", 2), encoding="utf-8")
    rc = main(["check", str(suspect), "--index", str(evil_index), "--no-learn"])
    out, err = capsys.readouterr()
    assert rc == 0, err
    _no_raw_escape(out, err)
    assert "src\\x1b[2J" in out  # the source's id, shown visibly
    assert "sus\\x1b[2J.txt" in out  # the file name
    assert "\\x1b[2J" in out.split("suspect:", 1)[1]  # the excerpt of the body


def test_json_output_escapes_controls_and_keeps_the_text(
    evil_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    suspect = tmp_path / "s.jsonl"
    text = SOURCE.text + " \x9b31m \u202eevil"
    sid = f"id{ESC}\x9b\u202e"
    suspect.write_text(json.dumps({"id": sid, "text": text}) + "\n", encoding="utf-8")
    rc = main(["check", str(suspect), "--index", str(evil_index), "--json", "--no-learn"])
    out = capsys.readouterr().out
    assert rc == 0
    _no_raw_escape(out)
    assert "\u202e" not in out
    obj = json.loads(out)
    assert obj["suspect"]["id"] == sid
    assert obj["sources"][0]["id"] == f"src{ESC}"


def test_bad_record_messages_and_tortured_and_restore_are_sanitised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / f"bad{ESC}.jsonl"
    bad.write_text(f'{{"id": "x{ESC}"\n', encoding="utf-8")
    spun = tmp_path / f"spun{ESC}.txt"
    spun.write_text(f"We used {ESC}counterfeit consciousness{ESC} on colossal information.\n",
                    encoding="utf-8")
    for command in (["tortured"], ["restore"], ["tortured", "--json"], ["restore", "--json"]):
        rc = main([*command, str(bad), str(spun)])
        out, err = capsys.readouterr()
        assert rc == 1
        _no_raw_escape(out, err)
        assert "bad\\x1b[2J.jsonl" in err
        if "--json" not in command:
            assert "spun\\x1b[2J.txt" in out
    capsys.readouterr()
    main(["tortured", str(spun)])
    assert "\\x1b[2Jcounterfeit consciousness\\x1b[2J on [[colossal information]]" in (
        capsys.readouterr().out)  # the context, escaped
    main(["restore", str(spun)])
    out = capsys.readouterr().out
    _no_raw_escape(out)
    # the diff, escaped (the language model may also suggest a word for "consciousness")
    assert "+We used \\x1b[2Jcounterfeit " in out and "\\x1b[2J on big data." in out


def test_index_build_messages_and_info_are_sanitised(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / f"c{ESC}"
    corpus.mkdir()
    (corpus / f"a{ESC}.txt").write_text(SOURCE.text, encoding="utf-8")
    (corpus / f"b{ESC}.txt").write_bytes(b"\x00\xff" * 50)
    idx = tmp_path / f"i{ESC}"
    rc = main(["index", "build", str(corpus), "--index", str(idx), "--semantic", "off"])
    out, err = capsys.readouterr()
    assert rc == 1
    _no_raw_escape(out, err)
    assert "b\\x1b[2J.txt" in err
    assert main(["index", "info", "--index", str(idx)]) == 0
    _no_raw_escape(*capsys.readouterr())


def test_ten_thousand_bad_lines_print_a_capped_list_and_a_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n" * 10_000 + json.dumps({"id": "ok", "text": SOURCE.text}) + "\n")
    rc = main(["index", "build", str(bad), "--index", str(tmp_path / "i"), "--semantic", "off"])
    err = capsys.readouterr().err.splitlines()
    assert rc == 1
    assert len(err) <= 15
    assert f"unspin: ... and 9,990 more bad lines in {bad}" in err
    assert sum(line.startswith("unspin: skipped") for line in err) == 10
    with Index.open(tmp_path / "i") as index:
        assert len(index) == 1  # the good line is still indexed


def test_capped_messages_count_per_input() -> None:
    from unspin.article import BadRecord

    lines: list[str] = []
    capped = CappedMessages(lines.append, limit=2)
    for i in range(5):
        capped(BadRecord("a.jsonl", f"line {i}", "invalid JSON"))
    for i in range(3):
        capped(BadRecord("b.warc", f"record {i}", "no text"))
    capped.flush()
    assert lines[2] == "unspin: ... and 3 more bad lines in a.jsonl"
    assert lines[-1] == "unspin: ... and 1 more bad records in b.warc"
    assert len(lines) == 6


def test_empty_directory_says_so_and_exits_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("not an article")
    rc = main(["index", "build", str(empty), "--index", str(tmp_path / "i")])
    err = capsys.readouterr().err
    assert rc == 1
    assert "holds no supported file" in err
    assert not (tmp_path / "i").exists()


def test_missing_input_creates_no_index(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = main(["index", "build", str(tmp_path / "nope.jsonl"), "--index", str(tmp_path / "i")])
    err = capsys.readouterr().err
    assert rc == 1
    assert "no such file" in err and "was not created" in err
    assert not (tmp_path / "i").exists()


def test_messages_speak_the_cli_language(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.txt"
    big.write_text("word " * 400)
    rc = main(["index", "build", str(big), "--index", str(tmp_path / "i"), "--max-bytes", "100"])
    err = capsys.readouterr().err
    assert rc == 1
    assert "--max-bytes" in err and "IngestConfig" not in err
    assert main(["check", str(big), "--index", str(tmp_path / "i"), "--candidates", "0"]) == 2
    err = capsys.readouterr().err
    assert "--candidates" in err and "Traceback" not in err
    assert cli_words("raise IngestConfig.max_bytes") == "raise --max-bytes"


def test_library_check_takes_an_index_path(evil_index: Path) -> None:
    by_path = check(SOURCE.text, str(evil_index))
    with Index.open(evil_index, readonly=True) as index:
        assert by_path == check(SOURCE.text, index)
    assert check(SOURCE.text, evil_index).derived
    with pytest.raises(UsageError, match="Index or an index directory"):
        check(SOURCE.text, 42)  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="as a str"):
        check(b"bytes", evil_index)  # type: ignore[arg-type]


# -- the corpus walker -------------------------------------------------------------------------
def _good_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"Article {name}: " + SOURCE.text[:300], encoding="utf-8")
    return folder


def _read(folder: Path) -> tuple[list[str], list[str]]:
    bad: list[str] = []
    ids = [a.id for a in read_inputs([folder], on_bad=lambda b: bad.append(str(b)))]
    return ids, bad


def test_symlink_loop_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    folder = _good_folder(tmp_path)
    os.symlink(folder / "loop2.txt", folder / "loop1.txt")
    os.symlink(folder / "loop1.txt", folder / "loop2.txt")
    ids, bad = _read(folder)
    assert ids == ["a.txt", "b.txt", "c.txt"]
    assert len(bad) == 2 and all("symbolic link loop" in b for b in bad)


def test_dangling_link_and_pipe_are_skipped_with_their_reason(tmp_path: Path) -> None:
    folder = _good_folder(tmp_path)
    os.symlink(folder / "gone.txt", folder / "dangling.txt")
    os.mkfifo(folder / "pipe.txt")
    ids, bad = _read(folder)
    assert ids == ["a.txt", "b.txt", "c.txt"]
    assert any("dangling link" in b for b in bad)
    assert any("not a regular file" in b for b in bad)


def test_unreadable_file_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _good_folder(tmp_path)
    real_access = os.access  # tests run as root, who may read anything: deny b.txt by hand
    monkeypatch.setattr(os, "access", lambda p, mode: not str(p).endswith("b.txt")
                        and real_access(p, mode))
    ids, bad = _read(folder)
    assert ids == ["a.txt", "c.txt"] and "permission denied" in bad[0]


# -- bounds ------------------------------------------------------------------------------------
def test_suspect_over_the_limit_is_skipped_with_the_option_named(
    evil_index: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = tmp_path / "long.txt"
    long.write_text(SOURCE.text * 3, encoding="utf-8")
    short = tmp_path / "short.txt"
    short.write_text(SOURCE.text, encoding="utf-8")
    limit = str(len(SOURCE.text) + 10)
    for command in (["check", "--index", str(evil_index), "--no-learn", "--json"],
                    ["tortured", "--json"], ["restore", "--json"]):
        rc = main([*command, str(long), str(short), "--max-suspect-chars", limit])
        out, err = capsys.readouterr()
        assert rc == 1, command
        assert len(out.strip().splitlines()) == 1  # the short one was still done
        assert "long.txt" in err and "--max-suspect-chars" in err and "Traceback" not in err
    from unspin.config import CheckConfig
    from unspin.errors import BadInputError

    with pytest.raises(BadInputError, match="max_suspect_chars"):
        check(SOURCE.text * 3, evil_index, config=CheckConfig(max_suspect_chars=len(SOURCE.text)))


def test_truncated_articles_are_reported_by_build_and_info(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Index.create(tmp_path / "lib", config=IndexConfig(semantic="off", max_chars=500)) as index:
        report = index.add([SOURCE, Article(id="short", text=SOURCE.text[:400])])
        assert report.truncated == [SOURCE.id] and index.truncated() == 1
    long = tmp_path / "long.txt"
    long.write_text((SOURCE.text + "\n\n") * (200_000 // len(SOURCE.text) + 1), encoding="utf-8")
    idx = str(tmp_path / "i")
    assert main(["index", "build", str(long), "--index", idx, "--semantic", "off"]) == 0
    err = capsys.readouterr().err
    assert "1 article(s) longer than 200,000 characters" in err and "first: long" in err
    assert main(["index", "info", "--index", idx, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["articles_truncated"] == 1


def test_an_article_without_words_is_indexed_and_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Found by the property suite: a text of punctuation alone has no fingerprints, and a batch
    of such articles made `index build` fail on an empty segment."""
    bang = tmp_path / "bang.txt"
    bang.write_text("!", encoding="utf-8")
    idx = str(tmp_path / "i")
    assert main(["index", "build", str(bang), "--index", idx, "--semantic", "off"]) == 0
    assert main(["check", str(bang), "--index", idx, "--no-learn", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "not_derived"
