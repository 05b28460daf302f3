"""Assemble a benchmark: the articles to index and the cases (rewritten copies and negatives)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from unspin.article import Article
from unspin.bench.generator import KINDS, Ingredients, generate, negatives
from unspin.bench.hardneg import element_negatives
from unspin.bench.records import Case
from unspin.bench.sampling import Split, split_corpus
from unspin.bench.spinner import Spinner
from unspin.bench.thesauri import spinner_synonyms
from unspin.bench.tortured import TorturedPhrases

TORTURED_FILE = Path("tortured-phrases/pps_fingerprints_normalized.csv")


@dataclass(frozen=True, slots=True)
class BenchSpec:
    """What to draw. ``index_size`` None indexes every article that is not held out."""

    per_kind: int = 50
    n_negatives: int = 150
    index_size: int | None = None
    kinds: tuple[str, ...] = KINDS
    spinner_thesaurus: str = "moby"
    spinner_first_n: int = 10
    seed: int = 0
    hard_per_kind: int = 0  # inserted-element negatives of each kind (``hardneg``), hosts reused
    n_same_event: int = 0  # held-out Reuters stories with a same-event twin indexed (``sameevent``)
    part: str = "all"  # dev | test | all: which half of the corpus the cases are drawn from


@dataclass(slots=True)
class BenchSet:
    indexed: list[Article]
    cases: list[Case]
    meta: dict[str, Any] = field(default_factory=dict)


def draw_split(corpus: Sequence[Article], spec: BenchSpec) -> Split:
    """Which articles are indexed, which make the cases, which are held out."""
    return split_corpus(
        corpus,
        n_sources=spec.per_kind * len(KINDS),
        n_hosts=spec.per_kind,
        n_negatives=spec.n_negatives,
        index_size=spec.index_size,
        seed=spec.seed,
        part=spec.part,
        n_same_event=spec.n_same_event,
    )


def make_cases(split: Split, data_dir: Path, spec: BenchSpec) -> tuple[list[Case], str]:
    """The cases of ``spec.kinds`` and the negatives, with a note on the spinner's thesaurus."""
    synonyms, note = spinner_synonyms(spec.spinner_thesaurus)
    ingredients = Ingredients(
        spinner=Spinner(synonyms, first_n=spec.spinner_first_n),
        tortured=TorturedPhrases.from_csv(Path(data_dir) / TORTURED_FILE),
        titles=[a.title for a in (*split.sources, *split.hosts) if a.title],
        hosts=split.hosts,
    )
    made = generate(
        split.sources, ingredients, per_kind=spec.per_kind, kinds=spec.kinds, seed=spec.seed
    )
    hard = element_negatives(split.negatives, split.indexed, per_kind=spec.hard_per_kind,
                             seed=spec.seed) if spec.hard_per_kind else []
    same_event = [Case(f"neg-same-event-{i:04d}", "neg-same-event", a.text, (),
                       {"article_id": a.id, "twins": split.twins.get(a.id, [])})
                  for i, a in enumerate(split.same_event)]
    return [*made, *negatives(split.negatives), *hard, *same_event], note


def build_benchset(corpus: Sequence[Article], data_dir: Path, spec: BenchSpec) -> BenchSet:
    """Split ``corpus`` and generate the cases of ``spec``."""
    split = draw_split(corpus, spec)
    cases, note = make_cases(split, data_dir, spec)
    return BenchSet(split.indexed, cases, split_meta(split, spec, note))


def split_meta(split: Split, spec: BenchSpec, spinner_note: str) -> dict[str, Any]:
    return {
        "indexed": len(split.indexed),
        "indexed_by_publication": _count(a.source for a in split.indexed),
        "negatives": len(split.negatives),
        "same_event": len(split.same_event),
        "hosts": len(split.hosts),
        "skipped": dict(split.skipped),
        "spinner": spinner_note,
        "seed": spec.seed,
        "part": spec.part,
    }


def ci_slice(corpus: Sequence[Article], data_dir: Path, *, seed: int = 0) -> BenchSet:
    """A small fixed slice for CI: 300 indexed articles, 60 cases (4 per kind), 15 negatives and
    40 hard negatives (10 of each ``hardneg`` kind, made from the 15 negatives).

    The spinner uses Moby, so the slice suits a detector built with the default WordNet thesaurus.
    """
    spec = BenchSpec(per_kind=4, n_negatives=15, index_size=300, seed=seed, hard_per_kind=10)
    return build_benchset(corpus, data_dir, spec)


def with_spinner(spec: BenchSpec, thesaurus: str, kinds: Sequence[str] | None = None) -> BenchSpec:
    return replace(spec, spinner_thesaurus=thesaurus, kinds=tuple(kinds or spec.kinds))


def _count(values) -> dict[str, int]:
    out: dict[str, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out
