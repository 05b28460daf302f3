"""Progress of a bulk run: how many records there are to read (when that is cheap to know), and a
bar on stderr with the total, the rate and the time left, shown only to a person at a terminal."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

from tqdm import tqdm

_CHUNK = 1 << 20


def count_lines(path: str) -> int:
    """Non-empty-ended lines in a file, by counting newline bytes (about 1 GB/s)."""
    lines, last = 0, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def _lines_or_one(path: str) -> int:
    try:
        return count_lines(path)
    except OSError:  # unreadable: the reader reports it as one bad record
        return 1


def count_records(locations: Sequence[str]) -> int | None:
    """How many records reading ``locations`` yields, good and bad, or None when not cheap to
    know (standard input, WARC files). Text and HTML files and web addresses hold one record; a
    JSON lines file one per line; missing or unknown paths count one (each is one bad record)."""
    from .fetch import is_url
    from .ingest.paths import InputFile, iter_files

    total = 0
    for location in locations:
        if is_url(location):
            total += 1
            continue
        for entry in iter_files([location]):
            if not isinstance(entry, InputFile) or entry.format not in ("stdin", "warc", "jsonl"):
                total += 1
            elif entry.format == "jsonl":
                total += _lines_or_one(entry.path)
            else:
                return None
    return total


def shown(quiet: bool, stream: TextIO | None = None) -> bool:
    """Whether a bar is shown: not ``quiet``, and stderr (or ``stream``) is a terminal."""
    stream = stream or sys.stderr
    return not quiet and stream.isatty()


def bar(total: int | None, *, unit: str, enabled: bool) -> tqdm:
    """A progress bar on stderr: ``n/total`` with percent, rate and time left when the total is
    known, a count and a rate otherwise; nothing at all unless ``enabled``."""
    return tqdm(total=total, unit=unit, file=sys.stderr, disable=not enabled,
                dynamic_ncols=True, leave=False, unit_scale=False)


__all__ = ["bar", "count_lines", "count_records", "shown"]
