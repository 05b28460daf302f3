"""Verify, repair and rebuild an index directory.

``verify`` runs every check (SQLite's ``integrity_check``, the manifest's settings checksum, each
segment's and the vector store's size and sha256, every article's CRC) and returns one message per
problem, each naming its fix. ``repair`` fixes what the SQLite file can rebuild: posting segments
(fingerprinting the articles' texts again), sentence vectors and cross-lingual article vectors
(from the articles' texts). A damaged SQLite
file or manifest cannot be repaired from inside the index: ``staged_rebuild`` builds a new index
beside the old one and swaps it in only when the new one is complete.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import IndexConfig
from ..errors import IndexDamagedError, IndexNotFoundError, UnspinError, UsageError
from .integrity import Problem, damaged
from .manifest import check_manifest, config_from_manifest
from .storage import DB_NAME, Fingerprinter, SQLiteStorage, first_line

INDEX_FILES = (DB_NAME, f"{DB_NAME}-wal", f"{DB_NAME}-shm", "sentences.usearch",
               "sentences.usearch.json", "tortured-background.npz", "shards.json",
               "crosslingual.usearch", "crosslingual.usearch.json")
"""The files an index directory holds (besides its ``seg-*.npy`` segments and ``shard-*``
directories)."""


def _index_files(directory: Path) -> list[Path]:
    names = set(INDEX_FILES)
    return sorted(p for p in directory.iterdir()
                  if p.name in names or p.name.startswith(("seg-", "shard-"))
                  or p.name.endswith(".tmp"))


def _require(path: Path) -> None:
    if not (path / DB_NAME).is_file():
        raise IndexNotFoundError(
            f"{path}: no unspin index here; build one with `unspin index build CORPUS --index {path}`"
        )


def _sqlite_problems(storage: SQLiteStorage) -> list[Problem]:
    try:
        rows = [r for (r,) in storage.conn.execute("PRAGMA integrity_check(20)")]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    if rows == ["ok"]:
        return []
    return [Problem(f"SQLite integrity_check failed: {first_line(rows)}", "rebuild")]


def _has_sentences(storage: SQLiteStorage, max_chars: int) -> Callable[[int], bool]:
    """Whether an article (by rowid) has a sentence to embed: the vector syncs skip one without."""
    from ..normalize import normalize
    from ..tokens import sentence_spans

    return lambda rowid: bool(sentence_spans(normalize(storage.text_of(rowid)[:max_chars]).text))


def _vector_problems(path: Path, storage: SQLiteStorage, config: IndexConfig) -> list[Problem]:
    from .. import crossindex
    from ..embed.vectors import coverage_problems
    from ..semantic import STORE_FILE

    rows = [r for (r,) in storage.conn.execute("SELECT rowid FROM articles")]
    needs = _has_sentences(storage, config.max_chars)
    found = []
    if config.semantic != "off" and rows:
        found += [Problem(what, "repair", complete=whole, store="sentences") for what, whole
                  in coverage_problems(path / STORE_FILE, rows, "sentence vectors", needs)]
    if config.crosslingual and rows:
        found += [Problem(what, "repair", complete=whole, store="crosslingual")
                  for what, whole in crossindex.problems(path, rows, needs)]
    return found


def _posting_problems(storage: SQLiteStorage) -> list[Problem]:
    registered = sum(p for _, p, _, _ in storage.registered_segments())
    (live,) = storage.conn.execute(
        "SELECT COALESCE(SUM(postings), 0) FROM articles").fetchone()
    if registered < int(live):
        return [Problem(f"the segments hold {registered:,} postings, the articles {int(live):,}",
                        "repair", store="segments")]
    return []


def fingerprinter(config: IndexConfig) -> Fingerprinter:
    """An article's text -> its fingerprints, as ``Index.add`` computes them."""
    from ..pipeline import text_fingerprints

    return lambda text: text_fingerprints(text, config)


def _shard_dirs(path: Path) -> list[Path] | None:
    """A sharded index's shard directories (None for an unsharded index)."""
    from . import is_sharded
    from .shards import _read_list

    return [path / name for name in _read_list(path)] if is_sharded(path) else None


def problems(path: str | Path) -> list[Problem]:
    """Everything wrong with the index at ``path`` (reads every file in full; every shard's)."""
    path = Path(path)
    shards = _shard_dirs(path)
    if shards is not None:
        return [p for shard in shards for p in problems(shard)]
    _require(path)
    try:
        storage = SQLiteStorage(path, create=False, readonly=True)
    except IndexDamagedError as exc:
        return [Problem(str(exc), "rebuild", complete=True)]
    try:
        found = _sqlite_problems(storage)
        if found:
            return found
        meta = storage.get_meta()
        try:
            check_manifest(path, meta, None)
        except UnspinError as exc:
            return [Problem(str(exc), "rebuild", complete=True)]
        found += storage.article_problems()
        found += storage.segment_problems(full=True) + _posting_problems(storage)
        config = config_from_manifest(meta, path)
        found += _vector_problems(path, storage, config)
    except sqlite3.DatabaseError as exc:
        found.append(Problem(f"its SQLite file cannot be read ({exc})", "rebuild"))
    finally:
        storage.close()
    return found


def verify(path: str | Path) -> list[str]:
    """One line per problem of the index at ``path``, each naming its fix; [] when it is whole."""
    path = Path(path)
    shards = _shard_dirs(path)
    if shards is not None:
        return [line for shard in shards for line in verify(shard)]
    return [p.message(path) for p in problems(path)]


def repair(path: str | Path) -> list[str]:
    """Rebuild what the SQLite file can give back (segments, vectors); what was done, in words.

    Raises :class:`IndexDamagedError` when only a rebuild from the corpus can help.
    """
    from ..index import Index

    path = Path(path)
    shards = _shard_dirs(path)
    if shards is not None:
        return [f"{shard.name}: {line}" for shard in shards for line in repair(shard)]
    found = problems(path)
    fatal = [p for p in found if p.fix == "rebuild"]
    if fatal:
        raise IndexDamagedError(fatal[0].message(path))
    done: list[str] = []
    storage = SQLiteStorage(path, create=False)
    try:
        if any(p.store == "segments" for p in found):
            storage.compact(force=True,
                            fingerprint=fingerprinter(config_from_manifest(storage.get_meta(), path)))
            done.append("rewrote the posting segments from the articles' texts")
    finally:
        storage.close()
    cross = [p for p in found if p.store == "crosslingual"]
    if cross:  # before the sentence vectors' sync, which clears the list of replaced articles
        from .. import crossindex

        with Index.open(path) as index:
            if any(p.complete for p in cross):  # a damaged store (a named error): all again
                done.append(f"embedded the cross-lingual lead of {crossindex.rebuild(index)} "
                            "article(s) again")
            else:  # none, or incomplete: embedding the missing leads completes it
                done.append(f"embedded the cross-lingual lead of {crossindex.sync(index)} "
                            "more article(s)")
    if any(p.store == "sentences" for p in found):
        for name in ("sentences.usearch", "sentences.usearch.json"):
            (path / name).unlink(missing_ok=True)
        from .vectors import sync

        with Index.open(path) as index:
            n = sync(index)
        done.append(f"embedded the sentences of {n} article(s) again")
    return done


@contextmanager
def staged_rebuild(path: str | Path) -> Iterator[Path]:
    """A fresh directory to build a new index in; swapped in for ``path`` when the block succeeds.

    The old index stays usable until the new one is complete; a failed or interrupted build leaves
    it as it was. Only index files are replaced: other files in the directory are kept.
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise UsageError(f"{path}: exists and is not a directory; choose another --index path")
    stage = path.parent / f".{path.name}.rebuild-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    from . import is_sharded

    if not (stage / DB_NAME).is_file() and not is_sharded(stage):  # nothing built: the old stays
        shutil.rmtree(stage, ignore_errors=True)
        return
    path.mkdir(parents=True, exist_ok=True)
    for old in _index_files(path):
        if old.is_dir():
            shutil.rmtree(old)
        else:
            old.unlink()
    for new in stage.iterdir():
        os.replace(new, path / new.name)
    stage.rmdir()


__all__ = ["INDEX_FILES", "problems", "verify", "repair", "staged_rebuild", "damaged"]
