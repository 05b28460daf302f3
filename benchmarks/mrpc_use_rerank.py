"""Does the multilingual encoder (USE) as a second opinion close MRPC's recall@1 gap?

MRPC's training split (a development set) is indexed sentence by sentence, as
``benchmarks/mrpc_fusion.py`` does; each paraphrase pair's #2 sentence queries for #1 with its own
id excluded. The shipped fused ranking's top 5 (``retrieve.fused``) are re-scored by fused score +
w x USE cosine (query against candidate) for several w (0 = the shipped ranking). Printed: how
often #1 is in the top 5 at all, recall@1 per w, and the CPU seconds USE cost. Fit on ``train``;
``test`` only to report a chosen w.

    nice -n 10 .venv/bin/python benchmarks/mrpc_use_rerank.py --split train
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from unspin import Index, IndexConfig, semantic
from unspin.analysis import analyze
from unspin.bench import mrpc
from unspin.embed import multilingual
from unspin.retrieve import fused, rowids

WEIGHTS = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0)
SPLITS = {"train": mrpc.MRPC_TRAIN, "test": mrpc.MRPC_TEST}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/unspin-mrpc-use"))
    ap.add_argument("--split", choices=tuple(SPLITS), default="train")
    args = ap.parse_args(argv)
    pairs = mrpc.read_pairs(args.data / SPLITS[args.split])
    path = args.work / args.split
    if not path.exists():
        with Index.create(path, config=IndexConfig(semantic="auto")) as index:
            index.add(mrpc.sentences(pairs))
    index = Index.open(path, readonly=True)
    emb, use = semantic.for_index(index.config), multilingual.load()
    hits, in_top5, n, use_cpu = dict.fromkeys(WEIGHTS, 0), 0, 0, 0.0
    start = time.process_time()
    for p in (p for p in pairs if p.label == 1):
        n += 1
        doc = analyze(p.text2)
        top = fused(doc, index, 5, exclude=rowids(index, [p.id2]),
                    vectors=semantic.embed_doc(doc, emb))
        want = index.storage.rowid_of(p.id1)
        in_top5 += any(c.rowid == want for c in top)
        if not top:
            continue
        c0 = time.process_time()
        v = use.embed([p.text2] + [index.storage.text_of(c.rowid) for c in top])
        cos = v[1:] @ v[0]
        use_cpu += time.process_time() - c0
        base = np.array([c.score for c in top])
        for w in WEIGHTS:
            hits[w] += top[int(np.argmax(base + w * cos))].rowid == want
    index.close()
    print(f"{args.split}: {n} paraphrase queries; #1 in the fused top 5: {in_top5 / n:.4f}")
    for w in WEIGHTS:
        print(f"  w={w}: recall@1 {hits[w] / n:.4f}")
    print(f"CPU {time.process_time() - start:.1f} s, of which USE {use_cpu:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
