"""Storage behind a small interface; the embedded default is an SQLite file plus segment files.

``unspin.sqlite`` holds the manifest (``meta``), the articles as given (texts zlib-compressed) with
how many fingerprints each has, and the list of posting segments (the only copy of the
fingerprints: a repair computes them again from the texts). A segment (``seg-*.npy``) is an immutable,
sorted 1-D uint64 array of n postings, 8 bytes each: a fingerprint's 40-bit key (its kind in 3
bits, 37 bits of its hash: ``posting_key``) above the 24-bit rowid of an article holding it.
Memory-mapped for search: the postings of a key are one run, found by two binary searches on the
packed words themselves, not a B-tree walk per fingerprint. Each batch of articles writes its segment file first and then commits
the articles and the segment's registration in one SQLite transaction, so an interrupted build
leaves whole articles only (an unregistered segment file is ignored and later removed).
``compact()`` merges the segments into one, range of fingerprints by range (a k-way merge over the
memory-mapped segments, never all postings in memory), and drops postings of replaced articles
(rowids are never reused: ``AUTOINCREMENT``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol
from urllib.parse import quote

import numpy as np

from ..article import Article
from ..checksum import sha256_of
from ..errors import UsageError
from .integrity import HashingWriter, Problem, damaged, file_size, text_crc

DB_NAME = "unspin.sqlite"

Fingerprinter = Callable[[str], np.ndarray]  # an article's text -> its fingerprints

STALE_VECTORS = "stale_vectors"  # replaced articles' rowids, for the vector store
_COLUMNS = "id, title, url, published, source, metadata, CAST(text AS BLOB), crc"
ROWID_BITS = 24  # a posting's low bits: the article's rowid
MAX_ROWID = 2**ROWID_BITS - 1  # rowids are never reused: a shard holds at most this many writes
KEY_BITS = 64 - ROWID_BITS
_HASH_BITS = 56  # fingerprint.KIND_BITS: a fingerprint's kind is in its top byte
_KIND_SHIFT = KEY_BITS - 3  # kinds 1-4 take 3 bits of the key, the hash the other 37
MERGE_CHUNK = 1 << 20  # postings per range of a streaming merge (about 8 MB)


def pack_text(text: str) -> bytes:
    """An article's text as stored: UTF-8, zlib-compressed (a third of its size for news)."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 6)


def unpack_text(blob: bytes | str) -> str | None:
    """The stored text, or None when the bytes are not a compressed text (a damaged page)."""
    if isinstance(blob, str):
        return None
    try:
        return zlib.decompress(blob).decode("utf-8", "surrogatepass")
    except (zlib.error, UnicodeDecodeError):
        return None


def _text_ok(blob: bytes | str, crc: int) -> bool:
    text = unpack_text(blob)
    return text is not None and text_crc(text) == crc


def posting_key(hashes: np.ndarray) -> np.ndarray:
    """The 40-bit keys of fingerprints (uint64): the kind's 3 bits above the hash's top 37."""
    h = np.asarray(hashes).astype(np.int64).view(np.uint64)
    kind = h >> np.uint64(_HASH_BITS)
    top = (h & np.uint64((1 << _HASH_BITS) - 1)) >> np.uint64(_HASH_BITS - _KIND_SHIFT)
    return (kind << np.uint64(_KIND_SHIFT)) | top


def pack_postings(keys: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Postings as sorted uint64 words: key above rowid."""
    words = (keys.astype(np.uint64) << np.uint64(ROWID_BITS)) | rows.astype(np.uint64)
    return np.sort(words)


def merge_bounds(segs: Sequence[np.ndarray]) -> list[int | None]:
    """Upper bounds of the ranges a streaming merge takes in turn (None: to the end): weighted
    quantiles of a sample of every segment (the middle of each run of 64 postings stands for
    them), so that a range holds about ``MERGE_CHUNK`` postings however many small segments a
    build wrote."""
    step = max(1, min(64, MERGE_CHUNK // (4 * max(len(segs), 1))))  # error < a quarter chunk
    values, weights = [], []
    for seg in segs:
        n = len(seg)
        at = np.arange(min(step // 2, n - 1), n, step) if n else np.zeros(0, dtype=np.int64)
        values.append(np.asarray(seg[at]))
        weights.append(np.diff(np.append(at - at[0] if len(at) else at, n)))
    value = np.concatenate(values)
    order = np.argsort(value, kind="stable")
    mass = np.cumsum(np.concatenate(weights)[order])
    picks = np.searchsorted(mass, np.arange(MERGE_CHUNK, int(mass[-1]) if len(mass) else 0,
                                            MERGE_CHUNK))
    cuts = np.unique(value[order][picks])
    return [*cuts.tolist(), None]


def segment_parts(seg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A segment's sorted posting keys (``posting_key``) and their rowids (copies)."""
    return (seg >> np.uint64(ROWID_BITS)).astype(np.int64), (
        seg & np.uint64(MAX_ROWID)).astype(np.int64)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    published TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    metadata TEXT NOT NULL DEFAULT '{}',
    text BLOB NOT NULL,  -- zlib-compressed UTF-8
    chars INTEGER NOT NULL,
    postings INTEGER NOT NULL,  -- its distinct fingerprints, all in the segments
    crc INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS segments (
    name TEXT PRIMARY KEY,
    postings INTEGER NOT NULL,
    max_rowid INTEGER NOT NULL,
    bytes INTEGER NOT NULL DEFAULT 0,
    sha256 TEXT NOT NULL DEFAULT ''
);
"""




def first_line(rows: list[str]) -> str:
    """The first problem SQLite's integrity or quick check reports, and how many more."""
    lines = [x for r in rows for x in str(r).splitlines() if x and not x.startswith("***")]
    more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
    return (lines[0] if lines else "unknown problem") + more


class Postings(NamedTuple):
    """Postings of a set of hashes: ``rows[i]`` is an article holding hash ``hashes[which[i]]``."""

    hashes: np.ndarray  # the distinct hashes asked for, sorted
    df: np.ndarray  # in how many articles each occurs
    rows: np.ndarray
    which: np.ndarray


class Storage(Protocol):
    """What the index needs from a store."""

    def get_meta(self) -> dict[str, str]: ...

    def set_meta(self, values: dict[str, str]) -> None: ...

    def write_batch(
        self, batch: Sequence[tuple[Article, np.ndarray] | tuple[Article, np.ndarray, Any]], *,
        replace: bool, placed: list[tuple[int, int]] | None = None,
    ) -> tuple[int, list[str]]: ...

    def lookup(self, hashes: np.ndarray, max_df: int | None = None) -> Postings: ...

    def get(self, rowid: int) -> Article | None: ...

    def rowid_of(self, article_id: str) -> int | None: ...

    def count_longer_than(self, chars: int) -> int: ...

    def count(self) -> int: ...

    def stale_vector_rows(self) -> list[int]: ...

    def clear_stale_vector_rows(self, rows: Sequence[int]) -> None: ...

    def close(self) -> None: ...


class SQLiteStorage:
    """The default store: ``<index dir>/unspin.sqlite`` in WAL mode."""

    def __init__(self, directory: Path, *, create: bool, readonly: bool = False) -> None:
        self.path = directory / DB_NAME
        self.readonly = readonly and not create
        if create:
            directory.mkdir(parents=True, exist_ok=True)
        if self.readonly:  # never writes; reads next to a running build (WAL)
            uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
            self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            if self.readonly:
                self.conn.execute("PRAGMA query_only=1")
            else:
                self.conn.execute("PRAGMA journal_mode=WAL")
                self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute("PRAGMA cache_size=-200000")
            if create:
                self.conn.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise damaged(directory, f"its SQLite file cannot be read ({exc})", "rebuild") from None
        self.directory = directory
        self._segments: dict[str, np.ndarray] = {}

    # -- manifest ---------------------------------------------------------------------------
    def get_meta(self) -> dict[str, str]:
        """The manifest, or {} when the file is not an unspin index (or is damaged)."""
        try:
            rows = self.conn.execute("SELECT key, value FROM meta").fetchall()
            tables = {n for (n,) in self.conn.execute("SELECT name FROM sqlite_master")}
        except sqlite3.DatabaseError:
            return {}
        if not {"articles", "segments"} <= tables:  # another format: keep only its version
            rows = [(k, v) for k, v in rows if k == "format_version"]
        return dict(rows)

    def set_meta(self, values: dict[str, str]) -> None:
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", values.items())

    # -- writing ----------------------------------------------------------------------------
    def write_batch(
        self, batch: Sequence[tuple[Article, np.ndarray] | tuple[Article, np.ndarray, Any]], *,
        replace: bool, placed: list[tuple[int, int]] | None = None,
    ) -> tuple[int, list[str]]:
        """Write articles and postings in one transaction: (written, ids refused as duplicates).
        ``placed`` gets (position in the batch, rowid) of each article written, once committed.
        An item may carry more after its fingerprints (``pipeline.Fingerprinted``)."""
        cur = self.conn.cursor()
        written = 0
        refused: list[str] = []
        new_hashes: list[np.ndarray] = []
        new_rows: list[np.ndarray] = []
        rowids: list[tuple[int, int]] = []
        cur.execute("BEGIN IMMEDIATE")
        try:
            for pos, (article, hashes, *_) in enumerate(batch):
                old = cur.execute("SELECT rowid FROM articles WHERE id = ?", (article.id,)).fetchone()
                if old is not None:
                    if not replace:
                        refused.append(article.id)
                        continue
                    # its postings stay in their segment until compact(); lookups skip them
                    cur.execute("DELETE FROM articles WHERE rowid = ?", (old[0],))
                    # and its sentence vectors until the next vector sync (the rowid may be reused)
                    cur.execute(f"CREATE TABLE IF NOT EXISTS {STALE_VECTORS} (rowid INTEGER PRIMARY KEY)")
                    cur.execute(f"INSERT OR IGNORE INTO {STALE_VECTORS} VALUES (?)", (old[0],))
                keys = np.unique(posting_key(hashes))
                cur.execute(
                    "INSERT INTO articles(id, title, url, published, source, metadata, text, chars,"
                    " postings, crc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article.id, article.title, article.url, article.published, article.source,
                        json.dumps(article.metadata, ensure_ascii=False, default=str),
                        pack_text(article.text), len(article.text), len(keys),
                        text_crc(article.text),
                    ),
                )
                if (cur.lastrowid or 0) > MAX_ROWID:
                    raise UsageError(f"{self.directory}: more than {MAX_ROWID:,} articles were ever "
                                     "written to this index; split it into shards (--shards)")
                new_hashes.append(keys)
                new_rows.append(np.full(len(keys), cur.lastrowid, dtype=np.uint64))
                rowids.append((pos, int(cur.lastrowid or 0)))
                written += 1
            h = np.concatenate(new_hashes) if new_hashes else np.zeros(0, dtype=np.uint64)
            if len(h):  # articles too short for any fingerprint ("!") need no segment
                r = np.concatenate(new_rows)
                self._register(cur, self._write_segment(h, r), len(h), int(r.max()))
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        if placed is not None:
            placed.extend(rowids)
        return written, refused

    def stale_vector_rows(self) -> list[int]:
        """Rowids of replaced articles whose sentence vectors are still to be removed."""
        try:
            return [r for (r,) in self.conn.execute(f"SELECT rowid FROM {STALE_VECTORS}")]
        except sqlite3.OperationalError:  # nothing was ever replaced
            return []

    def clear_stale_vector_rows(self, rows: Sequence[int]) -> None:
        if rows:
            with self.conn:
                self.conn.execute("BEGIN")
                self.conn.executemany(f"DELETE FROM {STALE_VECTORS} WHERE rowid = ?",
                                      [(r,) for r in rows])

    def _write_segment(self, keys: np.ndarray, rows: np.ndarray) -> tuple[str, int, str]:
        """Write a sorted segment file of postings (``posting_key`` keys, rowids) atomically
        (temp file, fsync, rename). Returns its name, size and sha256, which its registration
        records."""
        words = pack_postings(keys, rows)
        name = f"seg-{uuid.uuid4().hex[:16]}.npy"
        tmp = self.directory / (name + ".tmp")
        with open(tmp, "wb") as fh:
            out = HashingWriter(fh)
            np.save(out, words, allow_pickle=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self.directory / name)
        return name, out.size, out.hexdigest()

    def _merge(self, segs: Sequence[np.ndarray], live: np.ndarray | None) -> tuple[
            tuple[str, int, str], int, int] | None:
        """Merge sorted segments into one new segment file, streaming: range of postings by range,
        the ranges cut at quantiles of all segments' postings, so only about ``MERGE_CHUNK``
        postings are ever in memory. Postings whose rowid is not ``live`` are
        dropped. Returns (name, size, sha256), postings, max rowid; None when nothing is left."""
        parts = [seg for seg in segs if len(seg)]
        if not parts:
            return None
        bounds = merge_bounds(parts)
        name = f"seg-{uuid.uuid4().hex[:16]}.npy"
        w_tmp = self.directory / f"{name}.w.tmp"
        total, top = 0, 0
        mask = np.uint64(MAX_ROWID)
        try:
            with open(w_tmp, "wb") as wf:
                lo: int | None = None
                for hi in bounds:
                    ws = []
                    for seg in parts:
                        a = 0 if lo is None else int(np.searchsorted(seg, np.uint64(lo), "left"))
                        b = len(seg) if hi is None else int(np.searchsorted(seg, np.uint64(hi),
                                                                             "left"))
                        ws.append(np.asarray(seg[a:b]))
                    ww = np.concatenate(ws)
                    rr = (ww & mask).astype(np.int64)
                    if live is not None:
                        keep = live[np.minimum(rr, len(live) - 1)] & (rr < len(live))
                        ww, rr = ww[keep], rr[keep]
                    wf.write(np.sort(ww).tobytes())
                    total += len(ww)
                    top = max(top, int(rr.max())) if len(rr) else top
                    lo = hi
            if total == 0:
                return None
            tmp = self.directory / (name + ".tmp")
            with open(tmp, "wb") as fh:
                out = HashingWriter(fh)
                np.lib.format.write_array_header_1_0(
                    out, {"descr": "<u8", "fortran_order": False, "shape": (total,)})
                with open(w_tmp, "rb") as fin:
                    while block := fin.read(1 << 22):
                        out.write(block)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.directory / name)
        finally:
            w_tmp.unlink(missing_ok=True)
        return (name, out.size, out.hexdigest()), total, top

    @staticmethod
    def _register(cur: sqlite3.Cursor, written: tuple[str, int, str], postings: int,
                  max_rowid: int) -> None:
        name, size, sha = written
        cur.execute(
            "INSERT INTO segments(name, postings, max_rowid, bytes, sha256) VALUES (?, ?, ?, ?, ?)",
            (name, postings, max_rowid, size, sha),
        )

    def compact(self, *, max_segments: int = 8, force: bool = False,
                fingerprint: Fingerprinter | None = None) -> None:
        """Merge the segments into one when there are too many or some hold replaced articles.

        Runs under SQLite's write lock, which every writer holds while it writes its segment, so
        segment files that no transaction registered (left by an interrupted build) are removed.
        ``force`` rewrites the segments whatever their state from the articles' texts, which
        ``fingerprint`` turns into their fingerprints (the repair of a damaged segment file).
        """
        if force and fingerprint is None:
            raise UsageError("compact(force=True) needs the index's fingerprint function")
        cur = self.conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        replaced: list[str] = []
        try:
            names = [n for (n,) in cur.execute("SELECT name FROM segments")]
            for path in self.directory.glob("seg-*.npy*"):  # orphans of interrupted writers
                if path.name not in names:
                    path.unlink(missing_ok=True)
            if force or len(names) > max_segments or self._has_stale():
                merged = self._rewrite_from_articles(cur, fingerprint) if force else self._merge(
                    [self._load_segment(n) for n in names], self._live(cur))
                cur.execute("DELETE FROM segments")
                replaced = names
                if merged is not None:
                    self._register(cur, merged[0], merged[1], merged[2])
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        self._segments.clear()
        for name in replaced:  # open memory maps of these stay valid until closed
            (self.directory / name).unlink(missing_ok=True)

    @staticmethod
    def _live(cur: sqlite3.Cursor) -> np.ndarray:
        """A flag per rowid: whether an article holds it now."""
        rows = np.fromiter((r for (r,) in cur.execute("SELECT rowid FROM articles")), dtype=np.int64)
        live = np.zeros(int(rows.max()) + 1 if len(rows) else 1, dtype=bool)
        live[rows] = True
        return live

    def _rewrite_from_articles(self, cur: sqlite3.Cursor, fingerprint: Fingerprinter | None
                               ) -> tuple[tuple[str, int, str], int, int] | None:
        """Segments written again from the articles' texts, batch by batch, then merged."""
        assert fingerprint is not None
        written: list[str] = []
        try:
            hashes: list[np.ndarray] = []
            rows: list[np.ndarray] = []
            pending = 0
            for rowid, blob in cur.execute("SELECT rowid, CAST(text AS BLOB) FROM articles"):
                fp = np.unique(posting_key(fingerprint(unpack_text(blob) or "")))
                hashes.append(fp)
                rows.append(np.full(len(fp), rowid, dtype=np.uint64))
                pending += len(fp)
                if pending >= MERGE_CHUNK:
                    written.append(self._write_segment(np.concatenate(hashes),
                                                       np.concatenate(rows))[0])
                    hashes, rows, pending = [], [], 0
            if pending:
                written.append(self._write_segment(np.concatenate(hashes), np.concatenate(rows))[0])
            return self._merge([self._load_segment(n) for n in written], None)
        finally:
            for name in written:
                (self.directory / name).unlink(missing_ok=True)

    def _has_stale(self) -> bool:
        registered = self.conn.execute("SELECT COALESCE(SUM(postings), 0) FROM segments").fetchone()[0]
        live = self.conn.execute("SELECT COALESCE(SUM(postings), 0) FROM articles").fetchone()[0]
        return int(registered) != int(live)

    def segments(self) -> list[np.ndarray]:
        names = [n for (n,) in self.conn.execute("SELECT name FROM segments ORDER BY rowid")]
        for name in list(self._segments):
            if name not in names:
                del self._segments[name]
        out = []
        for name in names:
            seg = self._segments.get(name)
            if seg is None:
                seg = self._load_segment(name)
                self._segments[name] = seg
            out.append(seg)
        return out

    def _load_segment(self, name: str) -> np.ndarray:
        path = self.directory / name
        try:
            seg = np.load(path, mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise damaged(self.directory, f"posting segment {name} cannot be read ({exc})",
                          "repair") from None
        if seg.ndim != 1 or seg.dtype != np.uint64:
            raise damaged(self.directory, f"posting segment {name} has the wrong shape", "repair")
        return seg

    def quick_check(self) -> Problem | None:
        """SQLite's ``quick_check``: the structure of every page, without the index contents."""
        try:
            rows = [r for (r,) in self.conn.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            rows = [str(exc)]
        return None if rows == ["ok"] else Problem(f"SQLite quick_check failed: {first_line(rows)}",
                                                   "rebuild")

    def registered_segments(self) -> list[tuple[str, int, int, str]]:
        """(name, postings, bytes, sha256) of every registered segment."""
        return [(str(n), int(p), int(b), str(h)) for n, p, b, h in self.conn.execute(
            "SELECT name, postings, bytes, sha256 FROM segments ORDER BY rowid")]

    def segment_problems(self, *, full: bool) -> list[Problem]:
        """Segments missing, of the wrong size, or (``full``) not matching their sha256."""
        out = []
        for name, postings, size, sha in self.registered_segments():
            path = self.directory / name
            found = file_size(path)
            if found is None:
                out.append(Problem(f"posting segment {name} is missing", "repair",
                                   store="segments"))
            elif found != size:
                out.append(Problem(f"posting segment {name} holds {found:,} bytes, not the "
                                   f"{size:,} recorded", "repair", store="segments"))
            elif full and sha256_of(path) != sha:
                out.append(Problem(f"posting segment {name} does not match its checksum", "repair",
                                   store="segments"))
            elif full and len(self._load_segment(name)) != postings:
                out.append(Problem(f"posting segment {name} holds the wrong number of postings",
                                   "repair", store="segments"))
        return out

    def article_problems(self) -> list[Problem]:
        """Articles whose text no longer matches its CRC-32 (a damaged page of the file)."""
        bad = [aid for aid, text, crc in self.conn.execute(
               "SELECT id, CAST(text AS BLOB), crc FROM articles")
               if not _text_ok(text, crc)]
        if not bad:
            return []
        return [Problem(f"{len(bad)} article text(s) do not match their checksum "
                        f"(first: {bad[0]!r})", "rebuild")]

    # -- reading ----------------------------------------------------------------------------
    def lookup(self, hashes: np.ndarray, max_df: int | None = None, *,
               df_total: np.ndarray | None = None) -> Postings:
        """The postings of the given hashes (binary search per segment), without sorting them.

        Hashes found in more than ``max_df`` articles are left out of ``rows``: they carry no
        weight in retrieval, and gathering their postings would cost more than all the others.
        ``df_total`` (one count per distinct hash, sorted) replaces this store's own counts for
        that rule and in the answer: a shard of a sharded index answers with the whole index's.
        """
        want = np.unique(hashes.astype(np.int64))
        first = posting_key(want) << np.uint64(ROWID_BITS)  # a key's run: [first, first + 2^24)
        after = first + np.uint64(1 << ROWID_BITS)
        segs = self.segments()
        bounds = []
        df = np.zeros(len(want), dtype=np.int64)
        for seg in segs:
            lo = np.searchsorted(seg, first, side="left")
            hi = np.searchsorted(seg, after, side="left")
            bounds.append((lo, hi))
            df += hi - lo
        if df_total is not None:
            df = np.asarray(df_total, dtype=np.int64)
        keep = df > 0 if max_df is None else (df > 0) & (df <= max_df)
        rows: list[np.ndarray] = []
        which: list[np.ndarray] = []
        for seg, (lo, hi) in zip(segs, bounds, strict=True):
            hit = keep & (hi > lo)
            if not hit.any():
                continue
            pos = np.flatnonzero(hit)
            counts = (hi - lo)[hit]
            idx = np.repeat(lo[hit] - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
            rows.append((seg[idx] & np.uint64(MAX_ROWID)).astype(np.int64))
            which.append(np.repeat(pos, counts))
        if not rows:
            empty = np.empty(0, dtype=np.int64)
            return Postings(want, df, empty, empty)
        return Postings(want, df, np.concatenate(rows), np.concatenate(which))

    def _row_to_article(self, row: Sequence[Any]) -> Article:
        text = unpack_text(row[6])
        if text is None or text_crc(text) != row[7]:
            raise damaged(self.directory, f"the text of article {row[0]!r} does not match its "
                          "checksum", "rebuild")
        return Article(
            id=row[0], title=row[1], url=row[2], published=row[3], source=row[4],
            metadata=json.loads(row[5]), text=text,
        )

    def get(self, rowid: int) -> Article | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM articles WHERE rowid = ?",
            (rowid,),
        ).fetchone()
        return None if row is None else self._row_to_article(row)

    def get_by_id(self, article_id: str) -> Article | None:
        row = self.conn.execute(
            f"SELECT {_COLUMNS} FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        return None if row is None else self._row_to_article(row)

    def text_of(self, rowid: int) -> str:
        """An article's text by rowid ('' when there is none or it cannot be read)."""
        row = self.conn.execute("SELECT CAST(text AS BLOB) FROM articles WHERE rowid = ?",
                                (rowid,)).fetchone()
        return (unpack_text(row[0]) or "") if row else ""

    def rowid_of(self, article_id: str) -> int | None:
        row = self.conn.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else int(row[0])

    def ids(self) -> Iterator[str]:
        for (aid,) in self.conn.execute("SELECT id FROM articles ORDER BY rowid"):
            yield aid

    def iter_articles(self) -> Iterable[Article]:
        for row in self.conn.execute(
            f"SELECT {_COLUMNS} FROM articles ORDER BY rowid"
        ):
            yield self._row_to_article(row)

    def count_longer_than(self, chars: int) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles WHERE chars > ?",
                                     (chars,)).fetchone()[0])

    def count(self) -> int:
        return int(self.conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def close(self) -> None:
        self.conn.close()


__all__ = ["Storage", "SQLiteStorage", "DB_NAME"]
