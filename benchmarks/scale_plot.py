"""Plot the scale benchmark's figures against corpus size (BENCHMARKS.md, "Index at scale").

    .venv/bin/python benchmarks/scale_plot.py benchmarks/results/scale-*.json \\
        -o benchmarks/results/scale.png

Three panels, log-scaled sizes: build and check CPU seconds per 1,000 articles / suspects, index
bytes per article, peak RSS of the build and check children. Unsharded and sharded rows are
drawn as separate lines.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def load(paths: list[Path]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        rows.extend(data if isinstance(data, list) else [data])
    return sorted(rows, key=lambda r: (r.get("shards", 1), r["size"]))


def plot(rows: list[dict[str, Any]], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(14, 4))
    for shards in sorted({r.get("shards", 1) for r in rows}):
        sel = [r for r in rows if r.get("shards", 1) == shards and "build_articles_per_cpu_s" in r]
        if not sel:
            continue
        label = "unsharded" if shards == 1 else f"{shards} shards"
        sizes = [r["size"] for r in sel]
        axes[0].plot(sizes, [1000 / r["build_articles_per_cpu_s"] for r in sel], "o-",
                     label=f"build, {label}")
        axes[0].plot(sizes, [1000 / r["check_per_cpu_s"] for r in sel], "s--",
                     label=f"check, {label}")
        axes[1].plot(sizes, [r["bytes_per_article"] for r in sel], "o-", label=label)
        axes[2].plot(sizes, [r["build_peak_rss_mb"] for r in sel], "o-", label=f"build, {label}")
        axes[2].plot(sizes, [r["check_peak_rss_mb"] for r in sel], "s--", label=f"check, {label}")
    axes[0].set_ylabel("CPU seconds per 1,000 articles / suspects")
    axes[1].set_ylabel("index bytes per article")
    axes[1].axhline(4096, color="grey", lw=0.8, ls=":", label="target 4 KB")
    axes[2].set_ylabel("peak RSS (MB)")
    axes[2].axhline(4096, color="grey", lw=0.8, ls=":", label="target 4 GB")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel("articles in the index")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)


def markdown(rows: list[dict[str, Any]]) -> str:
    """The BENCHMARKS.md table: one column per run (size, shards)."""
    cols = [r for r in rows if "build_articles_per_cpu_s" in r]
    head = ["articles (shards)"] + [f"{r['articles']:,}" + ("" if r.get("shards", 1) == 1
                                                           else f" ({r['shards']})") for r in cols]
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    spec = [("build articles per CPU second", "build_articles_per_cpu_s", "{:,.0f}"),
            ("build CPU seconds / wall seconds", None, ""),
            ("index bytes per article", "bytes_per_article", "{:,.0f}"),
            ("index size (MB)", "bytes", "{:,.0f}"),
            ("build peak RSS (MB)", "build_peak_rss_mb", "{:,.0f}"),
            ("check suspects per CPU second", "check_per_cpu_s", "{:,.1f}"),
            ("check p50 / p95 latency (ms)", None, ""),
            ("check peak RSS (MB)", "check_peak_rss_mb", "{:,.0f}"),
            ("recall@1 (copies)", "recall_at_1", "{:.3f}"),
            ("FPR (negatives)", "fpr", "{:.3f}")]
    for name, key, fmt in spec:
        cells = []
        for r in cols:
            if name.startswith("build CPU"):
                cells.append(f"{r['build_cpu_s']:,.0f} / {r['build_wall_s']:,.0f}")
            elif name.startswith("check p50"):
                cells.append(f"{r['p50_ms']:,.0f} / {r['p95_ms']:,.0f}")
            elif key == "bytes":
                cells.append(fmt.format(r[key] / 1e6))
            else:
                cells.append(fmt.format(r[key]))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path, nargs="+")
    ap.add_argument("-o", "--out", type=Path, default=Path("benchmarks/results/scale.png"))
    args = ap.parse_args()
    rows = load(args.results)
    plot(rows, args.out)
    print(markdown(rows))


if __name__ == "__main__":
    main()
