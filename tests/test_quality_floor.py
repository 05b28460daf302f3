"""Quality floors on a small fixed slice of the benchmark (runs in well under a minute).

The slice (``unspin.bench.dataset.ci_slice``) indexes 300 real articles from tests/data/bench-slice
(a copy of part of the benchmark data, see its SOURCE.md) and checks 4 rewritten copies of each
obfuscation (spun with Moby against the default WordNet detector) and 15 held-out same-subject
negatives. A change that makes detection worse fails here. Never lower a floor to make a change
pass: a floor moves only in a commit that says why. Set UNSPIN_BENCH_DATA to run it on other data.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from unspin.bench.corpus import load_corpus
from unspin.bench.dataset import ci_slice
from unspin.bench.generator import KINDS
from unspin.bench.ours import Unspin
from unspin.bench.runner import evaluate_benchset

DATA = Path(os.environ.get("UNSPIN_BENCH_DATA", Path(__file__).parent / "data" / "bench-slice"))

FLOORS = {  # overall, on 44 derived suspects and 15 negatives
    "recall@1": 0.95,
    "recall@5": 0.97,
    "verdict_recall": 0.93,
    "verdict_fpr_max": 0.07,  # at most one of 15 negatives
    "plagdet": 0.90,
}
KIND_RECALL_AT_1 = dict.fromkeys(KINDS, 0.75)  # 3 of 4 per obfuscation


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory) -> dict:
    bench = ci_slice(load_corpus(DATA), DATA)
    assert len(bench.cases) >= 50
    ours = Unspin(tmp_path_factory.mktemp("floor") / "index", thesaurus="wordnet")
    try:
        return evaluate_benchset(ours, bench.indexed, bench.cases)
    finally:
        ours.close()


def test_overall_floors(scores: dict) -> None:
    overall = scores["overall"]
    assert overall["recall@1"] >= FLOORS["recall@1"]
    assert overall["recall@5"] >= FLOORS["recall@5"]
    assert overall["verdict"]["recall"] >= FLOORS["verdict_recall"]
    assert overall["verdict"]["fpr"] <= FLOORS["verdict_fpr_max"]
    assert overall["plagdet"]["plagdet"] >= FLOORS["plagdet"]


@pytest.mark.parametrize("kind", KINDS)
def test_every_obfuscation_is_found(scores: dict, kind: str) -> None:
    assert scores["per_kind"][kind]["recall@1"] >= KIND_RECALL_AT_1[kind]
