"""Which files to read: expand directories, name each file's format, report the rest."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from unspin.article import BadRecord

from .base import OnBad, logger

STDIN = "-"

FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".jsonl": "jsonl",
    ".html": "html",
    ".htm": "html",
    ".warc": "warc",
    ".warc.gz": "warc",
}
"""File name ending (lower case) to the reader that reads it."""

SUPPORTED = ", ".join(FORMATS)
_LONGEST_FIRST = sorted(FORMATS, key=len, reverse=True)


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read. ``name`` is the article id for one-article formats (text, HTML)."""

    path: str
    name: str
    format: str


def format_of(path: str) -> str | None:
    lower = path.lower()
    return next((FORMATS[end] for end in _LONGEST_FIRST if lower.endswith(end)), None)


def _unknown(path: str) -> BadRecord:
    return BadRecord(
        path, "", f"unknown file type, skipped; supported: {SUPPORTED}, or - for stdin"
    )


def _walk(root: str, rel: str = "") -> Iterator[InputFile | BadRecord]:
    """Files under ``root`` in sorted order, recursively, skipping hidden names."""
    folder = os.path.join(root, rel) if rel else root
    try:
        with os.scandir(folder) as entries:
            names = sorted(
                (e.name, e.is_dir(), e.is_symlink()) for e in entries if not e.name.startswith(".")
            )
    except OSError as exc:
        yield BadRecord(
            folder, "", f"cannot list the directory ({exc.strerror or exc}); check its permissions"
        )
        return
    for name, is_dir, is_link in names:
        child = f"{rel}/{name}" if rel else name
        path = os.path.join(root, child)
        if is_dir and is_link:
            yield BadRecord(
                path, "", "link to a directory, not followed; give the directory itself"
            )
            continue
        if is_dir:
            yield from _walk(root, child)
            continue
        fmt = format_of(name)
        if fmt:
            yield InputFile(path, child, fmt)
        else:  # other files in a corpus folder (READMEs, licences) are not input errors
            logger.debug("%s: not a supported input type, ignored", path)


def iter_files(paths: Sequence[str | os.PathLike[str]]) -> Iterator[InputFile | BadRecord]:
    """Like ``iter_paths``, yielding the bad paths in line instead of reporting them."""
    for given in paths:
        path = os.fspath(given)
        if path == STDIN:
            yield InputFile(STDIN, "stdin", "stdin")
        elif os.path.isdir(path):
            yield from _walk(path)
        elif not os.path.exists(path):
            yield BadRecord(path, "", "no such file or directory; check the path")
        elif (fmt := format_of(path)) is None:
            yield _unknown(path)
        else:
            yield InputFile(path, Path(path).stem, fmt)


def iter_paths(
    paths: Sequence[str | os.PathLike[str]], *, on_bad: OnBad | None = None
) -> Iterator[InputFile]:
    """The files to read for ``paths``: directories expanded recursively in sorted order.

    Hidden names inside directories are skipped; ``-`` stands for standard input. Missing paths and
    unknown file types go to ``on_bad`` (or the ``unspin.ingest`` logger) and are left out.
    """
    for item in iter_files(paths):
        if isinstance(item, InputFile):
            yield item
        elif on_bad is not None:
            on_bad(item)
        else:
            logger.warning("skipped %s", item)
