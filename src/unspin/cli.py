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
from collections.abc import Iterator, Sequence

from . import __version__
from .article import Article, BadRecord
from .bounds import MAX_SUSPECT_CHARS
from .check import check
from .config import CheckConfig, IndexConfig, IngestConfig
from .errors import BadInputError, UnspinError
from .index import Index
from .index.cli import register as register_index_commands
from .index.integrity import damaged
from .index.maintenance import staged_rebuild
from .messages import CappedMessages, cli_words
from .report import render, result_to_dict
from .sanitize import json_safe, terminal
from .tortured import detect as detect_tortured
from .tortured.cli import register as register_tortured_commands
from .tortured.learn import record_check
from .tortured.report import phrases_record

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


class _Bad:
    """Collects bad records of a bulk run and prints each as one line on stderr (sanitised; after
    10 of one kind per input, a count line instead)."""

    def __init__(self, quiet: bool) -> None:
        self.records: list[BadRecord] = []
        self.quiet = quiet
        self.lines = CappedMessages(_stderr)

    def __call__(self, bad: BadRecord) -> None:
        self.records.append(bad)
        if not self.quiet:
            self.lines(bad)

    def summary(self) -> str:
        self.lines.flush()
        return f"{len(self.records)} bad input(s) skipped" if self.records else ""


def _stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _progress(total: int | None, quiet: bool, unit: str):  # type: ignore[no-untyped-def]
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, file=sys.stderr, disable=quiet or not sys.stderr.isatty(),
                dynamic_ncols=True, leave=False)


def _ingest_config(args: argparse.Namespace) -> IngestConfig:
    return IngestConfig(
        max_bytes=args.max_bytes, id_field=args.id_field, text_field=args.text_field,
        title_field=args.title_field, url_field=args.url_field,
        published_field=args.published_field, source_field=args.source_field,
    )


def _read(paths: Sequence[str], args: argparse.Namespace, bad: _Bad) -> Iterator[Article]:
    from .ingest import read_inputs

    return read_inputs(paths, config=_ingest_config(args), on_bad=bad)


# -- index build / info ----------------------------------------------------------------------
def cmd_index_build(args: argparse.Namespace) -> int:
    if args.rebuild:  # a new index beside the old one, swapped in when complete
        with staged_rebuild(args.index) as stage:
            return _build(args, str(stage))
    return _build(args, args.index)


def _build(args: argparse.Namespace, where: str) -> int:
    bad = _Bad(args.quiet)
    config = IndexConfig(thesaurus=args.thesaurus, semantic=args.semantic, model=args.model,
                         model_sha256=args.model_sha256)
    on_dup = "replace" if args.on_duplicate == "replace" else "skip"
    articles = _read(args.corpus, args, bad)
    if not Index.exists(where):  # a new index is made only once there is an article for it
        first = next(articles, None)
        if first is None:
            bad.summary()
            left = "left as it was" if args.rebuild else "not created"
            print(f"unspin: no article read; the index {terminal(args.index)} was {left}",
                  file=sys.stderr)
            return EXIT_BAD_INPUT
        articles = itertools.chain([first], articles)
    with Index.create(where, config=config) as index, _progress(None, args.quiet, "article") as bar:
        report = index.add(articles, on_duplicate=on_dup, workers=args.workers,
                           progress=bar.update)
        total = len(index)
        limit = index.config.max_chars
    if report.truncated and not args.quiet:
        print(f"unspin: {len(report.truncated):,} article(s) longer than {limit:,} characters: "
              f"only their first {limit:,} are searchable (first: {terminal(report.truncated[0])})",
              file=sys.stderr)
    for aid in report.refused:
        bad(BadRecord(aid, "", "id already in the index; refused (use --on-duplicate replace)"))
    if not args.quiet:
        print(f"indexed {report.added} article(s) into {terminal(args.index)} ({total} in all)"
              + (f"; {bad.summary()}" if bad.records else ""), file=sys.stderr)
    return EXIT_BAD_INPUT if bad.records else EXIT_OK


def cmd_index_info(args: argparse.Namespace) -> int:
    with Index.open(args.index) as index:
        index.quick_check()  # reads the whole SQLite file once: damage is reported, not shown
        info = dict(index.manifest)
        info["articles"] = str(len(index))
        info["articles_truncated"] = str(index.truncated())  # longer than max_chars
    if args.json:
        print(json_safe(json.dumps(info, sort_keys=True, ensure_ascii=False)))
    else:
        for key in sorted(info):
            print(f"{terminal(key)}: {terminal(info[key])}")
    return EXIT_OK


# -- check -----------------------------------------------------------------------------------
def cmd_check(args: argparse.Namespace) -> int:
    bad = _Bad(args.quiet)
    config = CheckConfig(candidates=args.candidates, max_sources=args.max_sources,
                         exclude_quotes=not args.include_quotes,
                         max_suspect_chars=args.max_suspect_chars)
    color = sys.stdout.isatty() and not args.no_color
    checked = 0
    with Index.open(args.index) as index, _progress(None, args.quiet, "suspect") as bar:
        for path in args.suspects:
            for article in _read([path], args, bad):
                try:
                    result = check(article.text, index, config=config, suspect_id=article.id,
                                   path=path)
                except BadInputError as exc:  # too long: skipped, counted, reported
                    bad(BadRecord(exc.path, exc.location, exc.reason))
                    continue
                if not args.no_learn:
                    record_check(index, result, min_score=config.derived_threshold)
                if args.json:
                    obj = result_to_dict(result)
                    if article.metadata.get("format") in ("html", "warc"):
                        obj["suspect"]["text"] = article.text  # what the offsets point into
                    if not args.no_tortured:
                        found = detect_tortured(article.text, index=index)
                        obj["tortured_phrases"] = phrases_record(path, found)["tortured_phrases"]
                    print(json_safe(json.dumps(obj, ensure_ascii=False)), flush=True)
                else:
                    texts = {s.id: (index.get(s.id) or Article(id=s.id, text="")).text for s in result.sources}
                    print(render(result, article.text, texts, color=color) + "\n", flush=True)
                checked += 1
                bar.update(1)
    if not args.quiet:
        print(f"checked {checked} suspect(s)" + (f"; {bad.summary()}" if bad.records else ""),
              file=sys.stderr)
    return EXIT_BAD_INPUT if bad.records else EXIT_OK


# -- parser ----------------------------------------------------------------------------------
def _add_input_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-bytes", type=int, default=IngestConfig().max_bytes,
                   help="skip input files larger than this (default: %(default)s)")
    p.add_argument("--id-field", default="id", help="JSON lines: field holding the article id")
    p.add_argument("--text-field", default="text", help="JSON lines: field holding the article text")
    for name in ("title", "url", "published", "source"):
        p.add_argument(f"--{name}-field", default=name, metavar="FIELD",
                       help=f"JSON lines: field holding the article's {name} (optional)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary on stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="unspin",
        description="Trace rewritten (spun, paraphrased, partially copied) news back to its source.",
    )
    parser.add_argument("--version", action="version", version=f"unspin {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    idx = sub.add_parser("index", help="build or inspect an index of a reference corpus")
    idx_sub = idx.add_subparsers(dest="index_command", required=True, metavar="ACTION")
    b = idx_sub.add_parser(
        "build", help="add articles to an index (created if missing)",
        description="Add articles from .txt, .jsonl, .html, .warc(.gz) files, directories or - "
                    "(stdin) to an index directory. Running it again adds to the index.")
    b.add_argument("corpus", nargs="+", metavar="CORPUS", help="files, directories or - for stdin")
    b.add_argument("--index", required=True, metavar="DIR", help="index directory")
    b.add_argument("--on-duplicate", choices=("replace", "refuse"), default="replace",
                   help="what to do with an id already in the index (default: %(default)s)")
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
    b.add_argument("--workers", type=int, default=1, help="processes that fingerprint articles")
    b.add_argument("--rebuild", action="store_true",
                   help="build a new index from CORPUS and replace the one in DIR when it is "
                        "complete (the fix for a damaged index; learned fingerprints are lost)")
    _add_input_options(b)
    b.set_defaults(func=cmd_index_build)

    i = idx_sub.add_parser("info", help="show how an index was built and its size")
    i.add_argument("--index", required=True, metavar="DIR")
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=cmd_index_info)
    register_index_commands(idx_sub)

    c = sub.add_parser(
        "check", help="find the sources of suspect texts and show every change",
        description="For each suspect: candidate sources, verified by alignment, a verdict "
                    "(derived / not_derived), passages and substitutions.")
    c.add_argument("suspects", nargs="+", metavar="SUSPECT", help="files, directories or - for stdin")
    c.add_argument("--index", required=True, metavar="DIR")
    c.add_argument("--json", action="store_true", help="one JSON object per suspect per line")
    c.add_argument("--candidates", type=int, default=CheckConfig().candidates,
                   help="candidate sources verified per suspect (default: %(default)s)")
    c.add_argument("--max-sources", type=int, default=CheckConfig().max_sources)
    c.add_argument("--max-suspect-chars", type=int, default=MAX_SUSPECT_CHARS, metavar="N",
                   help="skip suspects longer than this; time and memory grow with length "
                        "(default: %(default)s)")
    c.add_argument("--include-quotes", action="store_true",
                   help="count quotations as evidence of copying (default: excluded)")
    c.add_argument("--no-color", action="store_true")
    c.add_argument("--no-tortured", action="store_true",
                   help="leave tortured_phrases out of the --json output (faster)")
    c.add_argument("--no-learn", action="store_true",
                   help="do not record the substitutions found for `unspin learn`")
    _add_input_options(c)
    c.set_defaults(func=cmd_check)

    register_tortured_commands(sub)
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
