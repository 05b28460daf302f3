"""The ``unspin`` command: a thin skin over the library's verbs.

Exit status: 0 when every input was processed, 1 if any input was bad (it is skipped, counted and
listed at the end), 2 on usage errors (bad options, missing or mismatched index).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence

from . import __version__
from .article import Article, BadRecord
from .check import check
from .config import CheckConfig, IndexConfig, IngestConfig
from .errors import UnspinError
from .index import Index
from .report import render, result_to_dict
from .tortured import DetectConfig as TorturedConfig
from .tortured import detect as detect_tortured
from .tortured.cli import register as register_tortured_commands
from .tortured.learn import record_check
from .tortured.report import phrases_record

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE = 0, 1, 2


class _Bad:
    """Collects bad records of a bulk run and prints each as one line on stderr."""

    def __init__(self, quiet: bool) -> None:
        self.records: list[BadRecord] = []
        self.quiet = quiet

    def __call__(self, bad: BadRecord) -> None:
        self.records.append(bad)
        if not self.quiet:
            print(f"unspin: skipped {bad}", file=sys.stderr)

    def summary(self) -> str:
        return f"{len(self.records)} bad input(s) skipped" if self.records else ""


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
    bad = _Bad(args.quiet)
    config = IndexConfig(thesaurus=args.thesaurus, semantic=args.semantic, model=args.model,
                         model_sha256=args.model_sha256)
    on_dup = "replace" if args.on_duplicate == "replace" else "skip"
    with Index.create(args.index, config=config) as index, _progress(None, args.quiet, "article") as bar:
        report = index.add(_read(args.corpus, args, bad), on_duplicate=on_dup, workers=args.workers,
                           progress=bar.update)
        total = len(index)
    for aid in report.refused:
        bad(BadRecord(aid, "", "id already in the index; refused (use --on-duplicate replace)"))
    if not args.quiet:
        print(f"indexed {report.added} article(s) into {args.index} ({total} in all)"
              + (f"; {bad.summary()}" if bad.records else ""), file=sys.stderr)
    return EXIT_BAD_INPUT if bad.records else EXIT_OK


def cmd_index_info(args: argparse.Namespace) -> int:
    with Index.open(args.index) as index:
        info = dict(index.manifest)
        info["articles"] = str(len(index))
    if args.json:
        print(json.dumps(info, sort_keys=True))
    else:
        for key in sorted(info):
            print(f"{key}: {info[key]}")
    return EXIT_OK


# -- check -----------------------------------------------------------------------------------
def cmd_check(args: argparse.Namespace) -> int:
    bad = _Bad(args.quiet)
    config = CheckConfig(candidates=args.candidates, max_sources=args.max_sources,
                         exclude_quotes=not args.include_quotes)
    color = sys.stdout.isatty() and not args.no_color
    checked = 0
    with Index.open(args.index) as index, _progress(None, args.quiet, "suspect") as bar:
        for path in args.suspects:
            for article in _read([path], args, bad):
                result = check(article.text, index, config=config, suspect_id=article.id, path=path)
                if not args.no_learn:
                    record_check(index, result, text=article.text, min_score=config.derived_threshold)
                if args.json:
                    obj = result_to_dict(result)
                    if article.metadata.get("format") in ("html", "warc"):
                        obj["suspect"]["text"] = article.text  # what the offsets point into
                    if not args.no_tortured:
                        # the language model only where no source explains the wording
                        found = detect_tortured(article.text, index=index,
                                                config=TorturedConfig(use_model=not result.derived))
                        obj["tortured_phrases"] = phrases_record(path, found)["tortured_phrases"]
                    print(json.dumps(obj, ensure_ascii=False), flush=True)
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
    _add_input_options(b)
    b.set_defaults(func=cmd_index_build)

    i = idx_sub.add_parser("info", help="show how an index was built and its size")
    i.add_argument("--index", required=True, metavar="DIR")
    i.add_argument("--json", action="store_true")
    i.set_defaults(func=cmd_index_info)

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
        print(f"unspin: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("unspin: interrupted; the index holds every article written so far", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
