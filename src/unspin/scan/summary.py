"""A scan's summary, from its done-markers and results files: counts, sources, copying hosts.

Only finished shards (those with a done-marker) count, so a summary of an interrupted scan is a
true summary of the part that is done. Memory grows with the number of distinct copying hosts and
copied sources, never with the number of pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..sanitize import terminal
from .plan import Plan
from .shard import ShardCounts, marker_path, results_path

SUMMARY_NAME = "summary.json"
FAILED_NAME = "failed.json"


@dataclass(slots=True)
class _Tally:
    pages: int = 0
    coverage: float = 0.0
    others: set[str] = field(default_factory=set)  # sources of a host, or hosts of a source
    title: str = ""

    def add(self, coverage: float, other: str) -> None:
        self.pages += 1
        self.coverage += coverage
        if len(self.others) < 1000:
            self.others.add(other)


def done_counts(out: Path, plan: Plan) -> Iterator[ShardCounts]:
    for shard in plan.shards:
        path = marker_path(out, shard.id)
        if path.exists():
            yield ShardCounts.from_json(json.loads(path.read_text(encoding="utf-8")))


def derived_records(out: Path, counts: list[ShardCounts]) -> Iterator[dict[str, Any]]:
    """The derived pages of finished shards, a line at a time."""
    for c in counts:
        with open(results_path(out, c.shard), encoding="utf-8") as f:
            for line in f:
                record = json.loads(line)
                if record.get("verdict") == "derived":
                    yield record


def load_failed(out: Path) -> list[dict[str, str]]:
    path = out / FAILED_NAME
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def summarize(out: Path, plan: Plan) -> dict[str, Any]:
    """The summary of the finished part of a scan (see ``render_summary`` for the table)."""
    counts = list(done_counts(out, plan))
    bad: dict[str, int] = {}
    for c in counts:
        for reason, n in c.bad.items():
            bad[reason] = bad.get(reason, 0) + n
    hosts: dict[str, _Tally] = {}
    sources: dict[str, _Tally] = {}
    for record in derived_records(out, counts):
        top = record["sources"][0] if record.get("sources") else {}
        host, source = record.get("host") or "(no host)", top.get("id", "")
        coverage = float(top.get("coverage_suspect", 0.0))
        hosts.setdefault(host, _Tally()).add(coverage, source)
        tally = sources.setdefault(source, _Tally(title=top.get("title", "")))
        tally.add(coverage, host)
    return {
        "shards": {"planned": len(plan.shards), "done": len(counts),
                   "failed": load_failed(out)},
        "pages": {"read": sum(c.read for c in counts), "bad": sum(bad.values()),
                  "derived": sum(c.derived for c in counts)},
        "bad_by_reason": dict(sorted(bad.items(), key=lambda kv: (-kv[1], kv[0]))),
        "bad_inputs": [str(b) for b in plan.bad],
        "bad_examples": [r for c in counts for r in c.bad_records][:50],
        "hosts": [{"host": h, "derived": t.pages, "mean_coverage": round(t.coverage / t.pages, 4),
                   "sources": len(t.others)} for h, t in _ranked(hosts)],
        "sources": [{"id": s, "title": t.title, "derived": t.pages, "hosts": len(t.others),
                     "mean_coverage": round(t.coverage / t.pages, 4)} for s, t in _ranked(sources)],
    }


def _ranked(tallies: dict[str, _Tally]) -> list[tuple[str, _Tally]]:
    return sorted(tallies.items(), key=lambda kv: (-kv[1].pages, kv[0]))


def render_summary(summary: dict[str, Any], top: int = 10) -> str:
    """The summary as a readable table; every input-derived string is sanitised."""
    s, p = summary["shards"], summary["pages"]
    lines = [
        f"shards: {s['done']} of {s['planned']} done"
        + (f", {len(s['failed'])} failed" if s["failed"] else ""),
        f"pages: {p['read']:,} read, {p['derived']:,} derived, {p['bad']:,} bad",
    ]
    for reason, n in summary["bad_by_reason"].items():
        lines.append(f"  bad: {n:>7,}  {terminal(reason)}")
    for text in summary["bad_inputs"]:
        lines.append(f"  input skipped: {terminal(text)}")
    for failure in s["failed"]:
        lines.append(f"  shard {terminal(failure['shard'])} failed: {terminal(failure['error'])}")
    lines += _table("top copying hosts", ("host", "derived", "coverage", "sources"),
                    [(h["host"], h["derived"], f"{h['mean_coverage']:.2f}", h["sources"])
                     for h in summary["hosts"][:top]])
    lines += _table("most copied sources", ("source", "derived", "coverage", "hosts"),
                    [(_label(x), x["derived"], f"{x['mean_coverage']:.2f}", x["hosts"])
                     for x in summary["sources"][:top]])
    return "\n".join(lines)


def _label(source: dict[str, Any]) -> str:
    title = source["title"][:50]
    return f"{source['id']} ({title})" if title else source["id"]


def _table(title: str, head: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    if not rows:
        return []
    cells = [[terminal(str(c))[:70] for c in row] for row in rows]
    width = max(len(head[0]), *(len(r[0]) for r in cells))
    out = ["", f"{title}:", f"  {head[0]:<{width}}  " + "  ".join(f"{h:>8}" for h in head[1:])]
    out += [f"  {r[0]:<{width}}  " + "  ".join(f"{c:>8}" for c in r[1:]) for r in cells]
    return out


__all__ = ["summarize", "render_summary", "SUMMARY_NAME", "FAILED_NAME", "load_failed"]
