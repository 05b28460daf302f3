"""``restore``: the likely original wording of a spun text, with the edits that lead back to it.

Where ``check`` finds the source in the index, each substitution of the aligned passages is undone
(the suspect phrase is replaced by the source phrase): that is the original wording, not a guess.
Elsewhere (no source, or text outside the aligned passages), each flagged tortured phrase is
replaced by its suggestion.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..index import Index
from .phrase import DetectConfig


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``before`` at ``at`` (offsets into the suspect as given) by ``after``."""

    at: tuple[int, int]
    before: str
    after: str
    evidence: str  # source | list | learned | statistical
    source_id: str = ""

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"at": list(self.at), "before": self.before, "after": self.after,
                                  "evidence": self.evidence}
        if self.source_id:
            out["source_id"] = self.source_id
        return out


@dataclass(frozen=True, slots=True)
class Restoration:
    """The restored text and the edits; unpacks as ``restored_text, diff = restore(...)``."""

    original: str
    text: str
    edits: tuple[Edit, ...]
    source_id: str = ""

    @property
    def diff(self) -> tuple[Edit, ...]:
        return self.edits

    def __iter__(self) -> Iterator[object]:
        yield self.text
        yield self.edits

    def unified(self, name: str = "text") -> str:
        """A unified diff (by line) from the suspect to the restored text."""
        lines = difflib.unified_diff(self.original.splitlines(keepends=True),
                                     self.text.splitlines(keepends=True),
                                     fromfile=f"{name} (as given)", tofile=f"{name} (restored)")
        return "".join(lines)


def apply_edits(text: str, edits: list[Edit]) -> tuple[str, tuple[Edit, ...]]:
    """Apply non-overlapping edits (earlier ones in ``edits`` win an overlap)."""
    kept: list[Edit] = []
    for e in edits:
        if e.at[1] > e.at[0] and all(e.at[1] <= k.at[0] or k.at[1] <= e.at[0] for k in kept):
            kept.append(e)
    kept.sort(key=lambda e: e.at)
    out, pos = [], 0
    for e in kept:
        out.append(text[pos : e.at[0]])
        out.append(e.after)
        pos = e.at[1]
    out.append(text[pos:])
    return "".join(out), tuple(kept)


def _source_edits(text: str, index: Index) -> tuple[list[Edit], list[tuple[int, int]], str]:
    from ..check import check

    result = check(text, index)
    if not result.derived or not result.sources:
        return [], [], ""
    best = result.sources[0]
    edits: list[Edit] = []
    for passage in best.passages:
        for sub in passage.substitutions:
            if sub.suspect_at[1] > sub.suspect_at[0] and sub.source != sub.suspect:
                edits.append(Edit(sub.suspect_at, sub.suspect, sub.source, "source", best.id))
    return edits, [p.suspect for p in best.passages], best.id


def restore(text: str, *, index: Index | str | Path | None = None,
            config: DetectConfig | None = None) -> Restoration:
    """Restore ``text`` from its source in ``index`` where found, else from flagged phrases."""
    from . import detect

    edits: list[Edit] = []
    covered: list[tuple[int, int]] = []
    source_id = ""
    if index is not None:
        opened = index if isinstance(index, Index) else Index.open(index)
        try:
            edits, covered, source_id = _source_edits(text, opened)
        finally:
            if opened is not index:
                opened.close()
    for p in detect(text, index=index, config=config):
        if p.suggestion and not any(s <= p.at[0] and p.at[1] <= e for s, e in covered):
            edits.append(Edit(p.at, p.phrase, p.suggestion, p.evidence))
    restored, kept = apply_edits(text, edits)
    return Restoration(text, restored, kept, source_id)


__all__ = ["Edit", "Restoration", "restore", "apply_edits"]
