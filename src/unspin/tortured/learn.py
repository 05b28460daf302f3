"""Learning fingerprints from sources: recurring substitutions become a local fingerprint list.

When ``check`` aligns a suspect with its source, each substitution (source phrase -> suspect phrase)
is what one spinner's dictionary did. A substitution seen again and again is that spinner's
fingerprint: kept in the index (table ``fingerprints_learned``), it flags the same spinner's other
texts even where their source is not indexed.

Substitutions are read from table ``learned_substitutions`` of the index's SQLite file (``check``
stores them there; ``record_substitutions`` does it for any iterable of pairs). A substitution
becomes a fingerprint when it recurs (``min_count``), changes more than function words and no
number, and, for a single suspect word, when that word is much rarer in clean text than the word
it replaced (a spinner's odd pick): a common single word ("firm" for "company") would fire on
every clean text that uses it.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..config import CheckConfig
from ..index import Index
from ..lexicon import FUNCTION_WORDS
from .background import Background, Lemmatizer, load_shipped
from .lexicon import Fingerprint, Term
from .stream import phrase_words

SUBSTITUTIONS_TABLE = "learned_substitutions"
FINGERPRINTS_TABLE = "fingerprints_learned"
MAX_WORDS = 5
RARITY = 10.0  # a single suspect word must be this many times rarer than the source word

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {SUBSTITUTIONS_TABLE} (
    source TEXT NOT NULL, suspect TEXT NOT NULL,
    source_id TEXT NOT NULL DEFAULT '', suspect_id TEXT NOT NULL DEFAULT '',
    suspect_hash TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS {FINGERPRINTS_TABLE} (
    phrase TEXT PRIMARY KEY, suggestion TEXT NOT NULL, count INTEGER NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class Learned:
    phrase: str
    suggestion: str
    count: int

    def fingerprint(self) -> Fingerprint:
        return Fingerprint((Term(phrase_words(self.phrase)),), self.suggestion, None, self.count,
                           "learned", self.phrase)


def _conn(index: Index | str | Path) -> tuple[sqlite3.Connection, Index | None]:
    if isinstance(index, Index):
        return index.storage.conn, None
    opened = Index.open(index)
    return opened.storage.conn, opened


def ensure_tables(conn: sqlite3.Connection) -> None:
    conn.executescript(_SCHEMA)
    columns = {row[1] for row in conn.execute(f"PRAGMA table_info({SUBSTITUTIONS_TABLE})")}
    if "suspect_hash" not in columns:  # an index written before suspect texts were told apart
        conn.execute(f"ALTER TABLE {SUBSTITUTIONS_TABLE} "
                     "ADD COLUMN suspect_hash TEXT NOT NULL DEFAULT ''")


def text_hash(text: str) -> str:
    """What tells one suspect text from another: the sha256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def record_substitutions(index: Index | str | Path, pairs: Iterable[tuple[str, str]], *,
                         source_id: str = "", suspect_id: str = "", suspect_hash: str = "") -> int:
    """Store (source phrase, suspect phrase) pairs in the index; returns how many.

    ``suspect_hash`` (``text_hash`` of the suspect) makes ``learn`` count the suspect once however
    often it is checked; without it, ``suspect_id`` does, and without either each row counts."""
    conn, opened = _conn(index)
    try:
        ensure_tables(conn)
        rows = [(s, t, source_id, suspect_id, suspect_hash) for s, t in pairs]
        with conn:
            conn.execute("BEGIN")
            conn.executemany(f"INSERT INTO {SUBSTITUTIONS_TABLE}"
                             "(source, suspect, source_id, suspect_id, suspect_hash) "
                             "VALUES (?, ?, ?, ?, ?)", rows)
        return len(rows)
    finally:
        if opened:
            opened.close()


def _substitutions(match: object) -> list[tuple[str, str]]:
    """A match's substitutions. Words swapped together as one run (``Substitution.run``: one
    replaced stretch of one sentence pair) and separated by single spaces become one phrase ("big
    data" -> "colossal information"): a spinner's phrase is a far more specific fingerprint than
    its single words. Longer runs than ``MAX_WORDS`` stay single words."""
    out: list[tuple[str, str]] = []
    for passage in getattr(match, "passages", ()):
        run: list = []
        for sub in [*(x for x in passage.substitutions if x.kind == "replaced"), None]:
            if run and sub is not None and sub.run >= 0 and sub.run == run[-1].run \
                    and sub.suspect_at[0] - run[-1].suspect_at[1] == 1 \
                    and sub.source_at[0] - run[-1].source_at[1] == 1:
                run.append(sub)
                continue
            if 1 < len(run) <= MAX_WORDS:
                out.append((" ".join(x.source for x in run), " ".join(x.suspect for x in run)))
            else:
                out.extend((x.source, x.suspect) for x in run)
            run = [sub] if sub is not None else []
    return out


def record_check(index: Index | str | Path, result: object, *, text: str | None = None,
                 min_score: float = CheckConfig().derived_threshold, learn: bool = False) -> int:
    """With ``learn``, keep the substitutions of every source ``check`` claimed (score >=
    ``min_score``, the verdict threshold) in the index, for ``learn``; returns how many. ``text``
    is the suspect as checked: its hash is kept with each substitution, so that checking one copy
    again and again counts it once.

    Without ``learn`` nothing is written: checking never grows the index unasked, and a check can
    run on an index opened read-only next to a running build.
    """
    if not learn:
        return 0
    n = 0
    digest = text_hash(text) if text is not None else ""
    for match in getattr(result, "sources", ()):
        pairs = _substitutions(match) if match.score >= min_score else []
        if pairs:
            n += record_substitutions(index, pairs, source_id=match.id,
                                      suspect_id=getattr(result, "suspect_id", ""),
                                      suspect_hash=digest)
    return n


def read_substitutions(conn: sqlite3.Connection) -> Iterator[tuple[str, str]]:
    ensure_tables(conn)
    yield from conn.execute(f"SELECT source, suspect FROM {SUBSTITUTIONS_TABLE}")


def read_records(conn: sqlite3.Connection) -> Iterator[tuple[str, str, str]]:
    """(source, suspect, which suspect) per stored substitution: the suspect's text hash, else
    its id, else a key of the row alone."""
    ensure_tables(conn)
    yield from conn.execute(
        "SELECT source, suspect, CASE WHEN suspect_hash != '' THEN 'h:' || suspect_hash "
        "WHEN suspect_id != '' THEN 'i:' || suspect_id ELSE 'r:' || rowid END "
        f"FROM {SUBSTITUTIONS_TABLE}")


def _frequency(bg: Background, lemma: Lemmatizer, words: tuple[str, ...]) -> float:
    w = lemma(words[0])
    return bg.left_slot(w)[0] + bg.right_slot(w)[0]


def mine(pairs: Iterable[tuple[str, str] | tuple[str, str, str]], *, min_count: int = 2,
         background: Background | None = None, lemma: Lemmatizer | None = None) -> list[Learned]:
    """Recurring, spinner-like substitutions (see the module docstring), most frequent first.

    A pair may carry a third item naming its suspect text: each substitution then counts once per
    distinct suspect, however often that suspect was checked or repeats the phrase."""
    counts: dict[tuple[str, ...], Counter[tuple[str, ...]]] = defaultdict(Counter)
    seen: set[tuple[tuple[str, ...], tuple[str, ...], str]] = set()
    for row in pairs:
        source, suspect = row[0], row[1]
        src, sus = phrase_words(source), phrase_words(suspect)
        if not src or not sus or src == sus or len(sus) > MAX_WORDS or len(src) > MAX_WORDS:
            continue
        if any(w[0].isdigit() for w in src + sus) or all(w in FUNCTION_WORDS for w in sus):
            continue
        if len(row) > 2:
            key = (sus, src, row[2])
            if key in seen:
                continue
            seen.add(key)
        counts[sus][src] += 1
    if lemma is None:
        from ..thesaurus import load as load_thesaurus

        lemma = Lemmatizer(load_thesaurus("wordnet"))
    bg = background or load_shipped()
    out: list[Learned] = []
    for sus, sources in counts.items():
        src, n = sources.most_common(1)[0]
        total = sum(sources.values())
        if total < min_count:
            continue
        if len(sus) == 1 and len(src) == 1:
            if _frequency(bg, lemma, sus) * RARITY > _frequency(bg, lemma, src):
                continue
        out.append(Learned(" ".join(sus), " ".join(src), total))
    return sorted(out, key=lambda x: (-x.count, x.phrase))


def learn(index: Index | str | Path, pairs: Iterable[tuple[str, str]] | None = None, *,
          min_count: int = 2) -> int:
    """Mine fingerprints from the index's substitutions (or ``pairs``) into the index.

    Returns the number of learned fingerprints the index holds afterwards.
    """
    conn, opened = _conn(index)
    try:
        ensure_tables(conn)
        found = mine(read_records(conn) if pairs is None else pairs, min_count=min_count)
        with conn:
            conn.execute("BEGIN")
            conn.executemany(
                f"INSERT INTO {FINGERPRINTS_TABLE}(phrase, suggestion, count) VALUES (?, ?, ?) "
                "ON CONFLICT(phrase) DO UPDATE SET suggestion = excluded.suggestion, "
                "count = max(count, excluded.count)",
                [(x.phrase, x.suggestion, x.count) for x in found],
            )
        return int(conn.execute(f"SELECT COUNT(*) FROM {FINGERPRINTS_TABLE}").fetchone()[0])
    finally:
        if opened:
            opened.close()


def learned_list(index: Index | str | Path) -> list[Learned]:
    """Every fingerprint the index has learned, most often seen first."""
    conn, opened = _conn(index)
    try:
        ensure_tables(conn)
        rows = conn.execute(f"SELECT phrase, suggestion, count FROM {FINGERPRINTS_TABLE} "
                            "ORDER BY count DESC, phrase").fetchall()
        return [Learned(p, s, c) for p, s, c in rows]
    finally:
        if opened:
            opened.close()


def learned_fingerprints(index: Index | str | Path) -> tuple[Fingerprint, ...]:
    conn, opened = _conn(index)
    try:
        try:
            rows = conn.execute(
                f"SELECT phrase, suggestion, count FROM {FINGERPRINTS_TABLE} ORDER BY phrase"
            ).fetchall()
        except sqlite3.OperationalError:  # never learned: no table yet
            return ()
        return tuple(Learned(p, s, c).fingerprint() for p, s, c in rows)
    finally:
        if opened:
            opened.close()


__all__ = ["Learned", "mine", "learn", "record_substitutions", "record_check", "read_substitutions",
           "read_records", "learned_list", "text_hash",
           "learned_fingerprints", "SUBSTITUTIONS_TABLE", "FINGERPRINTS_TABLE"]
