"""The ``paraphrase`` rule sees rebuilt sentences: words out of order (an attribution or a clause
moved), a sentence split in two, two sentences merged into one; a spun copy stays ``spun``.

Written by hand, as a reader would rewrite the source, before the thresholds were fitted.
"""

from __future__ import annotations

from unspin.align import REORDERED_WORDS, Aligner, Passage, _merged, _Seed
from unspin.analysis import analyze
from unspin.edits import Side, edit_script
from unspin.labels import main_label
from unspin.thesaurus import load as load_thesaurus

SOURCE = (
    "The central bank raised its main interest rate by half a point on Tuesday, the governor told "
    "reporters in the capital. Prices rose faster than expected in the spring and the currency "
    "fell to a record low against the dollar. Exporters welcomed the weaker currency. Importers "
    "warned that fuel and food would cost more. The bank will meet again in September to review "
    "its forecasts for growth and inflation."
)


def _passages(suspect: str) -> list[Passage]:
    return Aligner(analyze(suspect), load_thesaurus("wordnet")).align(analyze(SOURCE))


def test_moved_attributions_and_clauses_make_a_paraphrase() -> None:
    suspect = (
        "The governor told reporters in the capital that the central bank raised its main "
        "interest rate by half a point on Tuesday. The currency fell to a record low against the "
        "dollar, and prices rose faster than expected in the spring. Exporters welcomed the "
        "weaker currency. Importers warned that fuel and food would cost more. In September the "
        "bank will meet again to review its forecasts for growth and inflation."
    )
    assert main_label(_passages(suspect)) == "paraphrase"


def test_split_and_merged_sentences_make_a_paraphrase() -> None:
    suspect = (
        "The central bank raised its main interest rate by half a point on Tuesday. The governor "
        "told reporters about it in the capital. Prices rose faster than expected in the spring. "
        "And the currency fell to a record low against the dollar. Exporters welcomed the weaker "
        "currency, while importers warned that fuel and food would cost more. The bank will meet "
        "again in September to review its forecasts for growth and inflation."
    )
    assert main_label(_passages(suspect)) == "paraphrase"


def test_a_copy_with_words_swapped_in_place_stays_spun() -> None:
    suspect = (
        "The central bank lifted its principal interest rate by half a point on Tuesday, the "
        "governor told journalists in the capital. Prices climbed faster than anticipated in the "
        "spring and the currency dropped to a record low against the dollar. Exporters welcomed "
        "the weaker currency. Importers cautioned that fuel and food would cost more. The bank "
        "will convene again in September to review its projections for growth and inflation."
    )
    assert main_label(_passages(suspect)) == "spun"


def test_an_opener_and_a_number_variant_stay_light() -> None:
    """(A number restated in words, "half a point" as "0.5 points", is a short in-place swap:
    with the opener it makes this copy ``spun`` under the 2% swap rule.)"""
    suspect = (
        "The central bank raised its main interest rate by half a point on Tuesday, the governor "
        "told reporters in the capital. Meanwhile, prices rose faster than expected in the spring "
        "and the currency fell to a record low against the dollar. Exporters welcomed the weaker "
        "currency. Importers warned that fuel and food would cost more. The bank will meet again "
        "in September to review its forecasts for growth and inflation."
    )
    assert main_label(_passages(suspect)) in ("light", "verbatim")


def _side(text: str) -> Side:
    doc = analyze(text)
    s = doc.sentences[0]
    return Side(doc.tokens.lower[s.first:s.last], doc.tokens.classes[s.first:s.last],
                tuple(doc.tokens.lower[s.first:s.last]), ("",) * (s.last - s.first + 1))


def test_words_out_of_order_are_counted() -> None:
    source = _side("The bank raised its main rate on Tuesday, the governor told reporters.")
    moved = _side("The governor told reporters that the bank raised its main rate on Tuesday.")
    swapped = _side("The bank lifted its principal rate on Tuesday, the governor told journalists.")
    assert edit_script(moved, source).reordered >= REORDERED_WORDS
    assert edit_script(swapped, source).reordered == 0


def test_merged_and_split_sentences_are_seen() -> None:
    src = analyze("Exporters welcomed the weaker currency. Importers warned that fuel and food "
                  "would cost more. The bank will meet again in September.")
    merged = analyze("Exporters welcomed the weaker currency, while importers warned that fuel and "
                     "food would cost more. The bank will meet again in September.")
    assert _merged(merged, src, [_Seed(0, 0, 0.8), _Seed(1, 2, 1.0)]) == {0}
    split = analyze("Exporters welcomed it. They liked the weaker currency. Importers warned that "
                    "fuel and food would cost more. The bank will meet again in September.")
    kept = analyze("Exporters welcomed the weaker currency. Importers warned that fuel and food "
                   "would cost more. The bank will meet again in September.")
    assert _merged(kept, src, [_Seed(0, 0, 1.0), _Seed(1, 1, 1.0), _Seed(2, 2, 1.0)]) == set()
    assert 0 in _merged(split, src, [_Seed(0, 0, 0.7), _Seed(2, 1, 1.0), _Seed(3, 2, 1.0)])


def test_a_spun_copy_with_one_attribution_moved_stays_spun() -> None:
    """One pair in five rebuilt (under the 30% of a paraphrase): the swaps of the other four say
    what was done; the moved attribution's words do not outvote them (was ``paraphrase``)."""
    suspect = (
        "The governor told journalists in the capital that the central bank lifted its principal "
        "interest rate by half a point on Tuesday. Prices climbed faster than anticipated in the "
        "spring and the currency dropped to a record low against the dollar. Exporters welcomed "
        "the weaker currency. Importers cautioned that fuel and food would cost more. The bank "
        "will convene again in September to review its projections for growth and inflation."
    )
    assert main_label(_passages(suspect)) == "spun"


def test_one_rebuilt_pair_and_one_swap_are_not_spun() -> None:
    """One pair in five rebuilt (attribution moved) and a single word swapped elsewhere: one swap
    is too few for the pairs not rebuilt to speak for the passage (was ``spun``). Session 6 called
    it ``paraphrase`` (the fallback); since session 7 a few rebuilt pairs (under 30%) in an
    otherwise nearly unchanged copy are a light edit (``align.few_changes``)."""
    suspect = (
        "The governor told reporters in the capital that the central bank raised its main "
        "interest rate by half a point on Tuesday. Prices rose faster than expected in the spring "
        "and the currency fell to a record low against the dollar. Exporters welcomed the weaker "
        "currency. Importers warned that fuel and food would cost more. The bank will convene "
        "again in September to review its forecasts for growth and inflation."
    )
    assert main_label(_passages(suspect)) == "light"
