"""The benchmark's records: a generated case with its ground truth, and a system's prediction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

Range = tuple[int, int]
NEGATIVE = "negative"


@dataclass(frozen=True, slots=True)
class TruePassage:
    """One reused passage: ``suspect[suspect_range]`` was made from ``source[source_range]``."""

    suspect_range: Range
    source_id: str
    source_range: Range


@dataclass(frozen=True, slots=True)
class Case:
    """A suspect text and its exact ground truth (PAN style). Negatives have no passages."""

    id: str
    obfuscation: str
    suspect: str
    passages: tuple[TruePassage, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def derived(self) -> bool:
        return bool(self.passages)

    @property
    def source_id(self) -> str | None:
        """The true source (every generated case has at most one)."""
        return self.passages[0].source_id if self.passages else None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Case:
        passages = tuple(
            TruePassage(tuple(p["suspect_range"]), p["source_id"], tuple(p["source_range"]))
            for p in data.get("passages", ())
        )
        return cls(data["id"], data["obfuscation"], data["suspect"], passages, data.get("meta", {}))


@dataclass(frozen=True, slots=True)
class Detection:
    """A passage a system reported, on the same two sides as ``TruePassage``."""

    suspect_range: Range
    source_id: str
    source_range: Range


@dataclass(slots=True)
class Prediction:
    """What one system said about one suspect.

    ``ranked`` lists source ids best first; ``verdict`` is "derived", "not_derived", or None for a
    system without a verdict (BM25); ``claimed`` lists the sources the system says the suspect
    was derived from; ``seconds`` is the query time.
    """

    case_id: str
    ranked: list[str]
    verdict: str | None
    claimed: list[str] = field(default_factory=list)
    detections: list[Detection] = field(default_factory=list)
    seconds: float = 0.0
    score: float | None = None  # the top source's score, for systems calibrated on it (BM25)
    score_before_roles: float | None = None  # unspin: the top score with every role as body text
    probability: float | None = None  # unspin: its calibrated probability that this is a copy


def write_cases(path: Path, cases: Iterable[Case]) -> int:
    count = 0
    with open(path, "w", encoding="utf-8") as handle:
        for case in cases:
            handle.write(json.dumps(case.to_json(), ensure_ascii=False) + "\n")
            count += 1
    return count


def write_predictions(path: Path, predictions: Iterable[Prediction]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for pred in predictions:
            handle.write(json.dumps(asdict(pred)) + "\n")


def read_cases(path: Path) -> Iterator[Case]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield Case.from_json(json.loads(line))
