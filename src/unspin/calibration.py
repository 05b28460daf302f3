"""``confidence`` as a probability: a map from a source's score to the probability that the suspect
is a copy, fitted on the benchmark's labelled suspects.

The map is isotonic (pool adjacent violators) on one feature, the best source's score: a higher
score never means a lower probability. Each pooled block's rate is smoothed by half a case on each
side ((copies + 0.5) / (cases + 1)), so no score is ever called certain, and the probability
between two blocks is interpolated linearly between their mean scores. The fitted map ships in the
package (``data/calibration.json``) with its provenance: which run, which split, how many copies
and negatives of each kind. It is fitted on the dev split only (``python -m unspin.calibration fit
benchmarks/results/dev.json``, run by ``make bench`` between the dev and the test run); the test
run reports its expected calibration error and reliability diagram.

The probability is the share of copies among the benchmark's suspects at that score: the
benchmark's mix (copies of every kind, hard negatives of every kind, about 3 negatives for 2
copies) is its prior, and a collection with far fewer copies would see lower rates.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import UsageError

BINS = 10
PACKAGED = "calibration.json"


@dataclass(frozen=True, slots=True)
class Calibration:
    """Mean scores of the pooled blocks (ascending) and each block's probability of a copy."""

    scores: tuple[float, ...]
    probabilities: tuple[float, ...]
    provenance: dict[str, Any] = field(default_factory=dict)

    def probability(self, score: float) -> float:
        """The probability that a suspect whose best source scores ``score`` is a copy."""
        xs, ps = self.scores, self.probabilities
        if not xs:
            return score
        if score <= xs[0]:
            return ps[0]
        for k in range(1, len(xs)):
            if score <= xs[k]:
                span = xs[k] - xs[k - 1]
                t = (score - xs[k - 1]) / span if span > 0 else 1.0
                return ps[k - 1] + t * (ps[k] - ps[k - 1])
        return ps[-1]

    def to_json(self) -> dict[str, Any]:
        return {"method": "isotonic on the best source's score", "scores": list(self.scores),
                "probabilities": list(self.probabilities), "provenance": self.provenance}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Calibration:
        return cls(tuple(float(x) for x in data["scores"]),
                   tuple(float(p) for p in data["probabilities"]), dict(data.get("provenance", {})))


def fit(scores: Sequence[float], copies: Sequence[bool],
        provenance: dict[str, Any] | None = None) -> Calibration:
    """Fit the isotonic map on labelled scores (``copies[i]``: suspect i is a copy)."""
    if len(scores) != len(copies) or not scores:
        raise UsageError("calibration.fit needs as many labels as scores, and at least one")
    points = sorted(zip(scores, copies, strict=True))
    # blocks: [sum of scores, copies, cases], pooled while a block's rate falls below the one before
    blocks: list[list[float]] = []
    tied: dict[float, list[float]] = {}  # equal scores are one block from the start
    for s, c in points:
        block = tied.setdefault(s, [0.0, 0.0, 0.0])
        block[0] += s
        block[1] += float(c)
        block[2] += 1
    for block in tied.values():
        blocks.append(block)
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][2] >= blocks[-1][1] / blocks[-1][2]:
            last = blocks.pop()
            for k in range(3):
                blocks[-1][k] += last[k]
    xs = tuple(round(b[0] / b[2], 4) for b in blocks)
    raw = [(b[1] + 0.5) / (b[2] + 1.0) for b in blocks]
    ps: list[float] = []
    for p in raw:  # smoothing may break the order by a hair: keep it non-decreasing
        ps.append(round(max(p, ps[-1]) if ps else p, 4))
    return Calibration(xs, tuple(ps), provenance or {})


def expected_calibration_error(probabilities: Sequence[float], copies: Sequence[bool],
                               bins: int = BINS) -> float:
    """ECE: over ``bins`` equal-width probability bins, the case-weighted mean of
    |mean probability - share of copies|."""
    rows = reliability(probabilities, copies, bins)
    n = sum(r["n"] for r in rows)
    return sum(r["n"] * abs(r["mean_probability"] - r["copy_rate"]) for r in rows) / max(n, 1)


def reliability(probabilities: Sequence[float], copies: Sequence[bool],
                bins: int = BINS) -> list[dict[str, float]]:
    """The reliability diagram's points: per non-empty bin, its cases, mean probability and the
    share of copies."""
    sums = [[0.0, 0.0, 0] for _ in range(bins)]
    for p, c in zip(probabilities, copies, strict=True):
        k = min(int(p * bins), bins - 1)
        sums[k][0] += p
        sums[k][1] += float(c)
        sums[k][2] += 1
    return [{"bin": k / bins, "n": n, "mean_probability": sp / n, "copy_rate": sc / n}
            for k, (sp, sc, n) in enumerate(sums) if n]


@lru_cache(maxsize=1)
def packaged() -> Calibration | None:
    """The map shipped with unspin; None when none was fitted (``confidence`` is then the score)."""
    try:
        text = resources.files("unspin").joinpath("data", PACKAGED).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None
    return Calibration.from_json(json.loads(text))


def points_from_results(results: dict[str, Any]) -> tuple[list[float], list[bool], dict[str, int]]:
    """The labelled scores a benchmark run recorded (``calibration_points`` of each crossing):
    scores, copy labels and the count of each kind."""
    scores: list[float] = []
    copies: list[bool] = []
    kinds: dict[str, int] = {}
    for crossing in results.get("crossings", []):
        for point in crossing.get("calibration_points", []):
            scores.append(float(point["score"]))
            copies.append(bool(point["copy"]))
            kinds[point["kind"]] = kinds.get(point["kind"], 0) + 1
    return scores, copies, kinds


def fit_from_results(path: Path) -> Calibration:
    """Fit on a dev run's results JSON; refuses a run on another split."""
    results = json.loads(path.read_text(encoding="utf-8"))
    part = results.get("options", {}).get("part")
    if part != "dev":
        raise UsageError(f"{path}: a calibration is fitted on a dev run (this one is {part!r});"
                         " run the benchmark with --split dev first")
    scores, copies, kinds = points_from_results(results)
    if not scores:
        raise UsageError(f"{path}: no calibration points; rerun the benchmark with this version")
    provenance = {"run": results.get("name"), "split": part, "started": results.get("started"),
                  "commit": results.get("machine", {}).get("git_commit"),
                  "command": results.get("command"), "copies": sum(copies),
                  "negatives": len(copies) - sum(copies), "kinds": kinds}
    return fit(scores, copies, provenance)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m unspin.calibration fit DEV_JSON --out FILE``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m unspin.calibration",
                                     description="fit confidence's calibration on a dev run")
    sub = parser.add_subparsers(dest="command", required=True)
    cmd = sub.add_parser("fit", help="fit the isotonic map on a dev run's results JSON")
    cmd.add_argument("results", type=Path, help="benchmarks/results/dev.json")
    cmd.add_argument("--out", type=Path, required=True, help="src/unspin/data/calibration.json")
    args = parser.parse_args(argv)
    try:
        cal = fit_from_results(args.results)
    except (UsageError, OSError, ValueError, KeyError) as exc:
        print(f"unspin.calibration: {exc}", file=sys.stderr)
        return 2
    args.out.write_text(json.dumps(cal.to_json(), indent=1) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(cal.scores)} blocks from {cal.provenance['copies']} copies and "
          f"{cal.provenance['negatives']} negatives")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["Calibration", "fit", "expected_calibration_error", "reliability", "packaged",
           "fit_from_results", "points_from_results"]
