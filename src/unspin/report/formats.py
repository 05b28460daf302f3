"""Output formats of ``check``: one writer per format, all fed the same ``CheckItem`` records.

``writer_for(fmt, stream)`` gives the writer of a format name in ``WRITERS``; each writes one
result at a time (``write``) and ends with ``finish(summary)``. Formats:

- ``text``: the readable report (``report.terminal.render``), a blank line between suspects;
- ``json``: one JSON object per suspect per line (``report.json``); with a summary, a last line
  ``{"summary": ...}``;
- ``csv``: one row per suspect and source (``report.csv.CHECK_COLUMNS``, documented in README.md).

A new format (the HTML report) plugs in by adding a class with the same methods to ``WRITERS``.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from ..check import CheckResult
from ..errors import UsageError
from ..sanitize import json_safe
from .csv import CHECK_COLUMNS, check_rows
from .json import check_record, summary_to_dict
from .summary import BatchSummary
from .terminal import render


@dataclass(frozen=True, slots=True)
class CheckItem:
    """One checked suspect, with what any format may show of it.

    ``label`` names it for people (``path``, or ``path#id`` for a record of a file of many);
    ``text`` is what its offsets point into; ``extracted`` says that text came out of a page (JSON
    then carries it); ``sources`` maps source ids to their texts (the readable report shows
    passages of both); ``tortured`` holds its tortured phrases when they were looked for.
    """

    result: CheckResult
    text: str
    label: str
    extracted: bool = False
    sources: Mapping[str, str] = field(default_factory=dict)
    tortured: list[dict[str, Any]] | None = None


class CheckWriter(Protocol):
    """What every format's writer does. ``needs_sources``: whether ``CheckItem.sources`` is read."""

    needs_sources: bool

    def write(self, item: CheckItem) -> None: ...

    def finish(self, summary: BatchSummary | None = None) -> None: ...


def record_label(path: str, record_id: str, multi_record: bool) -> str:
    """How a report names a suspect: its path, or ``path#id`` when the file holds many records."""
    return f"{path}#{record_id}" if multi_record else (path or record_id)


class TextWriter:
    """The readable report; the summary is a message, printed by the caller on stderr."""

    needs_sources = True

    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream
        self.color = color

    def write(self, item: CheckItem) -> None:
        body = render(item.result, item.text, item.sources, color=self.color, label=item.label)
        self.stream.write(body + "\n\n")
        self.stream.flush()

    def finish(self, summary: BatchSummary | None = None) -> None:
        self.stream.flush()


class JsonWriter:
    """JSON lines, one object per suspect; ``finish(summary)`` adds the ``{"summary": ...}`` line."""

    needs_sources = False

    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream

    def _line(self, obj: dict[str, Any]) -> None:
        self.stream.write(json_safe(json.dumps(obj, ensure_ascii=False)) + "\n")
        self.stream.flush()

    def write(self, item: CheckItem) -> None:
        text = item.text if item.extracted else None
        self._line(check_record(item.result, suspect_text=text, tortured=item.tortured))

    def finish(self, summary: BatchSummary | None = None) -> None:
        if summary is not None:
            self._line(summary_to_dict(summary))


class CsvWriter:
    """A header row, then one row per suspect and source (one row for a suspect with none)."""

    needs_sources = False

    def __init__(self, stream: TextIO, *, color: bool = False) -> None:
        self.stream = stream
        self.writer = csv.DictWriter(stream, fieldnames=CHECK_COLUMNS, lineterminator="\n")
        self.writer.writeheader()

    def write(self, item: CheckItem) -> None:
        self.writer.writerows(check_rows(item.result, item.label, item.tortured))
        self.stream.flush()

    def finish(self, summary: BatchSummary | None = None) -> None:
        self.stream.flush()


WRITERS: dict[str, type[TextWriter] | type[JsonWriter] | type[CsvWriter]] = {
    "text": TextWriter,
    "json": JsonWriter,
    "csv": CsvWriter,
}
"""Format name to writer class; ``check --format`` offers these names."""


def writer_for(fmt: str, stream: TextIO, *, color: bool = False) -> CheckWriter:
    """The writer of format ``fmt`` on ``stream``; ``color`` only matters for ``text``."""
    try:
        cls = WRITERS[fmt]
    except KeyError:
        raise UsageError(f"unknown output format {fmt!r}; choose one of {', '.join(WRITERS)}") from None
    return cls(stream, color=color)


__all__ = ["CheckItem", "CheckWriter", "WRITERS", "writer_for", "record_label",
           "TextWriter", "JsonWriter", "CsvWriter"]
