"""Generated cases carry exact ground truth, are deterministic, and held-out articles stay out."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from unspin.article import Article
from unspin.bench.builder import SuspectBuilder
from unspin.bench.generator import KINDS, Ingredients, generate, negatives, reordered_runs
from unspin.bench.obfuscate import HOMOGLYPHS, chartricks, junk_line, light_edit
from unspin.bench.records import Case, read_cases, write_cases
from unspin.bench.sampling import max_overlap, split_corpus
from unspin.bench.spinner import Spinner
from unspin.bench.text import sentence_spans
from unspin.bench.tortured import TorturedPhrases

SUBJECTS = ("grain", "crude", "sport", "business")
NOUNS = ("market", "harvest", "pipeline", "stadium", "factory", "budget", "contract", "tariff")
VERBS = ("rose", "fell", "grew", "slowed", "recovered", "stalled")
SYNONYMS = {
    "market": ["bazaar", "mart"],
    "report": ["account"],
    "price": ["cost"],
    "strong": ["sturdy"],
    "week": ["sennight"],
    "analysts": ["pundits"],
}


def article(i: int, publication: str = "reuters") -> Article:
    rng = random.Random(i)
    paragraphs = []
    for p in range(4):
        sentences = []
        for s in range(3):
            noun, verb = rng.choice(NOUNS), rng.choice(VERBS)
            sentences.append(
                f"The {noun} {verb} {i * 7 + p * 3 + s} pct in week {p}{s} of story {i}, "
                f"analysts said in a strong market report {i} on price number "
                f"{rng.randint(1, 10**6)}."  # the story's number: no 8-gram shared across stories
            )
        paragraphs.append(" ".join(sentences))
    subject = SUBJECTS[i % len(SUBJECTS)]
    return Article(
        id=f"{publication}/{i}",
        text="\n\n".join(paragraphs),
        title=f"Story {i}",
        source=publication,
        metadata={"subject": subject},
    )


CORPUS = [article(i, "bbc" if i % 3 == 0 else "reuters") for i in range(160)]


def ingredients(hosts=()) -> Ingredients:
    return Ingredients(
        spinner=Spinner(lambda w: SYNONYMS.get(w, [])),
        tortured=TorturedPhrases({"market report": "showcase story"}),
        titles=["Other story", "More news"],
        hosts=list(hosts),
    )


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    split = split_corpus(CORPUS, n_sources=2 * len(KINDS), n_hosts=2, n_negatives=3, seed=1)
    return list(generate(split.sources, ingredients(split.hosts), per_kind=2, seed=1))


def folded(text: str) -> str:
    """Undo chartricks: drop zero-width and soft hyphens, map homoglyphs back."""
    back = {g: latin for latin, gs in HOMOGLYPHS.items() for g in gs}
    text = text.replace("\u200b", "").replace("\u00ad", "")
    return "".join(back.get(ch, ch) for ch in text)


def by_id() -> dict[str, Article]:
    return {a.id: a for a in CORPUS}


def test_every_kind_is_generated(cases):
    assert sorted({c.obfuscation for c in cases}) == sorted(KINDS)
    assert all(c.passages for c in cases)


def test_ranges_are_inside_both_texts(cases):
    arts = by_id()
    for c in cases:
        for p in c.passages:
            s, e = p.suspect_range
            a, b = p.source_range
            assert 0 <= s < e <= len(c.suspect)
            assert 0 <= a < b <= len(arts[p.source_id].text)
            assert c.suspect[s:e] == c.suspect[s:e].strip()


@pytest.mark.parametrize("kind", ["verbatim", "reorder", "partial", "junk"])
def test_copied_passages_match_the_source_word_for_word(cases, kind):
    arts = by_id()
    for c in (c for c in cases if c.obfuscation == kind):
        for p in c.passages:
            copied = c.suspect[slice(*p.suspect_range)]
            original = arts[p.source_id].text[slice(*p.source_range)]
            assert copied.split() == original.split()


def test_chartricks_passage_folds_back_to_the_source(cases):
    arts = by_id()
    for c in (c for c in cases if c.obfuscation == "chartricks"):
        (p,) = c.passages
        assert (
            folded(c.suspect[slice(*p.suspect_range)])
            == arts[p.source_id].text[slice(*p.source_range)]
        )


@pytest.mark.parametrize("kind", ["spin30", "spin50", "spin70"])
def test_spun_passage_is_one_case_with_the_same_numbers(cases, kind):
    arts = by_id()
    for c in (c for c in cases if c.obfuscation == kind):
        (p,) = c.passages
        spun = c.suspect[slice(*p.suspect_range)]
        original = arts[p.source_id].text[slice(*p.source_range)]
        assert len(spun.split()) == len(original.split())
        digits = [w for w in original.split() if any(ch.isdigit() for ch in w)]
        assert [w for w in spun.split() if any(ch.isdigit() for ch in w)] == digits
        assert c.meta["substitution_rate"] == {"spin30": 0.3, "spin50": 0.5, "spin70": 0.7}[kind]


def test_tortured_cases_inject_phrases(cases):
    for c in (c for c in cases if c.obfuscation == "tortured"):
        assert "showcase story" in c.suspect and "market report" not in c.suspect
        assert c.meta["tortured_phrases"] >= 3


def test_partial_puts_three_to_eight_sentences_in_a_held_out_host(cases):
    for c in (c for c in cases if c.obfuscation == "partial"):
        (p,) = c.passages
        assert 3 <= c.meta["sentences"] <= 8
        assert c.meta["host_id"] != p.source_id
        assert len(c.suspect) > p.suspect_range[1] - p.suspect_range[0]


def test_junk_splits_passages_and_stays_outside_them(cases):
    for c in (c for c in cases if c.obfuscation == "junk"):
        inside = "".join(c.suspect[slice(*p.suspect_range)] for p in c.passages)
        assert "Also read" not in inside and "Subscribe" not in inside
        assert len(c.passages) >= 2


def test_generation_is_deterministic(cases):
    split = split_corpus(CORPUS, n_sources=2 * len(KINDS), n_hosts=2, n_negatives=3, seed=1)
    again = list(generate(split.sources, ingredients(split.hosts), per_kind=2, seed=1))
    assert again == cases


def test_a_kind_does_not_change_when_others_are_left_out(cases):
    split = split_corpus(CORPUS, n_sources=2 * len(KINDS), n_hosts=2, n_negatives=3, seed=1)
    only = list(
        generate(split.sources, ingredients(split.hosts), per_kind=2, kinds=["reorder"], seed=1)
    )
    assert only == [c for c in cases if c.obfuscation == "reorder"]


def test_generate_rejects_unknown_kind_and_too_few_sources():
    with pytest.raises(ValueError, match="unknown"):
        list(generate(CORPUS, ingredients(), per_kind=1, kinds=["nope"]))
    with pytest.raises(ValueError, match="need"):
        list(generate(CORPUS[:3], ingredients(), per_kind=1))


def test_split_holds_out_negatives_and_hosts():
    split = split_corpus(CORPUS, n_sources=22, n_hosts=2, n_negatives=5, index_size=60, seed=3)
    indexed = {a.id for a in split.indexed}
    assert len(indexed) == 60
    assert {a.id for a in split.sources} <= indexed
    assert not indexed & {a.id for a in split.negatives + split.hosts}
    assert {a.source for a in split.negatives} == {"bbc", "reuters"}
    negs = list(negatives(split.negatives))
    assert all(not c.derived and c.obfuscation == "negative" for c in negs)


def test_split_skips_near_duplicates():
    twin = Article(
        id="reuters/twin",
        text=CORPUS[0].text + "\n\nOne more line.",
        source="reuters",
        metadata={"subject": "grain"},
    )
    coefficient, shared = max_overlap([CORPUS[0]], [CORPUS[0], twin, CORPUS[1]])[CORPUS[0].id]
    assert coefficient == 1.0 and shared > 5
    corpus = [*CORPUS, twin]
    split = split_corpus(corpus, n_sources=40, n_hosts=10, n_negatives=20, seed=0)
    drawn = {a.id for a in split.sources + split.hosts + split.negatives}
    assert not drawn & {CORPUS[0].id, "reuters/twin"}


def test_a_negative_shares_no_word_8gram_with_another_article():
    """Negatives are held to the same-event rule (no shared word 8-gram); case sources are not."""
    run = "the ministry said the harvest would be the largest"  # 9 words: two 8-grams

    def quoting(a: Article) -> Article:
        return Article(id=a.id, text=a.text + f"\n\nIn story {a.id} {run}.", title=a.title,
                       source=a.source, metadata=a.metadata)
    corpus = [quoting(a) if n < 80 else a for n, a in enumerate(CORPUS)]
    reusing = {a.id for a in corpus[:80]}
    split = split_corpus(corpus, n_sources=40, n_hosts=10, n_negatives=10, seed=0)
    assert not reusing & {a.id for a in split.negatives}
    assert reusing & {a.id for a in split.sources}  # one shared clause is fine for a source
    assert split.skipped["negative: shares text with another article"] > 0


def test_mrpc_pairs_that_share_a_word_8gram_are_not_negatives():
    from unspin.bench.mrpc import Pair, grouped_negatives, reuses

    shared = Pair(0, "mrpc/1", "mrpc/2",
                  "Shares of Genentech rose more than 2 percent in late trading",
                  "Xoma fell, while shares of Genentech rose more than 2 percent in late trading")
    own = Pair(0, "mrpc/3", "mrpc/4", "The board met on Tuesday to discuss the merger terms.",
               "Directors will vote next week, a spokesman for the company said.")
    assert reuses(shared) and not reuses(own)
    articles, cases = grouped_negatives([shared, own] * 4, size=4)
    assert len(cases) == 1 and "Genentech" not in cases[0].suspect + articles[0].text


def test_cases_round_trip_through_jsonl(cases, tmp_path):
    path = tmp_path / "cases.jsonl"
    assert write_cases(path, cases) == len(cases)
    assert list(read_cases(path)) == cases


def test_reordered_runs_keep_sentences_whole_and_change_order():
    text = CORPUS[5].text
    runs = reordered_runs(text, random.Random(2))
    starts = {a for a, _ in sentence_spans(text)}
    ends = {b for _, b in sentence_spans(text)}
    assert all(a in starts and b in ends for a, b in runs)
    assert runs != sorted(runs)


def test_light_edit_changes_few_words():
    text = CORPUS[7].text
    edited = light_edit(text, random.Random(4), replace=lambda w: SYNONYMS.get(w, []))
    assert edited != text
    assert abs(len(edited.split()) - len(text.split())) <= 0.1 * len(text.split())


def test_chartricks_look_the_same_after_folding():
    text = CORPUS[9].text
    tricked = chartricks(text, random.Random(5), rate=0.5)
    assert tricked != text and folded(tricked) == text
    assert unicodedata.normalize("NFKC", "\u00ad") == "\u00ad"  # soft hyphens survive NFKC
    assert junk_line(random.Random(0), ["T"])


@given(st.lists(st.tuples(st.booleans(), st.text(min_size=1, max_size=8)), min_size=1, max_size=12))
def test_builder_ranges_point_at_the_added_pieces(pieces):
    source = "abcdefghij " * 20
    builder = SuspectBuilder("s", source)
    expected = []
    pos = 0
    for i, (from_source, text) in enumerate(pieces):
        if from_source:
            builder.add(text, (i * 10, i * 10 + 5))
            expected.append((pos, pos + len(text)))
        else:
            builder.add(text)
        pos += len(text)
    case = builder.build("c", "test")
    assert case.suspect == "".join(t for _, t in pieces)
    covered = [tuple(p.suspect_range) for p in case.passages]
    # every piece from the source lies in exactly one passage; passages start and end on pieces
    for s, e in expected:
        assert sum(a <= s and e <= b for a, b in covered) == 1
    assert {a for a, _ in covered} <= {s for s, _ in expected}
    assert {b for _, b in covered} <= {e for _, e in expected}
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(covered, covered[1:], strict=False))


def test_builder_merges_in_order_runs_and_splits_moved_ones():
    source = "One. Two. Three. Four."
    b = SuspectBuilder("s", source)
    b.add("One.", (0, 4))
    b.add(" ")
    b.add("Two.", (5, 9))
    b.add(" ")
    b.add("Four.", (17, 22))
    b.add(" ")
    b.add("Three.", (10, 16))
    case = b.build("c", "reorder")
    assert [(p.suspect_range, p.source_range) for p in case.passages] == [
        ((0, 9), (0, 9)),
        ((10, 15), (17, 22)),
        ((16, 22), (10, 16)),
    ]
    with pytest.raises(ValueError):
        b.add("x", (0, 99))


def test_builder_does_not_merge_across_junk():
    source = "One. Two."
    b = SuspectBuilder("s", source)
    b.add("One.", (0, 4))
    b.add("\n\nAlso read: X\n\n")
    b.add("Two.", (5, 9))
    assert len(b.build("c", "junk").passages) == 2


def test_split_skips_a_long_article_that_copies_one_sentence():
    from unspin.bench.sampling import MAX_OVERLAP, MAX_SHARED

    def long(i: int, extra: str = "") -> Article:
        text = "\n\n".join(article(i * 10 + k).text for k in range(3)) + extra
        return Article(id=f"reuters/long{i}", text=text, source="reuters",
                       metadata={"subject": "grain"})

    first = long(1000)
    copied = sentence_spans(first.text)[4]
    second = long(2000, "\n\n" + first.text[copied[0] : copied[1]])
    coefficient, shared = max_overlap([second], [first, second])[second.id]
    assert coefficient < MAX_OVERLAP and shared >= MAX_SHARED
    split = split_corpus([*CORPUS, first, second], n_sources=40, n_hosts=10, n_negatives=20, seed=0)
    drawn = {a.id for a in split.sources + split.hosts + split.negatives}
    assert not drawn & {first.id, second.id}
