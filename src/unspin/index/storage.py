"""Storage behind a small interface; the embedded default is one SQLite file.

Tables: ``meta`` (the manifest), ``articles`` (the text as given and its metadata) and
``postings`` (fingerprint -> article). Each batch of articles is written in one transaction, so an
interrupted build leaves whole articles only.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from ..article import Article

DB_NAME = "unspin.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    metadata TEXT NOT NULL DEFAULT '{}',
    text TEXT NOT NULL,
    chars INTEGER NOT NULL,
    fingerprints BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS postings (
    hash INTEGER NOT NULL,
    article INTEGER NOT NULL,
    PRIMARY KEY (hash, article)
) WITHOUT ROWID;
"""


class Storage(Protocol):
    """What the index needs from a store."""

    def get_meta(self) -> dict[str, str]: ...

    def set_meta(self, values: dict[str, str]) -> None: ...

    def write_batch(
        self, batch: Sequence[tuple[Article, np.ndarray]], *, replace: bool
    ) -> tuple[int, list[str]]: ...

    def lookup(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]: ...

    def get(self, rowid: int) -> Article | None: ...

    def rowid_of(self, article_id: str) -> int | None: ...

    def count(self) -> int: ...

    def close(self) -> None: ...


class SQLiteStorage:
    """The default store: ``<index dir>/unspin.sqlite`` in WAL mode."""

    def __init__(self, directory: Path, *, create: bool) -> None:
        self.path = directory / DB_NAME
        if create:
            directory.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.conn.execute("PRAGMA cache_size=-200000")
        if create:
            self.conn.executescript(_SCHEMA)

    # -- manifest ---------------------------------------------------------------------------
    def get_meta(self) -> dict[str, str]:
        try:
            rows = self.conn.execute("SELECT key, value FROM meta").fetchall()
        except sqlite3.DatabaseError:
            return {}
        return dict(rows)

    def set_meta(self, values: dict[str, str]) -> None:
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", values.items())

    # -- writing ----------------------------------------------------------------------------
    def write_batch(
        self, batch: Sequence[tuple[Article, np.ndarray]], *, replace: bool
    ) -> tuple[int, list[str]]:
        """Write articles and postings in one transaction: (written, ids refused as duplicates)."""
        cur = self.conn.cursor()
        written = 0
        refused: list[str] = []
        cur.execute("BEGIN IMMEDIATE")
        try:
            for article, hashes in batch:
                old = cur.execute(
                    "SELECT rowid, fingerprints FROM articles WHERE id = ?", (article.id,)
                ).fetchone()
                if old is not None:
                    if not replace:
                        refused.append(article.id)
                        continue
                    old_hashes = np.frombuffer(old[1], dtype=np.int64)
                    cur.executemany(
                        "DELETE FROM postings WHERE hash = ? AND article = ?",
                        ((int(h), old[0]) for h in old_hashes),
                    )
                    cur.execute("DELETE FROM articles WHERE rowid = ?", (old[0],))
                signed = hashes.astype(np.int64)
                cur.execute(
                    "INSERT INTO articles(id, title, url, published, source, metadata, text, chars,"
                    " fingerprints) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.id, article.title, article.url, article.published, article.source,
                        json.dumps(article.metadata, ensure_ascii=False, default=str),
                        article.text, len(article.text), signed.tobytes(),
                    ),
                )
                rowid = cur.lastrowid
                cur.executemany(
                    "INSERT OR IGNORE INTO postings(hash, article) VALUES (?, ?)",
                    ((h, rowid) for h in signed.tolist()),
                )
                written += 1
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        return written, refused

    # -- reading ----------------------------------------------------------------------------
    def lookup(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """All (hash, article rowid) postings for the given hashes."""
        if len(hashes) == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        values = hashes.astype(np.int64).tolist()
        out_h: list[int] = []
        out_a: list[int] = []
        for start in range(0, len(values), 30000):
            chunk = values[start : start + 30000]
            marks = ",".join("?" * len(chunk))
            for h, a in self.conn.execute(
                f"SELECT hash, article FROM postings WHERE hash IN ({marks})", chunk
            ):
                out_h.append(h)
                out_a.append(a)
        return np.array(out_h, dtype=np.int64), np.array(out_a, dtype=np.int64)

    def _row_to_article(self, row: Sequence[Any]) -> Article:
        return Article(
            id=row[0], title=row[1], url=row[2], published=row[3], source=row[4],
            metadata=json.loads(row[5]), text=row[6],
        )

    def get(self, rowid: int) -> Article | None:
        row = self.conn.execute(
            "SELECT id, title, url, published, source, metadata, text FROM articles WHERE rowid = ?",
            (rowid,),
        ).fetchone()
        return None if row is None else self._row_to_article(row)

    def get_by_id(self, article_id: str) -> Article | None:
        row = self.conn.execute(
            "SELECT id, title, url, published, source, metadata, text FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        return None if row is None else self._row_to_article(row)

    def rowid_of(self, article_id: str) -> int | None:
        row = self.conn.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else int(row[0])

    def ids(self) -> Iterator[str]:
        for (aid,) in self.conn.execute("SELECT id FROM articles ORDER BY rowid"):
            yield aid

    def iter_articles(self) -> Iterable[Article]:
        for row in self.conn.execute(
            "SELECT id, title, url, published, source, metadata, text FROM articles ORDER BY rowid"
        ):
            yield self._row_to_article(row)

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def close(self) -> None:
        self.conn.close()


__all__ = ["Storage", "SQLiteStorage", "DB_NAME"]
