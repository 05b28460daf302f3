"""plagdet on hand-made cases, checked against values worked out by hand."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspin.bench.plagdet import Annotation, f1, granularity, overlaps, plagdet


def ann(susp: tuple[int, int], src: tuple[int, int], suspect_id: str = "d", source_id: str = "s"):
    return Annotation(suspect_id, susp, source_id, src)


CASE = ann((0, 100), (0, 100))


def test_perfect_detection_scores_one():
    score = plagdet([CASE], [CASE])
    assert (score.precision, score.recall, score.granularity, score.plagdet) == (1, 1, 1, 1)


def test_half_detected_case():
    score = plagdet([CASE], [ann((0, 50), (0, 50))])
    assert score.recall == pytest.approx(0.5)
    assert score.precision == pytest.approx(1.0)
    assert score.granularity == 1
    assert score.plagdet == pytest.approx(f1(1.0, 0.5))


def test_half_detected_on_suspect_side_only():
    # the whole source side is found, half of the suspect side: 150 of 200 characters
    score = plagdet([CASE], [ann((0, 50), (0, 100))])
    assert score.recall == pytest.approx(0.75)
    assert score.precision == pytest.approx(1.0)


def test_split_detection_has_granularity_two():
    halves = [ann((0, 50), (0, 50)), ann((50, 100), (50, 100))]
    score = plagdet([CASE], halves)
    assert score.recall == pytest.approx(1.0)
    assert score.precision == pytest.approx(1.0)
    assert score.granularity == 2
    assert score.plagdet == pytest.approx(1 / math.log2(3))


def test_detection_without_case_lowers_precision():
    stray = ann((200, 300), (200, 300))
    score = plagdet([CASE], [CASE, stray])
    assert score.recall == pytest.approx(1.0)
    assert score.precision == pytest.approx(0.5)
    assert score.granularity == 1
    assert score.plagdet == pytest.approx(f1(0.5, 1.0))


def test_detection_too_long_lowers_precision():
    score = plagdet([CASE], [ann((0, 200), (0, 200))])
    assert score.recall == pytest.approx(1.0)
    assert score.precision == pytest.approx(0.5)


def test_wrong_source_is_no_detection():
    score = plagdet([CASE], [ann((0, 100), (0, 100), source_id="other")])
    assert score.recall == 0 and score.precision == 0 and score.plagdet == 0


def test_other_suspect_is_no_detection():
    score = plagdet([CASE], [ann((0, 100), (0, 100), suspect_id="e")])
    assert score.recall == 0 and score.precision == 0


def test_overlap_needed_on_both_sides():
    assert not overlaps(CASE, ann((0, 100), (100, 200)))
    assert not overlaps(CASE, ann((100, 200), (0, 100)))
    assert overlaps(CASE, ann((99, 200), (99, 200)))


def test_missed_case_among_two():
    second = ann((300, 400), (300, 400))
    score = plagdet([CASE, second], [CASE])
    assert score.recall == pytest.approx(0.5)
    assert score.precision == pytest.approx(1.0)


def test_one_detection_over_two_cases():
    # two cases side by side, one detection spanning both: each case fully covered, granularity 1
    left, right = ann((0, 50), (0, 50)), ann((50, 100), (50, 100))
    score = plagdet([left, right], [CASE])
    assert score.recall == pytest.approx(1.0)
    assert score.precision == pytest.approx(1.0)
    assert score.granularity == 1


def test_overlapping_detections_are_not_counted_twice():
    score = plagdet([CASE], [ann((0, 80), (0, 80)), ann((20, 100), (20, 100))])
    assert score.recall == pytest.approx(1.0)
    assert score.granularity == 2


def test_empty_inputs_follow_pan_conventions():
    assert plagdet([], []).plagdet == 1
    assert plagdet([CASE], []).plagdet == 0
    assert plagdet([], [CASE]).precision == 0
    assert granularity([CASE], []) == 1


def test_empty_ranges_are_ignored():
    score = plagdet([CASE], [CASE, ann((5, 5), (7, 7))])
    assert score.detections == 1 and score.plagdet == 1


@given(
    st.lists(
        st.tuples(
            st.integers(0, 500), st.integers(1, 200), st.integers(0, 500), st.integers(1, 200)
        ),
        min_size=1,
        max_size=6,
    )
)
def test_identical_cases_and_detections_score_one(spans):
    anns = [ann((a, a + n), (b, b + m), suspect_id=str(i)) for i, (a, n, b, m) in enumerate(spans)]
    score = plagdet(anns, anns)
    assert score.recall == pytest.approx(1.0)
    assert score.precision == pytest.approx(1.0)
    assert score.granularity == 1


@given(
    st.lists(
        st.tuples(
            st.integers(0, 300), st.integers(1, 100), st.integers(0, 300), st.integers(1, 100)
        ),
        max_size=5,
    ),
    st.lists(
        st.tuples(
            st.integers(0, 300), st.integers(1, 100), st.integers(0, 300), st.integers(1, 100)
        ),
        max_size=5,
    ),
)
def test_scores_stay_in_range(case_spans, det_spans):
    cases = [ann((a, a + n), (b, b + m)) for a, n, b, m in case_spans]
    dets = [ann((a, a + n), (b, b + m)) for a, n, b, m in det_spans]
    score = plagdet(cases, dets)
    assert 0 <= score.precision <= 1 and 0 <= score.recall <= 1
    assert score.granularity >= 1
    assert 0 <= score.plagdet <= 1
