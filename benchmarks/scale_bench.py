"""The index at scale: build and check figures against corpus size (BENCHMARKS.md, "Index at scale").

For each size N: the scale corpus (``scale_corpus.py``: N articles, the real BBC + Reuters ones
planted among generated ones) less the benchmark's held-out articles is indexed in a child
process, then the benchmark's test-split cases (copies of planted articles of every rewrite kind,
and negatives whose sources were never indexed) are checked in another. Each child reports its
own peak RSS. Figures per size: build articles/s per core, index bytes per article, build peak
RSS, check suspects/s per core, p50/p95 latency, check peak RSS, recall@1 over the copies and the
false positive rate over the negatives. ``--shards`` builds sharded indexes instead::

    nice -n 10 .venv/bin/python benchmarks/scale_bench.py --data ../shared/data \\
        --sizes 21000 100000 --work benchmarks/work/scale --out benchmarks/results/scale.json

``cases`` writes the test split's cases as JSON and ``check --cases FILE`` checks those, so an
index built by one version can be checked by another with the suspects of the split it was
built with (the split decides which articles are indexed). One run per size on a shared machine; the CPU seconds of the child (user + system) are the cost
per core, the wall-clock figures are noisier.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

HERE = Path(__file__).resolve().parent


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _benchset(data: Path, per_kind: int, negatives: int) -> Any:
    from unspin.bench.corpus import load_corpus
    from unspin.bench.dataset import BenchSpec, draw_split, make_cases

    spec = BenchSpec(per_kind=per_kind, n_negatives=negatives, part="test", seed=0)
    split = draw_split(load_corpus(data), spec)
    cases, _ = make_cases(split, data, spec)
    return split, cases


def _sized(articles: Iterable[Any], indexed: set[str], generated: int) -> Iterator[Any]:
    """The real articles to index and the first ``generated`` generated ones of a corpus file."""
    for article in articles:
        if article.id in indexed:
            yield article
        elif article.id.startswith("gen-") and generated > 0:
            generated -= 1
            yield article


def child_build(args: argparse.Namespace) -> dict[str, Any]:
    from unspin import Index
    from unspin.bench.corpus import load_corpus
    from unspin.ingest import read_inputs

    split, _ = _benchset(args.data, args.per_kind, args.negatives)
    indexed = {a.id for a in split.indexed}
    shutil.rmtree(args.index, ignore_errors=True)
    articles = _sized(read_inputs([str(args.corpus)]), indexed,
                      args.size - len(load_corpus(args.data)))
    t, c = time.perf_counter(), _cpu()
    with Index.create(args.index, shards=args.shards) as index:
        report = index.add(articles)
        n = len(index)
    wall, cpu = time.perf_counter() - t, _cpu() - c
    size = sum(p.stat().st_size for p in Path(args.index).rglob("*") if p.is_file())
    parts = _bytes_by_part(Path(args.index))
    from unspin.config import IndexConfig

    settings = {k: v for k, v in IndexConfig().as_dict().items()
                if k.endswith("_sample") or k.startswith("vector_") or k == "semantic"}
    return {"settings": settings, "articles": n, "added": report.added, "build_wall_s": wall,
            "build_cpu_s": cpu,
            "build_articles_per_cpu_s": n / cpu, "bytes": size, "bytes_per_article": size / n,
            "bytes_per_article_by_part": {k: v / n for k, v in parts.items() if k != "vectors"},
            "graph_vectors_per_article": parts["vectors"] / n,
            "build_peak_rss_mb": _rss_mb()}


def dump_cases(args: argparse.Namespace) -> list[dict[str, Any]]:
    """The test-split cases as JSON, so that an index built by one version of the benchmark's
    split can be checked by another version of the engine with the same suspects (the split
    decides which articles are indexed and which are held out as negatives)."""
    _, cases = _benchset(args.data, args.per_kind, args.negatives)
    return [{"id": c.id, "suspect": c.suspect, "derived": c.derived, "source_id": c.source_id,
             "obfuscation": c.obfuscation} for c in cases]


def _bytes_by_part(path: Path) -> dict[str, int]:
    """Index bytes by part (SQLite file, posting segments, usearch graph), and the graph's vector
    count (``vectors``, from the store's JSON)."""
    parts = {"sqlite": 0, "segments": 0, "graph": 0, "vectors": 0}
    for p in path.rglob("*"):
        if p.is_file():
            key = ("segments" if p.name.startswith("seg-") else
                   "graph" if "usearch" in p.name else "sqlite")
            parts[key] += p.stat().st_size
            if p.name.endswith(".usearch.json"):
                parts["vectors"] += int(json.loads(p.read_text()).get("count", 0))
    return parts


def child_check(args: argparse.Namespace) -> dict[str, Any]:
    from unspin import Index, check

    if args.cases:  # the cases of the run that built the index (``cases`` verb), whatever code
        cases = [SimpleNamespace(**c) for c in json.loads(args.cases.read_text())]
    else:
        _, cases = _benchset(args.data, args.per_kind, args.negatives)
    cases = [c for c in cases if c.obfuscation.startswith("neg") or c.source_id]
    with Index.open(args.index, readonly=True) as index:
        check("A warm-up text. It loads what check needs.", index)
        latencies, hits, copies, false_pos, negs = [], 0, 0, 0, 0
        outcomes = []
        c = _cpu()
        for case in cases:
            t = time.perf_counter()
            result = check(case.suspect, index)
            latencies.append(time.perf_counter() - t)
            outcomes.append([case.id, result.derived,
                             [(s.id, round(s.score, 6)) for s in result.sources]])
            if case.derived:
                copies += 1
                hits += bool(result.sources) and result.sources[0].id == case.source_id
            else:
                negs += 1
                false_pos += result.derived
        cpu = _cpu() - c
    if args.outcomes:  # per case: verdict and ranked sources, to compare sharded with unsharded
        args.outcomes.write_text(json.dumps(outcomes) + "\n")
    q = statistics.quantiles(latencies, n=20)
    return {"suspects": len(cases), "check_per_cpu_s": len(cases) / cpu,
            "p50_ms": 1000 * statistics.median(latencies), "p95_ms": 1000 * q[18],
            "recall_at_1": hits / max(copies, 1), "copies": copies,
            "fpr": false_pos / max(negs, 1), "negatives": negs, "check_peak_rss_mb": _rss_mb()}


def _child(verb: str, args: argparse.Namespace, corpus: Path, index: Path, size: int
           ) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__)), verb, "--data", str(args.data), "--corpus",
           str(corpus), "--index", str(index), "--shards", str(args.shards), "--size", str(size),
           "--per-kind", str(args.per_kind), "--negatives", str(args.negatives)]
    if verb == "check":
        cmd += ["--outcomes", str(args.work / f"outcomes-{size}-{args.shards}.json")]
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{verb} at {size:,} failed (exit {out.returncode}):\n{out.stderr[-4000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def orchestrate(args: argparse.Namespace) -> None:
    results = []
    for size in args.sizes:
        corpus = args.corpus or args.work / f"scale-{size}.jsonl"
        if not corpus.exists():
            subprocess.run([sys.executable, str(HERE / "scale_corpus.py"), "--data", str(args.data),
                            "-n", str(size), "-o", str(corpus)], check=True)
        index = args.work / f"index-{size}-{args.shards}"
        row: dict[str, Any] = {"size": size, "shards": args.shards}
        if not (args.reuse and index.exists()):
            row.update(_child("build", args, corpus, index, size))
            print(json.dumps(row), file=sys.stderr, flush=True)  # kept if the check fails
        row.update(_child("check", args, corpus, index, size))
        print(json.dumps(row), flush=True)
        results.append(row)
        if args.out:  # after every size: a run stopped later keeps the sizes done
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(results, indent=2) + "\n")
        if not args.keep:
            shutil.rmtree(index, ignore_errors=True)


def compare(a: Path, b: Path) -> dict[str, Any]:
    """Two runs' per-case outcomes (``outcomes-SIZE-SHARDS.json``): how many cases agree on the
    verdict, and on the ranked sources with their scores (to 6 decimals)."""
    one, two = (json.loads(p.read_text()) for p in (a, b))
    by_id = {case[0]: case for case in two}
    same_verdict = sum(c[1] == by_id[c[0]][1] for c in one if c[0] in by_id)
    same_sources = sum(c[2] == by_id[c[0]][2] for c in one if c[0] in by_id)
    return {"cases": len(one), "same_verdict": same_verdict, "same_ranked_sources": same_sources}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("verb", nargs="?", default="run", choices=("run", "build", "check", "compare", "cases"))
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[21000, 100000])
    ap.add_argument("--work", type=Path, default=Path("benchmarks/work/scale"))
    ap.add_argument("--out", type=Path)
    ap.add_argument("--shards", type=int, default=1)
    ap.add_argument("--per-kind", type=int, default=10, help="copies per rewrite kind")
    ap.add_argument("--negatives", type=int, default=100)
    ap.add_argument("--keep", action="store_true", help="keep the indexes")
    ap.add_argument("--corpus", type=Path, help="a scale_corpus.py file of at least the largest size: "
                    "each size takes every real article and its first generated ones")
    ap.add_argument("--index", type=Path)
    ap.add_argument("--size", type=int, default=0)
    ap.add_argument("--outcomes", type=Path)
    ap.add_argument("--compare", type=Path, nargs=2, metavar=("A", "B"),
                    help="with verb compare: two outcomes files")
    ap.add_argument("--reuse", action="store_true", help="check an index kept by --keep, not rebuilt")
    ap.add_argument("--cases", type=Path, help="with verb check: a file the cases verb wrote "
                    "(the suspects of the split the index was built with)")
    args = ap.parse_args()
    if args.verb == "compare":
        print(json.dumps(compare(*args.compare)))
        return
    if args.verb == "cases":
        print(json.dumps(dump_cases(args)))
        return
    if args.verb == "run":
        args.work.mkdir(parents=True, exist_ok=True)
        orchestrate(args)
    else:
        print(json.dumps(child_build(args) if args.verb == "build" else child_check(args)))


if __name__ == "__main__":
    main()
