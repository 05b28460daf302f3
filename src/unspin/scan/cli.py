"""CLI verb ``scan`` (and ``scan report``): parse, make one library call, print the summary.

``register(subparsers)`` adds the verb to the ``unspin`` command. Exit status: 0 when every page
was read and every shard finished, 1 if pages were bad or shards failed (both are listed).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any, TextIO

from ..config import CheckConfig, IngestConfig
from ..errors import UsageError
from . import Progress, render_summary, report, scan
from .screen import MIN_NGRAMS, ScreenConfig

EXIT_OK, EXIT_BAD_INPUT = 0, 1
REPORT_WORD = "report"


class ProgressLine:
    """One line on stderr, rewritten after each shard: shards, pages, pages/s, derived, ETA."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.first: Progress | None = None  # where this run started (earlier runs' shards)

    def __call__(self, p: Progress) -> None:
        if self.first is None:
            self.first = p
        elapsed = max(time.monotonic() - self.started, 1e-6)
        done_now = p.shards_done - self.first.shards_done
        rate = (p.pages - self.first.pages) / elapsed
        eta = elapsed / done_now * (p.shards_total - p.shards_done) if done_now else 0.0
        self.stream.write(
            f"\rscan: shard {p.shards_done}/{p.shards_total}  {p.pages:,} pages  "
            f"{rate:,.0f} pages/s  {p.derived:,} derived  {p.bad:,} bad  "
            f"ETA {_duration(eta) if done_now else '?'}  "
        )
        self.stream.flush()

    def close(self) -> None:
        if self.first is not None:
            self.stream.write("\n")


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}h{seconds // 60 % 60:02d}m" if seconds >= 3600 else \
        f"{seconds // 60}m{seconds % 60:02d}s"


def cmd_scan(args: argparse.Namespace) -> int:
    if args.crawl == [REPORT_WORD] and not os.path.exists(REPORT_WORD):
        return _print(report(args.out, html=args.html), args)
    if not args.index:
        raise UsageError("scan needs --index DIR, the index to screen the crawl against")
    show = not args.quiet and sys.stderr.isatty()
    line = ProgressLine(sys.stderr) if show else None
    try:
        summary = scan(
            args.crawl, index=args.index, out=args.out, executor=args.executor,
            workers=args.workers, ray_address=args.ray_address, keep_all=args.all,
            restart=args.restart, shard_records=args.shard_records,
            check_config=CheckConfig(candidates=args.candidates),
            ingest_config=IngestConfig(max_bytes=args.max_bytes, metadata=False, fast_html=True),
            screen_config=ScreenConfig(min_ngrams=args.screen_ngrams), progress=line,
            html=args.html,
        )
    finally:
        if line is not None:
            line.close()
    return _print(summary, args)


def _print(summary: dict[str, Any], args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps(summary, ensure_ascii=True))
    else:
        print(render_summary(summary, top=args.top))
    failed = summary["shards"]["failed"] or summary["shards"]["done"] < summary["shards"]["planned"]
    bad = summary["pages"]["bad"] or summary["bad_inputs"]
    return EXIT_BAD_INPUT if failed or bad else EXIT_OK


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "scan", help="screen a whole crawl against an index, resumable, locally or on Ray",
        description="Check every page of a crawl (WARC/WARC.gz, JSON lines, HTML or text files, "
                    "folders, or .paths/.paths.gz/@FILE lists of them) against an index, shard by "
                    "shard. Derived pages go to OUT/shards/*.jsonl (check --json objects plus url, "
                    "host and warc_record_id); the summary to OUT/summary.json and stdout. Running "
                    "the same command again resumes: finished shards are skipped. "
                    "`unspin scan report --out DIR` prints the summary of a scan so far. Both "
                    "write the summary as an HTML page too (OUT/summary.html or --html FILE), "
                    "linking each derived page's result.")
    p.add_argument("crawl", nargs="+", metavar="CRAWL", help="crawl files, folders or path lists")
    p.add_argument("--index", metavar="DIR", help="the index to screen against (read-only)")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for shards and summary")
    p.add_argument("--executor", choices=("local", "ray"), default="local",
                   help="local: a process pool; ray: Ray actors (pip install unspin[ray]); "
                        "default: %(default)s")
    p.add_argument("--workers", type=int, default=1,
                   help="worker processes or Ray actors, each opens the index once")
    p.add_argument("--ray-address", default="", metavar="ADDR",
                   help="an existing Ray cluster (every node must read --index and the crawl); "
                        "default: start a local one with --workers CPUs")
    p.add_argument("--all", action="store_true", help="write every page's result, not only derived")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--resume", dest="restart", action="store_false", default=False,
                      help="skip the shards a previous run finished (default)")
    mode.add_argument("--restart", dest="restart", action="store_true",
                      help="forget what OUT holds and start over")
    p.add_argument("--shard-records", type=int, default=1000, metavar="N",
                   help="records per shard; larger files are split (default: %(default)s)")
    p.add_argument("--candidates", type=int, default=CheckConfig().candidates,
                   help="candidate sources verified per page (default: %(default)s)")
    p.add_argument("--screen-ngrams", type=int, default=MIN_NGRAMS, metavar="N",
                   help="check in full only pages whose best candidate shares N n-grams or more; "
                        "0 checks every page in full (default: %(default)s)")
    p.add_argument("--max-bytes", type=int, default=IngestConfig().max_bytes,
                   help="skip pages larger than this (default: %(default)s)")
    p.add_argument("--html", metavar="FILE", default=None,
                   help="write the HTML summary here instead of OUT/summary.html")
    p.add_argument("--top", type=int, default=10, help="rows in the host and source tables")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress line on stderr")
    p.set_defaults(func=cmd_scan)


__all__ = ["register", "cmd_scan"]
