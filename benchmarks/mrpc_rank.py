"""Fit the learned order of a short suspect's candidates (``unspin.rerank``) on MRPC train.

Usage: nice -n 10 .venv/bin/python benchmarks/mrpc_rank.py --data ../shared/data [--work DIR]

Each split's sentences are indexed on their own, as the benchmark's MRPC case does
(``unspin.bench.mrpc``: static sentence vectors, WordNet thesaurus); each paraphrase pair's #2
sentence is checked with its own id excluded, and #1 is the sentence to find. The ranking the
benchmark scores is the check's sources, or, when the check lists none, ``retrieve``'s candidates;
this script takes the same group of candidates for each query, in the engine's order with the
learned order switched off, and the features ``rerank.table`` computes for them.

The weights (of the features and their squares, ``rerank.expand``) are a conditional logit
(softmax over each query's group, L2 0.01, L-BFGS) fitted on the **training** split only (its 5-fold cross-validated recall@1 is printed too); the test split is scored with them and reported. Two
figures each: *strict* (the expected id must be first) and *same sentence* (also right when the
first candidate is the expected sentence itself under another id: the same tokens after the
engine's normalisation, punctuation and case aside; MRPC holds some wire sentences twice). Writes
benchmarks/results/mrpc_rank.{json,md}; the fitted weights go into ``rerank.WEIGHTS`` by hand.
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from unspin import CheckConfig, Index, IndexConfig, check, rerank, semantic
from unspin.analysis import analyze
from unspin.bench import mrpc
from unspin.retrieve import FUSION_POOL, candidates, fused, rowids

SPLITS = {"train": mrpc.MRPC_TRAIN, "test": mrpc.MRPC_TEST}
L2 = 0.01
# rerank.MARGIN's grid, and the rule: the margin with the highest train strict recall@1, or the
# smallest one within ``MARGIN_TOLERANCE`` (3 of 2,753 queries: noise) of it, among the margins up
# to ``MAX_MARGIN``. The rule as first written had no such bound and chose no margin (inf: train
# 0.9045 against 0.9005 at 0.1); MRPC holds no excerpts, and a margin of 0.15 or more puts another
# outlet's paraphrase ahead of a one-sentence excerpt's verbatim source (tests/test_rerank.py: 0.75
# against 0.61), so the bound is that hand-made case's, and train chooses below it.
MARGINS = (0.0, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, float("inf"))
MAX_MARGIN = 0.1
MARGIN_TOLERANCE = 0.001


@dataclass(frozen=True)
class Group:
    """One query: its candidates (rowids, engine order), their features, the expected rowid."""

    rows: list[int]
    table: np.ndarray
    movable: np.ndarray  # candidates short themselves (the others keep their places)
    want: int
    same: list[bool]  # candidate is the expected sentence's text under another id
    cpu_s: float  # CPU seconds of the features


def same_sentence(a: str, b: str) -> bool:
    """The rule for MRPC's duplicates: the same tokens once normalised (case, punctuation)."""
    return analyze(a).tokens.lower == analyze(b).tokens.lower


def groups(index: Index, pairs: list[mrpc.Pair]) -> list[Group]:
    emb = semantic.for_index(index.config)
    off = CheckConfig(rerank_short=False)
    out = []
    for p in (p for p in pairs if p.label == 1):
        result = check(p.text2, index, config=off, exclude=(p.id2,))
        doc = analyze(p.text2)
        skip = rowids(index, [p.id2])
        vectors = semantic.embed_doc(doc, emb)
        if result.sources:
            found = [(index.storage.rowid_of(s.id), s.score) for s in result.sources]
            verified = {r: s for r, s in found if r is not None}
            rows = list(verified)
        else:
            verified = {}
            rows = [c.rowid for c in fused(doc, index, 5, exclude=skip, vectors=vectors,
                                           rerank_short=False)]
        start = time.process_time()
        pool = off.candidates if result.sources else 2 * FUSION_POOL  # as check and fused do
        lexical = {c.rowid: c.score for c in candidates(doc, index, pool, exclude=skip)}
        table, movable = rerank.table(doc, index, rows, verified=verified, lexical=lexical,
                                      vectors=vectors)
        cpu = time.process_time() - start
        want = index.storage.rowid_of(p.id1)
        texts = [(a.text if (a := index.storage.get(r)) else "") for r in rows]
        same = [r != want and same_sentence(t, p.text1) for r, t in zip(rows, texts, strict=True)]
        out.append(Group(rows, table, movable, want if want is not None else -1, same, cpu))
    return out


def fit(train: list[Group]) -> np.ndarray:
    """Weights maximising the mean log-probability of the expected candidate within its group
    (conditional logit, features standardised for the fit, L-BFGS, L2 ``L2``)."""
    usable = [g for g in train if g.want in g.rows and len(g.rows) > 1 and g.movable.all()]
    stacked = np.vstack([rerank.expand(g.table) for g in usable])
    sd = stacked.std(axis=0) + 1e-9
    data = [(rerank.expand(g.table) / sd, g.rows.index(g.want)) for g in usable]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        total, grad = 0.5 * L2 * float(w @ w) * len(data), L2 * w * len(data)
        for x, right in data:
            s = x @ w
            top = s.max()
            p = np.exp(s - top)
            z = p.sum()
            total -= s[right] - top - np.log(z)
            grad -= x[right] - (p / z) @ x
        return total / len(data), grad / len(data)

    found = minimize(loss, np.zeros(stacked.shape[1]), jac=True, method="L-BFGS-B")
    return np.asarray(found.x / sd)


def cross_validated(train: list[Group], folds: int = 5) -> float:
    """recall@1 (strict) of the learned order on each fifth of train, fitted on the rest."""
    right = 0
    for k in range(folds):
        w = fit([g for i, g in enumerate(train) if i % folds != k])
        held = [g for i, g in enumerate(train) if i % folds == k]
        right += round(recall(held, w, float("inf"))["strict"] * len(held))
    return round(right / len(train), 4)


def choose_margin(train: list[Group], w: np.ndarray) -> tuple[float, dict[str, float]]:
    """``MARGINS``' rule on train: the margin, and train strict recall@1 at each."""
    got = {str(m): recall(train, w, m)["strict"] for m in MARGINS}
    best = max(v for m, v in got.items() if float(m) <= MAX_MARGIN)
    return min(m for m in MARGINS
               if m <= MAX_MARGIN and got[str(m)] >= best - MARGIN_TOLERANCE), got


def recall(gs: list[Group], w: np.ndarray | None,
           margin: float = rerank.MARGIN) -> dict[str, float]:
    strict = rule = 0
    for g in gs:
        if not g.rows:
            continue
        first = 0 if w is None else rerank.order(g.table, g.movable, weights=w,
                                                 margin=margin)[0]
        strict += g.rows[first] == g.want
        rule += g.rows[first] == g.want or g.same[first]
    return {"strict": round(strict / len(gs), 4), "same_sentence": round(rule / len(gs), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--work", type=Path, default=Path("/tmp/unspin-mrpc-rank"))
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    ap.add_argument("--reuse", action="store_true",
                    help="reuse the groups of an earlier run in --work (refit only)")
    args = ap.parse_args()
    found: dict[str, list[Group]] = {}
    cpu: dict[str, float] = {}
    for split, rel in SPLITS.items():
        pairs = mrpc.read_pairs(args.data / rel)
        path = args.work / split
        if not path.exists():
            with Index.create(path, config=IndexConfig(semantic="auto", thesaurus="wordnet")) as ix:
                ix.add(mrpc.sentences(pairs))
        cache = args.work / f"groups-{split}.pkl"
        if cache.exists() and args.reuse:
            found[split], cpu[split] = pickle.loads(cache.read_bytes())
        else:
            with Index.open(path, readonly=True) as index:
                start = time.process_time()
                found[split] = groups(index, pairs)
                cpu[split] = time.process_time() - start
            cache.write_bytes(pickle.dumps((found[split], cpu[split])))
        print(split, len(found[split]), "queries", round(cpu[split], 1), "CPU s", flush=True)
    w = fit(found["train"])
    margin, by_margin = choose_margin(found["train"], w)
    result = {
        "margin": margin,
        "train_strict_by_margin": by_margin,
        "train_cross_validated_strict": cross_validated(found["train"]),
        "features": list(rerank.FEATURES),
        "weights": [round(float(x), 4) for x in w],
        "splits": {
            split: {
                "queries": len(gs),
                "in_group": round(sum(g.want in g.rows for g in gs) / len(gs), 4),
                "engine_order": recall(gs, None),
                "learned_order_no_margin": recall(gs, w, float("inf")),
                "learned_order": recall(gs, w, margin),
                "feature_ms_per_query": round(1000 * sum(g.cpu_s for g in gs) / len(gs), 2),
                "check_cpu_s": round(cpu[split], 1),
            }
            for split, gs in found.items()
        },
    }
    print(json.dumps(result, indent=2))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "mrpc_rank.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
