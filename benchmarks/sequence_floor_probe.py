"""Probe: could the in-order sentence run accept pairs of lower cosine? (Measures; changes nothing.)

    .venv/bin/python benchmarks/sequence_floor_probe.py --data ../shared/data --work /tmp/bench-final

For each cosine floor, the share of a suspect's sentences covered by the longest in-order run of
sentence pairs at or above the floor (static sentence vectors), for:
- the spot checks (benchmarks/spot/) against their BBC source, in an index of the BBC articles;
- the benchmark's same-subject negatives (``--work``: a finished ``unspin.bench run`` directory,
  its WordNet index and cases) against each of their top 3 lexical and top 3 semantic candidates.
The engine counts such a run only from cosine 0.68 (``align.Aligner._sequence``); a floor is safe
only if the negatives stay well under half.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np

from unspin import Article, Index, IndexConfig, semantic
from unspin.analysis import analyze
from unspin.retrieve import candidates

FLOORS = (0.45, 0.5, 0.55, 0.6, 0.68)
SPOT = Path(__file__).parent / "spot"


def in_order_share(c: np.ndarray, floor: float) -> float:
    """Longest run of pairs (i strictly increasing, j strictly increasing) with cosine >= floor,
    over the suspect's sentences."""
    n, m = c.shape
    best = np.zeros((n + 1, m + 1))
    for i in range(n):
        for j in range(m):
            take = best[i, j] + 1 if c[i, j] >= floor else 0.0
            best[i + 1, j + 1] = max(best[i, j + 1], best[i + 1, j], take)
    return float(best[n, m]) / n


def shares(index: Index, text: str, rows: list[int]) -> list[float]:
    emb = semantic.for_index(index.config)
    vectors = semantic.embed_doc(analyze(text), emb)
    out = [0.0] * len(FLOORS)
    for rowid in rows:
        article = index.storage.get(rowid)
        other = semantic.embed_doc(analyze(article.text), emb) if article else None
        if vectors is None or other is None:
            continue
        c = vectors @ other.T
        out = [max(o, in_order_share(c, f)) for o, f in zip(out, FLOORS, strict=True)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench-final"))
    ap.add_argument("--spot-index", type=Path, default=Path("/tmp/unspin-probe-bbc"))
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = ap.parse_args()
    out: list[str] = []
    out.append("| suspect | " + " | ".join(f"cos >= {f}" for f in FLOORS) + " |")
    out.append("|---|" + "---|" * len(FLOORS))
    shutil.rmtree(args.spot_index, ignore_errors=True)
    with Index.create(args.spot_index, config=IndexConfig(semantic="static")) as index:
        with open(args.data / "bbc-news" / "bbc.jsonl", encoding="utf-8") as fh:
            index.add(Article(id=f"bbc/{r['id']}", text=r["text"]) for r in map(json.loads, fh))
        for path in sorted(SPOT.glob("*.txt")):
            source = "bbc/" + path.name.split(".")[0].removeprefix("bbc-").replace("-", "/", 1)
            got = shares(index, path.read_text(encoding="utf-8"), [index.storage.rowid_of(source)])
            out.append(f"| {path.name} | " + " | ".join(f"{x:.2f}" for x in got) + " |")
    with Index.open(args.work / "index-wordnet") as index:
        emb = semantic.for_index(index.config)
        negatives = []
        with open(args.work / "cases-wordnet-detector.jsonl", encoding="utf-8") as fh:
            for case in map(json.loads, fh):
                if case["obfuscation"] != "negative":
                    continue
                doc = analyze(case["suspect"])
                vectors = semantic.embed_doc(doc, emb)
                if vectors is None or len(vectors) < 3:
                    continue
                rows = [r for r, _ in semantic.candidates(doc, vectors, index, k=3)]
                rows += [c.rowid for c in candidates(doc, index, 3)]
                negatives.append(shares(index, case["suspect"], list(dict.fromkeys(rows))))
    out.append(f"\nSame-subject negatives with 3+ sentences: {len(negatives)}; how many have an in-order "
          "run over half their sentences with a top candidate:\n")
    out.append("| | " + " | ".join(f"cos >= {f}" for f in FLOORS) + " |")
    out.append("|---|" + "---|" * len(FLOORS))
    out.append("| negatives | " + " | ".join(str(sum(n[k] >= 0.5 for n in negatives))
                                      for k in range(len(FLOORS))) + " |")
    text = "\n".join(out) + "\n"
    print(text, end="")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "sequence_floor_probe.md").write_text(text)


if __name__ == "__main__":
    main()
