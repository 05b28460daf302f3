"""Roles of a page's lines (``unspin.roles``): each rule on hand-made lines, and what check does
with them."""

from __future__ import annotations

from unspin import CheckConfig, Index, check
from unspin.roles import (
    BODY,
    BYLINE,
    CAPTION,
    CREDIT,
    DATELINE,
    HEADLINE,
    RoleSpan,
    body_weights,
    discount,
    role_spans,
)


def _roles(text: str) -> dict[str, str]:
    """Each role span's text -> its role."""
    return {text[s.start:s.end]: s.role for s in role_spans(text)}


BODY_PARA = ("The central bank raised its main interest rate by a quarter point on Tuesday, "
             "saying that prices were still rising faster than it would like.")


def test_first_line_without_final_punctuation_is_a_headline() -> None:
    text = f"Central bank raises rates again\n\n{BODY_PARA}"
    assert _roles(text) == {"Central bank raises rates again": HEADLINE}


def test_a_first_line_that_is_a_sentence_is_body() -> None:
    assert _roles(f"{BODY_PARA}\n\n{BODY_PARA}") == {}


def test_a_wrapped_line_is_not_a_headline() -> None:
    text = "Showers continued throughout the week in\nthe Bahia cocoa zone, alleviating the drought."
    assert _roles(text) == {}


def test_standalone_subheading_is_a_headline_but_a_long_line_is_not() -> None:
    long_line = " ".join(["word"] * 25)
    text = f"{BODY_PARA}\n\nWhat happens next\n\n{BODY_PARA}\n\n{long_line}\n\n{BODY_PARA}"
    assert _roles(text) == {"What happens next": HEADLINE}


def test_datelines_are_the_prefix_only() -> None:
    text = ("LONDON (Reuters) - Shares fell sharply on Monday.\n\n"
            "WASHINGTON, March 3 (Reuters) -- The Senate passed the bill.\n\n"
            "SALVADOR, Feb 26 - Showers continued.\n\n"
            "NEW YORK \u2014 Prices rose.\n\n"
            "A - line is not a dateline.")
    assert _roles(text) == {"LONDON (Reuters) - ": DATELINE,
                            "WASHINGTON, March 3 (Reuters) -- ": DATELINE,
                            "SALVADOR, Feb 26 - ": DATELINE, "NEW YORK \u2014 ": DATELINE}


def test_bylines() -> None:
    text = (f"By Jane Smith, Political Correspondent\n{BODY_PARA}\n"
            "Reporting by Tom Jones; Editing by Ann Lee\n"
            "By the end of the day, markets had recovered most of their losses.")
    assert _roles(text) == {"By Jane Smith, Political Correspondent": BYLINE,
                            "Reporting by Tom Jones; Editing by Ann Lee": BYLINE}


def test_credit_lines() -> None:
    lines = ["Image Credit: Getty Images", "Photo: Reuters", "Picture: PA Wire",
             "Source: Bloomberg", "REUTERS/Kevin Lamarque", "\u00a9 Example News 2024",
             "Courtesy of the family"]
    text = f"{BODY_PARA}\n" + "\n".join(lines) + f"\n{BODY_PARA}"
    assert _roles(text) == {line: CREDIT for line in lines}


def test_credit_cue_word_inside_prose_is_body() -> None:
    text = (f"{BODY_PARA}\nCredit Suisse said on Monday that it would cut two thousand jobs in its "
            "investment bank over the next year, mostly in London and New York.")
    assert _roles(text) == {}


def test_captions() -> None:
    a = "Protesters gather outside parliament on Monday. (Photo: Getty Images)"
    b = "Pictured: the new stadium under construction"
    c = "The minister arrives for talks | AFP"
    text = f"{BODY_PARA}\n{a}\n{b}\n{c}\n{BODY_PARA}"
    assert _roles(text) == {a: CAPTION, b: CAPTION, c: CAPTION}


def test_a_page_of_short_lines_is_read_as_body() -> None:
    # (no figures: short lines with figures next to each other are table rows, body already)
    text = "\n\n".join(f"Headline number {n} of the day"
                       for n in ("one", "two", "three", "four", "five", "six"))
    assert role_spans(text) and body_weights(text) == []


def test_discount_weighs_each_role() -> None:
    text = f"Central bank raises rates again\n\n{BODY_PARA}"
    spans = body_weights(text)
    head_end = len("Central bank raises rates again")
    assert discount(spans, 0, head_end) == 0.75  # headline weight 0.25
    assert discount(spans, head_end + 2, len(text)) == 0.0
    assert spans[0].role != BODY


def test_a_shared_headline_alone_does_not_make_a_copy(sample_index: Index,
                                                      articles: list) -> None:
    """A short report under a headline worded as a source's opening sentence: counted as body
    text the headline alone makes it a copy; as a headline it counts a quarter."""
    art = articles[51]
    opening = art.text.split("\n\n")[0]
    assert opening.count(". ") == 0 and len(opening.split()) <= 20
    own = ("Officials in several capitals gave their own account on Wednesday, and analysts said "
           "little would change before the summer.")
    text = f"{opening.rstrip('.')}\n\n{own}"
    weighted = check(text, sample_index)
    unweighted = check(text, sample_index, config=CheckConfig(role_weights=False))
    assert unweighted.verdict == "derived" and unweighted.sources[0].id == art.id
    assert weighted.verdict == "not_derived"
    assert weighted.sources[0].score_before_roles == unweighted.sources[0].score


EARNINGS = ("Shr profit five cts vs loss 2.11 dlrs\n\nNet profit 375,061 vs loss 10.4 mln\n\n"
            "Revs 39.9 mln vs 37.8 mln\n\nAvg shrs 6,536,008 vs 4,939,895\n\n12 mths\n\n"
            "Shr profit 47 cts vs loss 3.37 dlrs")


def test_an_earnings_table_one_row_a_paragraph_is_body() -> None:
    """Each row is a short standalone line without final punctuation, like a subheading; a line
    with a figure next to another such line is a table row, and a table row is body."""
    assert _roles(f"{BODY_PARA}\n\n{EARNINGS}\n\n{BODY_PARA}") == {}
    # the text's first line is never a row: alone, the table opens with a headline
    assert _roles(EARNINGS) == {"Shr profit five cts vs loss 2.11 dlrs": HEADLINE}


def test_a_line_mostly_of_figures_is_a_table_row() -> None:
    text = f"{BODY_PARA}\n\n1987 1986 1985\n\n{BODY_PARA}"
    assert _roles(text) == {}


def test_a_headline_with_a_figure_stays_a_headline() -> None:
    text = f"Shares fall 5% after a profit warning\n\n{BODY_PARA}\n\nWhat the 2 sides said\n\n{BODY_PARA}"
    assert _roles(text) == {"Shares fall 5% after a profit warning": HEADLINE,
                            "What the 2 sides said": HEADLINE}


def test_a_partial_copy_of_an_earnings_table_is_traced(sample_index: Index,
                                                       articles: list) -> None:
    """A copy of a results table with a paragraph of its own: read as subheadings, the rows
    weighed a quarter and the copy went untraced."""
    art = next(a for a in articles if a.text.startswith("Shr profit five cts vs loss 2.11"))
    rows = art.text.split("\n\n")[:9]
    own = ("The company reported its results for the quarter on Thursday, and its chief executive "
           "told analysts on a call that demand had picked up again in the spring.")
    result = check(own + "\n\n" + "\n\n".join(rows), sample_index)
    assert result.verdict == "derived" and result.sources[0].id == art.id


def test_a_short_headline_with_one_figure_stays_a_headline() -> None:
    """One figure in two words is not "mostly figures", and the text's first line is never a row."""
    for head in ("Covid-19 latest", "Apollo 11 at 50", "G7 summit"):
        assert role_spans(head) == [RoleSpan(0, len(head), HEADLINE)]
        assert _roles(f"{head}\n\n{BODY_PARA}") == {head: HEADLINE}
    for sub in ("Covid-19 latest", "G7 summit"):
        assert _roles(f"{BODY_PARA}\n\n{sub}\n\n{BODY_PARA}") == {sub: HEADLINE}


def test_a_headline_over_a_date_line_stays_a_headline() -> None:
    """Two short lines with figures are not a table: a row's neighbours make a run of three."""
    head = "Shares fall 5% after profit warning"
    text = f"{head}\n\nUpdated 12 March 2024, 10:45 GMT\n\n{BODY_PARA}"
    assert _roles(text)[head] == HEADLINE
    pair = f"{BODY_PARA}\n\nShares fall 5% in early trade\n\nOil up 2 cents\n\n{BODY_PARA}"
    assert _roles(pair) == {"Shares fall 5% in early trade": HEADLINE, "Oil up 2 cents": HEADLINE}


def test_table_rows_are_shared_elements_like_a_list() -> None:
    """A table inserted into a report, one short row a paragraph (rows under five words that the
    list rule alone does not see), counts as a shared element, not as evidence of copying."""
    from unspin.check import _shared_elements
    rows = ["Africa 45 50 41", "Asia 38 42 40", "Europe 51 49 47"]
    text = f"{BODY_PARA}\n\n" + "\n\n".join(rows) + f"\n\n{BODY_PARA}"
    quoted, listed = _shared_elements(text, CheckConfig())
    shared = quoted + listed
    for row in rows:
        at = text.index(row)
        assert any(s <= at and at + len(row) <= e for s, e in shared)
    assert not any(s <= 0 < e for s, e in shared)  # the prose is not
