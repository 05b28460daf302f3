"""Tortured phrases: list matching with context conditions, statistics, learning, restore, clean text."""

from __future__ import annotations

import json

import pytest

from unspin.article import Article
from unspin.index import Index
from unspin.thesaurus import load as load_thesaurus
from unspin.tortured import (
    DetectConfig,
    Detector,
    FingerprintList,
    detect,
    learn,
    parse_user_list,
    record_substitutions,
    restore,
)
from unspin.tortured.background import build
from unspin.tortured.learn import learned_fingerprints, mine
from unspin.tortured.lexicon import All, Not, Term, anchors, parse_query, read_pps
from unspin.tortured.statistical import inflect_like

LIST_ONLY = DetectConfig(use_statistical=False, use_model=False)


def _pps(*rows: tuple[str, str]) -> FingerprintList:
    return read_pps({"raw_query": q, "expected": e, "num_papers": "10"} for q, e in rows)


def _phrases(found) -> list[str]:
    return [p.phrase for p in found]


# -- query parsing -----------------------------------------------------------------------------
def test_parse_query_operators_and_precedence():
    node = parse_query('"fit record" OR "fit file" AND "fit index"')
    assert isinstance(node, All)
    assert [a.words for a in anchors(node)] == [("fit", "record"), ("fit", "file")]
    node = parse_query('"highlight extraction" NOT specular')
    assert node == All((Term(("highlight", "extraction")), Not(Term(("specular",)))))
    assert parse_query('"gatherings clustering"~10') == Term(("gatherings", "clustering"), 10)
    assert parse_query('"total national production" ADN "GDP"').children[1] == Term(("gdp",))


def test_shipped_list_parses_whole():
    from unspin.tortured import load_pps

    pps = load_pps()
    assert len(pps) > 7000 and pps.skipped == 0
    assert sum(1 for f in pps.entries if f.query is not None) > 500


# -- list matching -----------------------------------------------------------------------------
def test_list_match_plain_offsets_and_normalisation():
    text = "We  use counterfeit\u00a0consciousness and Profound Neural Organization, as pursues."
    found = detect(text, config=LIST_ONLY)
    assert _phrases(found) == ["counterfeit\u00a0consciousness", "Profound Neural Organization",
                               "as pursues"]
    first = found[0]
    assert text[first.at[0] : first.at[1]] == first.phrase
    assert first.suggestion == "artificial intelligence" and first.evidence == "list"


def test_and_condition_needs_its_context():
    plain = "The brain organization was trained for a week."
    assert not detect(plain, config=LIST_ONLY)
    with_context = plain + " Such a neural network is large."
    found = detect(with_context, config=LIST_ONLY)
    assert _phrases(found) == ["brain organization"]
    # the context phrase itself never fires (the torturedcheck export's split entries did)
    assert not detect("A neural network and supervised learning.", config=LIST_ONLY)


def test_not_and_proximity_conditions():
    pps = _pps(('"highlight extraction" NOT specular', "feature extraction"),
               ('"gatherings clustering"~3', "clustering"))
    det = Detector(fingerprints=pps, config=LIST_ONLY)
    assert _phrases(det.detect("Highlight extraction ran fast.")) == ["Highlight extraction"]
    assert not det.detect("Highlight extraction of specular spots.")
    assert _phrases(det.detect("the gatherings for clustering")) == ["gatherings for clustering"]
    assert not det.detect("gatherings were held; many years later came clustering")


def test_phrase_does_not_cross_punctuation():
    assert not detect("It was counterfeit. Consciousness came later.", config=LIST_ONLY)


def test_user_list_adds_and_allows():
    user = parse_user_list("# mine\nfiscal wellness\tfinancial health\n!counterfeit consciousness\n")
    text = "Their fiscal wellness and counterfeit consciousness."
    found = detect(text, config=LIST_ONLY, user=user)
    assert [(p.phrase, p.suggestion) for p in found] == [("fiscal wellness", "financial health")]


def test_exclude_quotes():
    text = 'He said "counterfeit consciousness is here" and left.'
    assert detect(text, config=LIST_ONLY)
    assert not detect(text, config=DetectConfig(use_statistical=False, exclude_quotes=True))


# -- statistical detector ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def toy_detector() -> Detector:
    """A background where "New York" and "interest rates" are fixed phrases; no list entries."""
    texts = ["Shares in New York rose.", "Interest rates rose."] * 200
    texts += ["Mortgage rates fell.", "The rates fell."] * 20
    fillers = [f"{a}{b}" for a in "bcdfg" for b in ("ane", "oke", "ist", "umb", "ell", "orn")]
    texts += [f"The {w} said in {w} that the {w} grew." for w in fillers]  # open slots
    texts += ["The firm grew.", "The company grew.", "The house said so."] * 30
    bg = build(texts, load_thesaurus("wordnet"))
    return Detector(fingerprints=FingerprintList(()), background=bg,
                    thesaurus=load_thesaurus("wordnet"))


def test_statistical_finds_unlisted_tortured_phrases(toy_detector):
    found = toy_detector.detect("Shares in unused York fell as involvement rates rose.")
    assert [(p.phrase, p.suggestion, p.evidence) for p in found] == [
        ("unused York", "new York", "statistical"),
        ("involvement rates", "interest rates", "statistical"),
    ]
    assert all(0.5 < p.score <= 1.0 for p in found)


def test_statistical_leaves_open_slots_alone(toy_detector):
    # "the firm" / "the company": "the" takes any word, so no collocation is broken
    assert not toy_detector.detect("The house said the firm will grow. The company said the house grew.")


def test_known_spinner_words_generalise_to_unlisted_phrases():
    # the list knows "colossal" -> "big" and "information" -> "data", never "colossal information"
    pps = _pps(('"colossal growth"', "big growth"), ('"crude information"', "raw data"))
    bg = build(["Big data helps.", "Big data grew."] * 5 + ["The colossal hall and information desk."],
               load_thesaurus("wordnet"))
    # the statistical detector alone (with the model on, its veto judges the flag)
    det = Detector(fingerprints=pps, background=bg, thesaurus=load_thesaurus("wordnet"),
                   config=DetectConfig(use_model=False))
    found = det.detect("They sell colossal information to banks.")
    assert [(p.phrase, p.suggestion, p.evidence) for p in found] == [
        ("colossal information", "big data", "statistical")]
    off = Detector(fingerprints=pps, background=bg, thesaurus=load_thesaurus("wordnet"),
                   config=DetectConfig(use_spinner_words=False, use_model=False))
    assert not off.detect("They sell colossal information to banks.")


def test_shipped_model_flags_a_broken_collocation():
    found = detect("Shares on the unused York stock market fell.",
                   config=DetectConfig(use_list=False, use_model=False))
    assert [(p.phrase, p.suggestion) for p in found] == [("unused York", "new York")]


def test_inflection_of_suggestions():
    assert inflect_like("rate", "charges", "charge") == "rates"
    assert inflect_like("try", "tested", "test") == "tried"
    assert inflect_like("make", "building", "build") == "making"
    assert inflect_like("processing", "preparing", "prepare") == "processing"


# -- clean text stays clean ----------------------------------------------------------------------
CLEAN = (
    "Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn for the three months to "
    "December, from $639m year-earlier. The firm, which is now one of the biggest investors in "
    "Google, benefited from sales of high-speed internet connections and higher advert sales. "
    "TimeWarner said fourth quarter sales rose 2% to $11.1bn from $10.9bn. Its profits were "
    "buoyed by one-off gains which offset a profit dip at Warner Bros, and less users for AOL. "
    "The dollar has hit its highest level against the euro in almost three months after the "
    "Federal Reserve head said the US trade deficit is set to stabilise. The prime minister said "
    "the general election would be held in May, and interest rates were left unchanged by the "
    "central bank, which said inflation was under control. Showers continued throughout the week "
    "in the Bahia cocoa zone, alleviating the drought since early January and improving prospects "
    "for the coming crop, although normal humidity levels have not been restored."
)


def test_clean_news_stays_clean():
    assert detect(CLEAN) == []


# -- learning --------------------------------------------------------------------------------------
def test_mine_keeps_recurring_spinner_substitutions():
    pairs = [("big data", "colossal information")] * 2 + [("company", "firm")] * 5 + [
        ("investigation", "indagation"), ("investigation", "indagation"), ("said", "stated"),
        ("12", "twelve"), ("the", "a"), ("the", "a")]
    learned = {x.phrase: x.suggestion for x in mine(pairs)}
    assert learned == {"colossal information": "big data", "indagation": "investigation"}


def test_learn_from_index_and_detect_with_it(tmp_path):
    with Index.create(tmp_path / "idx") as index:
        index.add([Article(id="a1", text="Fiscal wellness of the firm improved in May.")])
        for copy in ("s1", "s2", "s3"):  # three distinct suspects
            record_substitutions(index, [("financial health", "fiscal wellness")],
                                 source_id="a1", suspect_id=copy)
        assert learn(index) == 1
        assert learn(index) == 1  # idempotent
        assert [f.suggestion for f in learned_fingerprints(index)] == ["financial health"]
    found = detect("Its fiscal wellness is poor.", index=tmp_path / "idx", config=LIST_ONLY)
    assert [(p.phrase, p.suggestion, p.evidence) for p in found] == [
        ("fiscal wellness", "financial health", "learned")]
    assert not detect("Its fiscal wellness is poor.", config=LIST_ONLY)


def test_background_extended_from_index(tmp_path):
    from unspin.tortured.background import extend_from_index, for_index, load_shipped

    with Index.create(tmp_path / "idx") as index:
        index.add([Article(id=f"a{k}", text="Zorblat quintex rose again.") for k in range(3)])
        extend_from_index(index)
    merged = for_index(tmp_path / "idx")
    assert merged.count("zorblat", "quintex") == 3
    assert merged.count("new", "york") == load_shipped().count("new", "york")


def test_learn_from_pairs_argument(tmp_path):
    with Index.create(tmp_path / "idx") as index:
        assert learn(index, [("raw data", "crude information")] * 2) == 1


# -- restore ----------------------------------------------------------------------------------
def test_restore_without_source_uses_suggestions():
    text = "They used counterfeit consciousness on colossal information."
    restored, diff = restore(text)
    assert restored == "They used artificial intelligence on big data."
    assert [(e.before, e.after, e.evidence) for e in diff] == [
        ("counterfeit consciousness", "artificial intelligence", "list"),
        ("colossal information", "big data", "list")]


def test_restore_from_source_in_index(tmp_path):
    source = ("The central bank raised interest rates on Tuesday to curb inflation. "
              "Officials said the decision was unanimous and the economy remained strong. "
              "Markets in London and Frankfurt rose after the announcement by the bank.")
    suspect = ("The central bank raised interest rates on Tuesday to check inflation. "
               "Officials stated the decision was unanimous and the economy stayed strong. "
               "Markets in London and Frankfurt rose after the announcement by the bank.")
    with Index.create(tmp_path / "idx") as index:
        index.add([Article(id="src", text=source)])
        result = restore(suspect, index=index)
    assert result.source_id == "src"
    assert result.text == source
    assert {(e.before, e.after) for e in result.edits} == {
        ("check", "curb"), ("stated", "said"), ("stayed", "remained")}
    assert all(e.evidence == "source" for e in result.edits)


def test_restore_from_source_never_merges_copy_and_source_words(tmp_path):
    source = ("A fire broke out at a warehouse in the north of the city on Sunday night. "
              "Nobody was injured, the fire service said in a statement on Monday. "
              "Investigators are still looking into the cause of the blaze at the site.")
    suspect = ("A fire broke out at a warehouse in the north of the city on Sunday night. "
               "No one was hurt, the fire service said in a statement on Monday. "
               "Investigators are still looking into the cause of the blaze at the site")
    with Index.create(tmp_path / "idx") as index:
        index.add([Article(id="src", text=source)])
        result = restore(suspect, index=index)
    assert result.source_id == "src"
    assert "Nobody was injured," in result.text and "Nobody one" not in result.text
    assert result.text == source
    # the file has no final newline: the diff marks it, and no two lines run together
    diff = result.unified("copy.txt")
    assert diff.endswith("\\ No newline at end of file\n")
    assert all(line[:1] in "@+- \\" for line in diff.splitlines())
    minus = [x for x in diff.splitlines() if x.startswith("-A fire")]
    plus = [x for x in diff.splitlines() if x.startswith("+A fire")]
    assert "No one was hurt" in minus[0] and "Nobody was injured" in plus[0]


# -- report and CLI ---------------------------------------------------------------------------
def test_cli_json_lines(tmp_path, capsys):
    import argparse

    from unspin.tortured.cli import register

    f = tmp_path / "a.txt"
    f.write_text("We used counterfeit consciousness.", encoding="utf-8")
    ap = argparse.ArgumentParser()
    register(ap.add_subparsers())
    args = ap.parse_args(["tortured", "--json", "--list-only", str(f)])
    assert args.func(args) == 0
    record = json.loads(capsys.readouterr().out.strip())
    assert record == {"path": str(f), "id": "a", "tortured_phrases": [
        {"phrase": "counterfeit consciousness", "at": [8, 33], "suggestion": "artificial intelligence",
         "score": 1.0, "evidence": "list"}],
        "verdict": {"label": "likely spun", "words": 4, "flags": {"list": 1}}}


def test_odd_words_flag_rare_dictionary_words_out_of_context():
    # odd-word test only (the model's veto is tested in test_tortured_model.py)
    det = Detector(config=DetectConfig(threshold=99.0, use_model=False))
    found = det.detect("Stocks fell aftermost month, bond bazaar authors said on Monday.")
    odd = [p for p in found if "rare (zipf" in p.detail]
    assert [p.phrase for p in odd] == ["aftermost"]
    # misspellings are not spinner output; common words are never odd
    assert not det.detect("Stocks fell lsat month, bond market sources said on Monday.")
    assert not Detector(config=DetectConfig(threshold=99.0, rare_zipf=None)).detect(
        "Stocks fell aftermost month.")


def test_record_check_keeps_substitutions_of_claimed_sources(tmp_path):
    from unspin import IndexConfig, check
    from unspin.tortured.learn import read_substitutions, record_check

    source = ("The agency said big data tools would help doctors find patients at risk. "
              "Hospitals in five states will test the big data system from March. "
              "Officials said the trial would cost about 40 million dollars over three years. "
              "Critics said big data projects often promise more than they deliver.")
    suspect = source.replace("big data", "colossal information")
    with Index.create(tmp_path / "idx", config=IndexConfig(semantic="off")) as index:
        index.add([Article(id="src", text=source)])
        result = check(suspect, index, suspect_id="copy")
        assert result.verdict == "derived"
        assert record_check(index, result, min_score=1.01, learn=True) == 0  # nothing claimed at that bar
        assert record_check(index, result, learn=True) >= 3
        pairs = list(read_substitutions(index.storage.conn))
        assert pairs.count(("big data", "colossal information")) == 3
        assert learn(index) == 0  # one suspect, however often the phrase recurs in it
        other = suspect.replace("five states", "six states")
        assert record_check(index, check(other, index, suspect_id="copy"), text=other, learn=True) >= 3
        assert learn(index) >= 1
        assert ("colossal information", "big data") in {
            (f.raw, f.suggestion) for f in learned_fingerprints(index)}


def test_learn_counts_a_copy_once_however_often_it_is_checked(tmp_path, capsys):
    import argparse

    from unspin import IndexConfig, check
    from unspin.tortured.cli import register
    from unspin.tortured.learn import record_check

    source = ("The council said the new bridge would open in June after two years of work. "
              "Engineers said the bridge had passed every safety test in the spring. "
              "The council expects about 9,000 crossings a day once the bridge opens.")
    copy = source.replace("safety test", "wellbeing examination")
    with Index.create(tmp_path / "idx", config=IndexConfig(semantic="off")) as index:
        index.add([Article(id="src", text=source)])
        for _ in range(3):  # the same copy, checked three times (as `unspin check` would)
            assert record_check(index, check(copy, index, suspect_id="copy.txt"), text=copy, learn=True) >= 1
        assert learn(index) == 0
        again = copy.replace("June", "July")  # a second, distinct copy
        record_check(index, check(again, index, suspect_id="copy.txt"), text=again, learn=True)
        assert learn(index) == 1
    ap = argparse.ArgumentParser()
    register(ap.add_subparsers())
    args = ap.parse_args(["learn", "--index", str(tmp_path / "idx"), "--json"])
    assert args.func(args) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["fingerprints_learned"] == 1
    assert record["fingerprints"] == [
        {"phrase": "wellbeing examination", "suggestion": "safety test", "count": 2}]


def test_learned_single_words_flag_alone_only_when_rare():
    from unspin.tortured.learn import Learned

    learned = [Learned("commerce", "market", 9).fingerprint(),
               Learned("indagation", "investigation", 3).fingerprint(),
               Learned("colossal information", "big data", 2).fingerprint()]
    det = Detector(fingerprints=_pps(), learned=learned, config=LIST_ONLY)
    text = "Commerce rose. An indagation began. They sold colossal information."
    assert [(p.phrase, p.suggestion, p.evidence) for p in det.detect(text)] == [
        ("indagation", "investigation", "learned"),
        ("colossal information", "big data", "learned")]
    # with the rarity cut above every word, a spinner's common pick flags too
    det = Detector(fingerprints=_pps(), learned=learned,
                   config=DetectConfig(use_statistical=False, learned_word_zipf=99.0))
    assert [p.phrase for p in det.detect(text)][0] == "Commerce"
