"""CSV columns of ``check --format csv`` and ``tortured --format csv`` (README.md documents them).

Spreadsheets read one row per suspect and source: a suspect with no source found has one row with
the source columns empty. Numbers are written as Python prints them (dot decimals). A text cell
that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return) is
written with a leading apostrophe: text from a page is never obeyed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..check import CheckResult

CHECK_COLUMNS: list[str] = [
    "suspect",            # the path, or path#id for a record of a JSON lines or WARC file
    "suspect_id",
    "suspect_chars",
    "verdict",            # derived | not_derived
    "confidence",
    "rank",               # 1 for the best source; empty when no source was found
    "source_id",
    "source_title",
    "score",
    "coverage_suspect",   # share of the suspect's characters in reused passages
    "coverage_source",    # share of the source's characters reused
    "obfuscation",        # verbatim | light | spun | paraphrase | translated, +reordered, +partial
    "passages",           # number of reused passages
    "substitutions",      # number of word substitutions in them
    "tortured_phrases",   # number flagged in the suspect; empty when not looked for
]

PHRASE_COLUMNS: list[str] = ["path", "id", "start", "end", "phrase", "suggestion", "evidence", "score"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """A text cell that no spreadsheet runs as a formula."""
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def check_rows(result: CheckResult, label: str,
               tortured: Sequence[object] | None = None) -> list[dict[str, Any]]:
    """The CSV rows of one checked suspect."""
    base: dict[str, Any] = {
        "suspect": cell(label),
        "suspect_id": cell(result.suspect_id),
        "suspect_chars": result.chars,
        "verdict": result.verdict,
        "confidence": result.confidence,
        "tortured_phrases": "" if tortured is None else len(tortured),
    }
    if not result.sources:
        return [{**base, **dict.fromkeys(CHECK_COLUMNS[5:14], "")}]
    return [
        {
            **base,
            "rank": rank,
            "source_id": cell(s.id),
            "source_title": cell(s.title),
            "score": s.score,
            "coverage_suspect": s.coverage_suspect,
            "coverage_source": s.coverage_source,
            "obfuscation": s.obfuscation,
            "passages": len(s.passages),
            "substitutions": sum(len(p.substitutions) for p in s.passages),
        }
        for rank, s in enumerate(result.sources, 1)
    ]


def phrase_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The CSV rows of one ``tortured`` record (``tortured.report.phrases_record``): one per phrase."""
    return [
        {
            "path": cell(record.get("path", "")),
            "id": cell(record.get("id", "")),
            "start": p["at"][0],
            "end": p["at"][1],
            "phrase": cell(p["phrase"]),
            "suggestion": cell(p["suggestion"]),
            "evidence": p["evidence"],
            "score": p["score"],
        }
        for p in record["tortured_phrases"]
    ]


__all__ = ["CHECK_COLUMNS", "PHRASE_COLUMNS", "cell", "check_rows", "phrase_rows"]
