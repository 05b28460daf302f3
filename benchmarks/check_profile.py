"""Where ``check`` spends its CPU on the dev split's index (BENCHMARKS.md, "Index at scale").

``build`` writes the dev-split index (``index_variants.py``'s corpus: every dev article not held
out, up to ``--index-size``) and its cases (suspects of every copy kind and negatives) as a JSONL
file ``benchmarks/check_rate.py`` reads; ``profile`` runs ``check`` over those cases under
cProfile and prints the functions with the most cumulative and own time, and the suspects per
CPU second; ``dfcap`` checks the cases with each bound on the articles a counted fingerprint may
be in (``retrieve.MAX_DF``) and prints recall@1 and the share called derived per kind, the
postings gathered per suspect and the suspects per CPU second (fit the bound here, on dev);
``scoring`` times the scoring of N postings of an index of M articles as main 91cc628 did it (an
array as long as the index) and as ``retrieve.candidates`` does it (the articles found)::

    nice -n 10 .venv/bin/python benchmarks/check_profile.py build --data ../shared/data \\
        --index-size 21000 --work benchmarks/work/dev21k
    nice -n 10 .venv/bin/python benchmarks/check_profile.py profile --work benchmarks/work/dev21k
    nice -n 10 .venv/bin/python benchmarks/check_profile.py dfcap --work benchmarks/work/dev21k \
        --caps 0 400 200 100 50
    nice -n 10 .venv/bin/python benchmarks/check_profile.py scoring
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import shutil
import time
from pathlib import Path


def build(data: Path, index_size: int, per_kind: int, negatives: int, work: Path) -> None:
    from unspin import Index
    from unspin.bench.corpus import load_corpus
    from unspin.bench.dataset import BenchSpec, draw_split, make_cases

    spec = BenchSpec(per_kind=per_kind, n_negatives=negatives, index_size=index_size,
                     part="dev", seed=0)
    split = draw_split(load_corpus(data), spec)
    cases, _ = make_cases(split, data, spec)
    work.mkdir(parents=True, exist_ok=True)
    with open(work / "cases.jsonl", "w", encoding="utf-8") as f:
        for case in cases:
            f.write(json.dumps(case.to_json()) + "\n")
    shutil.rmtree(work / "index", ignore_errors=True)
    c = time.process_time()
    with Index.create(work / "index") as index:
        index.add(split.indexed)
        n = len(index)
    print(json.dumps({"articles": n, "cases": len(cases),
                      "build_articles_per_cpu_s": round(n / (time.process_time() - c), 1)}))


def profile(work: Path, top: int) -> None:
    from unspin import Index, check

    with open(work / "cases.jsonl", encoding="utf-8") as f:
        texts = [json.loads(line)["suspect"] for line in f]
    with Index.open(work / "index", readonly=True) as index:
        check(texts[0], index)
        prof = cProfile.Profile()
        c = time.process_time()
        prof.enable()
        for t in texts:
            check(t, index)
        prof.disable()
        cpu = time.process_time() - c
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    print(out.getvalue())
    print(json.dumps({"suspects": len(texts), "per_cpu_s_profiled": round(len(texts) / cpu, 1)}))


def dfcap(work: Path, caps: list[int]) -> list[dict[str, object]]:
    """Recall and speed on the dev cases with each bound (0: none) on a fingerprint's articles."""
    import sys
    from collections import defaultdict

    from unspin import Index, check
    from unspin.analysis import analyze
    from unspin.bench.records import Case
    from unspin.fingerprint import fingerprints

    with open(work / "cases.jsonl", encoding="utf-8") as f:
        cases = [Case.from_json(json.loads(line)) for line in f]
    retrieve = sys.modules["unspin.retrieve"]  # the package's ``retrieve`` is the function
    rows = []
    with Index.open(work / "index", readonly=True) as index:
        check(cases[0].suspect, index)
        for cap in caps:
            retrieve.MAX_DF = cap or 1 << 30
            bound = retrieve.max_df(len(index))
            gathered = [len(index.storage.lookup(fingerprints(analyze(c.suspect).tokens,
                                                              index.config), bound).rows)
                        for c in cases]
            by_kind: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
            c0 = time.process_time()
            for case in cases:
                result = check(case.suspect, index)
                top = bool(result.sources) and result.sources[0].id == case.source_id
                by_kind[case.obfuscation].append((top, result.derived))
            cpu = time.process_time() - c0
            copies = [t for k, v in by_kind.items() if not k.startswith("neg") for t, _ in v]
            negs = [d for k, v in by_kind.items() if k.startswith("neg") for _, d in v]
            rows.append({"cap": cap, "max_df": bound, "recall_at_1": sum(copies) / len(copies),
                         "fpr": sum(negs) / max(len(negs), 1),
                         "derived": {k: sum(d for _, d in v) / len(v) for k, v in by_kind.items()},
                         "postings_per_suspect": sum(gathered) / len(gathered),
                         "per_cpu_s": round(len(cases) / cpu, 1)})
            print(json.dumps(rows[-1]), flush=True)
    return rows


def scoring(k: int = 30, repeat: int = 20) -> None:
    """Milliseconds to score synthetic postings, per (index size, postings) pair, both ways."""
    import numpy as np

    def by_rowid(rows: np.ndarray, w: np.ndarray) -> np.ndarray:  # main 91cc628
        scores = np.bincount(rows, weights=w)
        np.bincount(rows, weights=w, minlength=len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        return top[np.argsort(-scores[top], kind="stable")]

    def by_article(rows: np.ndarray, w: np.ndarray) -> np.ndarray:  # retrieve.candidates now
        found, at = np.unique(rows, return_inverse=True)
        scores = np.bincount(at, weights=w, minlength=len(found))
        np.bincount(at, weights=w, minlength=len(found))
        last = np.partition(scores, len(scores) - k)[len(scores) - k]
        top = np.flatnonzero(scores >= last)
        return found[top[np.lexsort((found[top], -scores[top]))][:k]]

    rng = np.random.default_rng(0)
    for n, p in ((21_000, 4_279), (300_000, 61_000), (1_000_000, 205_000), (1_000_000, 12_000)):
        rows = rng.integers(0, n, p)
        rows[:50] = n - 1  # the newest article is found: the array runs to the index's end
        w = rng.random(p)
        out: dict[str, object] = {"articles": n, "postings": p}
        for name, f in (("by_rowid_ms", by_rowid), ("by_article_ms", by_article)):
            c = time.process_time()
            for _ in range(repeat):
                f(rows, w)
            out[name] = round((time.process_time() - c) / repeat * 1000, 2)
        print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("verb", choices=("build", "profile", "dfcap", "scoring"))
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--index-size", type=int, default=21000)
    ap.add_argument("--per-kind", type=int, default=10)
    ap.add_argument("--negatives", type=int, default=100)
    ap.add_argument("--work", type=Path, default=Path("benchmarks/work/dev21k"))
    ap.add_argument("--top", type=int, default=35)
    ap.add_argument("--caps", type=int, nargs="*", default=[0, 400, 200, 100, 50])
    args = ap.parse_args()
    if args.verb == "build":
        build(args.data, args.index_size, args.per_kind, args.negatives, args.work)
    elif args.verb == "profile":
        profile(args.work, args.top)
    elif args.verb == "dfcap":
        dfcap(args.work, args.caps)
    else:
        scoring()


if __name__ == "__main__":
    main()
