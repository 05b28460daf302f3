"""Build a suspect piece by piece and record exactly where each copied piece came from."""

from __future__ import annotations

from typing import Any

from unspin.bench.records import Case, Range, TruePassage


class SuspectBuilder:
    """Appends pieces of text to a suspect; pieces made from the source carry their source range.

    A piece made from ``source[a:b]`` (copied, spun, edited, disguised: anything that still stands
    for that span) is one true passage. It is merged with the previous passage when only whitespace
    separates them in the suspect and only whitespace separates their spans in the source, so a run
    of sentences kept in order is one passage and a moved run is a passage of its own.
    """

    def __init__(self, source_id: str, source_text: str) -> None:
        self.source_id = source_id
        self._source = source_text
        self._parts: list[str] = []
        self._length = 0
        self._passages: list[
            list[int]
        ] = []  # [suspect_start, suspect_end, source_start, source_end]
        self._clean_since_passage = False

    def add(self, text: str, source_range: Range | None = None) -> None:
        """Append ``text``; ``source_range`` is the span of the source it stands for, if any."""
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        if source_range is None:
            self._clean_since_passage = self._clean_since_passage and (not text or text.isspace())
            return
        a, b = source_range
        if not 0 <= a < b <= len(self._source):
            raise ValueError(
                f"source range {source_range} outside the source ({len(self._source)})"
            )
        last = self._passages[-1] if self._passages else None
        if last and self._clean_since_passage and self._joins(last[3], a):
            last[1], last[3] = self._length, b
        else:
            self._passages.append([start, self._length, a, b])
        self._clean_since_passage = True

    def _joins(self, source_end: int, source_start: int) -> bool:
        gap = self._source[source_end:source_start]
        return source_end <= source_start and (not gap or gap.isspace())

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def build(self, case_id: str, obfuscation: str, meta: dict[str, Any] | None = None) -> Case:
        passages = tuple(
            TruePassage((s, e), self.source_id, (a, b)) for s, e, a, b in self._passages
        )
        return Case(case_id, obfuscation, self.text, passages, dict(meta or {}))
