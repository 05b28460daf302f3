"""A seed's source sentence does not depend on the order a set of words is read in.

Python's string hashes change from process to process, so a set of words is read in another order
in each run; candidates that share as many words with the suspect sentence must be ranked by
their place, or the same check gives another seed (and score) in another process.
"""

from __future__ import annotations

from unspin.align import Aligner
from unspin.analysis import analyze
from unspin.thesaurus import load as load_thesaurus

SUSPECT = "Harbour pilots, ferry crews, dock workers and tug owners met the mayor on Monday."
# five source sentences share two content words each with the suspect sentence; the closest
# in wording (synonyms, the same build) holds the words that come last in alphabetical order
SOURCE = (
    "Crews from the old dock were absent for most of the long and rainy week. "
    "A ferry left the harbour at dawn with no passengers and little cargo on board. "
    "The mayor met nobody from the city council during the whole of that trip abroad. "
    "By Monday the owners of several shops had closed their doors for the season. "
    "Port guides, boat teams, wharf hands and tug workers greeted the city chief at the weekend."
)


def test_seeds_do_not_follow_the_order_of_a_word_set() -> None:
    thesaurus = load_thesaurus("wordnet")
    source = analyze(SOURCE)
    results = []
    for reverse in (False, True):
        aligner = Aligner(analyze(SUSPECT), thesaurus, seed_threshold=0.0)
        aligner._s_strong = [sorted(words, reverse=reverse)  # type: ignore[misc]
                             for words in aligner._s_strong]
        results.append([(s.i, s.j) for s in aligner._seeds(source)])
    assert results[0] == results[1]
    assert results[0], "the suspect sentence should seed on one of the source's sentences"
