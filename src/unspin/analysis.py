"""One text, analysed once: normalised form, offset map, tokens and sentences."""

from __future__ import annotations

from dataclasses import dataclass

from .normalize import Normalized, normalize
from .tokens import Sentence, Tokens, sentences, tokenize


@dataclass(frozen=True, slots=True)
class Analyzed:
    norm: Normalized
    tokens: Tokens
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        """The normalised text (token offsets point into it)."""
        return self.norm.text

    @property
    def original(self) -> str:
        return self.norm.original

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        return self.norm.to_original(start, end)


def analyze(text: str) -> Analyzed:
    norm = normalize(text)
    toks = tokenize(norm.text)
    return Analyzed(norm, toks, tuple(sentences(norm.text, toks)))


__all__ = ["Analyzed", "analyze"]
