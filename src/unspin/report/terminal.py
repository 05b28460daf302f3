"""A readable terminal report: verdict, sources, passages side by side, substitutions highlighted."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping

from ..align import Substitution
from ..check import CheckResult
from ..sanitize import terminal

_WHITESPACE = re.compile(r"\s+")
_SPACES = re.compile(" {2,}")
_RED, _GREEN, _BOLD, _DIM, _RESET = "\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[2m", "\x1b[0m"


def _mark(text: str, span: tuple[int, int], subs: list[tuple[int, int]], color: str, on: bool) -> str:
    """The passage text with substituted words wrapped in colour (or [brackets] without colour)."""
    out, pos = [], span[0]
    for s, e in sorted(subs):
        if s < pos or e > span[1] or s == e:
            continue
        out.append(_plain(text[pos:s]))
        out.append(f"{color}{_plain(text[s:e])}{_RESET}" if on else f"[{_plain(text[s:e])}]")
        pos = e
    out.append(_plain(text[pos : span[1]]))
    return _SPACES.sub(" ", "".join(out)).strip()


def _plain(text: str) -> str:
    """Text from an input, whitespace runs as one space, control characters shown visibly."""
    return terminal(_WHITESPACE.sub(" ", text))


def _change(sub: Substitution) -> str:
    """One change as the report lists it: "source -> suspect", "+inserted", "-deleted", or
    "moved: words"."""
    if sub.kind == "inserted":
        return f"+{_plain(sub.suspect)}"
    if sub.kind == "deleted":
        return f"-{_plain(sub.source)}"
    if sub.kind == "moved":
        return f"moved: {_plain(sub.suspect)}"
    return f"{_plain(sub.source)} -> {_plain(sub.suspect)}"


def render(result: CheckResult, suspect_text: str, sources: Mapping[str, str], *,
           color: bool = False, width: int = 100, max_passages: int = 6, label: str = "") -> str:
    """The readable report of one result; ``label`` names the suspect (default: its path or id)."""
    b = _BOLD if color else ""
    r = _RESET if color else ""
    verdict = result.verdict.replace("_", " ")
    name = terminal(label or result.path or result.suspect_id)
    lang = f", language {result.lang}" if result.lang else ""
    lines = [f"{b}{name}{r}: {verdict} (confidence {result.confidence:.2f}, "
             f"{result.chars} chars{lang})"]
    if not result.sources:
        lines.append("  no source found in the index")
    for rank, s in enumerate(result.sources, 1):
        lines.append(
            f"  {rank}. {b}{terminal(s.id)}{r} {terminal(repr(s.title))}  score {s.score:.2f}  obfuscation {s.obfuscation}  "
            f"covers {s.coverage_suspect:.0%} of suspect, {s.coverage_source:.0%} of source"
        )
        src_text = sources.get(s.id, "")
        for p in s.passages[:max_passages]:
            variants = f", {len(p.variants)} variants not counted" if p.variants else ""
            lines.append(f"     {p.kind:<10} suspect {p.suspect[0]}-{p.suspect[1]}  <-  source "
                         f"{p.source[0]}-{p.source[1]}  ({len(p.substitutions)} changes{variants})")
            sus = _mark(suspect_text, p.suspect, [x.suspect_at for x in p.substitutions], _RED, color)
            src = _mark(src_text, p.source, [x.source_at for x in p.substitutions], _GREEN, color)
            for label, body in (("suspect", sus), ("source ", src)):
                wrapped = textwrap.wrap(body, width - 16) or [""]
                shown = wrapped[:3] + (["..."] if len(wrapped) > 3 else [])
                lines.append(f"       {label}: " + f"\n{' ' * 16}".join(shown))
            if p.substitutions:
                pairs = ", ".join(_change(x) for x in p.substitutions[:8])
                more = f" (+{len(p.substitutions) - 8} more)" if len(p.substitutions) > 8 else ""
                lines.append(f"       {_DIM if color else ''}changes: {pairs}{more}{r}")
        if len(s.passages) > max_passages:
            lines.append(f"     ... {len(s.passages) - max_passages} more passages (use --json)")
    return "\n".join(lines)


__all__ = ["render"]
