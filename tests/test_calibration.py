"""``confidence`` as a probability: the isotonic map, its error measures, fitting from a run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from unspin import Index
from unspin.bench import calib
from unspin.bench.records import Case, Prediction, TruePassage
from unspin.calibration import (
    Calibration,
    expected_calibration_error,
    fit,
    fit_from_results,
    main,
    packaged,
    reliability,
)
from unspin.errors import UsageError


def test_fit_pools_violators_and_never_says_certain() -> None:
    scores = [0.1, 0.2, 0.3, 0.4, 0.6, 0.7, 0.9, 0.95]
    copies = [False, False, True, False, True, True, True, True]
    cal = fit(scores, copies)
    assert list(cal.probabilities) == sorted(cal.probabilities)
    assert 0.0 < cal.probabilities[0] and cal.probabilities[-1] < 1.0
    # 0.3 (copy) and 0.4 (not) were pooled into one block of rate 1/2, smoothed to 1.5/3
    assert 0.35 in cal.scores and cal.probability(0.35) == 0.5


def test_probability_interpolates_and_clamps() -> None:
    cal = Calibration((0.2, 0.8), (0.1, 0.9))
    assert cal.probability(0.0) == 0.1 and cal.probability(1.0) == 0.9
    assert cal.probability(0.5) == pytest.approx(0.5)


def test_ties_are_one_block() -> None:
    cal = fit([0.5, 0.5, 0.5, 0.5], [True, False, True, True])
    assert cal.scores == (0.5,) and cal.probabilities == (round(3.5 / 5, 4),)


def test_fit_refuses_mismatched_labels() -> None:
    with pytest.raises(UsageError):
        fit([0.1, 0.2], [True])


def test_ece_is_zero_when_rates_match_and_large_when_they_do_not() -> None:
    probs = [0.25] * 4 + [0.75] * 4
    copies = [True, False, False, False, True, True, True, False]
    assert expected_calibration_error(probs, copies) == pytest.approx(0.0)
    assert expected_calibration_error([0.95] * 4, [False] * 4) == pytest.approx(0.95)
    rows = reliability(probs, copies)
    assert [r["n"] for r in rows] == [4, 4]


def _results(part: str) -> dict:
    points = [{"kind": "verbatim", "copy": True, "score": 0.9},
              {"kind": "negative", "copy": False, "score": 0.1}]
    return {"name": "dev", "options": {"part": part}, "machine": {"git_commit": "abc"},
            "crossings": [{"calibration_points": points}]}


def test_fit_from_a_dev_run_records_provenance(tmp_path: Path) -> None:
    path = tmp_path / "dev.json"
    path.write_text(json.dumps(_results("dev")), encoding="utf-8")
    cal = fit_from_results(path)
    assert cal.provenance["copies"] == 1 and cal.provenance["negatives"] == 1
    assert cal.provenance["kinds"] == {"verbatim": 1, "negative": 1}
    out = tmp_path / "cal.json"
    assert main(["fit", str(path), "--out", str(out)]) == 0
    assert Calibration.from_json(json.loads(out.read_text("utf-8"))) == cal


def test_fit_refuses_a_test_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "test.json"
    path.write_text(json.dumps(_results("test")), encoding="utf-8")
    with pytest.raises(UsageError, match="dev run"):
        fit_from_results(path)
    assert main(["fit", str(path), "--out", str(tmp_path / "x.json")]) == 2
    assert "dev run" in capsys.readouterr().err


def test_the_shipped_map_is_monotone_and_fitted_on_dev() -> None:
    cal = packaged()
    assert cal is not None, "src/unspin/data/calibration.json is missing: run make bench"
    assert list(cal.probabilities) == sorted(cal.probabilities)
    assert cal.provenance["split"] == "dev" and cal.provenance["copies"] > 0
    assert 0.0 < cal.probability(0.0) < 0.1 and 0.9 < cal.probability(1.0) < 1.0


def test_check_confidence_is_the_calibrated_probability(sample_index: Index) -> None:
    from unspin import check

    result = check("Lovely weather for a picnic in the park with friends today.", sample_index)
    cal = packaged()
    assert cal is not None and result.verdict == "not_derived"
    assert result.confidence == round(1.0 - cal.probability(0.0), 4)


def test_bench_report_gaps_before_and_after() -> None:
    cases = [Case("c1", "verbatim", "x", (TruePassage((0, 1), "s", (0, 1)),)),
             Case("c2", "spin50", "x", (TruePassage((0, 1), "s", (0, 1)),)),
             Case("n1", "neg-quote", "x"), Case("n2", "neg-mrpc", "x")]
    preds = {"c1": Prediction("c1", ["s"], "derived", score=0.9, score_before_roles=0.9,
                              probability=0.95),
             "c2": Prediction("c2", ["s"], "derived", score=0.6, score_before_roles=0.7,
                              probability=0.8),
             "n1": Prediction("n1", [], "not_derived", score=0.2, score_before_roles=0.4,
                              probability=0.1),
             "n2": Prediction("n2", [], "derived", score=0.7, score_before_roles=0.7,
                              probability=0.7)}
    out = calib.report(cases, preds)
    assert out["n"] == 4 and out["copies"] == 2
    after, before = out["gaps_after"], out["gaps_before"]
    assert after["per_kind"]["spin50"]["gap"] == pytest.approx(0.6 - 0.7)
    assert after["per_kind"]["spin50"]["gap_but_mrpc"] == pytest.approx(0.6 - 0.2)
    assert before["per_kind"]["spin50"]["gap_but_mrpc"] == pytest.approx(0.7 - 0.4)
    assert "spin50" in calib.render({"crossings": [{"detector": "wordnet", "spinner": "moby",
                                                    "calibration": out}]})
