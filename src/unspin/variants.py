"""Differences that are not changes: typography, US/UK spelling, case, number formatting.

A copy that writes "mobilisation" for "mobilization", "Russia’s" for "Russia's" or "1,5" for "1.5"
says the same thing in the same words. ``key`` maps a (lower-case) token to a form that such
variants share, so the word alignment treats them as equal; ``variant_type`` names the kind of
difference between two surfaces that share a key.

The US/UK rules are the regular spelling families (as described in the usual style guides, e.g.
the Oxford and Merriam-Webster notes on British and American spelling), written for this module:

- ``-ise``/``-ize`` (and ``-isation``, ``-ising``...), ``-yse``/``-yze``;
- ``-our``/``-or`` (at least two letters before ``our``: not "four", "hour", "your");
- ``-re``/``-er`` after b, g or t ("centre", "fibre", "meagre"; "centred"/"centered");
- ``-ogue``/``-og``;
- a doubled ``l`` before ``-ed``, ``-ing``, ``-er``, ``-or`` after a stem of two or more vowel
  groups ("travelled", "cancelling", "counsellor"; not "filled" or "calling");
- a short list of words the rules do not reach (``_WORDS``: "defence", "programme", "grey"...).

Number formats: thousands and decimal separators ("1,500" / "1500", "1,5" / "1.5"), and the
abbreviated units and amounts of wire copy against the words spelled out (``_UNITS``: "pct" /
"percent", "mln" / "million", "bln" and "bn" / "billion", "dlrs" / "dollars", "cts" / "cents"):
"12 pct" and "12 percent" say the same thing in the same words.

Keys are applied to both sides, so a rule that rewrites a word with no variant ("raise" ->
"raize") is harmless; a rule only does harm where it makes two different real words one key,
which is why ``-our`` needs two letters before it and the doubled ``l`` two vowel groups ("filled"
and "filed" stay apart).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# typography inside a word: apostrophes and hyphens of every kind
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u0060": "'",
                              "\u00b4": "'", "\u2032": "'"})
_HYPHENS = re.compile(r"[\-\u2010\u2011\u2012\u2013\u2014\u2212]")

_WORDS = {
    "defence": "defense", "offence": "offense", "pretence": "pretense", "licence": "license",
    "programme": "program", "programmes": "programs", "grey": "gray", "tyre": "tire",
    "tyres": "tires", "cheque": "check", "cheques": "checks", "aluminium": "aluminum",
    "mould": "mold", "plough": "plow", "sceptic": "skeptic", "sceptical": "skeptical",
    "manoeuvre": "maneuver", "manoeuvres": "maneuvers", "jewellery": "jewelry",
    "fuelled": "fueled", "fuelling": "fueling", "woollen": "woolen", "enrol": "enroll",
    "fulfil": "fulfill", "skilful": "skillful", "instalment": "installment", "kerb": "curb",
    "judgement": "judgment", "ageing": "aging", "storey": "story", "storeys": "stories",
    "paediatric": "pediatric", "anaemia": "anemia", "oestrogen": "estrogen", "foetus": "fetus",
    "encyclopaedia": "encyclopedia", "haemorrhage": "hemorrhage", "percent": "percent",
    "whilst": "while", "amongst": "among", "towards": "toward", "afterwards": "afterward",
}
# abbreviated units and amounts (wire style) and the words they stand for
_UNITS = {"pct": "percent", "mln": "million", "bln": "billion",
          "bn": "billion", "dlrs": "dollars", "dlr": "dollar", "cts": "cents"}
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\w{2,})is(e|es|ed|ing|ation|ations|er|ers)$"), r"\1iz\2"),
    (re.compile(r"^(\w+)ys(e|es|ed|ing|er|ers)$"), r"\1yz\2"),
    (re.compile(r"^(\w{2,})our(s|ed|ing|ite|ites|able|ably|er|ers|ful|less|ism)?$"), r"\1or\2"),
    (re.compile(r"^(\w+[bgt])re(s?)$"), r"\1er\2"),
    (re.compile(r"^(\w+[bgt])r(ed|ing)$"), r"\1er\2"),
    (re.compile(r"^(\w+)ogue(s?)$"), r"\1og\2"),
)
_DOUBLED_L = re.compile(r"^(\w+?)ll(ed|ing|er|ers|or|ors)$")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
_PER_CENT = re.compile(r"\bper ?cent\b")
_THOUSANDS = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")


def spelling_key(word: str) -> str:
    """The US form of a UK spelling (by ``_WORDS`` and the rules); other words unchanged."""
    if word in _WORDS:
        return _WORDS[word]
    m = _DOUBLED_L.match(word)
    if m and len(_VOWEL_GROUPS.findall(m.group(1))) >= 2:
        word = f"{m.group(1)}l{m.group(2)}"
    for pattern, repl in _RULES:
        if pattern.match(word):
            return pattern.sub(repl, word)
    return word


def number_key(token: str) -> str:
    """One form for "1,500", "1.500" and "1500" (thousands), and for "1,5" and "1.5" (decimals)."""
    if _THOUSANDS.match(token) and len(token) > 4:
        return re.sub(r"[.,]", "", token)
    return token.replace(",", ".")


@lru_cache(maxsize=65536)
def key(token: str) -> str:
    """The form ``token`` (as the tokenizer gives it, lower case) shares with its variants."""
    t = unicodedata.normalize("NFKC", token).casefold().translate(_APOSTROPHES)
    if t[:1].isdigit():
        return number_key(t)
    t = _HYPHENS.sub("", t)
    if t in _UNITS:
        return _UNITS[t]
    if t.endswith("'s"):
        return spelling_key(t[:-2]) + "'s"
    return spelling_key(t)


def phrase_key(tokens: list[str]) -> str:
    """The key of a run of tokens as one word: "per cent" and "percent" share it, as do
    "e mail" and "email"."""
    return "".join(key(t) for t in tokens).replace("'", "")


def variant_type(a: str, b: str) -> str:
    """What differs between two surfaces whose keys agree: ``case``, ``typography``,
    ``number``, ``spelling`` or ``characters`` (look-alike or invisible characters)."""
    if a == b:
        return "none"
    if a.casefold() == b.casefold():
        return "case"
    fa = unicodedata.normalize("NFKC", a).casefold()
    fb = unicodedata.normalize("NFKC", b).casefold()
    if fa == fb:
        return "characters"
    ta, tb = _HYPHENS.sub("", fa.translate(_APOSTROPHES)), _HYPHENS.sub("", fb.translate(_APOSTROPHES))
    if ta == tb:
        return "typography"
    if (fa[:1].isdigit() or fb[:1].isdigit() or "%" in a + b or _PER_CENT.search(f"{fa} {fb}")
            or fa in _UNITS or fb in _UNITS):
        return "number"
    if re.sub(r"\s+", "", ta) == re.sub(r"\s+", "", tb):
        return "typography"
    return "spelling"


__all__ = ["key", "phrase_key", "spelling_key", "number_key", "variant_type"]
