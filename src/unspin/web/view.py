"""What a report page shows, as plain records: texts cut into marked pieces, safe links.

Nothing here writes HTML. The templates turn these records into markup through Jinja2's
autoescape, the one escaping path: every piece of text below is shown as text, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..check import CheckResult, SourceMatch
from ..tortured import Restoration, TorturedPhrase

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text; ``mark`` is "" (plain), "sub" (a substitution) or "tortured"."""

    text: str
    mark: str = ""
    note: str = ""  # what the marked words stand for (the other side's words, a suggestion)


@dataclass(frozen=True, slots=True)
class Block:
    """A run of a text: outside any passage (``passage`` is "") or one aligned passage."""

    pieces: tuple[Piece, ...]
    passage: str = ""  # the passage's element id on this side
    twin: str = ""  # the element id of the same passage on the other side


@dataclass(frozen=True, slots=True)
class SourceView:
    rank: int
    match: SourceMatch
    url: str | None  # only http(s) URLs, else None (never linked)
    published: str
    suspect_blocks: tuple[Block, ...]
    source_blocks: tuple[Block, ...]
    changes: tuple[tuple[str, str], ...]  # (source words, suspect words), in suspect order


@dataclass(frozen=True, slots=True)
class Change:
    """One edit of the restored text: ``before`` (as given) becomes ``after``."""

    before: str
    after: str = ""
    evidence: str = ""


@dataclass(frozen=True, slots=True)
class ReportView:
    key: str  # unique within a page: prefixes every element id of this report
    name: str
    result: CheckResult
    sources: tuple[SourceView, ...]
    tortured: tuple[Piece, ...]
    phrases: tuple[TorturedPhrase, ...]
    restored: tuple[Change, ...] = field(default=())
    restored_from: str = ""


def safe_url(url: str) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host; None otherwise (never linked)."""
    text = url.strip()
    if not text or any(ord(c) < 0x21 for c in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    return text if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def pieces(text: str, span: Span, marks: Iterable[tuple[Span, str, str]]) -> tuple[Piece, ...]:
    """``text[span]`` cut at the ``(span, mark, note)`` marks inside it (overlaps: first wins)."""
    out: list[Piece] = []
    pos, end = span
    for (s, e), mark, note in sorted(marks, key=lambda m: m[0]):
        if s < pos or e > end or e <= s:
            continue
        if s > pos:
            out.append(Piece(text[pos:s]))
        out.append(Piece(text[s:e], mark, note))
        pos = e
    if end > pos:
        out.append(Piece(text[pos:end]))
    return tuple(out)


def blocks(text: str, passages: Sequence[tuple[Span, str, str]],
           marks: Sequence[tuple[Span, str, str]]) -> tuple[Block, ...]:
    """The whole ``text`` as blocks: each ``(span, id, twin id)`` passage is one block, with the
    ``marks`` inside it; a passage overlapping an earlier one is left unmarked."""
    out: list[Block] = []
    pos = 0
    for (s, e), pid, twin in sorted(passages, key=lambda p: p[0]):
        s, e = max(s, 0), min(e, len(text))
        if s < pos or e <= s:
            continue
        if s > pos:
            out.append(Block((Piece(text[pos:s]),)))
        inside = [m for m in marks if s <= m[0][0] and m[0][1] <= e]
        out.append(Block(pieces(text, (s, e), inside), pid, twin))
        pos = e
    if pos < len(text):
        out.append(Block((Piece(text[pos:]),)))
    return tuple(out)


def source_view(key: str, rank: int, match: SourceMatch, suspect: str, source: str,
                url: str = "", published: str = "") -> SourceView:
    """One source's side-by-side view: both full texts with the passages and substitutions."""
    sus_passages, src_passages = [], []
    sus_marks: list[tuple[Span, str, str]] = []
    src_marks: list[tuple[Span, str, str]] = []
    changes: list[tuple[str, str]] = []
    for k, p in enumerate(match.passages):
        a, b = f"{key}-s{rank}-p{k}-a", f"{key}-s{rank}-p{k}-b"
        sus_passages.append((p.suspect, a, b))
        src_passages.append((p.source, b, a))
        for sub in p.substitutions:
            sus_marks.append((sub.suspect_at, "sub", f"source: {sub.source}"))
            src_marks.append((sub.source_at, "sub", f"suspect: {sub.suspect}"))
            changes.append((sub.source, sub.suspect))
    return SourceView(rank, match, safe_url(url), published, blocks(suspect, sus_passages, sus_marks),
                      blocks(source, src_passages, src_marks), tuple(changes))


def tortured_pieces(text: str, phrases: Sequence[TorturedPhrase]) -> tuple[Piece, ...]:
    marks = [(p.at, "tortured", p.suggestion) for p in phrases]
    return pieces(text, (0, len(text)), marks)


def restored_changes(restoration: Restoration) -> tuple[Change, ...]:
    """The text as given, with each edit of the restoration as a change (before -> after)."""
    text = restoration.original
    out: list[Change] = []
    pos = 0
    for edit in sorted(restoration.edits, key=lambda e: e.at):
        s, e = edit.at
        if s < pos:
            continue
        if s > pos:
            out.append(Change(text[pos:s]))
        out.append(Change(text[s:e], edit.after, edit.evidence))
        pos = e
    if pos < len(text):
        out.append(Change(text[pos:]))
    return tuple(out)


__all__ = ["Piece", "Block", "SourceView", "ReportView", "Change", "safe_url", "pieces", "blocks",
           "source_view", "tortured_pieces", "restored_changes"]


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One line of a summary table: a suspect, its verdict and its best source."""

    name: str
    verdict: str
    confidence: float
    source_id: str = ""
    source_title: str = ""
    score: float = 0.0
    link: str = ""


def summary_row(name: str, result: CheckResult, link: str = "") -> SummaryRow:
    best = result.sources[0] if result.sources else None
    return SummaryRow(name, result.verdict, result.confidence, best.id if best else "",
                      best.title if best else "", best.score if best else 0.0, link)


__all__ += ["SummaryRow", "summary_row"]
