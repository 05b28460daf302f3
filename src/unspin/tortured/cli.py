"""CLI verbs ``tortured``, ``learn`` and ``restore``: parse, make one library call, print.

``register(subparsers)`` adds all three to the ``unspin`` command; each sets ``func`` to a function
of the parsed arguments that returns the exit status (0 ok, 1 if an input was bad).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator

from ..article import Article, BadRecord
from . import detect, learn, restore
from .learn import learned_list
from .lexicon import UserList, load_user_list
from .phrase import DetectConfig
from .report import phrases_record, render_phrases, render_restoration, restoration_record
from .verdict import page_verdict

EXIT_OK, EXIT_BAD_INPUT = 0, 1


def _articles(paths: list[str], bad: list[BadRecord]) -> Iterator[tuple[str, Article]]:
    from ..ingest import read_inputs

    def on_bad(record: BadRecord) -> None:
        bad.append(record)
        print(f"unspin: skipped {record}", file=sys.stderr)

    for article in read_inputs(paths, on_bad=on_bad):
        yield str(article.metadata.get("path") or article.id), article


def _config(args: argparse.Namespace) -> DetectConfig:
    if args.list_only:
        return DetectConfig(use_statistical=False, use_model=False, use_translation=False,
                            exclude_quotes=args.exclude_quotes)
    return DetectConfig(exclude_quotes=args.exclude_quotes, thorough=args.thorough,
                        use_model=not args.no_model)


def _user(args: argparse.Namespace) -> UserList | None:
    return load_user_list(args.fingerprints) if args.fingerprints else None


def _print(record: dict, as_json: bool, readable: str) -> None:
    print(json.dumps(record, ensure_ascii=False) if as_json else readable)


def cmd_tortured(args: argparse.Namespace) -> int:
    bad: list[BadRecord] = []
    config, user = _config(args), _user(args)
    color = sys.stdout.isatty() and not args.json
    for path, art in _articles(args.files, bad):
        found = detect(art.text, index=args.index, config=config, user=user)
        verdict = page_verdict(found, len(art.text.split()))
        _print(phrases_record(path, found, verdict), args.json,
               render_phrases(path, art.text, found, color=color, verdict=verdict))
    return EXIT_BAD_INPUT if bad else EXIT_OK


def cmd_learn(args: argparse.Namespace) -> int:
    n = learn(args.index, min_count=args.min_count)
    rows = learned_list(args.index) if args.json else []
    _print({"index": args.index, "fingerprints_learned": n,
            "fingerprints": [{"phrase": x.phrase, "suggestion": x.suggestion, "count": x.count}
                             for x in rows]}, args.json,
           f"{args.index}: {n} learned fingerprint(s)")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    bad: list[BadRecord] = []
    config = _config(args)
    for path, art in _articles(args.files, bad):
        result = restore(art.text, index=args.index, config=config)
        _print(restoration_record(path, result), args.json, render_restoration(path, result))
    return EXIT_BAD_INPUT if bad else EXIT_OK


def _detect_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="one JSON object per input file")
    p.add_argument("--list-only", action="store_true",
                   help="known fingerprints only (no statistics, no language model, no "
                        "translation damage)")
    p.add_argument("--thorough", action="store_true",
                   help="run the language model over every sentence (slow: about 50 words/s on one "
                        "free core), "
                        "not only over those the cheap detectors pick")
    p.add_argument("--no-model", action="store_true",
                   help="leave the language model out (fast; no 'model' evidence)")
    p.add_argument("--exclude-quotes", action="store_true", help="never flag inside quotations")


def register_tortured(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tortured", help="flag tortured phrases (spinner fingerprints)")
    p.add_argument("files", nargs="+", metavar="FILE", help="text, JSONL, HTML or WARC files; - for stdin")
    p.add_argument("--index", help="also use the fingerprints learned into this index")
    p.add_argument("--fingerprints", metavar="FILE",
                   help='your own list: "phrase<TAB>suggestion" per line, "!phrase" to allow')
    _detect_options(p)
    p.set_defaults(func=cmd_tortured)


def register_learn(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("learn", help="learn fingerprints from the substitutions check found")
    p.add_argument("--index", required=True, help="index directory")
    p.add_argument("--min-count", type=int, default=2, help="times a substitution must recur")
    p.add_argument("--json", action="store_true",
                   help="one JSON object: the count and every learned fingerprint (phrase, "
                        "suggestion, distinct suspects it was seen in)")
    p.set_defaults(func=cmd_learn)


def register_restore(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("restore", help="the likely original wording, with a diff")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--index", help="restore from the source found in this index")
    _detect_options(p)
    p.set_defaults(func=cmd_restore)


def register(sub: argparse._SubParsersAction) -> None:
    register_tortured(sub)
    register_learn(sub)
    register_restore(sub)


__all__ = ["register", "register_tortured", "register_learn", "register_restore",
           "cmd_tortured", "cmd_learn", "cmd_restore"]
