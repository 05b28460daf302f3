"""A synonym spinner in the style of SpinBot: swap a share of the content words for thesaurus words.

Content words are alphabetic words of three letters or more that are not stopwords and not
capitalised names: a capitalised word counts only when it opens a sentence, is not all capitals,
is not seen capitalised inside a sentence elsewhere in the text, and the thesaurus knows it.
Numbers are never words here. The replacement is drawn at random among the first
``first_n`` synonyms of the word's lemma, inflected like the original (plural -s, -ed, -ing) and given
the original's capitalisation.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves said says say mr mrs ms per cent pct
    mln dlrs billion million year years one two three four five six seven eight nine ten""".split()
)
_ALPHA = re.compile(r"(?<![\w'’.-])[A-Za-z]+(?![\w'’-]|\.\w)")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+")
_INFLECTIONS = (
    ("ies", "y"),
    ("es", ""),
    ("s", ""),
    ("ied", "y"),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
)
_NOMINAL = (
    "tion",
    "sion",
    "ment",
    "ness",
    "ity",
    "ance",
    "ence",
    "ism",
    "ist",
    "ure",
    "al",
    "ship",
)


@dataclass(frozen=True, slots=True)
class Spun:
    """A spun text: how many content words it had and how many were replaced."""

    text: str
    content_words: int
    replaced: int
    # every swap: (start, end) in the input text, (start, end) in ``text``
    swaps: tuple[tuple[int, int, int, int], ...] = ()

    @property
    def rate(self) -> float:
        return self.replaced / self.content_words if self.content_words else 0.0


class Spinner:
    """Replaces ``rate`` of the content words of a text by synonyms from ``synonyms(lemma)``."""

    def __init__(self, synonyms: Callable[[str], Sequence[str]], *, first_n: int = 10) -> None:
        if first_n < 1:
            raise ValueError("Spinner first_n must be >= 1")
        self._synonyms = synonyms
        self._first_n = first_n

    def spin(self, text: str, rate: float, rng: random.Random) -> Spun:
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"spin rate must be in [0, 1], got {rate}")
        names = _names(text)
        content = [m for m in _ALPHA.finditer(text) if self._is_content(text, m, names)]
        options = {m.start(): self.options(m.group()) for m in content}
        replaceable = [m for m in content if options[m.start()]]
        chosen = rng.sample(replaceable, min(len(replaceable), round(rate * len(content))))
        chosen.sort(key=lambda m: m.start())
        out, pos, length = [], 0, 0
        swaps: list[tuple[int, int, int, int]] = []
        for m in chosen:
            out.append(text[pos : m.start()])
            length += m.start() - pos
            new = match_case(rng.choice(options[m.start()]), m.group())
            out.append(new)
            swaps.append((m.start(), m.end(), length, length + len(new)))
            length += len(new)
            pos = m.end()
        out.append(text[pos:])
        return Spun("".join(out), len(content), len(chosen), tuple(swaps))

    def options(self, word: str) -> list[str]:
        """The candidate replacements of ``word`` (lowercase), inflected like it."""
        lower = word.lower()
        found = self._pick(lower)
        if found:
            return found
        for suffix, repl in _INFLECTIONS:
            if lower.endswith(suffix) and len(lower) > len(suffix) + 2:
                lemma = lower[: -len(suffix)] + repl
                found = [inflect(s, suffix) for s in self._pick(lemma) if _verb_like(s, suffix)]
                if found:
                    return found
        return []

    def _pick(self, lemma: str) -> list[str]:
        return [s for s in list(self._synonyms(lemma))[: self._first_n] if s != lemma]

    def _is_content(self, text: str, m: re.Match[str], names: set[str]) -> bool:
        word = m.group()
        if len(word) < 3 or word.lower() in STOPWORDS:
            return False
        if word[0].isupper():  # a sentence opener the thesaurus knows, not a name seen elsewhere
            return (
                not word.isupper()
                and word not in names
                and _starts_sentence(text, m.start())
                and bool(self.options(word))
            )
        return True


def match_case(word: str, like: str) -> str:
    """``word`` with the capitalisation of ``like`` (all capitals, initial capital or lowercase)."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    if " " in like and all(w[:1].isupper() for w in like.split()):
        return " ".join(w[:1].upper() + w[1:] for w in word.split())
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def inflect(lemma: str, suffix: str) -> str:
    """Put ``suffix`` (one of the spinner's inflections) on ``lemma``, roughly."""
    if suffix in ("s", "es", "ies"):
        if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
            return lemma[:-1] + "ies"
        return lemma + ("es" if lemma.endswith(("s", "x", "z", "ch", "sh")) else "s")
    if suffix in ("ed", "ied"):
        if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
            return lemma[:-1] + "ied"
        return lemma + ("d" if lemma.endswith("e") else "ed")
    if suffix == "ing":
        return (lemma[:-1] if lemma.endswith("e") and not lemma.endswith("ee") else lemma) + "ing"
    return lemma


def _verb_like(lemma: str, suffix: str) -> bool:
    """Skip obvious nouns and adjectives when the original word was a verb form."""
    return suffix not in ("ed", "ied", "ing") or not lemma.endswith(_NOMINAL)


def _names(text: str) -> set[str]:
    """Capitalised words seen inside a sentence: names, also when they open one."""
    return {m.group() for m in _CAPITALISED.finditer(text) if not _starts_sentence(text, m.start())}


def _starts_sentence(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \t\"'“‘(")
    return not before or before[-1] in ".!?\n:"
