"""A running count of what a read produced, for the CLI to print at the end."""

from __future__ import annotations

from dataclasses import dataclass, field

from unspin.article import BadRecord


@dataclass(slots=True)
class IngestSummary:
    """Articles read and bad records skipped; keeps the first ``keep`` bad records for the report.

    ``summary = IngestSummary()``; ``for a in read_inputs(paths, on_bad=summary.add_bad):
    summary.articles += 1``; then ``print(summary.report())``.
    """

    articles: int = 0
    bad_count: int = 0
    bad: list[BadRecord] = field(default_factory=list)
    keep: int = 1000

    def add_bad(self, record: BadRecord) -> None:
        self.bad_count += 1
        if len(self.bad) < self.keep:
            self.bad.append(record)

    def __str__(self) -> str:
        return f"read {self.articles} article(s); skipped {self.bad_count} bad input(s)"

    def report(self, limit: int = 20) -> str:
        """The one-line count, then up to ``limit`` bad records, one a line."""
        lines = [str(self), *(f"  {bad}" for bad in self.bad[:limit])]
        if self.bad_count > limit:
            lines.append(f"  ... and {self.bad_count - limit} more")
        return "\n".join(lines)
