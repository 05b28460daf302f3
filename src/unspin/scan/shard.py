"""The scan stage: check every page of one shard and write its results, then its done-marker.

Results go to ``shards/<id>.jsonl`` by way of a temporary file that is renamed into place when the
shard is complete; then ``shards/<id>.done.json`` records the shard's counts, written the same way.
A shard without its marker is not done: a rerun does it again and replaces its results file, so a
killed run loses at most the shards in flight and never writes a result twice.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..article import Article, BadRecord
from ..check import check
from ..config import CheckConfig, IngestConfig
from ..index import Index
from ..ingest import READERS
from ..ingest import jsonl as jsonl_reader
from ..ingest import warc as warc_reader
from ..ingest.base import Item
from ..ingest.paths import InputFile, format_of
from ..report.json import result_to_dict
from ..sanitize import json_safe
from .plan import Shard, write_atomic
from .screen import ScreenConfig, ScreenTable, screen

SHARDS_DIR = "shards"
MAX_BAD_LISTED = 20  # bad records listed by name in a marker; all are counted


@dataclass(frozen=True, slots=True)
class ScanSettings:
    """What every worker needs to run shards: everything here must be picklable."""

    index: str
    out: str
    keep_all: bool = False
    check: CheckConfig = field(default_factory=CheckConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    screen: ScreenConfig = field(default_factory=ScreenConfig)


@dataclass(slots=True)
class ShardCounts:
    """What one shard did: the content of its done-marker."""

    shard: str
    read: int = 0
    derived: int = 0
    written: int = 0
    bad: dict[str, int] = field(default_factory=dict)
    bad_records: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this worker's CPU time on the shard (per-core rates on a busy host)

    @property
    def bad_total(self) -> int:
        return sum(self.bad.values())

    def add_bad(self, record: BadRecord) -> None:
        reason = bad_reason(record.message)
        self.bad[reason] = self.bad.get(reason, 0) + 1
        if len(self.bad_records) < MAX_BAD_LISTED:
            self.bad_records.append(str(record))

    def to_json(self) -> dict[str, Any]:
        return {"shard": self.shard, "read": self.read, "derived": self.derived,
                "written": self.written, "bad": self.bad, "bad_records": self.bad_records,
                "seconds": round(self.seconds, 3), "cpu_seconds": round(self.cpu_seconds, 3)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ShardCounts:
        return cls(data["shard"], data["read"], data["derived"], data["written"],
                   dict(data["bad"]), list(data.get("bad_records", [])), data.get("seconds", 0.0),
                   data.get("cpu_seconds", 0.0))


_DIGITS = re.compile(r"\d[\d,.]*")


def bad_reason(message: str) -> str:
    """A bad record's kind: its message up to the first detail, with numbers left out."""
    head = re.split(r"[;(]", message, maxsplit=1)[0]
    return _DIGITS.sub("N", head).strip() or "unreadable"


def results_path(out: Path, shard_id: str) -> Path:
    return out / SHARDS_DIR / f"{shard_id}.jsonl"


def marker_path(out: Path, shard_id: str) -> Path:
    return out / SHARDS_DIR / f"{shard_id}.done.json"


def shard_items(shard: Shard, config: IngestConfig) -> Iterator[Item]:
    """The pages (and bad records) of a shard, extracted once, streamed."""
    if shard.format == "warc":
        yield from warc_reader.iter_range(shard.paths[0], start=shard.start, stop=shard.stop,
                                          first=shard.first, config=config)
    elif shard.format == "jsonl":
        yield from jsonl_reader.iter_range(shard.paths[0], start=shard.start, stop=shard.stop,
                                           first=shard.first, config=config)
    else:
        for path in shard.paths:
            fmt = format_of(path) or "txt"
            yield from READERS[fmt](InputFile(path, Path(path).name, fmt), config)


def page_record(article: Article, result: dict[str, Any]) -> dict[str, Any]:
    """A ``check --json`` object with where the page came from: ``url``, ``host``, record id."""
    url = article.url or ""
    is_warc = article.metadata.get("format") == "warc"
    result["url"] = url
    result["host"] = _host(url)
    result["warc_record_id"] = article.id if is_warc else ""
    return result


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


class ScanStage:
    """Checks the pages of shards against an index opened read-only once, when it is built."""

    def __init__(self, settings: ScanSettings) -> None:
        self.settings = settings
        self.out = Path(settings.out)
        self.index = Index.open(settings.index, readonly=True)
        self.table = ScreenTable(self.index)

    def __call__(self, shard: Shard) -> ShardCounts:
        started, cpu = time.perf_counter(), time.process_time()
        counts = ShardCounts(shard.id)
        final = results_path(self.out, shard.id)
        tmp = final.with_name(final.name + ".tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                for item in shard_items(shard, self.settings.ingest):
                    if isinstance(item, BadRecord):
                        counts.add_bad(item)
                        continue
                    record = self._check(item, counts)
                    if record is not None:
                        f.write(json_safe(json.dumps(record, ensure_ascii=False)) + "\n")
                        counts.written += 1
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, final)
        except BaseException:  # a full disk, a kill: leave no half-written file behind
            tmp.unlink(missing_ok=True)
            raise
        counts.seconds = time.perf_counter() - started
        counts.cpu_seconds = time.process_time() - cpu
        write_atomic(marker_path(self.out, shard.id), json.dumps(counts.to_json()))
        return counts

    def _check(self, article: Article, counts: ShardCounts) -> dict[str, Any] | None:
        path = str(article.metadata.get("path") or "")
        result = screen(article.text, self.index, self.settings.screen, suspect_id=article.id,
                        path=path, table=self.table) or check(article.text, self.index, config=self.settings.check,
                                            suspect_id=article.id, path=path)
        counts.read += 1
        counts.derived += result.derived
        if not (result.derived or self.settings.keep_all):
            return None
        return page_record(article, result_to_dict(result))


__all__ = ["ScanSettings", "ScanStage", "ShardCounts", "bad_reason", "marker_path",
           "results_path", "shard_items", "page_record", "SHARDS_DIR"]
