"""Hard negatives (inserted shared elements), the trivial detector and Wilson intervals."""

from __future__ import annotations

import random

import pytest

from unspin import Article, CheckConfig, Index, check
from unspin.bench.hardneg import (
    element_negatives,
    find_lists,
    find_quotes,
    find_statements,
    find_tables,
    insert_element,
)
from unspin.bench.metrics import wilson
from unspin.bench.trivial import Trivial, fit_floor
from unspin.listing import listing_spans

from .conftest import sample_articles

TEAM = ("Robinson, Lewsey, Noon, Tindall, Cohen, Barkley, Ellis, Rowntree, Thompson, Stevens, "
        "Grewcock, Kay, Worsley, Moody, Corry.")
TABLE = ("Shr 78 cts vs 51 cts\n\nNet 7,030,000 vs 4,944,000\n\nRevs 126.6 mln vs 120.9 mln\n\n"
         "Nine mths Shr 2.10 dlrs vs 1.50 dlrs")
REPORT = (
    "England named an unchanged side for the match against Wales on Saturday.\n\n"
    f"{TEAM}\n\n"
    'The coach said: "We have worked hard all week and the players know exactly what to do." '
    "The company said in a statement that it expected to complete the sale of its two plants "
    "by the end of the year, subject to approval by shareholders and regulators.\n\n"
    f"{TABLE}\n\nThe results were released after the market closed."
)


def test_finders_find_each_element() -> None:
    assert [REPORT[s:e] for s, e in find_lists(REPORT)] == [TEAM]
    assert len(find_quotes(REPORT)) == 1 and "worked hard" in REPORT[slice(*find_quotes(REPORT)[0])]
    assert any("in a statement" in REPORT[s:e] for s, e in find_statements(REPORT))
    (s, e), = find_tables(REPORT)
    assert REPORT[s:e].startswith("Shr 78") and REPORT[s:e].endswith("1.50 dlrs")


def test_insert_element_keeps_the_host_and_adds_a_paragraph() -> None:
    host = Article(id="h", text="First paragraph.\n\nSecond paragraph.\n\nThird paragraph.")
    text = insert_element(host, TEAM, random.Random(1))
    assert TEAM in text and text.replace(TEAM + "\n\n", "").replace("\n\n" + TEAM, "") == host.text


def test_element_negatives_name_their_donor() -> None:
    donor = Article(id="d", text=REPORT, metadata={"subject": "sport"})
    hosts = [Article(id=f"h{i}", text=f"Host {i} opens.\n\nIt goes on.\n\nIt ends.",
                     metadata={"subject": "sport"}) for i in range(3)]
    cases = list(element_negatives(hosts, [donor], per_kind=2, seed=0))
    assert {c.obfuscation for c in cases} == {"neg-quote", "neg-statement", "neg-list", "neg-table"}
    assert all(not c.derived and c.meta["donor_id"] == "d" for c in cases)
    assert len(cases) == 8


def test_listing_spans_marks_lists_and_tables_not_prose() -> None:
    found = [REPORT[s:e] for s, e in listing_spans(REPORT)]
    assert TEAM in found and "Shr 78 cts vs 51 cts" in found
    assert not any("unchanged side" in f or "statement" in f for f in found)


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Index:
    articles = sample_articles(60)
    donor = Article(id="donor", text=REPORT.replace("\n\n" + TABLE, ""))
    table_story = Article(id="table", text="Acme Corp said on Tuesday.\n\n" + TABLE)
    with Index.create(tmp_path_factory.mktemp("hn") / "index") as built:
        built.add([*articles, donor, table_story])
    opened = Index.open(built.path, readonly=True)
    yield opened
    opened.close()


def test_a_shared_team_sheet_is_not_a_copy(index: Index) -> None:
    host = sample_articles(80)[70].text  # not indexed
    text = insert_element(Article(id="h", text=host), TEAM, random.Random(0))
    assert check(text, index).verdict == "not_derived"
    counted = check(text, index, config=CheckConfig(exclude_listings=False))
    assert counted.sources and counted.sources[0].id == "donor"


def test_a_copied_table_alone_is_still_a_copy(index: Index) -> None:
    result = check(TABLE, index)
    assert result.verdict == "derived" and result.sources[0].id == "table"


def test_trivial_detector_pairs_whole_texts(tmp_path) -> None:
    articles = sample_articles(40)
    trivial = Trivial(tmp_path / "t")
    assert trivial.build(articles) == 40
    copy = articles[5].text
    pred = trivial.predict("c", copy)
    assert pred.verdict == "derived" and pred.claimed == [articles[5].id]
    assert pred.detections[0].suspect_range == (0, len(copy))
    assert pred.detections[0].source_range == (0, len(articles[5].text))
    other = trivial.predict("o", "Lovely weather for a picnic in the park with friends today.")
    assert other.verdict == "not_derived"
    excluded = trivial.predict("x", copy, exclude=(articles[5].id,))
    assert articles[5].id not in excluded.ranked
    assert pred.score is not None and pred.score >= trivial.min_ngrams
    above = trivial.at_floor(pred, copy, int(pred.score) + 1)
    assert above.verdict == "not_derived" and above.claimed == [] and above.detections == []
    again = trivial.at_floor(above, copy, int(pred.score))
    assert again.verdict == "derived" and again.detections == pred.detections
    trivial.close()


def test_trivial_floor_is_fitted_to_one_percent_of_dev_negatives() -> None:
    """The floor is the lowest that calls at most 1% of the negatives derived (BM25's rule)."""
    negatives = [(float(n), False) for n in range(200)]  # shared n-grams 0..199
    copies = [(300.0, True)] * 50
    floor = fit_floor(negatives + copies)
    called = sum(score >= floor for score, derived in negatives if not derived)
    assert called <= 2 and sum(score >= floor - 1 for score, _ in negatives) > 2
    assert fit_floor([(0.0, False)] * 10) == 1


def test_wilson_interval() -> None:
    assert wilson(0, 0) is None
    low, high = wilson(0, 600)
    assert low == 0.0 and 0.006 < high < 0.0065
    low, high = wilson(1, 150)
    assert 0.0001 < low < 0.002 and 0.035 < high < 0.038
    low, high = wilson(150, 150)
    assert high == 1.0 and 0.97 < low < 0.98


def test_a_disguised_sentence_is_still_prose() -> None:
    line = ("Liverp\u043eol manag\u00ader Rafael Benitez admitted victory \u0430gainst Deportivo La "
            "Coruna was vital in thei\u200br tight Champions Lea\u200bgue gr\u200boup.")
    assert listing_spans(line) == []


def test_initials_in_a_squad_list_are_not_function_words() -> None:
    """"A Goode" is a name's initial, not the article "a": a replacements line that names three
    players with the initial A is still a list."""
    line = ("A Titterrell (Sale Sharks), D Bell (Bath), S Borthwick (Bath), A Hazell (Gloucester), "
            "M Dawson (Wasps), A Goode (Leicester), O Smith (Leicester).")
    assert listing_spans(line) == [(0, len(line))]
    prose = "A man said a few words to a crowd of a hundred people at the gate of a farm."
    assert listing_spans(prose) == []


def test_one_capital_alone_at_a_sentence_start_is_a_word_not_an_initial() -> None:
    """Sentence-initial "A" before a capitalised word is the article: with one such capital in the
    line there is no list of names, so the sentence stays prose."""
    assert listing_spans("A Russian court jails opposition leader Alexei Navalny for three years") \
        == []
    assert listing_spans("I Thought It Would Never End, says former England captain Michael "
                         "Vaughan") == []
