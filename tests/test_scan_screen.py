"""The screen's own count of shared n-grams agrees with the index's lookup, plain or sharded."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unspin import Index
from unspin.scan.screen import ScreenConfig, ScreenTable, best_ngrams, screen, screen_hashes

from .conftest import sample_articles


def _reference(text: str, index: Index, max_df: int) -> int:
    """The count as the index's general lookup gives it (postings of every kept hash)."""
    found = index.storage.lookup(screen_hashes(text, index), max_df)
    return int(np.bincount(found.rows).max()) if len(found.rows) else 0


@pytest.mark.parametrize("shards", [1, 3])
def test_screen_table_counts_as_the_index_lookup(tmp_path: Path, shards: int) -> None:
    articles = [a for a in sample_articles() if len(a.text) > 400][:30]
    with Index.create(tmp_path / "idx", shards=shards) as index:
        index.add(articles[:15])
        index.add(articles[15:25])  # a second batch: more than one posting segment
    queries = [a.text for a in articles[10:30]] + [articles[0].text[:300] + articles[20].text,
                                                   "nothing in common with any of it", ""]
    with Index.open(tmp_path / "idx", readonly=True) as index:
        table = ScreenTable(index)
        assert len(table.parts) >= 2
        for max_df in (1, 2, 5, 1000):
            for text in queries:
                assert table.best(screen_hashes(text, index), max_df) == \
                    _reference(text, index, max_df)
        copy = articles[3].text
        assert best_ngrams(copy, index, table) == best_ngrams(copy, index) > 45
        assert screen(copy, index, ScreenConfig(), table=table) is None
        assert screen(articles[27].text, index, ScreenConfig(), table=table) is not None
