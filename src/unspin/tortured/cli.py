"""CLI verbs ``tortured``, ``learn`` and ``restore``: parse, make one library call, print.

``register(subparsers)`` adds all three to the ``unspin`` command; each sets ``func`` to a function
of the parsed arguments that returns the exit status (0 ok, 1 if an input was bad).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from ..article import Article, BadRecord
from ..bounds import MAX_SUSPECT_CHARS, require_suspect_size
from ..cli_options import add_output_options, open_output
from ..errors import BadInputError
from ..fetch import FetchConfig
from ..messages import CappedMessages
from ..report.csv import PHRASE_COLUMNS, phrase_rows
from ..report.formats import record_label
from ..sanitize import json_safe, terminal
from . import detect, learn, restore
from .learn import learned_list
from .lexicon import UserList, load_user_list
from .phrase import DetectConfig
from .report import phrases_record, render_phrases, render_restoration, restoration_record
from .verdict import page_verdict

EXIT_OK, EXIT_BAD_INPUT = 0, 1


def _articles(paths: list[str], bad: list[BadRecord],
              allow_private: bool = False,
              max_chars: int = MAX_SUSPECT_CHARS) -> Iterator[tuple[str, Article]]:
    """``(path, article)`` for files, directories, ``-`` and web addresses: the file each record
    came from (the address for a page); bad ones and those over ``max_chars`` reported."""
    from ..fetch import read_locations

    lines = CappedMessages(lambda line: print(line, file=sys.stderr))

    def on_bad(record: BadRecord) -> None:
        bad.append(record)
        lines(record)

    fetch = FetchConfig(allow_private=allow_private)
    for location, article in read_locations(paths, fetch_config=fetch, on_bad=on_bad):
        path = str(article.metadata.get("path") or location)
        try:
            require_suspect_size(article.text, max_chars, path=path)
        except BadInputError as exc:
            on_bad(BadRecord(exc.path, exc.location, exc.reason))
            continue
        yield path, article
    lines.flush()


def _label(path: str, article: Article) -> str:
    """How the readable report names a record: ``path``, or ``path#id`` in a file of many."""
    return record_label(path, article.id, article.metadata.get("format") in ("jsonl", "warc"))


def _config(args: argparse.Namespace) -> DetectConfig:
    if args.list_only:
        return DetectConfig(use_statistical=False, use_model=False, use_translation=False,
                            exclude_quotes=args.exclude_quotes)
    return DetectConfig(exclude_quotes=args.exclude_quotes, thorough=args.thorough,
                        use_model=not args.no_model)


def _user(args: argparse.Namespace) -> UserList | None:
    return load_user_list(args.fingerprints) if args.fingerprints else None


def _print(out: TextIO, record: dict[str, Any], as_json: bool, readable: str) -> None:
    out.write((json_safe(json.dumps(record, ensure_ascii=False)) if as_json else readable) + "\n")
    out.flush()


def cmd_tortured(args: argparse.Namespace) -> int:
    bad: list[BadRecord] = []
    config, user = _config(args), _user(args)
    with open_output(args.output) as out:
        color = out.isatty() and args.format == "text"
        table = csv.DictWriter(out, fieldnames=PHRASE_COLUMNS, lineterminator="\n")
        if args.format == "csv":
            table.writeheader()
        for path, art in _articles(args.files, bad, args.allow_private, args.max_suspect_chars):
            found = detect(art.text, index=args.index, config=config, user=user)
            verdict = page_verdict(found, len(art.text.split()))
            record = phrases_record(path, found, record_id=art.id, verdict=verdict)
            if args.format == "csv":
                table.writerows(phrase_rows(record))
                continue
            _print(out, record, args.format == "json",
                   render_phrases(_label(path, art), art.text, found, color=color,
                                  verdict=verdict))
    return EXIT_BAD_INPUT if bad else EXIT_OK


def cmd_learn(args: argparse.Namespace) -> int:
    n = learn(args.index, min_count=args.min_count)
    rows = learned_list(args.index) if args.format == "json" else []
    with open_output(args.output) as out:
        _print(out, {"index": args.index, "fingerprints_learned": n,
                     "fingerprints": [{"phrase": x.phrase, "suggestion": x.suggestion,
                                       "count": x.count} for x in rows]},
               args.format == "json", f"{terminal(args.index)}: {n} learned fingerprint(s)")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    bad: list[BadRecord] = []
    config = _config(args)
    with open_output(args.output) as out:
        for path, art in _articles(args.files, bad, args.allow_private, args.max_suspect_chars):
            result = restore(art.text, index=args.index, config=config)
            record = restoration_record(path, result, record_id=art.id)
            _print(out, record, args.format == "json", render_restoration(_label(path, art), result))
    return EXIT_BAD_INPUT if bad else EXIT_OK


def _detect_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--allow-private", action="store_true",
                   help="allow fetching pages from loopback and private network addresses")
    p.add_argument("--list-only", action="store_true",
                   help="known fingerprints only (no statistics, no language model, no "
                        "translation damage)")
    p.add_argument("--thorough", action="store_true",
                   help="run the language model over every sentence (slow: about 75 words/s on one "
                        "free core), "
                        "not only over those the cheap detectors pick")
    p.add_argument("--no-model", action="store_true",
                   help="leave the language model out (fast; no 'model' evidence)")
    p.add_argument("--exclude-quotes", action="store_true", help="never flag inside quotations")
    p.add_argument("--max-suspect-chars", type=int, default=MAX_SUSPECT_CHARS, metavar="N",
                   help="skip inputs longer than this (default: %(default)s)")


def register_tortured(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "tortured", help="flag tortured phrases (spinner fingerprints)",
        description="Flag tortured phrases (\"counterfeit consciousness\" for \"artificial "
                    "intelligence\"): known fingerprints, the ones learned into an index, and "
                    "odd word pairs found by a statistical detector.")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="text, JSONL, HTML or WARC files, directories, - for stdin, or http(s):// "
                        "addresses of pages")
    p.add_argument("--index", metavar="DIR", help="also use the fingerprints learned into this index")
    p.add_argument("--fingerprints", metavar="FILE",
                   help='your own list: "phrase<TAB>suggestion" per line, "!phrase" to allow')
    add_output_options(p, ("text", "json", "csv"))
    _detect_options(p)
    p.set_defaults(func=cmd_tortured)


def register_learn(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "learn", help="learn fingerprints from the substitutions `check --learn` recorded",
        description="Turn the word substitutions that `unspin check --learn` recorded in an index into "
                    "tortured-phrase fingerprints, used by `tortured --index` and `restore`.")
    p.add_argument("--index", required=True, metavar="DIR", help="index directory")
    p.add_argument("--min-count", type=int, default=2,
                   help="times a substitution must recur to be learned")
    add_output_options(p, ("text", "json"))  # json: the count and every learned fingerprint
                                              # (phrase, suggestion, distinct suspects seen in)
    p.set_defaults(func=cmd_learn)


def register_restore(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "restore", help="the likely original wording, with a diff",
        description="Undo the substitutions of a spun text: from its source when the index holds "
                    "one, else from the tortured phrases found; prints the text and a diff.")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="text, JSONL, HTML or WARC files, directories, - for stdin, or http(s):// "
                        "addresses of pages")
    p.add_argument("--index", metavar="DIR", help="restore from the source found in this index")
    add_output_options(p, ("text", "json"))
    _detect_options(p)
    p.set_defaults(func=cmd_restore)


def register(sub: argparse._SubParsersAction) -> None:
    register_tortured(sub)
    register_learn(sub)
    register_restore(sub)


__all__ = ["register", "register_tortured", "register_learn", "register_restore",
           "cmd_tortured", "cmd_learn", "cmd_restore"]
