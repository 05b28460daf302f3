"""Is an index whole? Cheap checks on every open, full ones in ``verify``, and the fixes.

What is recorded, and where:

- the manifest's settings carry a checksum (``settings.sha256``): an edited ``hash_seed`` or a
  config that is no longer valid JSON is refused, not used;
- every posting segment (``seg-*.npy``) is registered with its size and sha256;
- every article's text with its CRC-32, checked whenever the text is read;
- the sentence vectors (``sentences.usearch``) with their size and sha256 in the JSON beside them.

Sizes are compared on every open (a ``stat`` per file); checksums, SQLite's ``integrity_check`` and
the article CRCs are checked by :func:`verify` (``unspin index verify``). Each problem says which
command fixes it: ``unspin index repair`` rebuilds segments and vectors from the SQLite file,
``unspin index build --rebuild`` rebuilds everything from the corpus.
"""

from __future__ import annotations

import hashlib
import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from ..errors import IndexDamagedError

SETTINGS_KEY = "settings.sha256"

Fix = Literal["repair", "rebuild"]
Store = Literal["", "segments", "sentences", "crosslingual"]  # what a repair rebuilds


def repair_command(path: str | Path) -> str:
    return f"unspin index repair --index {path}"


def rebuild_command(path: str | Path) -> str:
    return f"unspin index build --rebuild CORPUS --index {path}"


def fix_advice(path: str | Path, fix: Fix) -> str:
    if fix == "repair":
        return f"run `{repair_command(path)}`"
    return f"rebuild it from its corpus with `{rebuild_command(path)}`"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an index, and what fixes it."""

    what: str
    fix: Fix
    complete: bool = False  # ``what`` is already a whole message (from a named error)
    store: Store = ""  # the part of the index that ``repair`` rebuilds for it

    def message(self, path: str | Path) -> str:
        if self.complete:
            return self.what
        return f"{path}: damaged index: {self.what}; {fix_advice(path, self.fix)}"


def damaged(path: str | Path, what: str, fix: Fix) -> IndexDamagedError:
    return IndexDamagedError(Problem(what, fix).message(path))


# -- checksums ----------------------------------------------------------------------------------
def settings_checksum(meta: dict[str, str]) -> str:
    """The sha256 of every manifest entry but itself (sorted, as JSON)."""
    body = {k: v for k, v in meta.items() if k != SETTINGS_KEY}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()


def text_crc(text: str) -> int:
    """The CRC-32 of an article's text (lone surrogates kept as they are)."""
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


class HashingWriter:
    """A binary file wrapper that counts and hashes what is written through it."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.size = 0
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> int:
        view = memoryview(data).cast("B")
        self.digest.update(view)
        self.size += len(view)
        return self.fh.write(view)

    def hexdigest(self) -> str:
        return self.digest.hexdigest()


def file_size(path: Path) -> int | None:
    try:
        return os.stat(path).st_size
    except OSError:
        return None


# -- manifest -----------------------------------------------------------------------------------
def manifest_problem(meta: dict[str, str]) -> Problem | None:
    """Whether the manifest's settings are whole: valid JSON, not edited since the index was made."""
    recorded = meta.get(SETTINGS_KEY)
    if recorded is None:
        return Problem("its manifest has no settings checksum", "rebuild")
    if recorded != settings_checksum(meta):
        return Problem("its manifest's settings were changed after it was built (they no longer "
                       "match their checksum), so its fingerprints cannot be trusted", "rebuild")
    try:
        config = json.loads(meta.get("config", ""))
    except ValueError:
        return Problem("its manifest's config is not valid JSON", "rebuild")
    if not isinstance(config, dict):
        return Problem("its manifest's config is not a JSON object", "rebuild")
    return None


__all__ = ["SETTINGS_KEY", "Problem", "HashingWriter", "damaged", "fix_advice", "file_size",
           "manifest_problem", "rebuild_command", "repair_command", "settings_checksum",
           "text_crc"]
