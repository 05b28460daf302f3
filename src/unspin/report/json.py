"""The JSON schema of ``unspin check --json`` (one object per suspect; README documents it), and of
the final ``{"summary": ...}`` object that ``--summary-json`` adds."""

from __future__ import annotations

from typing import Any

from ..align import Substitution
from ..check import CheckResult
from ..index import Index
from .summary import BatchSummary


def _substitution(sub: Substitution) -> dict[str, Any]:
    """One change (``kind``: replaced | inserted | deleted | moved) or one variant (``kind``
    variant, ``variant``: case | typography | spelling | number | characters | date)."""
    out: dict[str, Any] = {
        "kind": sub.kind,
        "suspect": sub.suspect,
        "source": sub.source,
        "suspect_at": list(sub.suspect_at),
        "source_at": list(sub.source_at),
    }
    if sub.kind == "variant":
        out["variant"] = sub.variant
    return out


def result_to_dict(result: CheckResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "suspect": {"id": result.suspect_id, "path": result.path, "chars": result.chars,
                    "lang": result.lang},
        "verdict": result.verdict,
        "confidence": result.confidence,
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "score": s.score,
                "coverage_suspect": s.coverage_suspect,
                "coverage_source": s.coverage_source,
                "obfuscation": s.obfuscation,
                "passages": [
                    {
                        "suspect": list(p.suspect),
                        "source": list(p.source),
                        "kind": p.kind,
                        "substitutions": [_substitution(sub) for sub in p.substitutions],
                        "variants": [_substitution(sub) for sub in p.variants],
                    }
                    for p in s.passages
                ],
            }
            for s in result.sources
        ],
    }
    out.update(result.extra)
    return out


def check_record(result: CheckResult, *, suspect_text: str | None = None,
                 tortured: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """One line of ``check --json``: the result, the suspect's text when it was extracted from a
    page (what the offsets point into), and its tortured phrases when they were looked for."""
    out = result_to_dict(result)
    if suspect_text is not None:
        out["suspect"]["text"] = suspect_text
    if tortured is not None:
        out["tortured_phrases"] = tortured
    return out


def index_info(index: Index) -> dict[str, Any]:
    """``index info --json``: the manifest with typed values (numbers as numbers, the settings
    as an object) and the number of articles."""
    info: dict[str, Any] = dict(index.manifest)
    info["format_version"] = int(info["format_version"])
    info["config"] = index.config.as_dict()
    info["articles"] = len(index)
    info["articles_truncated"] = index.truncated()  # longer than max_chars: only their start searchable
    return info


def summary_to_dict(summary: BatchSummary, top: int = 10) -> dict[str, Any]:
    """The ``{"summary": ...}`` object: counts, and the top sources with how many derive from them."""
    return {
        "summary": {
            "read": summary.read,
            "derived": summary.derived,
            "not_derived": summary.not_derived,
            "bad": summary.bad,
            "top_sources": [
                {"id": source_id, "title": summary.titles.get(source_id, ""), "count": count}
                for source_id, count in summary.top(top)
            ],
        }
    }


__all__ = ["result_to_dict", "check_record", "index_info", "summary_to_dict"]
