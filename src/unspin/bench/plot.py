"""Against substitution rate (0, 30, 50, 70 %): recall@1 (left) and the share called derived (right).

One line per system and crossing: ours and the baselines (BM25 has no verdict, so it is only on the
left).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

RATE_KINDS = {"verbatim": 0, "spin30": 30, "spin50": 50, "spin70": 70}
_STYLE = {"unspin": "o-", "minhash-lsh": "s--", "bm25": "^:"}


def _points(system: dict[str, Any], metric: str) -> list[tuple[int, float]]:
    points = []
    for kind, rate in RATE_KINDS.items():
        group = system["per_kind"].get(kind)
        if not group:
            continue
        value = (
            group.get("recall@1")
            if metric == "recall@1"
            else (group.get("verdict") or {}).get("recall")
        )
        if value is not None:
            points.append((rate, 100 * value))
    return points


def plot_recall(results: dict[str, Any], path: Path) -> Path | None:
    """Write the PNG; None when the results hold no spin cases."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
    crossings = results.get("crossings", [])
    drawn = False
    for ax, metric, title in zip(
        axes, ("recall@1", "derived"), ("true source ranked first", "called derived"), strict=True
    ):
        for n, crossing in enumerate(crossings):
            for k, (name, system) in enumerate(crossing["systems"].items()):
                points = _points(system, metric)
                if len(points) < 2:
                    continue
                xs, ys = zip(*points, strict=True)
                label = f"{name}, {crossing['spinner']}-spun"
                if name == "unspin":
                    label += f" ({crossing['detector']} detector)"
                color = f"C{(k + 3 * n) % 10}"  # the same line keeps its colour in both panels
                ax.plot(
                    xs,
                    ys,
                    _STYLE.get(name, "x-"),
                    color=color,
                    label=label,
                    alpha=1.0 if n == 0 else 0.6,
                )
                drawn = True
        ax.set_title(title)
        ax.set_xlabel("substituted content words (%)")
        ax.set_xticks(list(RATE_KINDS.values()))
        ax.set_ylim(-2, 102)
        ax.grid(alpha=0.3)
    if not drawn:
        plt.close(fig)
        return None
    axes[0].set_ylabel("share of spun suspects (%)")
    axes[0].legend(fontsize=7, loc="center right")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
