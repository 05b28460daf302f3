"""``check`` never writes to the index unless asked (``--learn``), so it can run next to a build."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from unspin import Index, check
from unspin.cli import main
from unspin.tortured.learn import SUBSTITUTIONS_TABLE, record_check

from .conftest import EXAMPLES, sample_articles

SPUN = EXAMPLES / "suspects" / "spun.txt"


def _digest(directory: Path) -> dict[str, str]:
    """Every index file's checksum; SQLite's shared-memory file (the WAL's lock table, made by any
    reader) and an empty write-ahead log are not content."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.iterdir())
            if p.is_file() and not p.name.endswith("-shm")
            and not (p.name.endswith("-wal") and p.stat().st_size == 0)}


def _substitutions(directory: Path) -> int:
    db = next(p for p in directory.iterdir() if p.suffix in (".sqlite", ".db", ".sqlite3"))
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        try:
            return int(conn.execute(f"SELECT COUNT(*) FROM {SUBSTITUTIONS_TABLE}").fetchone()[0])
        except sqlite3.OperationalError:  # the table was never created
            return 0


@pytest.fixture()
def index_dir(tmp_path: Path) -> Path:
    path = tmp_path / "index"
    with Index.create(path) as index:
        index.add(sample_articles())
    return path


def test_check_leaves_the_index_untouched(index_dir: Path, capsys: pytest.CaptureFixture) -> None:
    before = _digest(index_dir)
    assert main(["check", str(SPUN), "--index", str(index_dir), "--json", "-q"]) == 0
    assert '"derived"' in capsys.readouterr().out
    assert _digest(index_dir) == before
    assert _substitutions(index_dir) == 0


def test_check_learn_records_substitutions(index_dir: Path) -> None:
    assert main(["check", str(SPUN), "--index", str(index_dir), "-q", "--learn"]) == 0
    assert _substitutions(index_dir) > 0


def test_library_records_only_when_asked(index_dir: Path) -> None:
    with Index.open(index_dir, readonly=True) as index:
        result = check(SPUN.read_text(encoding="utf-8"), index)
        assert result.derived
        assert record_check(index, result) == 0  # read-only and not asked: nothing written
    with Index.open(index_dir) as index:
        assert record_check(index, result, learn=True) > 0
