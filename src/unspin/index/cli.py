"""CLI verbs ``index verify`` and ``index repair``: parse, make one library call, print."""

from __future__ import annotations

import argparse
import sys

from ..sanitize import terminal
from .maintenance import repair, verify
from .shards import merge

EXIT_OK, EXIT_DAMAGED = 0, 1


def _report(path: str, found: list[str]) -> int:
    for line in found:
        print(f"unspin: {terminal(line)}", file=sys.stderr)
    if found:
        return EXIT_DAMAGED
    print(f"{terminal(path)}: index is whole (SQLite integrity, manifest, segments, vectors and "
          "article checksums checked)")
    return EXIT_OK


def cmd_index_verify(args: argparse.Namespace) -> int:
    return _report(args.index, verify(args.index))


def cmd_index_repair(args: argparse.Namespace) -> int:
    done = repair(args.index)
    for line in done or ["nothing to repair"]:
        print(f"{terminal(args.index)}: {line}")
    return _report(args.index, verify(args.index))


def cmd_index_merge(args: argparse.Namespace) -> int:
    report = merge(args.sources, args.index, shards=args.shards, on_duplicate=args.on_duplicate)
    print(f"{terminal(args.index)}: added {report.added}, replaced {report.replaced}, skipped "
          f"{len(report.refused)} from {len(args.sources)} index(es)", file=sys.stderr)
    return EXIT_OK


def register(idx_sub: argparse._SubParsersAction) -> None:
    """Add ``verify``, ``repair`` and ``merge`` to the ``unspin index`` actions."""
    m = idx_sub.add_parser(
        "merge", help="add the articles of other indexes to an index (sharded or not)",
        description="Add every article of each SOURCE index (sharded or not) to the index in "
                    "--index, created with the first source's settings when missing. Sources "
                    "must have been built with the same settings.")
    m.add_argument("sources", nargs="+", metavar="SOURCE", help="index directories to read")
    m.add_argument("--index", required=True, metavar="DIR", help="index directory to add to")
    m.add_argument("--shards", type=int, default=1, metavar="N",
                   help="a new index: spread it over N shards; an existing one keeps its count")
    m.add_argument("--on-duplicate", choices=("replace", "skip"), default="replace",
                   help="an id already in the index: replace its article or skip the new one")
    m.set_defaults(func=cmd_index_merge)
    v = idx_sub.add_parser(
        "verify", help="check every file of an index (SQLite integrity, checksums)",
        description="Run SQLite's integrity_check and check the manifest's settings, every posting "
                    "segment, the sentence vectors and every article's text against their "
                    "checksums. One line per problem, naming the command that fixes it. Exit "
                    "status 0 when the index is whole, 1 when it is damaged.")
    v.add_argument("--index", required=True, metavar="DIR", help="index directory to check")
    v.set_defaults(func=cmd_index_verify)
    r = idx_sub.add_parser(
        "repair", help="rebuild an index's segments and vectors from its SQLite file",
        description="Rewrite damaged or missing posting segments from the articles' texts "
                    "and re-embed damaged or missing sentence vectors, then verify. A damaged "
                    "SQLite file or manifest needs `unspin index build --rebuild` instead.")
    r.add_argument("--index", required=True, metavar="DIR", help="index directory to repair")
    r.set_defaults(func=cmd_index_repair)


__all__ = ["register", "cmd_index_verify", "cmd_index_repair", "cmd_index_merge"]
