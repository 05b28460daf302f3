"""The quotation rule: quotes paired in reading order, never the narrative between two quotes."""

from __future__ import annotations

from pathlib import Path

from unspin import Article, CheckConfig, Index, check
from unspin.quotes import quoted_chars, quoted_spans

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
