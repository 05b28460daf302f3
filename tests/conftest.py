"""Shared fixtures: a tiny real corpus (the bundled Reuters sample) and an index built from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspin import Article, Index

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def sample_articles(limit: int | None = None) -> list[Article]:
    out = []
    with open(EXAMPLES / "corpus" / "reuters-sample.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            out.append(Article(id=rec["id"], text=rec["text"], title=rec["title"]))
            if limit and len(out) >= limit:
                break
    return out


@pytest.fixture(scope="session")
def articles() -> list[Article]:
    return sample_articles()


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory: pytest.TempPathFactory, articles: list[Article]) -> Index:
    path = tmp_path_factory.mktemp("idx") / "index"
    index = Index.create(path)
    index.add(articles)
    yield index
    index.close()


@pytest.fixture(scope="session")
def truth() -> dict:
    return json.loads((EXAMPLES / "suspects" / "TRUTH.json").read_text())


def edit_manifest(index_dir: Path, key: str, value: str, *, resign: bool = True) -> None:
    """Change one manifest entry in place; ``resign`` also updates the settings checksum, as if
    the index had been built that way (without it, the edit is what a damaged index looks like)."""
    import sqlite3

    from unspin.index.integrity import SETTINGS_KEY, settings_checksum

    conn = sqlite3.connect(index_dir / "unspin.sqlite")
    conn.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))
    if resign:
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        conn.execute("UPDATE meta SET value = ? WHERE key = ?", (settings_checksum(meta), SETTINGS_KEY))
    conn.commit()
    conn.close()
