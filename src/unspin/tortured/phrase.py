"""The records of tortured-phrase detection: a flagged phrase and the detector's settings."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from .model_detector import ModelSettings

Evidence = Literal["list", "learned", "statistical", "model", "translation"]

# When flags overlap, the stronger kind of evidence wins.
EVIDENCE_RANK: dict[str, int] = {"list": 0, "learned": 1, "translation": 2, "statistical": 3,
                                 "model": 4}


@dataclass(frozen=True, slots=True)
class TorturedPhrase:
    """A flagged phrase: where it is in the text as given, and what it likely stood for."""

    phrase: str
    at: tuple[int, int]
    suggestion: str
    score: float
    evidence: Evidence
    detail: str = ""  # e.g. the PPS query that matched, or the collocation that was broken

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["at"] = list(self.at)
        if not self.detail:
            del out["detail"]
        return out


@dataclass(frozen=True, slots=True)
class DetectConfig:
    """What ``detect`` looks for.

    ``threshold`` is the statistical detector's margin (see ``statistical``); it was set on held-out
    development text so that clean news stays under one false flag per 2,000 words, together with
    ``rare_zipf``, the odd-word test's rarity cut (wordfreq zipf; None turns the test off).
    ``learned_word_zipf``: a learned fingerprint of one word flags by itself only when the word is
    rarer than this ("indagation"); a spinner's common picks ("commerce" for "market") are also
    every writer's words, so they only count where the statistical detector finds a broken
    collocation around them. 2.5 is the highest cut that kept clean development text under one
    flag per 2,000 words after learning from 1,000 spun copies (0.82; 3.0 gave 1.04:
    ``benchmarks/tortured_bench.py --articles dev``). Without wordfreq no single learned word
    flags alone.

    ``use_model``: the language model (``model_detector``) scores the sentences the cheap
    detectors pick (a flag, translation damage, or a rare word with a far commoner thesaurus
    neighbour in a pair never seen in the background); ``thorough`` scores every sentence.
    ``use_translation``: typographic traces of machine translation (``translation``).
    """

    use_list: bool = True
    use_learned: bool = True
    use_statistical: bool = True
    exclude_quotes: bool = False
    threshold: float = 0.5
    min_variant_count: int = 3
    use_spinner_words: bool = True  # word substitutions read off the known fingerprints
    rare_zipf: float | None = 1.75  # odd-word test (``statistical``); None turns it off
    # a learned single word flags on its own only when rarer than this (wordfreq zipf); the
    # others are used as known substitutions by the statistical detector
    learned_word_zipf: float = 2.5
    use_model: bool = True
    thorough: bool = False
    use_translation: bool = True
    model: ModelSettings = ModelSettings()

    def __post_init__(self) -> None:
        if self.min_variant_count < 1:
            raise ValueError("DetectConfig.min_variant_count must be >= 1")


__all__ = ["Evidence", "EVIDENCE_RANK", "TorturedPhrase", "DetectConfig"]
