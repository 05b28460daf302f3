"""Copies in another language and heavy rewrites: the hand-written set against a small BBC index.

The index holds every article the set's translations and rewrites come from, the articles whose
facts the independent reports use, and ``--distractors`` other BBC articles (never a held-out one).
For each item, ``check`` runs as the CLI runs it; reported per kind and split (odd item numbers are
the development part, even ones the test part; ``holdout/`` items the held-out part, reported
apart and never looked at while fitting):

* translated, rewrite: recall@1 (derived, and the top source is the item's source);
* translated_negative, independent: false positives (derived at all);
* language detection accuracy on the set, and on ``--lang-sample`` English BBC articles;
* check latency (median, per kind).

    nice -n 10 .venv/bin/python benchmarks/multilingual_bench.py --data ../shared/data \
        --work /tmp/ml-bench --split all
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

from unspin import Article
from unspin.bench.multilingual_set import read_items
from unspin.check import check
from unspin.config import IndexConfig
from unspin.crossindex import STORE_FILE
from unspin.index import Index
from unspin.lang import detect


def _bbc(data: Path) -> dict[str, dict[str, str]]:
    out = {}
    with open(data / "bbc-news" / "bbc.jsonl", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            out[rec["id"]] = rec
    return out


def build(work: Path, bbc: dict[str, dict[str, str]], wanted: set[str], held_out: set[str],
          distractors: int, seed: int, reuse: bool = False,
          crosslingual: bool = True) -> tuple[Index, float, float]:
    # BBC holds 133 exact duplicate bodies: a distractor equal to a source would take its rank, and
    # one equal to a held-out article would make a translated negative a true copy
    # (and near-duplicates under the same title, e.g. entertainment/179 and 216)
    taken = {bbc[i][k] for i in wanted | held_out for k in ("text", "title")}
    others = sorted(i for i in set(bbc) - wanted - held_out
                    if bbc[i]["text"] not in taken and bbc[i]["title"] not in taken)
    random.Random(seed).shuffle(others)
    ids = sorted(wanted) + others[:distractors]
    if work.exists() and reuse:
        return Index.open(work, readonly=True), 0.0, 0.0
    if work.exists():
        shutil.rmtree(work)
    t0, c0 = time.perf_counter(), time.process_time()
    index = Index.create(work, config=IndexConfig(crosslingual=crosslingual))
    index.add(Article(i, bbc[i]["text"], title=bbc[i]["title"]) for i in ids)
    return index, time.perf_counter() - t0, time.process_time() - c0


def _bytes(work: Path) -> dict[str, int]:
    files = [p for p in work.rglob("*") if p.is_file()]
    cross = sum(p.stat().st_size for p in files if p.name.startswith(STORE_FILE))
    return {"total": sum(p.stat().st_size for p in files), "crosslingual": cross}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--work", type=Path, default=Path("benchmarks/work/multilingual"))
    ap.add_argument("--distractors", type=int, default=400)
    ap.add_argument("--split", choices=("dev", "test", "holdout", "all"), default="all")
    ap.add_argument("--lang-sample", type=int, default=300)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--reuse", action="store_true", help="use the index in --work if built")
    ap.add_argument("--kinds", default="", help="comma-separated kinds to check (default all)")
    ap.add_argument("--no-crosslingual", action="store_true",
                    help="build the index without cross-lingual article vectors")
    ap.add_argument("--build-only", action="store_true", help="build, print the cost, stop")
    args = ap.parse_args(argv)
    items = read_items()
    bbc = _bbc(args.data)
    wanted = {i.source for i in items if i.source} | {
        i.related for i in items if i.kind == "independent"}
    held_out = {i.related for i in items if i.kind == "translated_negative"}
    index, build_s, build_cpu = build(args.work, bbc, wanted, held_out, args.distractors,
                                      args.seed, args.reuse, not args.no_crosslingual)
    size = _bytes(args.work)
    n = max(len(index), 1)
    rate = f"{n / build_cpu:.1f} articles per CPU s" if build_cpu else "reused"
    print(f"index: {len(index)} articles, built in {build_s:.1f} s ({build_cpu:.1f} CPU s, "
          f"{rate}); {size['total'] / n:.0f} bytes per article, "
          f"{size['crosslingual'] / n:.0f} of them cross-lingual vectors", flush=True)
    if args.build_only:
        index.close()
        return 0
    rows: dict[tuple[str, str], list[tuple[bool, float, float]]] = {}
    lang_ok = 0
    for item in items:
        lang_ok += detect(item.text).lang == item.lang
        if args.split != "all" and item.split != args.split:
            continue
        if args.kinds and item.kind not in args.kinds.split(","):
            continue
        t0, c0 = time.perf_counter(), time.process_time()
        res = check(item.text, index, suspect_id=item.id)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        top = res.sources[0].id if res.sources else ""
        if item.source:
            ok = res.derived and top == item.source
        else:
            ok = res.derived  # a false positive
        rows.setdefault((item.kind, item.split), []).append((ok, dt, cpu))
        if args.verbose:
            score = res.sources[0].score if res.sources else 0.0
            print(f"  {item.id} {item.kind:<20} {item.split} {res.lang} {res.verdict:<12} "
                  f"top={top or '-':<18} want={item.source or '-':<18} score={score:.3f} "
                  f"{res.sources[0].obfuscation if res.sources else ''} {dt * 1000:.0f} ms", flush=True)
    print(f"language detection on the set: {lang_ok}/{len(items)}")
    english = [bbc[k]["text"] for k in sorted(bbc)[:: max(1, len(bbc) // args.lang_sample)]]
    en_ok = sum(detect(t).lang == "en" for t in english)
    print(f"language detection on English BBC articles: {en_ok}/{len(english)}")
    print(f"{'kind':<20} {'split':<5} {'n':>3} {'measure':<16} {'value':>6} {'median ms':>10} "
          f"{'CPU ms':>7}")
    for (kind, split), got in sorted(rows.items()):
        n = len(got)
        hits = sum(ok for ok, _, _ in got)
        measure = "recall@1" if kind in ("translated", "rewrite") else "false positives"
        value = f"{hits / n:.3f}" if measure == "recall@1" else f"{hits}/{n}"
        ms = statistics.median(dt for _, dt, _ in got) * 1000
        cpu_ms = statistics.median(c for _, _, c in got) * 1000
        print(f"{kind:<20} {split:<5} {n:>3} {measure:<16} {value:>6} {ms:>10.0f} {cpu_ms:>7.0f}")
    index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
