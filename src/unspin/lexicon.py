"""Closed word classes of English: the words a synonym spinner leaves alone.

Spinners replace content words; function words (articles, pronouns, prepositions, conjunctions,
auxiliaries, a few very common adverbs) survive, as do numbers and names. These are DSpin's
"immutables", and the skeleton fingerprints of the index are built from them.
"""

from __future__ import annotations

FUNCTION_WORDS: frozenset[str] = frozenset(
    """
a an the this that these those some any each every either neither no both all half several
few many much more most less least other another such what which who whom whose whatever
whichever whoever i me my mine myself you your yours yourself yourselves he him his himself she
her hers herself it its itself we us our ours ourselves they them their theirs themselves one
ones
about above across after against along amid among around as at before behind below beneath
beside besides between beyond but by despite down during except for from in inside into like
near of off on onto out outside over past per since than through throughout till to toward
towards under underneath unlike until up upon via with within without
and or nor so yet if because although though while whereas unless whether once when whenever
where wherever why how then also too only just even still already not never
be am is are was were been being have has had having do does did doing done will would shall
should can could may might must ought
there here now very again ever else otherwise thus hence however therefore
's 't n't
""".split()
)



def is_function_word(lower: str) -> bool:
    return lower in FUNCTION_WORDS


__all__ = ["FUNCTION_WORDS", "is_function_word"]
