"""The ``unspin`` command: a thin skin over the library's verbs.

Exit status: 0 when every input was processed, 1 if any input was bad (it is skipped, counted and
listed at the end), 2 on usage errors (bad options, missing, mismatched or damaged index), 70 on a
fault unspin did not foresee (one line; ``UNSPIN_DEBUG=1`` shows the traceback).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from tqdm import tqdm

from .article import Article, BadRecord
from .bounds import MAX_SUSPECT_CHARS
from .check import check
from .cli_options import add_output_options, finish_help, is_terminal, open_output
from .config import CheckConfig, IndexConfig, IngestConfig
from .errors import BadInputError, UnspinError, UsageError
from .fetch import FetchConfig
from .index import Index, OnDuplicate
from .index.cli import register as register_index_commands
from .index.integrity import damaged
from .index.maintenance import staged_rebuild
from .messages import CappedMessages, cli_words
from .progress import bar, count_records, shown
from .report import WRITERS, BatchSummary, CheckItem, index_info, record_label, writer_for
from .sanitize import terminal
from .scan.cli import register as register_scan_command
from .tortured import DetectConfig as TorturedConfig
from .tortured import detect as detect_tortured
from .tortured.cli import register as register_tortured_commands
from .tortured.learn import record_check
from .tortured.report import phrases_record
from .version import __version__
from .web.cli import register as register_web_commands

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70
MULTI_RECORD = ("jsonl", "warc")  # formats whose files hold many records: shown as path#id


class _Bad:
    """Collects bad records of a bulk run and prints each as one line on stderr (sanitised; after
    10 of one kind per input, a count line instead)."""

    def __init__(self, quiet: bool) -> None:
        self.records: list[BadRecord] = []
        self.quiet = quiet
        self.tick: Callable[[int], object] = lambda n: None  # the progress bar counts bad ones too
        self.lines = CappedMessages(_stderr)

    def __call__(self, bad: BadRecord) -> None:
        self.records.append(bad)
        self.tick(1)
        if not self.quiet:
            self.lines(bad)

    def summary(self) -> str:
        self.lines.flush()
        return f"{len(self.records)} bad input(s) skipped" if self.records else ""


def _stderr(line: str) -> None:
    tqdm.write(line, file=sys.stderr)  # above the progress bar, which is drawn again below


def _ingest_config(args: argparse.Namespace) -> IngestConfig:
    return IngestConfig(
        max_bytes=args.max_bytes, id_field=args.id_field, text_field=args.text_field,
        title_field=args.title_field, url_field=args.url_field,
        published_field=args.published_field, source_field=args.source_field,
    )


def _read(locations: Sequence[str], args: argparse.Namespace, bad: _Bad) -> Iterator[tuple[str, Article]]:
    """``(location, article)`` for files, directories, ``-`` and web addresses."""
    from .fetch import read_locations

    fetch = FetchConfig(allow_private=args.allow_private, max_bytes=args.max_bytes)
    return read_locations(locations, ingest=_ingest_config(args), fetch_config=fetch, on_bad=bad)


def _total(locations: Sequence[str], enabled: bool) -> int | None:
    """Records to read, counted first only when a progress bar will show them."""
    return count_records(locations) if enabled else None


# -- index build / info ----------------------------------------------------------------------
def cmd_index_build(args: argparse.Namespace) -> int:
    if args.rebuild:  # a new index beside the old one, swapped in when complete
        with staged_rebuild(args.index) as stage:
            return _build(args, str(stage))
    return _build(args, args.index)


def _build(args: argparse.Namespace, where: str) -> int:
    from .ingest import read_inputs

    bad = _Bad(args.quiet)
    config = IndexConfig(thesaurus=args.thesaurus, semantic=args.semantic, model=args.model,
                         model_sha256=args.model_sha256, crosslingual=args.crosslingual)
    on_dup: OnDuplicate = "replace" if args.on_duplicate == "replace" else "skip"
    show = shown(args.quiet)
    articles = read_inputs(args.corpus, config=_ingest_config(args), on_bad=bad)
    if not Index.exists(where):  # a new index is made only once there is an article for it
        first = next(articles, None)
        if first is None:
            bad.summary()
            left = "left as it was" if args.rebuild else "not created"
            print(f"unspin: no article read; the index {terminal(args.index)} was {left}",
                  file=sys.stderr)
            return EXIT_BAD_INPUT
        articles = itertools.chain([first], articles)
    with Index.create(where, config=config, shards=args.shards) as index, \
            bar(_total(args.corpus, show), unit="article", enabled=show) as progress:
        bad.tick = progress.update
        report = index.add(articles, on_duplicate=on_dup, workers=args.workers,
                           progress=progress.update)
        total = len(index)
        limit = index.config.max_chars
    if report.truncated and not args.quiet:
        print(f"unspin: {len(report.truncated):,} article(s) longer than {limit:,} characters: "
              f"only their first {limit:,} are searchable (first: {terminal(report.truncated[0])})",
              file=sys.stderr)
    refused = len(report.refused) if args.on_duplicate == "refuse" else 0
    skipped = len(report.refused) - refused
    if refused:
        print(f"unspin: refused {refused} article(s) whose id is already in the index "
              f"(first: {terminal(report.refused[0])}); use --on-duplicate replace or skip",
              file=sys.stderr)
    if not args.quiet:
        bad.summary()
        print(f"{terminal(args.index)}: added {report.added}, replaced {report.replaced}, "
              f"skipped {skipped}, bad {len(bad.records) + refused}; {total} article(s) in all",
              file=sys.stderr)
    return EXIT_BAD_INPUT if bad.records or refused else EXIT_OK


def cmd_index_info(args: argparse.Namespace) -> int:
    with Index.open(args.index, readonly=True) as index:
        index.quick_check()  # reads the whole SQLite file once: damage is reported, not shown
        info = index_info(index)
    with open_output(args.output) as out:
        if args.format == "json":
            out.write(json.dumps(info, sort_keys=True) + "\n")
            return EXIT_OK
        flat = {k: v for k, v in info.items() if k != "config"}
        flat.update({f"config.{k}": v for k, v in info["config"].items()})
        for key in sorted(flat):
            out.write(f"{terminal(key)}: {terminal(flat[key])}\n")
    return EXIT_OK


# -- check -----------------------------------------------------------------------------------
def _check_item(article: Article, location: str, index: Index, args: argparse.Namespace,
                config: CheckConfig, needs_sources: bool) -> CheckItem:
    fmt = article.metadata.get("format")
    path = location if location == "-" else str(article.metadata.get("path") or location)
    result = check(article.text, index, config=config, suspect_id=article.id, path=path)
    record_check(index, result, text=article.text, min_score=config.derived_threshold,
                 learn=args.learn)
    tortured = None
    if args.format != "text" and not args.no_tortured:
        # the language model only where no source explains the wording
        found = detect_tortured(article.text, index=index,
                                config=TorturedConfig(use_model=not result.derived))
        tortured = phrases_record(path, found)["tortured_phrases"]
    sources = {}
    if needs_sources:
        sources = {s.id: (index.get(s.id) or Article(id=s.id, text="")).text for s in result.sources}
    label = record_label(path, article.id, fmt in MULTI_RECORD)
    return CheckItem(result=result, text=article.text, label=label,
                     extracted=fmt in ("html", "warc"), sources=sources, tortured=tortured)


def cmd_check(args: argparse.Namespace) -> int:
    if args.summary_json and args.format != "json":
        raise UsageError("--summary-json adds a line to the JSON output; use it with --format json")
    bad = _Bad(args.quiet)
    config = CheckConfig(candidates=args.candidates, max_sources=args.max_sources,
                         exclude_quotes=not args.include_quotes,
                         max_suspect_chars=args.max_suspect_chars)
    summary = BatchSummary()
    reports: list[Any] = []  # for --html
    show = shown(args.quiet)
    # the index first: a wrong --index must not empty an existing output file
    # read-only unless learning: checking never writes to the index and can run next to a build
    with Index.open(args.index, readonly=not args.learn) as index, open_output(args.output) as out, \
            bar(_total(args.suspects, show), unit="suspect", enabled=show) as progress:
        color = args.output is None and is_terminal(out) and not args.no_color
        writer = writer_for(args.format, out, color=color)
        bad.tick = progress.update
        for location, article in _read(args.suspects, args, bad):
            try:
                item = _check_item(article, location, index, args, config, writer.needs_sources)
            except BadInputError as exc:  # too long: skipped, counted, reported
                bad(BadRecord(exc.path, exc.location, exc.reason))
                continue
            if args.html:
                from .web.report import build_report

                reports.append(build_report(article, index, result=item.result))
            with tqdm.external_write_mode(file=out):  # the bar steps aside on a shared terminal
                writer.write(item)
            summary.add(item.result)
            progress.update(1)
        summary.add_bad(len(bad.records))
        writer.finish(summary if args.summary_json else None)
    bad.summary()
    if args.html:
        from .web.report import write_html

        write_html(args.html, reports)
    if not args.quiet:
        print(summary.render(), file=sys.stderr)
    return EXIT_BAD_INPUT if bad.records else EXIT_OK


# -- parser ----------------------------------------------------------------------------------
def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-bytes", type=int, default=IngestConfig().max_bytes, metavar="N",
                   help="skip input files, records and pages larger than this many bytes")
    p.add_argument("--id-field", default="id", metavar="FIELD",
                   help="JSON lines: field holding the article id")
    p.add_argument("--text-field", default="text", metavar="FIELD",
                   help="JSON lines: field holding the article text")
    for name, what in (("title", "title"), ("url", "address"), ("published", "publication date"),
                       ("source", "publisher")):
        p.add_argument(f"--{name}-field", default=name, metavar="FIELD",
                       help=f"JSON lines: field holding the article's {what}, if any")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar, skipped-input lines or summary on stderr")


def _add_index_parsers(sub: argparse._SubParsersAction) -> None:
    idx = sub.add_parser("index", help="build or inspect an index of a reference corpus")
    idx_sub = idx.add_subparsers(dest="index_command", required=True, metavar="ACTION")
    b = idx_sub.add_parser(
        "build", help="add articles to an index (created if missing)",
        description="Add articles from .txt, .jsonl, .html, .warc(.gz) files, directories or - "
                    "(stdin) to an index directory. Running it again adds to the index. Ends with "
                    "one line on stderr: added, replaced, skipped and bad.")
    b.add_argument("corpus", nargs="+", metavar="CORPUS", help="files, directories or - for stdin")
    b.add_argument("--index", required=True, metavar="DIR", help="index directory")
    b.add_argument("--on-duplicate", choices=("replace", "skip", "refuse"), default="replace",
                   help="an id already in the index: replace its article, skip the new one, or "
                        "refuse it (counted as bad, exit status 1)")
    b.add_argument("--thesaurus", choices=("wordnet", "moby"), default="wordnet",
                   help="thesaurus used to recognise synonyms (recorded in the index)")
    b.add_argument("--semantic", choices=("auto", "static", "minilm", "off"), default="auto",
                   help="sentence vectors for paraphrased copies: auto = static when installed "
                        "(recorded in the index)")
    b.add_argument("--model", default="", metavar="PATH|ORG/NAME",
                   help="the embedder's files: a directory or .onnx file, or a hub name found in "
                        "the local Hugging Face cache (never downloaded); default: installed")
    b.add_argument("--model-sha256", default="", metavar="HEX",
                   help="checksum of a model file unspin does not know (recorded in the index)")
    b.add_argument("--crosslingual", action="store_true",
                   help="a new index: also keep one multilingual vector per article, so copies in "
                        "French, Spanish, Portuguese, German or Italian are found (recorded in "
                        "the index; adding to such an index keeps doing it)")
    b.add_argument("--workers", type=int, default=1, metavar="N", help="processes that fingerprint articles")
    b.add_argument("--shards", type=int, default=1, metavar="N",
                   help="a new index: spread it over N shard directories (by a hash of the article "
                        "id); an existing index keeps its own count")
    b.add_argument("--rebuild", action="store_true",
                   help="build a new index from CORPUS and replace the one in DIR when it is "
                        "complete (the fix for a damaged index; learned fingerprints are lost)")
    _add_input_options(b)
    b.set_defaults(func=cmd_index_build)

    i = idx_sub.add_parser("info", help="show how an index was built and its size")
    i.add_argument("--index", required=True, metavar="DIR", help="index directory")
    add_output_options(i, ("text", "json"))
    i.set_defaults(func=cmd_index_info)
    register_index_commands(idx_sub)


def _add_check_parser(sub: argparse._SubParsersAction) -> None:
    c = sub.add_parser(
        "check", help="find the sources of suspect texts and show every change",
        description="For each suspect (a file, a record of a JSON lines or WARC file, or a web "
                    "page by its address): candidate sources, verified by alignment, a verdict "
                    "(derived / not_derived), passages and substitutions. Ends with a summary on "
                    "stderr: suspects checked, derived, not derived, bad, and the top sources.")
    c.add_argument("suspects", nargs="+", metavar="SUSPECT",
                   help="files, directories, - for stdin, or http(s):// addresses of pages")
    c.add_argument("--index", required=True, metavar="DIR", help="index directory to search")
    add_output_options(c, tuple(WRITERS))  # a writer added to report.formats.WRITERS shows here
    c.add_argument("--summary-json", action="store_true",
                   help='with --format json: end the output with one {"summary": ...} object')
    c.add_argument("--candidates", type=int, default=CheckConfig().candidates, metavar="N",
                   help="candidate sources verified per suspect")
    c.add_argument("--max-sources", type=int, default=CheckConfig().max_sources, metavar="N",
                   help="sources reported per suspect, best first")
    c.add_argument("--max-suspect-chars", type=int, default=MAX_SUSPECT_CHARS, metavar="N",
                   help="skip suspects longer than this; time and memory grow with length")
    c.add_argument("--include-quotes", action="store_true",
                   help="count quotations as evidence of copying (default: excluded)")
    c.add_argument("--no-color", action="store_true", help="no colours in the readable report")
    c.add_argument("--html", metavar="FILE",
                   help="also write the report as one self-contained HTML file (opens offline)")
    c.add_argument("--no-tortured", action="store_true",
                   help="leave tortured_phrases out of the json and csv output (faster)")
    c.add_argument("--learn", action="store_true",
                   help="record the substitutions of claimed sources in the index for "
                        "`unspin learn` (default: the index is opened read-only, nothing written)")
    c.add_argument("--no-learn", action="store_true", help=argparse.SUPPRESS)  # the old default
    c.add_argument("--allow-private", action="store_true",
                   help="allow fetching pages from loopback and private network addresses")
    _add_input_options(c)
    c.set_defaults(func=cmd_check)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unspin",
        description="Trace rewritten (spun, paraphrased, partially copied) news back to its source.",
        epilog="a first session:\n  unspin index build corpus/ --index idx\n"
               "  unspin check suspect.txt https://example.com/story.html --index idx\n"
               "`unspin COMMAND --help` tells more of each command.",
    )
    parser.add_argument("--version", action="version", version=f"unspin {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_index_parsers(sub)
    _add_check_parser(sub)
    register_tortured_commands(sub)
    register_scan_command(sub)
    register_web_commands(sub)
    finish_help(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except UnspinError as exc:
        print(f"unspin: {terminal(cli_words(str(exc)))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("unspin: interrupted; the index holds every article written so far", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except sqlite3.DatabaseError as exc:  # a damaged index file, noticed while reading it
        where = getattr(args, "index", None) or "the index"
        print(f"unspin: {terminal(damaged(where, f'its SQLite file cannot be read ({exc})', 'rebuild'))}",
              file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"unspin: {terminal(exc.filename or '')}: {terminal(exc.strerror or exc)}; check the "
              "path, its permissions and the free disk space", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # last resort: a fault unspin did not foresee, reported in one line
        if os.environ.get("UNSPIN_DEBUG"):
            raise
        print(f"unspin: internal error ({type(exc).__name__}: {terminal(exc)}); please report it "
              "(UNSPIN_DEBUG=1 shows the traceback)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
