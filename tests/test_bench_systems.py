"""Metrics, the baselines, unspin as a benchmark system, MRPC, the report and the plot."""

from __future__ import annotations

import json

import pytest

from unspin.article import Article
from unspin.bench import mrpc
from unspin.bench.__main__ import main
from unspin.bench.baselines import BM25, MinHashLSH
from unspin.bench.metrics import percentile, recall_at, score_system, verdict_counts
from unspin.bench.plot import plot_recall
from unspin.bench.records import Case, Detection, Prediction, TruePassage
from unspin.bench.report import render

STORIES = [
    "The central bank raised its key interest rate by half a point on Tuesday to curb inflation, "
    "which reached 7.2 pct in March. Governor Anna Berg said further increases were possible.",
    "Striking dock workers in Rotterdam returned to work after a 12-day stoppage that halted "
    "container traffic. The union accepted a 4.5 pct pay rise over two years.",
    "Wheat futures fell sharply in Chicago as rain improved crop prospects across Kansas. "
    "Traders said export demand remained weak despite lower prices.",
    "The football club sacked its manager after a run of seven defeats. The chairman thanked him "
    "for his work and said a successor would be named within a week.",
]
ARTICLES = [Article(id=f"doc/{i}", text=t, title=f"T{i}") for i, t in enumerate(STORIES)]


def case(cid: str, source: str | None, kind: str = "verbatim", n: int = 10) -> Case:
    passages = (TruePassage((0, n), source, (0, n)),) if source else ()
    return Case(cid, kind if source else "negative", "x" * n, passages)


def test_recall_and_verdicts():
    cases = [case("a", "s1"), case("b", "s2"), case("n", None)]
    preds = {
        "a": Prediction("a", ["s1", "s9"], "derived", ["s1"], [Detection((0, 10), "s1", (0, 10))]),
        "b": Prediction("b", ["s9", "s2"], "not_derived"),
        "n": Prediction("n", ["s3"], "derived", ["s3"], [Detection((0, 10), "s3", (0, 10))]),
    }
    assert recall_at(cases, preds, 1) == 0.5 and recall_at(cases, preds, 5) == 1.0
    assert verdict_counts(cases, preds) == {"tp": 1, "fp": 1, "tn": 0, "fn": 1}
    scored = score_system(cases, preds)
    assert scored["overall"]["verdict"]["precision"] == 0.5
    assert scored["overall"]["verdict"]["fpr"] == 1.0
    assert scored["per_kind"]["negative"]["recall@1"] is None
    assert scored["per_kind"]["verbatim"]["plagdet"]["recall"] == 0.5
    assert scored["latency"]["n"] == 3


def test_system_without_verdict_has_no_verdict_scores():
    cases = [case("a", "s1")]
    scored = score_system(cases, {"a": Prediction("a", ["s1"], None)})
    assert scored["overall"]["verdict"] is None and scored["overall"]["plagdet"] is None


def test_percentile():
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([5.0], 95) == 5.0
    with pytest.raises(ValueError):
        percentile([], 50)


def test_minhash_finds_a_copy_and_not_an_unrelated_text():
    lsh = MinHashLSH()
    assert lsh.build(ARTICLES) == 4
    hit = lsh.predict("q", STORIES[2] + " Also read: more news.")
    assert hit.ranked[0] == "doc/2" and hit.verdict == "derived"
    assert hit.detections[0].source_range == (0, len(STORIES[2]))
    miss = lsh.predict("n", "A completely different sentence about gardening and roses in spring.")
    assert miss.ranked == [] and miss.verdict == "not_derived"


def test_bm25_ranks_the_source_first():
    bm25 = BM25()
    bm25.build(ARTICLES)
    pred = bm25.predict(
        "q", "Dock workers in Rotterdam ended their stoppage and accepted a pay rise."
    )
    assert pred.ranked[0] == "doc/1" and pred.verdict is None


def test_unspin_as_a_system(tmp_path):
    pytest.importorskip("unspin.check")
    from unspin.bench.ours import Unspin

    ours = Unspin(tmp_path / "idx")
    assert ours.build(ARTICLES) == 4
    ours.warm_up()
    pred = ours.predict("q", STORIES[0] + "\n\n" + STORIES[3])
    assert {"doc/0", "doc/3"} <= set(pred.ranked)
    assert pred.verdict == "derived" and pred.detections
    ours.close()


def test_mrpc_reads_pairs_and_excludes_the_query(tmp_path):
    tsv = tmp_path / "mrpc.tsv"
    tsv.write_text(
        "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
        f"1\t1\t2\t{STORIES[0]}\t{STORIES[0].replace('raised', 'lifted')}\n"
        f"0\t3\t4\t{STORIES[1]}\t{STORIES[2]}\n"
    )
    pairs = mrpc.read_pairs(tsv)
    assert [p.label for p in pairs] == [1, 0] and pairs[0].id1 == "mrpc/1"
    system = MinHashLSH()
    system.build(mrpc.sentences(pairs))
    result = mrpc.evaluate(system, pairs)
    assert result["recall@1"] == 1.0 and result["fpr"] == 0.0
    assert result["positives"] == 1 and result["negatives"] == 1


class _Recorder:
    """A system that remembers what it was asked to exclude, and answers with every sentence."""

    name = "recorder"

    def __init__(self, ids: list[str]) -> None:
        self.ids, self.excluded = ids, []

    def predict(self, case_id, text, k=5, *, exclude=()):
        self.excluded.append(tuple(exclude))
        ranked = [i for i in self.ids if i not in exclude][:k]
        return Prediction(case_id, ranked, "derived", ranked[:1])


def test_mrpc_asks_each_system_with_the_query_excluded(tmp_path):
    """Excluded when asked, not dropped afterwards: a self-match would end unspin's lexical stage
    and its semantic stage would never be measured."""
    tsv = tmp_path / "mrpc.tsv"
    tsv.write_text(
        "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
        f"1\t1\t2\t{STORIES[0]}\t{STORIES[0].replace('raised', 'lifted')}\n"
    )
    pairs = mrpc.read_pairs(tsv)
    system = _Recorder(["mrpc/1", "mrpc/2"])
    assert mrpc.evaluate(system, pairs)["recall@1"] == 1.0
    assert system.excluded == [("mrpc/2",)]


def test_unspin_honours_exclude(tmp_path):
    from unspin.bench.ours import Unspin

    ours = Unspin(tmp_path / "idx")
    ours.build(ARTICLES)
    pred = ours.predict("q", STORIES[0], exclude=("doc/0",))
    assert "doc/0" not in pred.ranked and "doc/0" not in pred.claimed
    assert pred.verdict == "not_derived"
    ours.close()


def fake_results() -> dict:
    def group(r1, n=2):
        return {
            "n": n,
            "recall@1": r1,
            "recall@5": r1,
            "verdict": {
                "tp": 1,
                "fp": 0,
                "tn": 1,
                "fn": 0,
                "precision": 1.0,
                "recall": r1,
                "fpr": 0.0,
            },
            "plagdet": {
                "precision": 1.0,
                "recall": r1,
                "granularity": 1.0,
                "plagdet": r1,
                "cases": 1,
                "detections": 1,
            },
        }

    def system(scale):
        kinds = {
            k: group(scale * v)
            for k, v in {"verbatim": 1.0, "spin30": 0.9, "spin50": 0.6, "spin70": 0.3}.items()
        }
        kinds["negative"] = {**group(None), "recall@1": None, "recall@5": None}
        return {
            "build": {"articles": 4, "seconds": 1.0, "articles_per_s": 4.0},
            "per_kind": kinds,
            "overall": group(0.7),
            "positives": group(0.7),
            "latency": {"n": 4, "total_s": 0.4, "p50_ms": 90.0, "p95_ms": 120.0, "per_s": 10.0},
        }

    crossing = {
        "detector": "wordnet",
        "spinner": "moby",
        "kinds": ["verbatim", "spin30", "spin50", "spin70"],
        "split": {
            "indexed": 4,
            "indexed_by_publication": {"bbc": 4},
            "negatives": 1,
            "hosts": 1,
            "skipped": {},
        },
        "systems": {"unspin": system(1.0), "minhash-lsh": system(0.5), "bm25": system(0.8)},
    }
    return {
        "name": "t",
        "command": "python -m unspin.bench run",
        "started": "now",
        "total_s": 3.0,
        "machine": {"cpu": "cpu", "cpus": 2},
        "crossings": [crossing],
        "speed": {
            "build_articles_per_s": 4.0,
            "check": system(1)["latency"],
            "tokenise": {"suspects": 4, "seconds": 0.01, "tokeniser": "t"},
            "check_over_tokenise": 40.0,
            "pool": {"workers": 2, "per_s": 19.0},
            "index_bytes": 2**20,
        },
        "mrpc": {
            "unspin": {
                "recall@1": 0.8,
                "derived_rate_positives": 0.5,
                "fpr": 0.1,
                "query_s": 1.0,
                "positives": 1,
                "negatives": 1,
            }
        },
        "memory": [{"stage": "x", "peak_rss_mib": 100.0}],
    }


def test_report_has_every_table():
    md = render(fake_results(), plot="p.png")
    assert "| spin50 | 2 | 60.0% |" in md
    assert "MinHash LSH R@1 [95% CI]" in md and "BM25 derived" in md
    assert "| same-subject articles (held out) | 2 | 0 = 0.0% |" in md
    assert "verdict precision" in md and "MRPC" in md and "40.0x" in md
    assert "![recall@1 against substitution rate](p.png)" in md


def test_plot_writes_a_png(tmp_path):
    path = plot_recall(fake_results(), tmp_path / "r.png")
    assert path is not None and path.read_bytes()[:4] == b"\x89PNG"


def test_cli_report(tmp_path, capsys):
    results = tmp_path / "r.json"
    results.write_text(json.dumps(fake_results()))
    assert main(["report", str(results)]) == 0
    assert "Detector thesaurus WordNet" in capsys.readouterr().out


def test_report_shows_the_refitted_trivial_floor_only_for_a_dev_run():
    from unspin.bench.report import _trivial_floor
    systems = {"trivial": {"floor": 77, "fitted_floor": 81}, "trivial-fixed": {"floor": 15}}
    assert "refitted" not in _trivial_floor(systems, "test")
    assert "77 shared" in _trivial_floor(systems, "test")
    assert "refitted on this run's cases: 81" in _trivial_floor(systems, "dev")


def test_negatives_probe_prints_hostile_corpus_text_escaped():
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "negatives_probe.py"
    spec = importlib.util.spec_from_file_location("negatives_probe", path)
    assert spec is not None and spec.loader is not None
    probe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(probe)
    text = probe.dump({"suspect": "evil\u202etxt.exe \x9b31m caf\u00e9"})
    assert "\u202e" not in text and "\x9b" not in text
    assert "\\u202e" in text and "caf\u00e9" in text
    assert json.loads(text)["suspect"] == "evil\u202etxt.exe \x9b31m caf\u00e9"
