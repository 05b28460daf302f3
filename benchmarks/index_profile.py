"""Where an index's build time and bytes go.

Builds an index of the first N benchmark articles (BBC + Reuters, deduplicated) stage by stage, as
``Index.add`` does, and prints one table of seconds (the one pass over each text for its
fingerprints and sentences, writing articles + segments, compaction, sentence vectors) and one of bytes (article texts, stored fingerprints, metadata, SQLite overhead, posting
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
from typing import Any

from unspin.bench.corpus import load_corpus
from unspin.config import IndexConfig
from unspin.index import Index
from unspin.index.vectors import open_store, sync
from unspin.pipeline import executor_for, fingerprint_stream
from unspin.semantic import for_index


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


def profile(data: Path, n: int, semantic: str, settings: dict[str, Any] | None = None
            ) -> dict[str, object]:
    articles = load_corpus(data)[:n]
    work = Path(tempfile.mkdtemp(prefix="unspin-profile-"))
    seconds: dict[str, float] = {}
    cpu: dict[str, float] = {}
    try:
        index = Index.create(work / "index", config=IndexConfig(semantic=semantic,
                                                                **(settings or {})))
        t, c = time.perf_counter(), time.process_time()
        items = list(fingerprint_stream(iter(articles), index.config, executor_for(1)))
        seconds["fingerprint + sentences (one pass)"] = time.perf_counter() - t
        cpu["fingerprint + sentences (one pass)"] = time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        for start in range(0, len(items), 256):  # without their sentences: written only
            index.storage.write_batch([x[:2] for x in items[start:start + 256]], replace=True)
        seconds["write articles + segments"] = time.perf_counter() - t
        cpu["write articles + segments"] = time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        index.storage.compact()
        seconds["compact"] = time.perf_counter() - t
        cpu["compact"] = time.process_time() - c
        t, c = time.perf_counter(), time.process_time()
        # what ``Index.add`` does after writing each batch: embed the sentences of the pass
        store = open_store(index, writable=True)
        emb = for_index(index.config)
        if store is not None and emb is not None:
            rowids = [r for (r,) in index.storage.conn.execute(
                "SELECT rowid FROM articles ORDER BY rowid")]
            pairs = [(r, list(x.sentences or ())) for r, x in zip(rowids, items, strict=True)]
            for start in range(0, len(pairs), 256):
                store.add_sentences(emb.embed, [p for p in pairs[start:start + 256] if p[1]])
            sync(index, store=store)
        seconds["sentence vectors (embed + graph)"] = time.perf_counter() - t
        cpu["sentence vectors (embed + graph)"] = time.process_time() - c
        index.close()
        files = {p.name: p.stat().st_size for p in (work / "index").iterdir()}
        db = sum(v for k, v in files.items() if k.startswith("unspin.sqlite"))
        parts = _column_bytes(work / "index" / "unspin.sqlite")
        parts["sqlite: pages, b-trees, free space"] = db - sum(parts.values())
        parts["posting segments"] = sum(v for k, v in files.items() if k.startswith("seg-"))
        parts["usearch graph + vectors"] = sum(v for k, v in files.items() if "usearch" in k)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"articles": len(articles), "settings": settings or {}, "seconds": seconds,
            "cpu_seconds": cpu, "bytes": parts,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _print(result: dict) -> None:
    n = result["articles"]
    total_s = sum(result["seconds"].values())
    total_c = sum(result["cpu_seconds"].values())
    print(f"{n:,} articles, {n / total_s:,.0f} articles/s wall, {n / total_c:,.0f} per CPU second, "
          f"peak RSS {result['peak_rss_mb']:,.0f} MB")
    for name, s in result["cpu_seconds"].items():
        print(f"  {name:<38} {s:8.2f} CPU s  {100 * s / total_c:5.1f} %")
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
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="an IndexConfig setting (for example word_sample=4)")
    args = ap.parse_args()
    settings = {k: int(v) if v.isdigit() else v for k, _, v in (x.partition("=") for x in args.set)}
    result = profile(args.data, args.n, args.semantic, settings)
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
