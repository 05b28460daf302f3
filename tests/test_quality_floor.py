"""Quality floors on a small fixed slice of the benchmark (runs in well under a minute).

The slice (``unspin.bench.dataset.ci_slice``) indexes 300 real articles from tests/data/bench-slice
(a copy of part of the benchmark data, see its SOURCE.md) and checks 4 rewritten copies of each
obfuscation (spun with Moby against the default WordNet detector), 15 held-out same-subject
negatives and 40 hard negatives (those 15 with one quotation, statement, list of names or table of
figures of an indexed article inserted, ``unspin.bench.hardneg``). A change that makes detection
worse fails here. Never lower a floor to make a change pass: a floor moves only in a commit that
says why. Set UNSPIN_BENCH_DATA to run it on other data.

The floors must be able to fail: the trivial detector (top fingerprint candidate, derived at 15
shared n-grams, whole suspect paired with whole source) is run on the same slice and must fail
them, and unspin must beat it on the hard negatives by a margin its Wilson interval shows.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from unspin.bench.corpus import load_corpus
from unspin.bench.dataset import ci_slice
from unspin.bench.generator import KINDS
from unspin.bench.hardneg import ELEMENT_KINDS
from unspin.bench.metrics import wilson
from unspin.bench.ours import Unspin
from unspin.bench.runner import evaluate_benchset
from unspin.bench.trivial import Trivial

DATA = Path(os.environ.get("UNSPIN_BENCH_DATA", Path(__file__).parent / "data" / "bench-slice"))

FLOORS = {  # overall, on 60 derived suspects and 55 negatives (15 plain, 40 hard)
    "recall@1": 0.95,
    "recall@5": 0.97,
    "verdict_recall": 0.93,
    "verdict_fpr_max": 0.07,  # at most 3 of 55 negatives
    "plagdet": 0.90,
}
KIND_RECALL_AT_1 = dict.fromkeys(KINDS, 0.75)  # 3 of 4 per obfuscation


@pytest.fixture(scope="module")
def bench():  # type: ignore[no-untyped-def]
    bench = ci_slice(load_corpus(DATA), DATA)
    assert len(bench.cases) >= 90
    assert sum(c.obfuscation in ELEMENT_KINDS for c in bench.cases) >= 40
    return bench


@pytest.fixture(scope="module")
def scores(tmp_path_factory: pytest.TempPathFactory, bench) -> dict:  # type: ignore[no-untyped-def]
    ours = Unspin(tmp_path_factory.mktemp("floor") / "index", thesaurus="wordnet")
    try:
        return evaluate_benchset(ours, bench.indexed, bench.cases)
    finally:
        ours.close()


@pytest.fixture(scope="module")
def trivial_scores(tmp_path_factory: pytest.TempPathFactory, bench) -> dict:  # type: ignore[no-untyped-def]
    trivial = Trivial(tmp_path_factory.mktemp("trivial") / "index", thesaurus="wordnet")
    try:
        return evaluate_benchset(trivial, bench.indexed, bench.cases)
    finally:
        trivial.close()


def failed_floors(scores: dict) -> list[str]:
    overall = scores["overall"]
    checks = {
        "recall@1": overall["recall@1"] >= FLOORS["recall@1"],
        "recall@5": overall["recall@5"] >= FLOORS["recall@5"],
        "verdict_recall": overall["verdict"]["recall"] >= FLOORS["verdict_recall"],
        "verdict_fpr_max": overall["verdict"]["fpr"] <= FLOORS["verdict_fpr_max"],
        "plagdet": overall["plagdet"]["plagdet"] >= FLOORS["plagdet"],
    }
    return [name for name, ok in checks.items() if not ok]


def hard_negative_fp(scores: dict) -> tuple[int, int]:
    groups = [scores["per_kind"][k]["verdict"] for k in ELEMENT_KINDS]
    return sum(g["fp"] for g in groups), sum(g["fp"] + g["tn"] for g in groups)


def test_overall_floors(scores: dict) -> None:
    assert failed_floors(scores) == []


def test_the_trivial_detector_fails_the_floors(trivial_scores: dict) -> None:
    assert "verdict_fpr_max" in failed_floors(trivial_scores)


def test_unspin_beats_the_trivial_detector_on_hard_negatives(
    scores: dict, trivial_scores: dict
) -> None:
    """A clear margin: unspin's 95% Wilson interval of the hard-negative FPR lies wholly below the
    trivial detector's."""
    ours, trivial = wilson(*hard_negative_fp(scores)), wilson(*hard_negative_fp(trivial_scores))
    assert ours is not None and trivial is not None
    assert ours[1] < trivial[0], (ours, trivial)


@pytest.mark.parametrize("kind", KINDS)
def test_every_obfuscation_is_found(scores: dict, kind: str) -> None:
    assert scores["per_kind"][kind]["recall@1"] >= KIND_RECALL_AT_1[kind]
