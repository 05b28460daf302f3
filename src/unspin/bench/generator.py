"""Rewritten copies with exact ground truth: one function per obfuscation, registered by name.

Every maker gets a source article, its own random generator and the shared ingredients, builds the
suspect piece by piece with ``SuspectBuilder`` and returns a ``Case``. The random generator of a case
depends only on (seed, obfuscation, number), so a case does not change when other kinds are added or
when the spinner's thesaurus changes (except for the kinds that use it: the spin kinds, tortured,
combo, and light, whose word swaps come from the same thesaurus).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from unspin.article import Article
from unspin.bench.builder import SuspectBuilder
from unspin.bench.obfuscate import chartricks, junk_line, light_edit
from unspin.bench.paraphrase import headline, paraphrase_pieces
from unspin.bench.records import NEGATIVE, Case, Range
from unspin.bench.rewrite import make_rewrite_case
from unspin.bench.spinner import Spinner
from unspin.bench.text import paragraph_spans, sentence_spans
from unspin.bench.tortured import TorturedPhrases

SPIN_RATES = {"spin30": 0.3, "spin50": 0.5, "spin70": 0.7}
SPINNER_KINDS = ("spin30", "spin50", "spin70", "tortured", "combo", "paraphrase+spin")
MIN_TORTURED = 3  # fewer injected phrases than this: spin30 the rest as well


@dataclass(frozen=True, slots=True)
class Ingredients:
    spinner: Spinner
    tortured: TorturedPhrases
    titles: Sequence[str]  # for "Also read: ..." lines
    hosts: Sequence[Article] = ()  # held-out articles that receive partial copies


Maker = Callable[[Article, random.Random, Ingredients, str], Case]


def long_span(text: str, rng: random.Random) -> Range:
    """The whole text half the time, else a run of at least 60% of its sentences."""
    spans = sentence_spans(text)
    if rng.random() < 0.5 or len(spans) < 5:
        return spans[0][0], spans[-1][1]
    size = rng.randint(max(3, int(0.6 * len(spans))), len(spans) - 1)
    first = rng.randrange(0, len(spans) - size + 1)
    return spans[first][0], spans[first + size - 1][1]


def make_verbatim(src: Article, rng: random.Random, ing: Ingredients, case_id: str) -> Case:
    a, b = long_span(src.text, rng)
    builder = SuspectBuilder(src.id, src.text)
    builder.add(src.text[a:b], (a, b))
    return builder.build(case_id, "verbatim")


def make_light(src: Article, rng: random.Random, ing: Ingredients, case_id: str) -> Case:
    a, b = long_span(src.text, rng)
    builder = SuspectBuilder(src.id, src.text)
    builder.add(light_edit(src.text[a:b], rng, replace=ing.spinner.options), (a, b))
    return builder.build(case_id, "light")


def _make_spin(kind: str) -> Maker:
    rate = SPIN_RATES[kind]

    def make(src: Article, rng: random.Random, ing: Ingredients, case_id: str) -> Case:
        a, b = long_span(src.text, rng)
        spun = ing.spinner.spin(src.text[a:b], rate, rng)
        builder = SuspectBuilder(src.id, src.text)
        builder.add(spun.text, (a, b))
        meta = {"substitution_rate": rate, "achieved_rate": round(spun.rate, 4)}
        return builder.build(case_id, kind, meta)

    return make


def make_tortured(src: Article, rng: random.Random, ing: Ingredients, case_id: str) -> Case:
    a, b = long_span(src.text, rng)
    injected = ing.tortured.inject(src.text[a:b])
    text, spun_rate = injected.text, 0.0
    if injected.replaced < MIN_TORTURED:
        spun = ing.spinner.spin(text, SPIN_RATES["spin30"], rng)
        text, spun_rate = spun.text, spun.rate
    builder = SuspectBuilder(src.id, src.text)
    builder.add(text, (a, b))
    meta = {"tortured_phrases": injected.replaced, "achieved_rate": round(spun_rate, 4)}
    return builder.build(case_id, "tortured", meta)


def reordered_runs(text: str, rng: random.Random) -> list[Range]:
    """Runs of 1-3 source-consecutive sentences, 10-25% of sentences deleted, runs shuffled."""
    spans = sentence_spans(text)
    n_delete = min(len(spans) - 2, max(1, round(rng.uniform(0.10, 0.25) * len(spans))))
    deleted = set(rng.sample(range(len(spans)), n_delete)) if len(spans) > 3 else set()
    runs: list[list[int]] = []
    for i in range(len(spans)):
        if i in deleted:
            continue
        if runs and runs[-1][-1] == i - 1 and len(runs[-1]) < rng.randint(1, 3):
            runs[-1].append(i)
        else:
            runs.append([i])
    order = runs[:]
    for _ in range(10):
        rng.shuffle(order)
        if order != runs or len(runs) < 2:
            break
    return [(spans[r[0]][0], spans[r[-1]][1]) for r in order]


def make_reorder(src: Article, rng: random.Random, ing: Ingredients, case_id: str) -> Case:
    builder = SuspectBuilder(src.id, src.text)
    for i, (a, b) in enumerate(reordered_runs(src.text, rng)):
        if i:
            builder.add("\n\n" if rng.random() < 0.3 else " ")
        builder.add(src.text[a:b], (a, b))
    return builder.build(case_id, "reorder")


def make_partial(src: Article, rng: random.Random, ing: Ingredients, case_id: str) -> Case:
    subject = src.metadata.get("subject")
    hosts = [h for h in ing.hosts if h.metadata.get("subject") != subject] or list(ing.hosts)
    if not hosts:
        raise ValueError("partial cases need held-out host articles")
    host = hosts[rng.randrange(len(hosts))]
    spans = sentence_spans(src.text)
    size = min(len(spans), rng.randint(3, 8))
    first = rng.randrange(0, len(spans) - size + 1)
    a, b = spans[first][0], spans[first + size - 1][1]
    paragraphs = paragraph_spans(host.text)
    cut = rng.randint(1, max(1, len(paragraphs) - 1)) if len(paragraphs) > 1 else 1
    builder = SuspectBuilder(src.id, src.text)
    for pa, pb in paragraphs[:cut]:
        builder.add(host.text[pa:pb] + "\n\n")
    builder.add(src.text[a:b], (a, b))
    for pa, pb in paragraphs[cut:]:
        builder.add("\n\n" + host.text[pa:pb])
    return builder.build(case_id, "partial", {"host_id": host.id, "sentences": size})


def make_junk(src: Article, rng: random.Random, ing: Ingredients, case_id: str) -> Case:
    paragraphs = paragraph_spans(src.text)
    junk_after = _junk_slots(len(paragraphs), rng)
    builder = SuspectBuilder(src.id, src.text)
    for i, (a, b) in enumerate(paragraphs):
        if i:
            builder.add("\n\n")
        builder.add(src.text[a:b], (a, b))
        if i in junk_after:
            builder.add("\n\n" + junk_line(rng, ing.titles))
    for _ in range(rng.randint(1, 3)):
        builder.add("\n\n" + junk_line(rng, ing.titles, end=True))
    return builder.build(case_id, "junk")


def make_chartricks(src: Article, rng: random.Random, ing: Ingredients, case_id: str) -> Case:
    a, b = long_span(src.text, rng)
    builder = SuspectBuilder(src.id, src.text)
    builder.add(chartricks(src.text[a:b], rng), (a, b))
    return builder.build(case_id, "chartricks")


def make_combo(src: Article, rng: random.Random, ing: Ingredients, case_id: str) -> Case:
    """spin30 + reorder + junk + chartricks."""
    runs = reordered_runs(src.text, rng)
    builder = SuspectBuilder(src.id, src.text)
    replaced = content = 0
    for i, (a, b) in enumerate(runs):
        if i:
            if rng.random() < 0.25:
                builder.add("\n\n" + chartricks(junk_line(rng, ing.titles), rng) + "\n\n")
            else:
                builder.add("\n\n" if rng.random() < 0.3 else " ")
        spun = ing.spinner.spin(src.text[a:b], SPIN_RATES["spin30"], rng)
        replaced, content = replaced + spun.replaced, content + spun.content_words
        builder.add(chartricks(spun.text, rng), (a, b))
    builder.add("\n\n" + chartricks(junk_line(rng, ing.titles, end=True), rng))
    meta = {"substitution_rate": 0.3, "achieved_rate": round(replaced / max(1, content), 4)}
    return builder.build(case_id, "combo", meta)


def _make_paraphrase(kind: str, spin_rate: float) -> Maker:
    """Sentence-by-sentence rewrites (see ``paraphrase``), spun on top when ``spin_rate`` > 0."""

    def make(src: Article, rng: random.Random, ing: Ingredients, case_id: str) -> Case:
        a, b = long_span(src.text, rng)
        spans = [(x, y) for x, y in sentence_spans(src.text) if x >= a and y <= b]
        respin = (lambda t: ing.spinner.spin(t, spin_rate, rng).text) if spin_rate else None
        builder = SuspectBuilder(src.id, src.text)
        if src.title:
            builder.add(headline(src.title, rng) + "\n\n")
        rules: list[list[str]] = []
        pieces = paraphrase_pieces([src.text[x:y] for x, y in spans], rng, respin, rules)
        for n, (used, text) in enumerate(pieces):
            if n:
                builder.add(" ")
            builder.add(text, (spans[used[0]][0], spans[used[-1]][1]))
        return builder.build(case_id, kind, {"substitution_rate": spin_rate, "rules": rules})

    return make


def _junk_slots(n_paragraphs: int, rng: random.Random) -> set[int]:
    gaps = list(range(n_paragraphs - 1))
    slots = {g for g in gaps if rng.random() < 0.4}
    if gaps and not slots:
        slots.add(rng.choice(gaps))
    return slots


MAKERS: dict[str, Maker] = {
    "verbatim": make_verbatim,
    "light": make_light,
    "spin30": _make_spin("spin30"),
    "spin50": _make_spin("spin50"),
    "spin70": _make_spin("spin70"),
    "tortured": make_tortured,
    "reorder": make_reorder,
    "partial": make_partial,
    "junk": make_junk,
    "chartricks": make_chartricks,
    "combo": make_combo,
    "paraphrase": _make_paraphrase("paraphrase", 0.0),
    "paraphrase+spin": _make_paraphrase("paraphrase+spin", 0.3),
    # the rewriter that shares none of the detector's assumptions (``rewrite``)
    "rewrite": lambda src, rng, ing, cid: make_rewrite_case(src, rng, cid, characters=False),
    "rewrite+chars": lambda src, rng, ing, cid: make_rewrite_case(src, rng, cid, characters=True),
}
KINDS = tuple(MAKERS)


def case_rng(seed: int, kind: str, number: int) -> random.Random:
    return random.Random(f"case:{seed}:{kind}:{number}")


def generate(
    sources: Sequence[Article],
    ing: Ingredients,
    *,
    per_kind: int,
    kinds: Sequence[str] = KINDS,
    seed: int = 0,
) -> Iterator[Case]:
    """``per_kind`` cases of each kind; sources are dealt out in turn, one source per case.

    Sources are assigned by position over the full list of kinds, so a kind's cases use the same
    sources whichever subset of ``kinds`` is asked for.
    """
    unknown = set(kinds) - set(MAKERS)
    if unknown:
        raise ValueError(
            f"unknown obfuscation(s) {sorted(unknown)}; choose from {', '.join(KINDS)}"
        )
    if len(sources) < per_kind * len(KINDS):
        raise ValueError(f"need {per_kind * len(KINDS)} sources, got {len(sources)}")
    for k, kind in enumerate(KINDS):
        if kind not in kinds:
            continue
        for i in range(per_kind):
            src = sources[i * len(KINDS) + k]
            yield MAKERS[kind](src, case_rng(seed, kind, i), ing, f"{kind}-{i:04d}")


def negatives(articles: Sequence[Article]) -> Iterator[Case]:
    """Held-out articles as suspects whose correct verdict is not_derived."""
    for i, a in enumerate(articles):
        meta = {"article_id": a.id, "subject": a.metadata.get("subject", "")}
        yield Case(f"{NEGATIVE}-{i:04d}", NEGATIVE, a.text, (), meta)
