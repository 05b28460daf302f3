"""``scan``: screen a whole crawl against an index, shard by shard, resumable, locally or on Ray.

    from unspin import scan
    summary = scan(["crawl/"], index="my-index", out="scan-out", workers=2)

The crawl is cut into shards (``plan``); each shard is checked by a stage (``shard.ScanStage``)
that an executor from ``unspin.pipeline`` runs: in a local process pool or in Ray actors. Each
finished shard leaves its results and a done-marker in ``out/shards``, so running the same scan
again does only the shards left; ``restart=True`` starts over. A shard that fails is tried once
more, then listed in ``out/failed.json`` and in the summary (``out/summary.json``).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ..config import CheckConfig, IngestConfig
from ..errors import UsageError
from ..index import Index
from ..pipeline import Outcome, ShardExecutor, shard_executor
from .html import HTML_NAME, write_scan_html
from .plan import (
    PLAN_NAME,
    Plan,
    Shard,
    expand_inputs,
    load_plan,
    make_plan,
    save_plan,
    write_atomic,
)
from .screen import ScreenConfig
from .shard import SHARDS_DIR, ScanSettings, ScanStage, ShardCounts, marker_path
from .summary import FAILED_NAME, SUMMARY_NAME, render_summary, summarize


@dataclass(frozen=True, slots=True)
class Progress:
    """Where a running scan stands, after each finished shard."""

    shards_done: int
    shards_total: int
    pages: int
    derived: int
    bad: int


OnProgress = Callable[[Progress], None]


def scan(
    crawl: Sequence[str | os.PathLike[str]],
    *,
    index: str | os.PathLike[str],
    out: str | os.PathLike[str],
    executor: str = "local",
    workers: int = 1,
    ray_address: str = "",
    keep_all: bool = False,
    restart: bool = False,
    shard_records: int = 1000,
    check_config: CheckConfig | None = None,
    ingest_config: IngestConfig | None = None,
    screen_config: ScreenConfig | None = None,
    progress: OnProgress | None = None,
    html: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Scan ``crawl`` (WARC, JSON lines, HTML or text files, folders, path lists) and return the
    summary of the whole scan (also written to ``out/summary.json``).

    ``executor`` is ``local`` (``workers`` processes) or ``ray`` (``workers`` actors on a local
    cluster, or on the cluster at ``ray_address``). ``keep_all`` writes every page's result, not
    only the derived ones. Shards hold ``shard_records`` records at most. ``screen_config``
    sets the cheap first look that spares pages with no close candidate a full check
    (``ScreenConfig(min_ngrams=0)`` checks every page in full). Pages are read without their
    metadata, with trafilatura's fast mode (``IngestConfig(metadata=False, fast_html=True)``: the
    URL comes from the crawl; finding each page's date would cost about five times its text, and
    the fallback extractors 1.7 times). The summary is also written as an HTML page,
    ``out/summary.html`` or ``html``.
    """
    if isinstance(crawl, str | bytes | os.PathLike):
        raise UsageError("scan takes a list of crawl paths, not one path; wrap it in a list")
    runner = shard_executor(executor, workers, ray_address)
    Index.open(os.fspath(index), readonly=True).close()  # a missing or mismatched index fails here
    out_dir = Path(out)
    settings = ScanSettings(os.path.abspath(index), os.path.abspath(out_dir), keep_all,
                            check_config or CheckConfig(),
                            ingest_config or IngestConfig(metadata=False, fast_html=True),
                            screen_config or ScreenConfig())
    inputs = expand_inputs(crawl)
    with _writing(out_dir):
        plan = _plan(out_dir, inputs, settings, shard_records, restart)
    todo = [s for s in plan.shards if not marker_path(out_dir, s.id).exists()]
    failed = _run_with_retry(runner, settings, todo, _Reporter(plan, out_dir, progress))
    with _writing(out_dir):
        write_atomic(out_dir / FAILED_NAME, json.dumps(failed, indent=1))
    return report(out_dir, html=html)


def report(out: str | os.PathLike[str], *, html: str | os.PathLike[str] | None = None
           ) -> dict[str, Any]:
    """The summary of the scan in ``out`` so far (finished shards only); written to
    ``out/summary.json`` and, as an HTML page linking each derived page's result, to
    ``out/summary.html`` (or ``html``)."""
    out_dir = Path(out)
    plan = load_plan(out_dir)
    if plan is None:
        raise UsageError(f"{out_dir}: no scan here; run `unspin scan CRAWL... --index DIR --out {out_dir}`")
    summary = summarize(out_dir, plan)
    with _writing(out_dir):
        write_atomic(out_dir / SUMMARY_NAME, json.dumps(summary, indent=1, ensure_ascii=False))
    write_scan_html(summary, out_dir, plan, Path(html) if html else out_dir / HTML_NAME)
    return summary


@contextmanager
def _writing(out: Path) -> Iterator[None]:
    """Turn a failed write in the output folder (read-only, full) into one line that says what
    to do; the shards finished so far are kept for the rerun."""
    try:
        yield
    except OSError as exc:
        raise UsageError(
            f"{out}: cannot write the scan's files here ({exc.strerror or type(exc).__name__}); "
            "make the folder writable or free some space, then run the same command again "
            "(finished shards are kept), or choose another --out"
        ) from None


def _plan(out: Path, inputs: list[str], settings: ScanSettings, shard_records: int,
          restart: bool) -> Plan:
    """The saved plan of this scan, or a new one; a saved plan of other inputs is an error."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder; choose another --out")
    if restart:
        _clear(out)
    key = {"index": settings.index, "all": settings.keep_all,
           "candidates": settings.check.candidates, "screen": settings.screen.min_ngrams,
           "screen_max_df": settings.screen.max_df}
    plan = load_plan(out)
    if plan is not None:
        if list(plan.inputs) != inputs or plan.settings != key:
            raise UsageError(
                f"{out}: holds a scan of other inputs or settings; rerun with --restart to start "
                "over, or choose another --out"
            )
        return plan
    (out / SHARDS_DIR).mkdir(parents=True, exist_ok=True)
    plan = make_plan(inputs, shard_records, key)
    save_plan(out, plan)
    return plan


def _clear(out: Path) -> None:
    """Remove what a scan wrote in ``out`` (and nothing else)."""
    shutil.rmtree(out / SHARDS_DIR, ignore_errors=True)
    for name in (PLAN_NAME, SUMMARY_NAME, FAILED_NAME, HTML_NAME):
        (out / name).unlink(missing_ok=True)


class _Reporter:
    def __init__(self, plan: Plan, out: Path, on_progress: OnProgress | None) -> None:
        done = [ShardCounts.from_json(json.loads(marker_path(out, s.id).read_text("utf-8")))
                for s in plan.shards if marker_path(out, s.id).exists()]
        self.state = Progress(len(done), len(plan.shards), sum(c.read for c in done),
                              sum(c.derived for c in done), sum(c.bad_total for c in done))
        self.on_progress = on_progress
        if on_progress is not None:
            on_progress(self.state)

    def __call__(self, counts: ShardCounts) -> None:
        s = self.state
        self.state = Progress(s.shards_done + 1, s.shards_total, s.pages + counts.read,
                              s.derived + counts.derived, s.bad + counts.bad_total)
        if self.on_progress is not None:
            self.on_progress(self.state)


def _run_with_retry(runner: ShardExecutor, settings: ScanSettings, shards: Iterable[Shard],
                    reporter: _Reporter) -> list[dict[str, str]]:
    """Run every shard; try each failed one once more; the failures left, with their errors."""
    make_stage = partial(ScanStage, settings)
    first = [o for o in _run(runner, make_stage, shards, reporter) if not o.ok]
    second = [o for o in _run(runner, make_stage, [o.item for o in first], reporter) if not o.ok]
    return [{"shard": o.item.id, "paths": ", ".join(o.item.paths), "error": o.error}
            for o in second]


def _run(runner: ShardExecutor, make_stage: Callable[[], ScanStage], shards: Iterable[Shard],
         reporter: _Reporter) -> Iterable[Outcome[Shard, ShardCounts]]:
    shards = list(shards)
    if not shards:
        return
    for outcome in runner.run(make_stage, shards):
        if outcome.ok and outcome.result is not None:
            reporter(outcome.result)
        yield outcome


__all__ = ["scan", "report", "render_summary", "Progress", "ScanSettings", "ScreenConfig", "Shard"]
