"""plagdet (Potthast et al., COLING 2010): character-level precision, recall and granularity.

A case (true reused passage) and a detection (reported passage) are each a pair of character
ranges: one in a suspect document, one in a source document. Each is treated as the set of its
characters on both sides. A detection overlaps a case when both concern the same suspect and the same
source and their ranges overlap on the suspect side and on the source side (as in the PAN
evaluation script).

- recall = mean over cases s of |s ∩ ∪{r overlapping s}| / |s|
- precision = mean over detections r of |r ∩ ∪{s overlapping r}| / |r|
- granularity = mean, over cases detected at all, of the number of detections overlapping the case
- plagdet = F1(precision, recall) / log2(1 + granularity)

Conventions for empty inputs follow the PAN script: no cases and no detections scores 1 for precision
and recall; cases without detections (or detections without cases) score 0 for both; granularity is
1 when no case is detected. Empty ranges are ignored.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

Range = tuple[int, int]


class Annotation(NamedTuple):
    """A case or a detection: ``suspect[suspect_range]`` paired with ``source[source_range]``."""

    suspect_id: str
    suspect_range: Range
    source_id: str
    source_range: Range

    @property
    def size(self) -> int:
        return _length(self.suspect_range) + _length(self.source_range)


@dataclass(frozen=True, slots=True)
class PlagdetScore:
    precision: float
    recall: float
    granularity: float
    plagdet: float
    cases: int
    detections: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "granularity": self.granularity,
            "plagdet": self.plagdet,
            "cases": self.cases,
            "detections": self.detections,
        }


def plagdet(cases: Iterable[Annotation], detections: Iterable[Annotation]) -> PlagdetScore:
    """Score ``detections`` against ``cases``."""
    cases = [c for c in cases if c.size > 0]
    detections = [d for d in detections if d.size > 0]
    recall, _ = _macro_coverage(cases, detections)
    precision, _ = _macro_coverage(detections, cases)
    if not cases and not detections:
        recall = precision = 1.0
    elif not cases or not detections:
        recall = precision = 0.0
    gran = granularity(cases, detections)
    return PlagdetScore(
        precision=precision,
        recall=recall,
        granularity=gran,
        plagdet=f1(precision, recall) / math.log2(1 + gran),
        cases=len(cases),
        detections=len(detections),
    )


def granularity(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Mean number of detections per detected case (1 when no case is detected)."""
    by_pair = _group(detections)
    counts = [sum(1 for d in by_pair.get(_key(c), ()) if overlaps(c, d)) for c in cases]
    detected = [n for n in counts if n > 0]
    return sum(detected) / len(detected) if detected else 1.0


def f1(precision: float, recall: float) -> float:
    total = precision + recall
    return 2 * precision * recall / total if total > 0 else 0.0


def overlaps(a: Annotation, b: Annotation) -> bool:
    """Same suspect, same source, overlapping ranges on both sides."""
    return (
        _key(a) == _key(b)
        and _intersect(a.suspect_range, b.suspect_range) > 0
        and _intersect(a.source_range, b.source_range) > 0
    )


def _macro_coverage(
    targets: Sequence[Annotation], others: Sequence[Annotation]
) -> tuple[float, int]:
    """Mean over ``targets`` of the share of their characters covered by overlapping ``others``."""
    if not targets:
        return 0.0, 0
    by_pair = _group(others)
    total = 0.0
    for t in targets:
        hits = [o for o in by_pair.get(_key(t), ()) if overlaps(t, o)]
        covered = _covered(t.suspect_range, [o.suspect_range for o in hits]) + _covered(
            t.source_range, [o.source_range for o in hits]
        )
        total += covered / t.size
    return total / len(targets), len(targets)


def _covered(target: Range, ranges: list[Range]) -> int:
    """Characters of ``target`` inside the union of ``ranges``."""
    clipped = sorted(
        (max(a, target[0]), min(b, target[1]))
        for a, b in ranges
        if min(b, target[1]) > max(a, target[0])
    )
    count, end = 0, target[0]
    for a, b in clipped:
        a = max(a, end)
        if b > a:
            count += b - a
            end = b
    return count


def _group(annotations: Iterable[Annotation]) -> dict[tuple[str, str], list[Annotation]]:
    groups: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    for a in annotations:
        groups[_key(a)].append(a)
    return groups


def _key(a: Annotation) -> tuple[str, str]:
    return a.suspect_id, a.source_id


def _intersect(a: Range, b: Range) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _length(r: Range) -> int:
    return max(0, r[1] - r[0])
