"""Fingerprint lists: the Problematic Paper Screener's tortured phrases and the user's own.

A PPS entry is a search query, not just a phrase. About 640 of them carry context conditions that
make them reliable: ``"surface region" AND "surface area"`` only fires in a text that also says
"surface area" (the spinner missed one occurrence), ``"highlight extraction" NOT specular`` never
fires in a text about specular highlights, ``"gatherings clustering"~10`` needs both words within
ten words of each other. The query is parsed into a small tree and evaluated over the whole text;
the *anchor* (the first phrase, or each phrase of a leading OR group) is what gets flagged.

Grammar (case-insensitive operators; ``ADN`` is read as AND, a typo of the source list)::

    query := conj ((AND | NOT) conj | conj)*      # juxtaposition is AND; "a NOT b" is a AND NOT b
    conj  := atom (OR atom)*                      # OR binds tighter than AND
    atom  := "words" [~N] | word | ( query )
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from ..errors import BadInputError, ModelError
from .stream import phrase_words

PPS_FILE = "pps-tortured-phrases.csv.gz"


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]
    slop: int | None = None  # proximity: all words within len(words) + slop words


@dataclass(frozen=True, slots=True)
class All:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Any_:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


Node = Term | All | Any_ | Not


def evaluate(node: Node, present: Callable[[Term], bool]) -> bool:
    if isinstance(node, Term):
        return present(node)
    if isinstance(node, All):
        return all(evaluate(c, present) for c in node.children)
    if isinstance(node, Any_):
        return any(evaluate(c, present) for c in node.children)
    return not evaluate(node.child, present)


def terms(node: Node) -> Iterable[Term]:
    if isinstance(node, Term):
        yield node
    elif isinstance(node, Not):
        yield from terms(node.child)
    else:
        for c in node.children:
            yield from terms(c)


# -- parsing ---------------------------------------------------------------------------------
_LEX = re.compile(r'\s*(?:(?P<q>"[^"]*")(?:~(?P<slop>\d+))?|(?P<p>[()])|(?P<w>[^\s()"]+))')
_OPS = {"AND": "AND", "ADN": "AND", "OR": "OR", "NOT": "NOT"}


class QueryError(ValueError):
    """A PPS query that cannot be parsed."""


def _lex(query: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    pos = 0
    query = query.strip()
    while pos < len(query):
        m = _LEX.match(query, pos)
        if m is None or m.end() == pos:
            raise QueryError(f"cannot read query at {query[pos:pos + 20]!r}")
        pos = m.end()
        if m.group("q") is not None:
            words = phrase_words(m.group("q")[1:-1])
            slop = int(m.group("slop")) if m.group("slop") else None
            if words:
                out.append(("term", Term(words, slop)))
        elif m.group("p"):
            out.append((m.group("p"), None))
        else:
            word = m.group("w")
            if word in _OPS:  # operators are upper case in PPS queries
                out.append((_OPS[word], None))
            elif phrase_words(word):
                out.append(("term", Term(phrase_words(word))))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, object]]) -> None:
        self.toks = tokens
        self.i = 0

    def peek(self) -> str | None:
        return self.toks[self.i][0] if self.i < len(self.toks) else None

    def query(self) -> Node:
        parts: list[Node] = [self.conj()]
        while self.peek() not in (None, ")"):
            op = self.peek()
            if op in ("AND", "NOT"):
                self.i += 1
            child = self.conj()
            parts.append(Not(child) if op == "NOT" else child)
        return parts[0] if len(parts) == 1 else All(tuple(parts))

    def conj(self) -> Node:
        parts = [self.atom()]
        while self.peek() == "OR":
            self.i += 1
            parts.append(self.atom())
        return parts[0] if len(parts) == 1 else Any_(tuple(parts))

    def atom(self) -> Node:
        kind = self.peek()
        if kind == "term":
            node = self.toks[self.i][1]
            self.i += 1
            assert isinstance(node, Term)
            return node
        if kind == "(":
            self.i += 1
            node = self.query()
            if self.peek() != ")":
                raise QueryError("missing ')'")
            self.i += 1
            return node
        raise QueryError(f"expected a phrase, found {kind or 'the end'}")


def parse_query(query: str) -> Node:
    """Parse a PPS query (see the module docstring for the grammar)."""
    tokens = _lex(query)
    if not tokens:
        raise QueryError("empty query")
    parser = _Parser(tokens)
    node = parser.query()
    if parser.peek() is not None:
        raise QueryError(f"unexpected {parser.peek()!r}")
    return node


def anchors(node: Node) -> tuple[Term, ...]:
    """The phrases a match is reported on: the first conjunct's phrase(s)."""
    first = node.children[0] if isinstance(node, All) else node
    if isinstance(first, Term):
        return (first,)
    if isinstance(first, Any_) and all(isinstance(c, Term) for c in first.children):
        return tuple(c for c in first.children if isinstance(c, Term))
    raise QueryError("a query must start with a phrase or an OR group of phrases")


# -- fingerprints ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Fingerprint:
    """One entry: the phrases to flag, what they stand for, and the condition on the whole text."""

    anchors: tuple[Term, ...]
    suggestion: str
    query: Node | None = None  # None: no condition beyond the anchor
    papers: int = 0
    origin: str = "pps"  # pps | user | learned
    raw: str = ""


@dataclass(frozen=True, slots=True)
class FingerprintList:
    entries: tuple[Fingerprint, ...]
    skipped: int = 0  # entries that could not be parsed

    def __len__(self) -> int:
        return len(self.entries)

    def subset(self, keep: Callable[[Fingerprint], bool]) -> FingerprintList:
        return FingerprintList(tuple(f for f in self.entries if keep(f)), self.skipped)


@dataclass(frozen=True, slots=True)
class UserList:
    """The user's own fingerprints ("phrase<TAB>suggestion") and allowed phrases ("!phrase")."""

    fingerprints: tuple[Fingerprint, ...] = ()
    allowed: frozenset[tuple[str, ...]] = field(default_factory=frozenset)


_SEE = re.compile(r",?\s*see\s+https?://\S+.*$", re.IGNORECASE)


def clean_suggestion(expected: str) -> str:
    return " ".join(_SEE.sub("", expected).split())


def fingerprint_from_query(query: str, expected: str, papers: int = 0) -> Fingerprint:
    node = parse_query(query)
    heads = anchors(node)
    plain = isinstance(node, Term) or (isinstance(node, Any_) and node.children == heads)
    return Fingerprint(heads, clean_suggestion(expected), None if plain else node, papers, "pps", query)


def read_pps(rows: Iterable[dict[str, str]]) -> FingerprintList:
    """Fingerprints from rows with ``raw_query`` (or ``fingerprint``), ``expected``, ``num_papers``."""
    out: list[Fingerprint] = []
    skipped = 0
    for row in rows:
        query = (row.get("raw_query") or "").strip() or f'"{row.get("fingerprint", "")}"'
        papers = int(str(row.get("num_papers") or "0").replace(",", "") or 0)
        try:
            out.append(fingerprint_from_query(query, row.get("expected") or "", papers))
        except QueryError:
            skipped += 1
    return FingerprintList(tuple(out), skipped)


@lru_cache(maxsize=2)
def load_pps(path: str | None = None) -> FingerprintList:
    """The PPS list shipped with unspin (CC BY 4.0, see data/PPS-TORTURED-PHRASES.md)."""
    file = Path(path) if path else Path(str(resources.files("unspin") / "data" / PPS_FILE))
    if not file.is_file():
        raise ModelError(f"{file}: tortured-phrase list not found; run scripts/build_tortured_list.py")
    opener = gzip.open if file.suffix == ".gz" else open
    with opener(file, "rt", encoding="utf-8", newline="") as fh:
        return read_pps(csv.DictReader(fh))


def word_substitutions(fingerprints: Iterable[Fingerprint]) -> dict[str, dict[str, int]]:
    """What spinners put for which word: suspect word -> {original word: times}.

    Read off plain fingerprints whose suggestion has as many words as the phrase, word by word
    ("colossal information" -> "big data" gives colossal -> big, information -> data). Spinners
    share dictionaries, so these pairs recur in phrases no list has seen.
    """
    out: dict[str, dict[str, int]] = {}
    for fp in fingerprints:
        if fp.query is not None:
            continue
        original = phrase_words(fp.suggestion)
        for anchor in fp.anchors:
            if anchor.slop is not None or len(anchor.words) != len(original):
                continue
            for sus, orig in zip(anchor.words, original, strict=True):
                if sus != orig and sus.isalpha() and orig.isalpha():
                    row = out.setdefault(sus, {})
                    row[orig] = row.get(orig, 0) + 1
    return out


def parse_user_list(text: str, *, path: str = "<user list>") -> UserList:
    """Parse a user list: "phrase<TAB>suggestion" adds a fingerprint, "!phrase" allows a phrase."""
    prints: list[Fingerprint] = []
    allowed: set[tuple[str, ...]] = set()
    for n, line in enumerate(io.StringIO(text), 1):
        line = line.rstrip("\n\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("!"):
            words = phrase_words(line[1:])
            if words:
                allowed.add(words)
            continue
        phrase, _, suggestion = line.partition("\t")
        words = phrase_words(phrase)
        if not words:
            raise BadInputError(path, "no words in this line", f"line {n}")
        prints.append(Fingerprint((Term(words),), suggestion.strip(), None, 0, "user", phrase.strip()))
    return UserList(tuple(prints), frozenset(allowed))


def load_user_list(path: str | Path) -> UserList:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInputError(str(path), f"cannot read the fingerprint list: {exc}") from None
    return parse_user_list(text, path=str(path))


__all__ = [
    "Term", "All", "Any_", "Not", "Node", "QueryError", "parse_query", "anchors", "evaluate",
    "terms", "Fingerprint", "FingerprintList", "UserList", "read_pps", "load_pps",
    "parse_user_list", "load_user_list", "fingerprint_from_query", "clean_suggestion", "PPS_FILE",
    "word_substitutions",
]
