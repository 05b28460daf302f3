"""The JSON schema of ``unspin check --json`` (one object per suspect; README documents it)."""

from __future__ import annotations

from typing import Any

from ..check import CheckResult


def result_to_dict(result: CheckResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "suspect": {"id": result.suspect_id, "path": result.path, "chars": result.chars},
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
                        "substitutions": [
                            {
                                "suspect": sub.suspect,
                                "source": sub.source,
                                "suspect_at": list(sub.suspect_at),
                                "source_at": list(sub.source_at),
                            }
                            for sub in p.substitutions
                        ],
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


__all__ = ["result_to_dict", "check_record"]
