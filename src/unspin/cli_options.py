"""What every ``unspin`` command shares on the command line: help that shows defaults and an
example, the output options (``-o/--output``, ``--format``, ``--json``) and the output file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO

from .errors import UsageError

EXAMPLES: dict[str, str] = {
    "index": "unspin index build corpus/ --index idx\n  unspin index info --index idx --json",
    "index build": "unspin index build bbc/ reuters.jsonl --index idx --on-duplicate skip",
    "index info": "unspin index info --index idx --json",
    "index verify": "unspin index verify --index idx",
    "index repair": "unspin index repair --index idx",
    "index merge": "unspin index merge idx-2025 idx-2026 --index archive --shards 4",
    "check": "unspin check suspects.jsonl --index idx -o report.csv --format csv\n"
             "  unspin check https://example.com/news/story.html --index idx",
    "tortured": "unspin tortured paper.txt https://example.com/article.html --format json",
    "learn": "unspin learn --index idx --min-count 3",
    "restore": "unspin restore spun.txt --index idx -o restored.txt",
    "serve": "unspin serve --index idx --port 8000",
    "scan": "unspin scan crawl/*.warc.gz --index idx --out scan-out --workers 2\n"
            "  unspin scan report --out scan-out --html scan.html",
}
"""One example per command, shown at the end of its ``--help`` (commands by their full name)."""


class HelpFormatter(argparse.HelpFormatter):
    """Wraps descriptions, keeps the line breaks of a text that has them (the example), and adds
    "(default: ...)" to every option that takes a value and has a default worth showing."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if ("%(default)" in text or action.nargs == 0 or default in (None, "", False, [])
                or default is argparse.SUPPRESS or not action.option_strings):
            return text
        return f"{text} (default: %(default)s)"


def subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    """Every command under ``parser`` by its full name (``"index build"``), depth first."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                full = f"{prefix} {name}".strip()
                yield full, sub
                yield from subcommands(sub, full)


def finish_help(parser: argparse.ArgumentParser) -> None:
    """Give every command the shared formatter, its example, and its one-line help as description
    when it has none (commands registered by other modules included)."""
    parser.formatter_class = HelpFormatter
    for full, sub in subcommands(parser):
        sub.formatter_class = HelpFormatter
        if full in EXAMPLES and not sub.epilog:
            sub.epilog = f"example:\n  {EXAMPLES[full]}"
        if not sub.description:
            sub.description = _help_of(parser, full)


def _help_of(parser: argparse.ArgumentParser, full: str) -> str | None:
    *parents, name = full.split()
    node = parser
    for part in parents:
        node = dict(subcommands(node))[part]
    for action in node._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.dest == name and choice.help:
                    return choice.help[:1].upper() + choice.help[1:] + "."
    return None


def add_output_options(p: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    """``-o/--output FILE``, ``--format`` (first of ``formats`` by default) and ``--json``."""
    p.add_argument("-o", "--output", metavar="FILE",
                   help="write the results to FILE instead of standard output "
                        "(progress and messages stay on stderr)")
    p.add_argument("--format", choices=list(formats), default=formats[0],
                   help="how results are written")
    p.add_argument("--json", dest="format", action="store_const", const="json",
                   help="same as --format json")


@contextmanager
def open_output(path: str | None) -> Iterator[TextIO]:
    """Standard output, or ``path`` opened for writing (UTF-8); a one-line error if it cannot be."""
    if not path or path == "-":
        yield sys.stdout
        return
    try:
        stream = open(path, "w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"{path}: cannot write the output file ({exc.strerror or exc}); "
                         "check the path and its permissions") from exc
    with stream:
        yield stream


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


__all__ = ["EXAMPLES", "HelpFormatter", "add_output_options", "finish_help", "is_terminal",
           "open_output", "subcommands"]
