"""The hand-written heavy rewrites as benchmark cases: dev items in a dev run, test items in a test
run, only with their source indexed, and never scored by plagdet (no exact source range)."""

from __future__ import annotations

from unspin.bench.heavy import KIND, heavy_rewrites
from unspin.bench.metrics import plagdet_score
from unspin.bench.multilingual_set import read_items
from unspin.bench.records import Detection, Prediction


def _sources() -> dict[str, str]:
    return {i.id: f"bbc/{i.source}" for i in read_items() if i.kind == "rewrite" and not i.holdout}


def test_each_split_gets_its_own_items_and_only_indexed_sources() -> None:
    sources = _sources()
    dev = heavy_rewrites("dev", set(sources.values()))
    test = heavy_rewrites("test", set(sources.values()))
    assert dev and test and all(c.obfuscation == KIND and c.derived for c in dev + test)
    assert all(int(c.meta["item"][1:]) % 2 == 1 for c in dev)
    assert all(int(c.meta["item"][1:]) % 2 == 0 for c in test)
    first = dev[0]
    fewer = heavy_rewrites("dev", set(sources.values()) - {first.source_id})
    assert first.id not in {c.id for c in fewer}
    assert heavy_rewrites("dev", set()) == []


def test_heavy_rewrites_are_left_out_of_plagdet() -> None:
    case = heavy_rewrites("dev", set(_sources().values()))[0]
    pred = Prediction(case.id, [case.source_id], "derived", [case.source_id],
                      [Detection((0, 10), case.source_id, (0, 10))])
    assert plagdet_score([case], {case.id: pred}) is None
