"""Index variants against each other on the benchmark's DEV split (BENCHMARKS.md, "Index at scale").

Builds one index per variant (``IndexConfig`` settings such as ``word_sample=4``) over the same
dev-split corpus, checks the same cases against each, and prints per variant: bytes per article
(by part), build CPU seconds, and per rewrite kind recall@1 and the share called derived (the
false positive rate for the negative kinds). Fit sampling and vector settings here, never on the
test split::

    nice -n 10 .venv/bin/python benchmarks/index_variants.py --data ../shared/data \\
        --index-size 3000 --per-kind 6 --negatives 60 \\
        --variant base: --variant w4s4:word_sample=4,skeleton_sample=4 --json OUT.json
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from unspin.bench.records import Case


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def parse_variant(text: str) -> tuple[str, dict[str, Any]]:
    """``name:key=value,key=value`` (values are ints when they look like ints)."""
    name, _, rest = text.partition(":")
    out: dict[str, Any] = {}
    for item in filter(None, rest.split(",")):
        key, _, value = item.partition("=")
        out[key.strip()] = int(value) if value.strip().lstrip("-").isdigit() else value.strip()
    return name, out


def bytes_by_part(path: Path) -> dict[str, int]:
    parts: dict[str, int] = defaultdict(int)
    for p in path.rglob("*"):
        if p.is_file():
            key = ("segments" if p.name.startswith("seg-") else
                   "vectors" if "usearch" in p.name else "sqlite")
            parts[key] += p.stat().st_size
    return dict(parts)


def evaluate(index: Any, cases: list[Case]) -> dict[str, dict[str, float]]:
    from unspin import check

    by_kind: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for case in cases:
        result = check(case.suspect, index)
        top = bool(result.sources) and result.sources[0].id == case.source_id
        by_kind[case.obfuscation].append((top, bool(result.derived)))
    return {kind: {"n": len(v), "recall_at_1": sum(t for t, _ in v) / len(v),
                   "derived": sum(d for _, d in v) / len(v)} for kind, v in sorted(by_kind.items())}


def run_variant(name: str, overrides: dict[str, Any], indexed: list[Any], cases: list[Case],
                work: Path) -> dict[str, Any]:
    from unspin import Index
    from unspin.config import IndexConfig

    path = work / name
    shutil.rmtree(path, ignore_errors=True)
    t, c = time.perf_counter(), _cpu()
    with Index.create(path, config=IndexConfig(**overrides)) as index:
        index.add(indexed)
        n = len(index)
    build_cpu, build_wall = _cpu() - c, time.perf_counter() - t
    parts = bytes_by_part(path)
    c = _cpu()
    with Index.open(path, readonly=True) as index:
        kinds = evaluate(index, cases)
    check_cpu = _cpu() - c
    shutil.rmtree(path, ignore_errors=True)
    return {"variant": name, "settings": overrides, "articles": n,
            "bytes_per_article": {k: v / n for k, v in parts.items()},
            "total_bytes_per_article": sum(parts.values()) / n,
            "build_cpu_s": build_cpu, "build_wall_s": build_wall,
            "build_articles_per_cpu_s": n / build_cpu,
            "check_per_cpu_s": len(cases) / check_cpu, "kinds": kinds}


def table(rows: list[dict[str, Any]]) -> str:
    kinds = sorted({k for r in rows for k in r["kinds"]})
    head = "| kind | " + " | ".join(r["variant"] for r in rows) + " |"
    lines = [head, "|---" * (len(rows) + 1) + "|"]
    for k in kinds:
        cells = []
        for r in rows:
            m = r["kinds"].get(k)
            cells.append("" if m is None else
                         (f"FP {m['derived']:.2f}" if k.startswith("neg") else
                          f"{m['recall_at_1']:.2f} / {m['derived']:.2f}"))
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    lines.append("| bytes/article | " + " | ".join(
        f"{r['total_bytes_per_article']:,.0f}" for r in rows) + " |")
    lines.append("| build articles/CPU s | " + " | ".join(
        f"{r['build_articles_per_cpu_s']:,.0f}" for r in rows) + " |")
    lines.append("| check suspects/CPU s | " + " | ".join(
        f"{r['check_per_cpu_s']:,.1f}" for r in rows) + " |")
    return "\n".join(lines)


def main() -> None:
    from unspin.bench.corpus import load_corpus
    from unspin.bench.dataset import BenchSpec, draw_split, make_cases
    from unspin.bench.generator import KINDS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--index-size", type=int, default=3000)
    ap.add_argument("--per-kind", type=int, default=6)
    ap.add_argument("--negatives", type=int, default=60)
    ap.add_argument("--kinds", nargs="*", default=list(KINDS))
    ap.add_argument("--variant", action="append", required=True,
                    help="name:key=value,... (IndexConfig settings)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    spec = BenchSpec(per_kind=args.per_kind, n_negatives=args.negatives,
                     index_size=args.index_size, kinds=tuple(args.kinds), part="dev", seed=0)
    split = draw_split(load_corpus(args.data), spec)
    cases, _ = make_cases(split, args.data, spec)
    rows = []
    with tempfile.TemporaryDirectory(prefix="unspin-variants-") as tmp:
        for text in args.variant:
            name, overrides = parse_variant(text)
            rows.append(run_variant(name, overrides, split.indexed, cases, Path(tmp)))
            print(json.dumps({k: rows[-1][k] for k in ("variant", "total_bytes_per_article",
                                                          "build_articles_per_cpu_s")}), flush=True)
    print(table(rows))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"spec": vars(spec) if hasattr(spec, "__dict__") else str(spec),
                                         "rows": rows}, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
