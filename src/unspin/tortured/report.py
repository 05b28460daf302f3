"""Reports of tortured phrases: one JSON object per file, or a readable text with highlights."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ..sanitize import terminal
from .phrase import TorturedPhrase
from .restore import Restoration
from .verdict import Verdict

_WS = re.compile(r"\s+")
_ON, _OFF = "\x1b[1;31m", "\x1b[0m"


def phrases_record(path: str, phrases: Sequence[TorturedPhrase],
                   record_id: str | None = None, verdict: Verdict | None = None) -> dict[str, Any]:
    """One line of ``tortured --json``; ``id`` (the record's id) when given; the page verdict."""
    head: dict[str, Any] = {"path": path} if record_id is None else {"path": path, "id": record_id}
    out: dict[str, Any] = {**head, "tortured_phrases": [
        {k: v for k, v in p.as_dict().items() if k != "detail"} for p in phrases]}
    if verdict is not None:
        out["verdict"] = verdict.as_dict()
    return out


def render_verdict(verdict: Verdict) -> str:
    counts = ", ".join(f"{n} {kind}" for kind, n in verdict.counts.items()) or "no flags"
    return f"  page: {verdict.label} ({counts}; {verdict.words} words)"


def restoration_record(path: str, result: Restoration,
                       record_id: str | None = None) -> dict[str, Any]:
    """One line of ``restore --json``; ``id`` (the record's id) when given."""
    head: dict[str, Any] = {"path": path} if record_id is None else {"path": path, "id": record_id}
    return {**head, "restored": result.text, "source_id": result.source_id or None,
            "diff": [e.as_dict() for e in result.edits]}


def _line(text: str, at: tuple[int, int], color: bool, width: int) -> str:
    s, e = at
    left = terminal(_WS.sub(" ", text[max(0, s - width) : s]))
    right = terminal(_WS.sub(" ", text[e : e + width]))
    word = terminal(_WS.sub(" ", text[s:e]))
    mid = f"{_ON}{word}{_OFF}" if color else f"[[{word}]]"
    return f"...{left}{mid}{right}..."


def render_phrases(path: str, text: str, phrases: Sequence[TorturedPhrase], *,
                   color: bool = False, width: int = 40, verdict: Verdict | None = None) -> str:
    path = terminal(path)
    tail = [render_verdict(verdict)] if verdict is not None else []
    if not phrases:
        return "\n".join([f"{path}: no tortured phrases", *tail])
    out = [f"{path}: {len(phrases)} tortured phrase(s)", *tail]
    for p in phrases:
        out.append(f"  {p.at[0]}-{p.at[1]}  {terminal(repr(p.phrase))} -> {terminal(repr(p.suggestion))}"
                   f"  ({p.evidence}, {p.score:.2f})")
        out.append(f"      {_line(text, p.at, color, width)}")
    return "\n".join(out)


def render_restoration(path: str, result: Restoration) -> str:
    where = f" from source {terminal(result.source_id)}" if result.source_id else ""
    head = f"{terminal(path)}: {len(result.edits)} edit(s){where}"
    diff = terminal(result.unified(path), multiline=True)
    return head + ("\n" + diff if diff else "")


__all__ = ["phrases_record", "restoration_record", "render_phrases", "render_restoration",
           "render_verdict"]
