"""What each lever on an index's bytes would save, measured on a built index (read only).

The index format stays as it is; this measures what a next format could gain, on a sample of a
real index's rows (BENCHMARKS.md, "Index at scale", session 7):

* texts: the stored zlib (level 6) blobs against zstd at several levels, without and with a
  dictionary trained on other rows of the same index (``zstandard``: the ``bytes-probe`` extra);
* postings: the 8-byte words of runs spread over the posting segment against two varint
  encodings of the same runs (the key's delta and the rowid; the key's delta once per key, its df,
  and its rowids' deltas);
* graph: vectors per article with 3 sentences a vector (now) against 4, from the sample's own
  sentences, at the index's bytes per graph vector.

::

    nice -n 10 .venv/bin/python benchmarks/index_bytes.py --index benchmarks/work/scale/index-1000000-1 \\
        --sample 20000 --json benchmarks/results/index-bytes-1m.json
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

ROWID_BITS = 24  # unspin.index.storage: a posting is its key above the article's rowid


def _connect(index: Path) -> sqlite3.Connection:
    uri = f"file:{quote(str((index / 'unspin.sqlite').resolve()))}?mode=ro"
    return sqlite3.connect(uri, uri=True)


def _sample_texts(conn: sqlite3.Connection, n: int, seed: int) -> list[bytes]:
    """The stored blobs of ``n`` articles drawn at random (by rowid, without replacement)."""
    (top,) = conn.execute("SELECT MAX(rowid) FROM articles").fetchone()
    rng = np.random.default_rng(seed)
    rows = rng.choice(np.arange(1, int(top) + 1), size=min(2 * n, int(top)), replace=False)
    blobs: list[bytes] = []
    for r in rows.tolist():
        got = conn.execute("SELECT CAST(text AS BLOB) FROM articles WHERE rowid = ?", (r,)).fetchone()
        if got is not None:
            blobs.append(bytes(got[0]))
        if len(blobs) >= n:
            break
    return blobs


def text_levers(blobs: list[bytes]) -> dict[str, float]:
    """Mean bytes per article text: as stored (zlib 6) and with zstd, the dictionary trained on
    the first half of the sample and measured on the second."""
    try:
        import zstandard
    except ImportError:
        raise SystemExit("index_bytes.py needs zstandard: pip install -e '.[bytes-probe]'") from None

    texts = [zlib.decompress(b) for b in blobs]
    train, test = texts[: len(texts) // 2], texts[len(texts) // 2:]
    out: dict[str, float] = {
        "utf8": float(np.mean([len(t) for t in test])),
        "zlib6 (stored)": float(np.mean([len(b) for b in blobs[len(texts) // 2:]])),
    }
    for level in (3, 9, 19):
        c = zstandard.ZstdCompressor(level=level)
        out[f"zstd{level}"] = float(np.mean([len(c.compress(t)) for t in test]))
    for size in (32_768, 112_640):
        d = zstandard.train_dictionary(size, train)
        for level in (3, 19):
            c = zstandard.ZstdCompressor(level=level, dict_data=d)
            out[f"zstd{level} + {size // 1024} KB dictionary"] = float(
                np.mean([len(c.compress(t)) for t in test]))
    return out


def _varint_bytes(values: np.ndarray) -> int:
    """Bytes of unsigned LEB128 varints of ``values``."""
    v = values.astype(np.uint64)
    n = np.ones(len(v), dtype=np.int64)
    for k in range(1, 10):
        n += v >= np.uint64(1 << (7 * k))
    return int(n.sum())


def _encoded(words: np.ndarray) -> tuple[int, int, int]:
    """Distinct keys of a sorted run of postings, and its bytes in the two varint encodings."""
    keys, rows = words >> np.uint64(ROWID_BITS), words & np.uint64((1 << ROWID_BITS) - 1)
    key_gaps = np.diff(keys, prepend=keys[:1])
    flat = _varint_bytes(key_gaps) + _varint_bytes(rows)
    first = np.flatnonzero(np.diff(keys, prepend=keys[:1] - np.uint64(1)) != 0)
    df = np.diff(np.append(first, len(keys)))
    row_gaps = rows.astype(np.int64).copy()
    inner = np.ones(len(rows), dtype=bool)
    inner[first] = False
    row_gaps[inner] = np.diff(rows.astype(np.int64))[inner[1:]]
    grouped = _varint_bytes(key_gaps[first]) + _varint_bytes(df) + _varint_bytes(row_gaps)
    return len(first), flat, grouped


def posting_levers(segment: Path, run: int, pieces: int = 40) -> dict[str, float]:
    """Bytes per posting of ``pieces`` runs of ``run // pieces`` postings spread evenly over the
    segment (its keys are sorted by kind, and each kind's postings differ), stored and
    varint-encoded."""
    seg = np.load(segment, mmap_mode="r")
    size = max(1, run // pieces)
    starts = np.linspace(0, max(0, len(seg) - size), pieces).astype(np.int64)
    distinct = flat = grouped = n = 0
    for start in starts.tolist():
        words = np.asarray(seg[start:start + size])
        d, f, g = _encoded(words)
        distinct, flat, grouped, n = distinct + d, flat + f, grouped + g, n + len(words)
    return {"postings measured": float(n), "runs": float(pieces), "distinct keys": float(distinct),
            "stored (8 B words)": 8.0, "varint key gap + rowid": flat / n,
            "varint key gap once + df + rowid gaps": grouped / n}


def graph_levers(texts: list[bytes], graph_bytes: int, vectors: int, articles: int
                 ) -> dict[str, float]:
    """Graph vectors (and bytes) per article with runs of 3 and of 4 sentences."""
    from unspin.normalize import normalize
    from unspin.tokens import sentence_spans

    counts = np.array([len(sentence_spans(normalize(zlib.decompress(t).decode("utf-8")).text))
                       for t in texts])
    per_vector = graph_bytes / vectors
    out = {"bytes per graph vector": per_vector, "graph vectors per article (index)": vectors / articles}
    for chunk in (3, 4):
        v = float(np.mean(np.ceil(counts / chunk)))
        out[f"chunk {chunk}: vectors per article"] = v
        out[f"chunk {chunk}: graph bytes per article"] = v * per_vector
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True, help="an unsharded index (read only)")
    ap.add_argument("--sample", type=int, default=20_000, help="articles sampled (default 20000)")
    ap.add_argument("--run", type=int, default=10_000_000, help="postings measured (40 runs)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args()
    conn = _connect(args.index)
    (articles,) = conn.execute("SELECT COUNT(*) FROM articles").fetchone()
    blobs = _sample_texts(conn, args.sample, args.seed)
    (segment,) = [p for p in args.index.glob("seg-*.npy")]
    meta = json.loads((args.index / "sentences.usearch.json").read_text())
    result: dict[str, Any] = {
        "index": str(args.index), "articles": articles, "sample": len(blobs),
        "texts (bytes per article)": text_levers(blobs),
        "postings (bytes per posting)": posting_levers(segment, args.run),
        "postings per article": len(np.load(segment, mmap_mode="r")) / articles,
        "graph": graph_levers(blobs[:5000], (args.index / "sentences.usearch").stat().st_size,
                              int(meta["count"]), articles),
    }
    print(json.dumps(result, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
