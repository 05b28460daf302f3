"""A batch summary: how many suspects were read, derived, not derived or bad, and from what.

``BatchSummary`` counts as a run goes (``add`` for each result, ``add_bad`` for each skipped
record); ``check`` and ``scan`` print ``render()`` at the end, and ``summary_to_dict`` in
``report.json`` gives the ``{"summary": ...}`` object of ``--summary-json``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..check import CheckResult
from ..sanitize import terminal


@dataclass(slots=True)
class BatchSummary:
    """Running counts of one batch of checks; ``top`` sources by how many suspects derive from them."""

    read: int = 0
    derived: int = 0
    not_derived: int = 0
    bad: int = 0
    sources: Counter[str] = field(default_factory=Counter)
    titles: dict[str, str] = field(default_factory=dict)

    def add(self, result: CheckResult) -> None:
        """Count one checked suspect; a derived one counts for its best source."""
        self.read += 1
        if not result.derived:
            self.not_derived += 1
            return
        self.derived += 1
        if result.sources:
            best = result.sources[0]
            self.sources[best.id] += 1
            self.titles.setdefault(best.id, best.title)

    def add_bad(self, count: int = 1) -> None:
        """Count records that were skipped as bad input."""
        self.bad += count

    def top(self, n: int = 5) -> list[tuple[str, int]]:
        """The ``n`` sources most suspects derive from, most first (ties by id)."""
        return sorted(self.sources.items(), key=lambda kv: (-kv[1], kv[0]))[:n]

    def render(self, n: int = 5) -> str:
        """Readable lines: the counts, then the top sources with their counts."""
        lines = [
            f"summary: {self.read} suspect(s) checked: {self.derived} derived, "
            f"{self.not_derived} not derived; {self.bad} bad input(s) skipped"
        ]
        top = self.top(n)
        if top:
            lines.append("top sources:")
            width = len(str(top[0][1]))
            for source_id, count in top:
                title = self.titles.get(source_id, "")
                shown = terminal(source_id) + (f"  {terminal(repr(title))}" if title else "")
                lines.append(f"  {count:>{width}}  {shown}")
        return "\n".join(lines)


__all__ = ["BatchSummary"]
