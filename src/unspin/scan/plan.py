"""Which shards a scan runs: one per input file, large WARC and JSON-lines files split by records.

The plan is made once, by a cheap first pass that notes where every ``shard_records``-th record
starts (WARC headers are read without their payloads), and saved in the output folder, so that a
resumed scan runs the very same shards and finds the ones already done.
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..article import BadRecord
from ..errors import UsageError
from ..ingest.jsonl import line_offsets
from ..ingest.paths import InputFile, iter_files
from ..ingest.warc import record_offsets

LIST_ENDINGS = (".paths", ".paths.gz")
"""A CRAWL argument with one of these endings (or written ``@FILE``) lists input paths, one a line."""

PLAN_NAME = "plan.json"
PLAN_FORMAT = 1


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of work: records ``[start, stop)`` (byte offsets) of one file, or whole files.

    ``first`` is the number (from 1) of the shard's first record in its file; ``stop`` is None
    for "to the end of the file". Text and HTML shards hold several one-article files.
    """

    id: str
    format: str
    paths: tuple[str, ...]
    start: int = 0
    stop: int | None = None
    first: int = 1

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Shard:
        return cls(data["id"], data["format"], tuple(data["paths"]), data["start"], data["stop"],
                   data["first"])


@dataclass(frozen=True, slots=True)
class Plan:
    inputs: tuple[str, ...]
    shard_records: int
    shards: tuple[Shard, ...]
    bad: tuple[BadRecord, ...] = ()  # inputs that could not be planned (missing, unknown type)
    settings: dict[str, Any] = field(default_factory=dict)  # what a resumed scan must match

    def to_json(self) -> dict[str, Any]:
        return {
            "format": PLAN_FORMAT,
            "inputs": list(self.inputs),
            "shard_records": self.shard_records,
            "shards": [s.to_json() for s in self.shards],
            "bad": [[b.path, b.location, b.message] for b in self.bad],
            "settings": self.settings,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Plan:
        return cls(tuple(data["inputs"]), data["shard_records"],
                   tuple(Shard.from_json(s) for s in data["shards"]),
                   tuple(BadRecord(*b) for b in data.get("bad", [])), data.get("settings", {}))


def expand_inputs(crawl: Sequence[str | os.PathLike[str]]) -> list[str]:
    """The crawl paths given, with each path list (``.paths``, ``.paths.gz``, ``@FILE``) read.

    Relative paths in a list are relative to the list's folder.
    """
    out: list[str] = []
    for given in crawl:
        path = os.fspath(given)
        listed = path[1:] if path.startswith("@") else path
        if path.startswith("@") or path.lower().endswith(LIST_ENDINGS):
            out.extend(_read_list(listed))
        else:
            out.append(os.path.abspath(path))
    return out


def _read_list(path: str) -> Iterator[str]:
    opener = gzip.open if path.lower().endswith(".gz") else open
    base = os.path.dirname(os.path.abspath(path))
    try:
        with opener(path, "rt", encoding="utf-8") as f:
            lines = [line.strip() for line in f]
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise UsageError(
            f"{path}: cannot read this list of crawl paths ({exc}); check the file"
        ) from None
    for line in lines:
        if line and not line.startswith("#"):
            yield os.path.normpath(os.path.join(base, line))


def make_plan(inputs: Sequence[str], shard_records: int,
              settings: dict[str, Any] | None = None) -> Plan:
    """Shards for ``inputs`` (absolute paths of files or folders), in input order."""
    if shard_records < 1:
        raise UsageError(f"shard_records must be at least 1, not {shard_records}")
    shards: list[Shard] = []
    bad: list[BadRecord] = []
    singles: list[InputFile] = []  # one-article files, grouped into shards
    for entry in iter_files(list(inputs)):
        if isinstance(entry, BadRecord):
            bad.append(entry)
        elif entry.format in ("txt", "html"):
            singles.append(entry)
        elif entry.format == "stdin":
            bad.append(BadRecord("-", "", "a scan cannot read standard input; give files"))
        else:
            shards.extend(_split(entry, shard_records, len(shards)))
    for i in range(0, len(singles), shard_records):
        group = singles[i : i + shard_records]
        fmt = group[0].format if len({f.format for f in group}) == 1 else "files"
        shards.append(Shard(f"{len(shards):06d}", fmt, tuple(f.path for f in group)))
    return Plan(tuple(inputs), shard_records, tuple(shards), tuple(bad), settings or {})


def _split(entry: InputFile, every: int, number: int) -> Iterator[Shard]:
    """The shards of one WARC or JSON-lines file: ``every`` records each."""
    if entry.format == "warc":
        starts = [(n + 1, off) for n, off in enumerate(record_offsets(entry.path)) if n % every == 0]
    else:
        starts = list(line_offsets(entry.path, every))
    starts = starts or [(1, 0)]
    for i, (first, start) in enumerate(starts):
        stop = starts[i + 1][1] if i + 1 < len(starts) else None
        yield Shard(f"{number + i:06d}", entry.format, (entry.path,), start, stop, first)


def load_plan(out: Path) -> Plan | None:
    path = out / PLAN_NAME
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != PLAN_FORMAT:
            raise ValueError(f"plan format {data.get('format')}")
        return Plan.from_json(data)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(
            f"{path}: unreadable scan plan ({exc}); rerun with --restart to start the scan over"
        ) from None


def save_plan(out: Path, plan: Plan) -> None:
    write_atomic(out / PLAN_NAME, json.dumps(plan.to_json(), indent=1))


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename it into place."""
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError:  # a full disk: leave no half-written file behind
        tmp.unlink(missing_ok=True)
        raise


__all__ = ["Shard", "Plan", "expand_inputs", "make_plan", "load_plan", "save_plan", "write_atomic"]
