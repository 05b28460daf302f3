"""Scores of a system's predictions on a set of cases, per obfuscation and overall."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from unspin.bench.plagdet import Annotation, plagdet
from unspin.bench.records import Case, Prediction

Z95 = 1.959964  # two-sided 95%


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a binomial rate (None for no trials). Unlike the normal
    approximation it stays inside [0, 1] and is not empty at 0 or n successes: 0 of 150 gives
    [0, 0.025], 0 of 600 gives [0, 0.0064]."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return (low, high)


def recall_at(cases: Sequence[Case], preds: dict[str, Prediction], k: int) -> float | None:
    """Share of derived cases whose true source is among the first ``k`` ranked sources."""
    hits = hits_at(cases, preds, k)
    return hits[0] / hits[1] if hits else None


def hits_at(cases: Sequence[Case], preds: dict[str, Prediction], k: int) -> tuple[int, int] | None:
    """(derived cases with the true source in the first ``k``, derived cases)."""
    derived = [c for c in cases if c.derived]
    if not derived:
        return None
    return sum(c.source_id in preds[c.id].ranked[:k] for c in derived), len(derived)


def verdict_counts(cases: Sequence[Case], preds: dict[str, Prediction]) -> dict[str, int] | None:
    """Confusion counts of the derived / not_derived verdict (None for a system without one)."""
    if any(preds[c.id].verdict is None for c in cases):
        return None
    counts = {"tp": 0, "fp": 0, "tn": 0, "fn": 0}
    for c in cases:
        said = preds[c.id].verdict == "derived"
        key = ("tp" if said else "fn") if c.derived else ("fp" if said else "tn")
        counts[key] += 1
    return counts


def verdict_scores(counts: dict[str, int] | None) -> dict[str, Any] | None:
    if counts is None:
        return None
    tp, fp, tn, fn = counts["tp"], counts["fp"], counts["tn"], counts["fn"]
    return {
        **counts,
        "precision": _ratio(tp, tp + fp),
        "recall": _ratio(tp, tp + fn),
        "recall_ci": wilson(tp, tp + fn),
        "fpr": _ratio(fp, fp + tn),
        "fpr_ci": wilson(fp, fp + tn),
    }


def plagdet_score(cases: Sequence[Case], preds: dict[str, Prediction]) -> dict[str, Any] | None:
    """plagdet over the passages of ``cases`` (None for a system that reports no passages)."""
    if all(preds[c.id].verdict is None for c in cases):
        return None
    cases = [c for c in cases if c.meta.get("plagdet", True)]  # no exact truth (``heavy``)
    if not cases:
        return None
    truth = [
        Annotation(c.id, p.suspect_range, p.source_id, p.source_range)
        for c in cases
        for p in c.passages
    ]
    found = [
        Annotation(c.id, d.suspect_range, d.source_id, d.source_range)
        for c in cases
        for d in preds[c.id].detections
    ]
    return plagdet(truth, found).as_dict()


def score_group(cases: Sequence[Case], preds: dict[str, Prediction]) -> dict[str, Any]:
    """Every metric for one group of cases."""
    counts = verdict_counts(cases, preds)
    hits = hits_at(cases, preds, 1)
    out: dict[str, Any] = {
        "n": len(cases),
        "recall@1": recall_at(cases, preds, 1),
        "recall@1_ci": wilson(*hits) if hits else None,
        "recall@5": recall_at(cases, preds, 5),
        "verdict": verdict_scores(counts),
        "plagdet": plagdet_score(cases, preds),
    }
    return out


def score_system(cases: Sequence[Case], preds: dict[str, Prediction]) -> dict[str, Any]:
    """Per obfuscation (each kind of negative as its own group), overall, the derived cases and
    all negatives together."""
    by_kind: dict[str, list[Case]] = {}
    for c in cases:
        by_kind.setdefault(c.obfuscation, []).append(c)
    return {
        "per_kind": {kind: score_group(group, preds) for kind, group in by_kind.items()},
        "overall": score_group(cases, preds),
        "positives": score_group([c for c in cases if c.derived], preds),
        "negatives": score_group([c for c in cases if not c.derived], preds),
        "latency": latency(preds[c.id].seconds for c in cases),
    }


def latency(seconds: Iterable[float]) -> dict[str, float | None]:
    values = sorted(seconds)
    if not values:
        return {"n": 0, "total_s": 0.0, "p50_ms": None, "p95_ms": None, "per_s": None}
    total = sum(values)
    return {
        "n": len(values),
        "total_s": total,
        "p50_ms": 1000 * percentile(values, 50),
        "p95_ms": 1000 * percentile(values, 95),
        "per_s": len(values) / total if total > 0 else None,
    }


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Linear-interpolation percentile of already sorted values."""
    if not sorted_values:
        raise ValueError("percentile of no values")
    pos = (len(sorted_values) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (pos - low)


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None
