"""Evidence a reader can trust: the edit script's kinds, variants set apart, slips dropped, labels.

Every pair here was written by hand, as a reader would see a copy, before any rule was tuned.
"""

from __future__ import annotations

import pytest

from unspin import CheckConfig, Index, check
from unspin.align import Aligner, Passage
from unspin.analysis import analyze
from unspin.article import Article
from unspin.edits import Side, edit_script, is_slip
from unspin.labels import label
from unspin.thesaurus import load as load_thesaurus
from unspin.tokens import CONTENT, FUNCTION, NAME
from unspin.variants import key, variant_type

SOURCE = (
    "Moscow is preparing to annex swathes of eastern Ukraine after a mobilization of reservists, "
    "officials in Kyiv warned on Friday. The Kremlin's plan would test the resolve of Western "
    "governments that have armed Ukraine since the invasion began. Analysts said the president was "
    "not bluffing about the use of force and would not blink over sanctions. The defence ministry "
    "in Kyiv said the country's army had recaptured three villages in the north during the week. "
    "Grain exports through the Black Sea resumed under a deal brokered by Turkey and the United "
    "Nations in the summer."
)


def _passages(suspect: str, source: str = SOURCE) -> list[Passage]:
    aligner = Aligner(analyze(suspect), load_thesaurus("wordnet"))
    return aligner.align(analyze(source))


def _changes(passages: list[Passage]) -> list[tuple[str, str, str]]:
    return [(x.kind, x.source, x.suspect) for p in passages for x in p.substitutions]


def test_typography_variant_is_not_a_change() -> None:
    suspect = SOURCE.replace("Kremlin's", "Kremlin\u2019s").replace("country's", "country\u2019s")
    passages = _passages(suspect)
    assert passages and _changes(passages) == []
    assert {p.kind for p in passages} == {"identical"}
    variants = [(v.source, v.suspect, v.variant) for p in passages for v in p.variants]
    assert ("Kremlin's", "Kremlin\u2019s", "typography") in variants


def test_us_uk_spelling_variant_is_not_a_change() -> None:
    suspect = SOURCE.replace("mobilization", "mobilisation").replace("defence", "defense")
    passages = _passages(suspect)
    assert _changes(passages) == []
    variants = {(v.source, v.suspect): v.variant for p in passages for v in p.variants}
    assert variants[("mobilization", "mobilisation")] == "spelling"
    assert variants[("defence", "defense")] == "spelling"


@pytest.mark.parametrize(("a", "b", "kind"), [
    ("colour", "color", "spelling"), ("centre", "center", "spelling"),
    ("travelled", "traveled", "spelling"), ("analysed", "analyzed", "spelling"),
    ("catalogue", "catalog", "spelling"), ("1,5", "1.5", "number"), ("1,500", "1500", "number"),
    ("Reuters", "REUTERS", "case"), ("e-mail", "email", "typography"),
])
def test_variant_rules(a: str, b: str, kind: str) -> None:
    assert key(a.lower()) == key(b.lower())
    assert variant_type(a, b) == kind


@pytest.mark.parametrize(("a", "b"), [
    ("four", "for"), ("our", "or"), ("filled", "filed"), ("calling", "caling"), ("hour", "hor"),
])
def test_variant_rules_keep_different_words_apart(a: str, b: str) -> None:
    assert key(a) != key(b)


def test_per_cent_against_percent_sign_is_a_variant() -> None:
    source = ("Inflation rose to 5% in March, the statistics office said on Tuesday, the highest "
              "rate in three decades and well above the central bank's target.")
    suspect = source.replace("5%", "5 per cent")
    passages = _passages(suspect, source)
    assert _changes(passages) == []
    assert [v.variant for p in passages for v in p.variants] == ["number"]


def test_multi_word_replacement_is_one_pair() -> None:
    suspect = SOURCE.replace("annex swathes", "seize large swaths")
    changes = _changes(_passages(suspect))
    assert ("replaced", "annex swathes", "seize large swaths") in changes
    assert len(changes) == 1


def test_insertion_and_deletion_kinds_with_offsets() -> None:
    suspect = (SOURCE.replace("Analysts said", "Analysts in London said")
               .replace("recaptured three villages in the north", "recaptured three villages"))
    passages = _passages(suspect)
    subs = [x for p in passages for x in p.substitutions]
    kinds = {(x.kind, x.source, x.suspect) for x in subs}
    assert ("inserted", "", "in London") in kinds
    assert ("deleted", "in the north", "") in kinds
    for x in subs:
        assert suspect[x.suspect_at[0] : x.suspect_at[1]] == x.suspect
        assert SOURCE[x.source_at[0] : x.source_at[1]] == x.source
    ins = next(x for x in subs if x.kind == "inserted")
    assert ins.source_at[0] == ins.source_at[1] == SOURCE.index(" said the president")
    dele = next(x for x in subs if x.kind == "deleted")
    assert dele.suspect_at[0] == dele.suspect_at[1]


def test_moved_clause_is_reported_once() -> None:
    suspect = SOURCE.replace(
        "The defence ministry in Kyiv said the country's army had recaptured three villages in "
        "the north during the week.",
        "During the week the defence ministry in Kyiv said the country's army had recaptured "
        "three villages in the north.")
    subs = [x for p in _passages(suspect) for x in p.substitutions]
    assert [(x.kind, x.suspect) for x in subs] == [("moved", "During the week")]
    moved = subs[0]
    assert SOURCE[moved.source_at[0] : moved.source_at[1]] == "during the week"


def _side(words: list[str], classes: list[int]) -> Side:
    return Side(tuple(w.lower() for w in words), tuple(classes), tuple(words),
                tuple(" " for _ in range(len(words) + 1)))


def test_alignment_slip_is_dropped() -> None:
    # "on" against "TOKYO": a function word against a name, nothing in common
    a = _side(["shares", "fell", "on", "Monday"], [CONTENT, CONTENT, FUNCTION, NAME])
    b = _side(["shares", "fell", "TOKYO", "Monday"], [CONTENT, CONTENT, NAME, NAME])
    assert is_slip(a, b, (2, 3), (2, 3))
    script = edit_script(a, b)
    assert script.ops == () and script.slips == 1 and script.changed == 1
    # a swap of two content words in place is no slip; nor a name respelt
    c = _side(["shares", "dropped", "on", "Monday"], [CONTENT, CONTENT, FUNCTION, NAME])
    assert not is_slip(c, a, (1, 2), (1, 2))
    d = _side(["in", "Kiev"], [FUNCTION, NAME])
    e = _side(["in", "Kyiv"], [FUNCTION, NAME])
    assert not is_slip(d, e, (1, 2), (1, 2))


BOILERPLATE = ("Home | World | Business | Sport\n\nSubscribe to our newsletter\n\n{body}\n\n"
               "Image Credit: Getty\n\nAlso read: Markets slide as oil prices climb again\n\n"
               "Share this article")


def _index(tmp_path, *texts: str) -> Index:
    index = Index.create(tmp_path / "idx")
    index.add([Article(id=f"a{k}", text=t) for k, t in enumerate(texts)])
    return index


def test_verbatim_with_boilerplate_is_verbatim(tmp_path) -> None:
    with _index(tmp_path, SOURCE) as index:
        result = check(BOILERPLATE.format(body=SOURCE), index)
    assert result.derived and result.sources[0].obfuscation == "verbatim"


def test_labels_spun_light_partial_reordered(tmp_path) -> None:
    sentences = [s if s.endswith(".") else s + "." for s in SOURCE.split(". ")]
    light = SOURCE.replace("officials in Kyiv warned", "officials in Kyiv said")
    spun = (SOURCE.replace("preparing", "getting ready").replace("warned", "cautioned")
            .replace("resolve", "determination").replace("armed", "equipped")
            .replace("recaptured", "retaken").replace("villages", "hamlets")
            .replace("resumed", "restarted").replace("brokered", "negotiated")
            .replace("officials", "authorities").replace("governments", "administrations"))
    reordered = " ".join(sentences[3:] + sentences[:3])
    host = ("The city council met on Thursday evening to discuss the new budget for schools and "
            "roads across the district. Members argued for several hours about the cost of "
            "repairing the old bridge over the river near the town centre. A decision on the "
            "bridge was postponed until the next meeting in the spring, the chairman told "
            "residents who had come to listen. Local shops reported a busy weekend as visitors "
            "arrived for the annual food festival in the market square. The festival organisers "
            "said they expected even more people next year if the weather stayed good.")
    partial = host + "\n\n" + " ".join(sentences[:2])
    with _index(tmp_path, SOURCE) as index:
        got = {name: check(text, index).sources[0].obfuscation
               for name, text in [("light", light), ("spun", spun), ("reordered", reordered),
                                  ("partial", partial)]}
    assert got["light"] == "light"
    assert got["spun"] == "spun"
    assert got["reordered"] == "verbatim+reordered"
    assert got["partial"] == "verbatim+partial"


def test_check_json_lists_kinds_and_variants(tmp_path) -> None:
    from unspin.report.json import result_to_dict

    suspect = SOURCE.replace("annex", "seize").replace("mobilization", "mobilisation")
    with _index(tmp_path, SOURCE) as index:
        out = result_to_dict(check(suspect, index, config=CheckConfig()))
    passage = out["sources"][0]["passages"][0]
    assert passage["substitutions"][0]["kind"] == "replaced"
    assert passage["variants"][0] == {
        "kind": "variant", "variant": "spelling", "suspect": "mobilisation",
        "source": "mobilization", "suspect_at": passage["variants"][0]["suspect_at"],
        "source_at": passage["variants"][0]["source_at"]}
    assert "label" not in passage  # the label is the source's obfuscation


def test_label_of_no_reorder_without_prose() -> None:
    doc = analyze("Short line.\n\nAnother short line.")
    p = Passage((0, 11), (0, 11), "identical", 1.0, 1)
    assert label(doc, [p]) == "verbatim"


def test_readable_report_shows_kinds_and_counts_variants(tmp_path) -> None:
    from unspin.report.terminal import render

    suspect = (SOURCE.replace("Analysts said", "Analysts in London said")
               .replace(" in the north", "").replace("annex", "seize")
               .replace("mobilization", "mobilisation"))
    with _index(tmp_path, SOURCE) as index:
        result = check(suspect, index)
    text = render(result, suspect, {"a0": SOURCE})
    assert "+in London" in text and "-in the north" in text and "annex -> seize" in text
    assert "1 variants not counted" in text and "mobilisation" not in text.split("changes:")[1]
