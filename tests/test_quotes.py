"""The quotation rule: quotes paired in reading order, never the narrative between two quotes."""

from __future__ import annotations

from pathlib import Path

from unspin import Article, CheckConfig, Index, check
from unspin.quotes import QUOTE_WORDS, quoted_chars, quoted_spans

from .conftest import sample_articles


def quotes(text: str) -> list[str]:
    return [text[s:e] for s, e in quoted_spans(text)]


def test_narrative_between_two_quotes_is_not_a_quote() -> None:
    text = '"Yes," the minister said after a long meeting with the unions on Tuesday. "No."'
    assert quotes(text) == ['"Yes,"', '"No."']


def test_curly_and_single_quotes() -> None:
    text = "He said \u201cwe will win the match\u201d and left; \u2018not now\u2019 she said."
    assert quotes(text) == ["\u201cwe will win the match\u201d", "\u2018not now\u2019"]
    assert quotes("The board called it 'a fair offer' on Monday.") == ["'a fair offer'"]


def test_apostrophes_are_not_quotes() -> None:
    text = "It's the '90s, and James' car isn't the company's best. Don\u2019t ask."
    assert quotes(text) == []


def test_single_quotes_inside_a_double_quote_stay_inside() -> None:
    text = "He said: \"I don't 'think' so,\" and went home."
    assert quotes(text) == ["\"I don't 'think' so,\""]


def test_quote_running_across_paragraphs() -> None:
    text = (
        '"The first paragraph of a long statement has no closing mark.\n\n'
        '"The second one closes it," the spokesman said. Then the story goes on.'
    )
    assert quotes(text) == [text[: text.index(" the spokesman")]]


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = 'He said "the talks will go on.\n\nThe narrative resumes here without a mark.'
    assert quotes(text) == ['"the talks will go on.']


def test_quoted_chars_counts_the_overlap() -> None:
    text = 'A "quoted bit" and more.'
    spans = quoted_spans(text)
    assert quoted_chars(spans, 0, len(text)) == len('"quoted bit"')
    assert quoted_chars(spans, 0, 5) == 3


def test_copied_narrative_between_quotes_counts_as_evidence(tmp_path: Path) -> None:
    """A copy of an article whose narrative is framed by two short quotes is a copy: the old rule
    read the narrative between the closing mark of the first and the opening mark of the second
    as one long quotation and left the whole copy out of the evidence."""
    articles = sample_articles(60)
    art = next(a for a in articles if '"' not in a.text and a.text.count("\n\n") >= 4)
    narrative = " ".join(art.text.split("\n\n")[:4])  # one paragraph, as the old rule needed
    framed = Article(id=art.id, title=art.title,
                     text=f'"Yes," the minister said. {narrative} "No," he added.')
    with Index.create(tmp_path / "index") as index:
        index.add([framed if a.id == art.id else a for a in articles])
        result = check(framed.text, index)
        assert result.verdict == "derived" and result.sources[0].id == art.id
        counted = check(framed.text, index, config=CheckConfig(exclude_quotes=False))
        assert counted.sources[0].score - result.sources[0].score < 0.05


NARRATIVE = ("The company said its sales had risen in every region over the year, helped by a "
             "weaker currency and by new stores in three countries, and that it expected the "
             "same again next year although costs for fuel and wages were still going up. ")


def test_a_quotation_flattened_from_two_paragraphs_leaves_the_narrative_out() -> None:
    """Paragraphs flattened into one line: the first paragraph of a quote runs on without a
    closing mark, and the next opening mark is now in the same line. Double marks do not nest:
    the unclosed one is dropped rather than left open over the rest of the copy."""
    text = ('"We had a very good year. "We expect more of the same," the chairman said. '
            + NARRATIVE * 3 + '"It is a fair price," he added. ' + NARRATIVE)
    found = quotes(text)
    assert found == ['"We expect more of the same,"', '"It is a fair price,"']


def test_an_unclosed_quote_in_a_long_line_excludes_nothing() -> None:
    text = 'He said "the talks will go on. ' + NARRATIVE * 4
    assert quotes(text) == []
    assert quotes('He said "the talks will go on.') == ['"the talks will go on.']


def test_a_quote_is_bounded_by_quote_words() -> None:
    inside = " ".join(["word"] * QUOTE_WORDS)
    assert quotes(f'He said "{inside}" and left.') == [f'"{inside}"']
    # left open at the paragraph end: a lost closing mark, over the bound, excludes nothing
    assert quotes(f'He said "{inside} more and left.') == []
    # across paragraphs each paragraph's part is bounded on its own
    two = f'"{inside}\n\n"{inside}," he said.'
    assert quotes(two) == [two[: two.index(" he said")]]


def test_a_flattened_quote_heavy_copy_is_traced(tmp_path: Path) -> None:
    """A copy of a quote-heavy article with its paragraphs flattened into one line, one quotation
    left without its closing mark: it is still called a copy of its source."""
    articles = sample_articles(60)
    art = next(a for a in articles if '"' not in a.text and a.text.count("\n\n") >= 5)
    paras = art.text.split("\n\n")
    source_text = ('"We are pleased with the progress we have made so far this year. '
                   '"We expect more of the same," the chairman said.\n\n'
                   + "\n\n".join(paras[:3]) + '\n\n"It is a fair price," he added.\n\n'
                   + "\n\n".join(paras[3:]))
    source = Article(id=art.id, title=art.title, text=source_text)
    flattened = source_text.replace("\n\n", " ").replace('he added.', 'he added')
    with Index.create(tmp_path / "index") as index:
        index.add([source if a.id == art.id else a for a in articles])
        result = check(flattened, index)
        assert result.verdict == "derived" and result.sources[0].id == art.id
        counted = check(flattened, index, config=CheckConfig(exclude_quotes=False))
        assert counted.sources[0].score - result.sources[0].score < 0.1


def test_a_long_quotation_closed_by_its_own_mark_is_a_quotation() -> None:
    """A statement of over ``QUOTE_WORDS`` words quoted in full, its closing mark in the
    paragraph, is excluded like the same text as a block quote."""
    inside = " ".join(["word"] * (QUOTE_WORDS + 20))
    marked = f'The ministry said: "{inside}" and left.'
    assert quotes(marked) == [f'"{inside}"']
    block = f"The ministry said in a statement:\n{inside}"
    assert quotes(block) == [inside]


def test_a_quotation_of_another_mark_style_nests() -> None:
    """French and German quotations hold English or straight ones: the whole outer quotation is
    a quotation, not only the inner word."""
    fr = ("\u00ab Il a parl\u00e9 d'un \u201cd\u00e9sastre\u201d total pour le pays \u00bb, a "
          "d\u00e9clar\u00e9 le ministre.")
    assert quotes(fr) == [fr[: fr.index(",")]]
    fr2 = '\u00ab Il a parl\u00e9 d\'un "d\u00e9sastre" total \u00bb, a d\u00e9clar\u00e9 le ministre.'
    assert quotes(fr2) == [fr2[: fr2.index(",")]]
    de = ('\u201eEr sprach von einem \u201cDesaster\u201d f\u00fcr das Land\u201c, sagte der '
          "Minister.")
    assert quotes(de) == [de[: de.index(",")]]
