"""``restore``: the likely original wording of a spun text, with the edits that lead back to it.

Where ``check`` finds the source in the index, each aligned passage is turned back into its source
side word by word (replaced, inserted and deleted words; ``passage_edits``): that is the original
wording, not a guess.
Elsewhere (no source, or text outside the aligned passages), each flagged tortured phrase is
replaced by its suggestion.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..align import Passage
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
        """A unified diff (by line) from the suspect to the restored text; a last line without
        a newline is marked as ``diff`` does, so that no two lines run together."""
        lines = difflib.unified_diff(self.original.splitlines(keepends=True),
                                     self.text.splitlines(keepends=True),
                                     fromfile=f"{name} (as given)", tofile=f"{name} (restored)")
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                       for line in lines)


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


_WORD = re.compile(r"\w+(?:['\u2019]\w+)*|[^\w\s]")


def _words(text: str, span: tuple[int, int]) -> list[tuple[str, int, int]]:
    return [(m.group().lower(), m.start(), m.end()) for m in _WORD.finditer(text, *span)]


def passage_edits(suspect: str, source: str, passage: Passage, source_id: str) -> list[Edit]:
    """Edits that turn the passage's suspect side into its source side, word by word: replaced,
    inserted and deleted words alike, so that no word of the copy survives next to the source
    word that replaced it ("No one was hurt" -> "Nobody was injured", never "Nobody one")."""
    a, b = _words(suspect, passage.suspect), _words(source, passage.source)
    ops = difflib.SequenceMatcher(None, [w for w, _, _ in a], [w for w, _, _ in b],
                                  autojunk=False).get_opcodes()
    edits: list[Edit] = []
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        after = source[b[j1][1] : b[j2 - 1][2]] if j2 > j1 else ""
        if i2 > i1:
            s, e = a[i1][1], a[i2 - 1][2]
            if not after:  # a deleted word takes the space before it along
                s = a[i1 - 1][2] if i1 > 0 else s
        elif i1 > 0 and j1 > 0:  # an inserted word joins the word before it, spaced as in the source
            s, e = a[i1 - 1][1], a[i1 - 1][2]
            after = suspect[s:e] + source[b[j1 - 1][2] : b[j2 - 1][2]]
        elif i1 < len(a) and j2 < len(b):  # ... or the word after it
            s, e = a[i1][1], a[i1][2]
            after = source[b[j1][1] : b[j2][1]] + suspect[s:e]
        else:
            continue
        if suspect[s:e] != after:
            edits.append(Edit((s, e), suspect[s:e], after, "source", source_id))
    return edits


def _source_edits(text: str, index: Index) -> tuple[list[Edit], list[tuple[int, int]], str]:
    from ..check import check

    result = check(text, index)
    if not result.derived or not result.sources:
        return [], [], ""
    best = result.sources[0]
    article = index.get(best.id)
    if article is None:
        return [], [], ""
    edits: list[Edit] = []
    for passage in best.passages:
        edits += passage_edits(text, article.text, passage, best.id)
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


__all__ = ["Edit", "Restoration", "restore", "apply_edits", "passage_edits"]
