"""Digests of what an index holds, to show that a faster build writes the same index.

``python -m tests.build_digest DIR`` builds an index of :func:`digest_corpus` in DIR and prints its
digests; the values in ``test_build_identity.py`` were printed this way by the build code of main
at d1f4ade (before the one-pass build), so that the test compares today's build with that one.
"""

from __future__ import annotations

import hashlib
import json
import sys
import zlib
from pathlib import Path

import numpy as np

from unspin import Article, Index

from .conftest import sample_articles

HOSTILE = [
    "Mr. Smith met Dr. Jones in the U.S. on Jan. 5. They said \u201cno.\u201d Then: 3.5% rose!",
    "\u0420\u0430ypal and \u0430pple: h\u043emoglyphs in a Latin text. Z\u200bero wid\u00adth.",
    "Caf\u00e9 na\u0131\u0308ve \ufb01nance \u2014 \u00c9tat \u00e0 \u00dcber. \u00bfQu\u00e9? \u00a1S\u00ed!",
    "...\n\n   \n!!! ??? \u201c\u201d\n\tIndented paragraph. 1,000,000 and 12:30 and 3/4.",
    "A\n\nB\n\nC. D! E? F: G \"H\" I. ALL CAPS HERE. it's o'neill-smith's well-known.",
    "\u0130stanbul \u0130\u0130 stra\u00dfe \u1e9e \u00df. Numbers 10.5.2 and word-\u2019s.",
    "",
    "!",
]


def digest_corpus() -> list[Article]:
    """The reuters sample, a few hostile texts, and one article replaced (given twice)."""
    arts = sample_articles(120)
    extra = [Article(id=f"hostile-{i}", text=t or " ") for i, t in enumerate(HOSTILE)]
    return [*arts, *extra, Article(id=arts[3].id, text=arts[3].text + " Updated.")]


def digests(path: Path) -> dict[str, str]:
    """sha256 of the articles' rows, of the postings (after compaction) and of the graph's
    stored vectors (keys and int8 rows, in key order)."""
    out: dict[str, str] = {}
    with Index.open(path, readonly=True) as index:
        h = hashlib.sha256()
        for row in index.storage.conn.execute(
                "SELECT rowid, id, title, chars, postings, crc, CAST(text AS BLOB) FROM articles "
                "ORDER BY rowid"):
            h.update(json.dumps([*row[:6], zlib.decompress(row[6]).decode("utf-8")]).encode())
        out["articles"] = h.hexdigest()
        segs = index.storage.segments()
        words = np.sort(np.concatenate([np.asarray(s) for s in segs]))
        out["postings"] = hashlib.sha256(words.tobytes()).hexdigest()
        store = index.vector_store()
        h = hashlib.sha256()
        rowids = [r for (r,) in index.storage.conn.execute("SELECT rowid FROM articles ORDER BY rowid")]
        for r in rowids:
            h.update(np.int64(r).tobytes() + np.rint(store.vectors(r)).astype(np.int8).tobytes()
                     if store is not None else b"")
        out["vectors"] = h.hexdigest()
    return out


def build(path: Path) -> None:
    with Index.create(path) as index:
        index.add(digest_corpus(), batch_size=16)


if __name__ == "__main__":
    target = Path(sys.argv[1])
    build(target)
    print(json.dumps(digests(target), indent=2))
