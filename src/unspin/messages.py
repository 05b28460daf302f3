"""Messages about skipped input, printed safely and capped so that a bad file cannot flood stderr.

After ``limit`` messages of one kind for one input (bad lines of one JSON lines file, bad records of
one WARC file, bad files of one folder) the rest are counted, and one line says how many were left
out: ``... and 9,990 more bad lines in bad.jsonl``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

from .article import BadRecord
from .sanitize import terminal

DEFAULT_LIMIT = 10

# The library's names for settings, and the options a CLI user types for them
_CLI_WORDS = {
    "IngestConfig.max_bytes": "--max-bytes",
    "IngestConfig.id_field": "--id-field",
    "IngestConfig.text_field": "--text-field",
    "IndexConfig.semantic": "--semantic",
    "CheckConfig.candidates": "--candidates",
    "CheckConfig.max_sources": "--max-sources",
    "CheckConfig.max_suspect_chars": "--max-suspect-chars",
}
_CLI_PATTERN = re.compile("|".join(re.escape(k) for k in _CLI_WORDS))


def cli_words(message: str) -> str:
    """A library message in the CLI's language: ``IngestConfig.max_bytes`` becomes ``--max-bytes``."""
    return _CLI_PATTERN.sub(lambda m: _CLI_WORDS[m.group()], message)


def _kind(bad: BadRecord) -> tuple[str, str]:
    """(the input it belongs to, the plural noun of its kind)."""
    word = bad.location.split(" ", 1)[0] if bad.location else ""
    if word:
        return bad.path, f"bad {word}s"
    return os.path.dirname(bad.path) or ".", "bad files"


class CappedMessages:
    """Prints one line per bad record, at most ``limit`` of one kind per input, then a count."""

    def __init__(self, write: Callable[[str], None], *, limit: int = DEFAULT_LIMIT,
                 prefix: str = "unspin: skipped ") -> None:
        if limit < 1:
            raise ValueError("CappedMessages.limit must be >= 1")
        self.write = write
        self.limit = limit
        self.prefix = prefix
        self._shown: dict[tuple[str, str], int] = {}
        self._hidden: dict[tuple[str, str], int] = {}

    def __call__(self, bad: BadRecord) -> None:
        key = _kind(bad)
        if self._hidden and key not in self._hidden:  # a new input: close the last one's count
            self.flush()
        shown = self._shown.get(key, 0)
        if shown < self.limit:
            self._shown[key] = shown + 1
            self.write(self.prefix + terminal(cli_words(str(bad))))
        else:
            self._hidden[key] = self._hidden.get(key, 0) + 1

    def flush(self) -> None:
        """Print the count line of every input whose messages were cut short."""
        for (where, noun), n in self._hidden.items():
            self.write(f"unspin: ... and {n:,} more {noun} in {terminal(where)}")
        self._hidden.clear()


__all__ = ["CappedMessages", "DEFAULT_LIMIT", "cli_words"]
