"""Where an index's build time and bytes go.

Builds an index of the first N benchmark articles (BBC + Reuters, deduplicated) stage by stage and
prints one table of seconds (fingerprinting, writing articles + segments, compaction, sentence
vectors) and one of bytes (article texts, stored fingerprints, metadata, SQLite overhead, posting
segments, usearch graph + vectors)::

    nice -n 10 .venv/bin/python benchmarks/index_profile.py --data ../shared/data -n 5000

Times are one run on a shared machine: read them as shares of the total, not as absolutes.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from unspin.bench.corpus import load_corpus
from unspin.config import IndexConfig
from unspin.index import Index
from unspin.index.vectors import sync
from unspin.pipeline import executor_for, fingerprint_stream


def _column_bytes(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        row = conn.execute(
            "SELECT SUM(LENGTH(CAST(text AS BLOB))), "
            "SUM(LENGTH(id) + LENGTH(title) + LENGTH(url) + LENGTH(published) + LENGTH(source) "
            "+ LENGTH(metadata)) FROM articles").fetchone()
    finally:
        conn.close()
    text, meta = (int(x or 0) for x in row)
    return {"sqlite: article texts": text, "sqlite: ids + metadata": meta}


def profile(data: Path, n: int, semantic: str) -> dict[str, object]:
    articles = load_corpus(data)[:n]
    work = Path(tempfile.mkdtemp(prefix="unspin-profile-"))
    seconds: dict[str, float] = {}
    try:
        index = Index.create(work / "index", config=IndexConfig(semantic=semantic))
        t = time.perf_counter()
        items = list(fingerprint_stream(iter(articles), index.config, executor_for(1)))
        seconds["fingerprint"] = time.perf_counter() - t
        t = time.perf_counter()
        for start in range(0, len(items), 256):
            index.storage.write_batch(items[start:start + 256], replace=True)
        seconds["write articles + segments"] = time.perf_counter() - t
        t = time.perf_counter()
        index.storage.compact()
        seconds["compact"] = time.perf_counter() - t
        t = time.perf_counter()
        sync(index)
        seconds["sentence vectors (embed + graph)"] = time.perf_counter() - t
        index.close()
        files = {p.name: p.stat().st_size for p in (work / "index").iterdir()}
        db = sum(v for k, v in files.items() if k.startswith("unspin.sqlite"))
        parts = _column_bytes(work / "index" / "unspin.sqlite")
        parts["sqlite: pages, b-trees, free space"] = db - sum(parts.values())
        parts["posting segments"] = sum(v for k, v in files.items() if k.startswith("seg-"))
        parts["usearch graph + vectors"] = sum(v for k, v in files.items() if "usearch" in k)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"articles": len(articles), "seconds": seconds, "bytes": parts,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _print(result: dict) -> None:
    n = result["articles"]
    total_s = sum(result["seconds"].values())
    print(f"{n:,} articles, {n / total_s:,.0f} articles/s, peak RSS {result['peak_rss_mb']:,.0f} MB")
    for name, s in result["seconds"].items():
        print(f"  {name:<38} {s:8.2f} s  {100 * s / total_s:5.1f} %")
    total_b = sum(result["bytes"].values())
    print(f"{total_b / n:,.0f} bytes per article")
    for name, b in result["bytes"].items():
        print(f"  {name:<38} {b / n:8,.0f} B/article  {100 * b / total_b:5.1f} %")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("-n", type=int, default=5000, help="articles to index (default 5000)")
    ap.add_argument("--semantic", default="auto", help="static | minilm | off (default auto)")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args()
    result = profile(args.data, args.n, args.semantic)
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
