"""The label rules of session 7, each on pairs written by hand (README: Evidence, Labels):

- abbreviated units ("12 pct", "5 mln dlrs") against the words spelled out are variants;
- a date written day first against month first is one variant (``date``), not a moved word;
- a short swap at a sentence's edge is a swap;
- a few changes that are nearly all swaps make a passage ``spun``, a few mixed edits ``light``;
- ``+reordered`` is read on sentence pairs: one stray pair in a long copy is no reordering, a
  loosely similar pair says nothing, moved runs are;
- ``+partial`` when a quarter of the suspect's prose is its own.
"""

from __future__ import annotations

from unspin.align import Aligner, Passage, Shape, passage_kind
from unspin.analysis import analyze
from unspin.edits import Side, edit_script
from unspin.labels import label, out_of_order, reordered
from unspin.thesaurus import load as load_thesaurus
from unspin.tokens import CONTENT, NUMBER


def _side(text: str) -> Side:
    words = text.split()
    classes = tuple(NUMBER if w[:1].isdigit() else CONTENT for w in words)
    return Side(tuple(w.lower() for w in words), classes, tuple(words),
                tuple([""] + [" "] * (len(words) - 1) + [""]))


def test_wire_abbreviations_are_number_variants() -> None:
    script = edit_script(_side("Profit rose 12 percent to 5 million dollars in 1986"),
                         _side("Profit rose 12 pct to 5 mln dlrs in 1986"))
    assert [op for op in script.ops if op.kind != "variant"] == []
    assert script.changed == 0
    assert {op.variant for op in script.ops} == {"number"}


def test_date_order_is_one_variant_not_a_move() -> None:
    script = edit_script(_side("The board met on 3 March and approved the plan"),
                         _side("The board met on March 3 and approved the plan"))
    assert script.changed == 0 and script.reordered == 0
    dates = [op for op in script.ops if op.kind == "variant"]
    assert len(dates) == 1 and dates[0].variant == "date" and dates[0].a == (4, 6)


def test_month_before_a_year_is_no_date_variant() -> None:
    script = edit_script(_side("Sales rose in 1987 March"), _side("Sales rose in March 1987"))
    assert script.changed > 0  # a year is no day: the words did move


def test_swap_at_a_sentence_edge_counts_as_a_swap() -> None:
    script = edit_script(_side("Duty rose to 12 million"), _side("Tax rose to 12 million"))
    assert script.swapped == 1
    script = edit_script(_side("Net income rose sharply"), _side("Net income rose steeply"))
    assert script.swapped == 1


def _shape(words: int, changed: int, swapped: int) -> Shape:
    return Shape(equal=words - changed, changed=changed, swapped=swapped, words=words, pairs=20,
                 rebuilt=0, score=0.98)


def test_few_changes_all_swaps_are_spun_mixed_are_light() -> None:
    # three tortured phrases in a 500-word passage: every change a swap
    assert passage_kind(_shape(500, 6, 6)) == "spun"
    # a light edit: words added and dropped beside two swaps
    assert passage_kind(_shape(500, 9, 6)) == "minor"
    assert passage_kind(_shape(500, 9, 2)) == "minor"
    # one swapped word is too little to call spinning
    assert passage_kind(_shape(500, 2, 2)) == "minor"


def _passage(pairs: list[tuple[int, int, float]]) -> Passage:
    return Passage((pairs[0][0], pairs[-1][0] + 50), (pairs[0][1], pairs[-1][1] + 50),
                   "identical", 1.0, len(pairs), pairs=tuple(pairs))


def test_one_stray_pair_in_a_long_copy_is_not_reordered() -> None:
    # 20 sentences in the source's order, one of them matched to an earlier, repeated sentence
    main = [(100 * k, 100 * k, 1.0) for k in range(20) if k != 12]
    stray = _passage([(1200, 300, 1.0)])
    assert out_of_order([_passage(main), stray]) == 0.0  # a repeated sentence is read once
    assert not reordered([_passage(main), stray])
    # one sentence moved (not repeated): one pair of 19 out of order, still under the share
    main = [(100 * k, 100 * k, 1.0) for k in range(20) if k not in (3, 12)]
    assert out_of_order([_passage(main), stray]) == 1 / 19
    assert not reordered([_passage(main), stray])


def test_a_moved_sentence_in_a_short_copy_is_reordered() -> None:
    # five sentences, the last moved to the middle: one in five out of order
    first = _passage([(0, 0, 1.0), (100, 100, 1.0), (200, 200, 1.0)])
    moved = _passage([(300, 600, 1.0)])
    rest = _passage([(400, 300, 1.0)])
    assert reordered([first, moved, rest])


def test_a_loose_pair_says_nothing_of_the_order() -> None:
    first = _passage([(0, 500, 0.5)])
    rest = _passage([(100 * k + 100, 100 * k, 0.95) for k in range(5)])
    assert not reordered([first, rest])
    first = _passage([(0, 500, 0.9)])
    assert reordered([first, rest])


def test_split_sentence_keeps_the_order() -> None:
    # two suspect sentences from one source sentence (a split) are in order
    p = _passage([(0, 0, 0.9), (60, 0, 0.8), (120, 100, 1.0), (220, 200, 1.0)])
    assert out_of_order([p]) == 0.0


def test_partial_when_a_quarter_of_the_prose_is_the_pages_own() -> None:
    source = ("The central bank raised its main interest rate by half a point on Tuesday to fight "
              "rising prices. Economists had expected a smaller rise after weak retail figures in "
              "the spring. The governor told reporters that further rises could follow if "
              "inflation stayed high through the summer. Markets fell sharply after the "
              "announcement, with bank shares leading the losses in early trading.")
    own = ("Our town's traders have watched the bank's decisions closely for many months now. "
           "Several shop owners on the high street say borrowing costs already weigh on them.")
    aligner = Aligner(analyze(own + " " + source), load_thesaurus("wordnet"))
    passages = aligner.align(analyze(source))
    assert label(analyze(own + " " + source), passages) == "verbatim+partial"
    alone = Aligner(analyze(source), load_thesaurus("wordnet")).align(analyze(source))
    assert label(analyze(source), alone) == "verbatim"


def test_a_few_rebuilt_pairs_in_an_unchanged_copy_are_light() -> None:
    # one sentence of nine merged into its neighbour (its words count as changed), the rest kept
    merged = Shape(equal=200, changed=34, swapped=0, words=234, pairs=9, rebuilt=1, score=0.97,
                   changed_in_place=2, swapped_in_place=0, words_in_place=200)
    assert passage_kind(merged) == "minor"
    # the same, but the other pairs rewritten too: neither few changes nor swaps
    rewritten = Shape(equal=170, changed=64, swapped=4, words=234, pairs=9, rebuilt=1, score=0.9,
                      changed_in_place=32, swapped_in_place=4, words_in_place=200)
    assert passage_kind(rewritten) == "paraphrase"


# review of session 7 (issue 12): four regressions, each pinned


def test_a_whole_source_amid_the_pages_own_prose_is_not_partial() -> None:
    # the whole article copied verbatim inside a page with more than a quarter of prose of its own
    # (cookies, newsletter, donations): the copy took all of the source, so it is no part of it
    source = ("The central bank raised its main interest rate by half a point on Tuesday to fight "
              "rising prices. Economists had expected a smaller rise after weak retail figures in "
              "the spring. The governor told reporters that further rises could follow if "
              "inflation stayed high through the summer.")
    own = ("We use cookies to give you the best experience on our website and to show you news. "
           "Sign up to our daily newsletter to get the top stories of the day in your inbox.")
    page = analyze(own + " " + source)
    passages = Aligner(page, load_thesaurus("wordnet")).align(analyze(source))
    assert label(page, passages, analyze(source)) == "verbatim"
    assert label(page, passages) == "verbatim+partial"  # the suspect's side alone: as before
    # the whole (short) article set inside a longer text of the page's own: a partial copy
    host = ("Our town's traders have watched the bank's decisions closely for many months now. "
            "Several shop owners on the high street say borrowing costs already weigh on them. "
            "The baker on the corner has put off buying a new oven until next spring at least. "
            "Two cafes near the station closed last winter after their loans became too dear. "
            "The chamber of commerce will meet next week to ask the council for help with rents.")
    page = analyze(host + " " + source)
    passages = Aligner(page, load_thesaurus("wordnet")).align(analyze(source))
    assert label(page, passages, analyze(source)) == "verbatim+partial"
    # the same page taking only the first sentence of a longer source is a partial copy
    longer = source + (" Markets fell sharply after the announcement, with bank shares leading "
                       "the losses in early trading. Analysts said the rise would weigh on house "
                       "prices and on the loans of small firms for the rest of the year. The "
                       "opposition called the decision a blow to families already short of money.")
    first = source.split(". ")[0] + "."
    page = analyze(own + " " + first)
    passages = Aligner(page, load_thesaurus("wordnet")).align(analyze(longer))
    assert label(page, passages, analyze(longer)) == "verbatim+partial"


def test_a_few_swaps_in_a_long_copy_are_light() -> None:
    # four words replaced in place in a 461-word copy: corrections, not spinning (under 1%)
    assert passage_kind(_shape(461, 4, 4)) == "minor"
    assert passage_kind(_shape(461, 3, 3)) == "minor"
    # the same share of swaps in a short passage, or more swaps in a long one, are spinning
    assert passage_kind(_shape(200, 3, 3)) == "spun"
    assert passage_kind(_shape(461, 5, 5)) == "spun"


def test_rewritten_rebuilt_pairs_are_no_light_edit() -> None:
    # 2 of 8 sentence pairs rewritten from scratch (under the 30% of a paraphrase), the other six
    # kept: 24% of the passage's words changed, all in the rebuilt pairs (was ``minor``)
    shape = Shape(equal=182, changed=58, swapped=0, words=240, pairs=8, rebuilt=2, score=0.85,
                  changed_in_place=2, swapped_in_place=0, words_in_place=180, rewritten=60)
    assert passage_kind(shape) == "paraphrase"
    # the same two pairs rebuilt by moving a clause or splitting a sentence (their words kept
    # across the pair): a light edit
    moved = Shape(equal=182, changed=58, swapped=0, words=240, pairs=8, rebuilt=2, score=0.85,
                  changed_in_place=2, swapped_in_place=0, words_in_place=180, rewritten=0)
    assert passage_kind(moved) == "minor"


def test_a_rewritten_pair_is_told_from_a_moved_clause() -> None:
    from unspin.align import _rewritten, _Seed
    from unspin.edits import Script

    src = analyze("Council members said the money would come from higher property taxes and a fee.")
    moved = analyze("The money would come from higher property taxes and a fee, council members said.")
    rewritten = analyze("Locals will foot the bill through steeper levies on homes and a charge.")
    script = Script(ops=(), equal=0, changed=0, swapped=0, longest=14)
    assert _rewritten(moved, src, _Seed(0, 0, 0.7), script) == 0
    assert _rewritten(rewritten, src, _Seed(0, 0, 0.4), script) == 14


def test_a_repeated_paragraph_is_not_reordered() -> None:
    # ten sentences in the source's order, then the paragraph of sentences 3-5 printed again
    main = _passage([(100 * k, 100 * k, 1.0) for k in range(10)])
    again = _passage([(1000 + 100 * k, 300 + 100 * k, 1.0) for k in range(3)])
    assert out_of_order([main, again]) == 0.0
    assert label(analyze("x"), [main, again]) == "verbatim"
    # a moved paragraph (not repeated) still is a reordering
    moved = _passage([(100 * k, 100 * k, 1.0) for k in range(10) if k not in (3, 4, 5)])
    moved_back = _passage([(1000 + 100 * k, 300 + 100 * k, 1.0) for k in range(3)])
    assert reordered([moved, moved_back])
