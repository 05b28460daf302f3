"""Which files to read: expand directories, name each file's format, report the rest."""

from __future__ import annotations

import errno
import os
import stat
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


def _listing(folder: str) -> list[tuple[str, str]] | BadRecord:
    """(name, full path) of the visible entries of ``folder``, sorted; a bad record if unlistable."""
    try:
        with os.scandir(folder) as entries:
            return sorted((e.name, e.path) for e in entries if not e.name.startswith("."))
    except OSError as exc:
        return BadRecord(
            folder, "", f"cannot list the directory ({exc.strerror or exc}); check its permissions"
        )


def _entry_problem(path: str) -> str | None:
    """Why the entry at ``path`` cannot be read as a file, or None when it can."""
    try:
        st = os.stat(path)  # follows links
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop, skipped; fix or remove the link"
        if os.path.islink(path):
            return f"dangling link to {os.readlink(path)!r}, skipped; fix or remove the link"
        return f"cannot read it ({exc.strerror or exc}), skipped; check the path"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a pipe, socket or device), skipped"
    if not os.access(path, os.R_OK):
        return "cannot read it (permission denied), skipped; check its permissions"
    return None


def _walk(root: str, rel: str = "") -> Iterator[InputFile | BadRecord]:
    """Files under ``root`` in sorted order, recursively, skipping hidden names.

    A bad entry (a link loop, a dangling link, an unreadable file, a pipe) gives its own bad record
    and the rest of the folder is read.
    """
    folder = os.path.join(root, rel) if rel else root
    listing = _listing(folder)
    if isinstance(listing, BadRecord):
        yield listing
        return
    for name, path in listing:
        child = f"{rel}/{name}" if rel else name
        if os.path.isdir(path):
            if os.path.islink(path):
                yield BadRecord(
                    path, "", "link to a directory, not followed; give the directory itself"
                )
            else:
                yield from _walk(root, child)
            continue
        fmt = format_of(name)
        if not fmt:  # other files in a corpus folder (READMEs, licences) are not input errors
            logger.debug("%s: not a supported input type, ignored", path)
        elif (problem := _entry_problem(path)) is not None:
            yield BadRecord(path, "", problem)
        else:
            yield InputFile(path, child, fmt)


def _folder(path: str) -> Iterator[InputFile | BadRecord]:
    """The files of a folder given as input; a bad record if it holds no supported file."""
    found = False
    for item in _walk(path):
        found = True
        yield item
    if not found:
        yield BadRecord(path, "", f"the directory holds no supported file ({SUPPORTED}); "
                                  "give a folder of articles")


def iter_files(paths: Sequence[str | os.PathLike[str]]) -> Iterator[InputFile | BadRecord]:
    """Like ``iter_paths``, yielding the bad paths in line instead of reporting them."""
    for given in paths:
        path = os.fspath(given)
        if path == STDIN:
            yield InputFile(STDIN, "stdin", "stdin")
        elif os.path.isdir(path):
            yield from _folder(path)
        elif not os.path.lexists(path):
            yield BadRecord(path, "", "no such file or directory; check the path")
        elif (fmt := format_of(path)) is None:
            yield _unknown(path)
        elif (problem := _entry_problem(path)) is not None:
            yield BadRecord(path, "", problem)
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
