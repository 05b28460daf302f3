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
