"""The calibration part of a benchmark run: the labelled scores a dev run records for fitting
``unspin.calibration``, and on any run the calibration of unspin's own ``confidence``.

- ``points``: per suspect, its kind, whether it is a copy and the best source's score (what
  ``python -m unspin.calibration fit`` reads from the dev run's JSON);
- ``report``: the expected calibration error of the probability of a copy that ``check`` gives
  (``confidence``, or its complement for not_derived), its reliability diagram (10 bins), and per
  copy kind the score gap between its lowest-scoring copy and the highest-scoring negative, with
  the role weights (``unspin.roles``) and without them (``score_before_roles``), against every
  negative and against the negatives but MRPC's (pairs of sentences that say the same thing).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from unspin.bench.records import Case, Prediction
from unspin.calibration import expected_calibration_error, reliability

MRPC_PREFIX = "neg-mrpc"


def points(cases: Sequence[Case], preds: dict[str, Prediction]) -> list[dict[str, Any]]:
    return [{"kind": c.obfuscation, "copy": c.derived, "score": preds[c.id].score or 0.0}
            for c in cases if c.id in preds]


def _gaps(cases: Sequence[Case], preds: dict[str, Prediction], before: bool) -> dict[str, Any]:
    def score(c: Case) -> float:
        p = preds[c.id]
        value = p.score_before_roles if before else p.score
        return value or 0.0

    negatives = [c for c in cases if not c.derived]
    top_all = max((score(c) for c in negatives), default=0.0)
    top_plain = max((score(c) for c in negatives if not c.obfuscation.startswith(MRPC_PREFIX)),
                    default=0.0)
    out: dict[str, Any] = {"highest_negative": top_all, "highest_negative_but_mrpc": top_plain,
                           "per_kind": {}}
    kinds = sorted({c.obfuscation for c in cases if c.derived})
    for kind in kinds:
        low = min(score(c) for c in cases if c.obfuscation == kind)
        out["per_kind"][kind] = {"lowest_copy": low, "gap": low - top_all,
                                 "gap_but_mrpc": low - top_plain}
    return out


def report(cases: Sequence[Case], preds: dict[str, Prediction]) -> dict[str, Any]:
    """ECE, reliability diagram and score gaps of unspin's predictions (those with a probability)."""
    scored = [c for c in cases if c.id in preds and preds[c.id].probability is not None]
    probs = [float(preds[c.id].probability or 0.0) for c in scored]
    copies = [c.derived for c in scored]
    if not scored:
        return {}
    return {
        "n": len(scored),
        "copies": sum(copies),
        "ece": expected_calibration_error(probs, copies),
        "reliability": reliability(probs, copies),
        "gaps_after": _gaps(scored, preds, before=False),
        "gaps_before": _gaps(scored, preds, before=True),
    }


def plot_reliability(rows: list[dict[str, Any]], ece: float, path: Path, title: str) -> Path:
    """The reliability diagram as a PNG: mean probability against the share of copies per bin."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot([0, 1], [0, 1], ":", color="grey", label="perfect calibration")
    xs = [r["mean_probability"] for r in rows]
    ys = [r["copy_rate"] for r in rows]
    ax.plot(xs, ys, "o-", label=f"unspin (ECE {ece:.3f})")
    for x, y, r in zip(xs, ys, rows, strict=True):
        ax.annotate(str(r["n"]), (x, y), textcoords="offset points", xytext=(4, -10), fontsize=7)
    ax.set_xlabel("probability of a copy (check's confidence)")
    ax.set_ylabel("share of copies")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(title, fontsize=9)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


__all__ = ["points", "report", "plot_reliability"]


def render(results: dict[str, Any], plot: str | None = None) -> str:
    """Markdown for a run's calibration: per crossing, ECE and the score gaps, before and after."""
    lines = ["", "### Calibration of `confidence` and the score gaps", ""]
    for crossing in results.get("crossings", []):
        cal = crossing.get("calibration") or {}
        if not cal:
            continue
        lines += [f"Detector {crossing['detector']}, spinner {crossing['spinner']}: "
                  f"{cal['n']} suspects ({cal['copies']} copies); expected calibration error "
                  f"**{cal['ece']:.3f}**.", ""]
        before, after = cal["gaps_before"], cal["gaps_after"]
        lines += ["| copy kind | lowest copy, before | after | gap to the highest negative, "
                  "before | after | gap, negatives but MRPC, before | after |",
                  "|---|---:|---:|---:|---:|---:|---:|"]
        for kind, a in after["per_kind"].items():
            b = before["per_kind"][kind]
            lines.append(f"| {kind} | {b['lowest_copy']:.3f} | {a['lowest_copy']:.3f} | "
                         f"{b['gap']:+.3f} | {a['gap']:+.3f} | {b['gap_but_mrpc']:+.3f} | "
                         f"{a['gap_but_mrpc']:+.3f} |")
        lines += ["", f"Highest-scoring negative: {before['highest_negative']:.3f} before, "
                  f"{after['highest_negative']:.3f} after; but MRPC: "
                  f"{before['highest_negative_but_mrpc']:.3f} before, "
                  f"{after['highest_negative_but_mrpc']:.3f} after.", ""]
    if plot:
        lines += [f"![reliability diagram]({plot})", ""]
    return "\n".join(lines)


def plot_run(results: dict[str, Any], path: Path) -> Path | None:
    """The main crossing's reliability diagram; None when the run has no calibration."""
    crossings = results.get("crossings", [])
    cal = (crossings[0].get("calibration") or {}) if crossings else {}
    if not cal:
        return None
    title = (f"{results.get('name')}: detector {crossings[0]['detector']}, "
             f"{cal['n']} suspects, {cal['copies']} copies")
    return plot_reliability(cal["reliability"], cal["ece"], path, title)
