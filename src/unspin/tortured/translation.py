"""Machine-translation damage that typography alone shows (evidence ``translation``).

A round trip through another language and back breaks what a translation engine treats as
sentence punctuation: full stops of names and initials become sentence ends ("Kim. jong-un",
"U. N. -led"), dates split at their full stops ("Oct. 3. 24"), spaces appear before punctuation
("said ,") and a closing quotation mark is doubled ('over.""'). Each rule is a pattern with a
repair; each hit is reported with the repaired text as its suggestion. Literal calques ("count
with" for "have") are the language model's part (``model_detector``), reported with the same
evidence kind.

Rules are chosen to be rare in edited English: a lower-case word after a capitalised word's full
stop (not an abbreviation's), a name particle cut from its name, initials followed by a detached hyphen, a month abbreviation followed by two numbers
with full stops. Offsets are into the text as given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

_MONTH = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
_TITLE = r"(?:Dr|Mr|Mrs|Ms|Prof|Gen|Sen|Rep|Gov|Col|Capt|Lt|Sgt|St)"
_PARTICLE = r"(?:da|de|do|dos|das|del|della|di|du|van|von|der|den|bin|bint|al|el|la|le|ibn|ben)"

# a capitalised word, a full stop, and a lower-case word that is no English word: "Sao. paulo"
_BROKEN_NAME = re.compile(r"\b([A-Z][a-z]+)\. ([a-z][a-z]+(?:-[a-z]+)?)\b")
# a name particle cut from the name after it: "Lula da. Silva"
_BROKEN_PARTICLE = re.compile(rf"\b([A-Z][a-z]+ {_PARTICLE})\. ([A-Z][a-z]+)\b")
# a title, a first name with a stray full stop, a surname: "Dr. Maria. Lopez"
_BROKEN_FULL = re.compile(rf"\b({_TITLE}\.? [A-Z][a-z]+)\. ([A-Z][a-z]+)\b")
# spaced initials before a detached hyphen: "U. N. -backed", "J. R. -Smith"
_INITIALS = re.compile(r"(?<![\w.])((?:[A-Z]\. ){1,3}[A-Z]\.) ?-([A-Za-z][\w-]*)")
# a month abbreviation, a day and a year split by full stops: "Oct. 3. 24"
_DATE = re.compile(rf"\b({_MONTH})\.? (\d{{1,2}})\. (\d{{2}}|\d{{4}})\b(?!\.\d)")
# a space before a comma, full stop, semicolon, question or exclamation mark: "said ,"
_SPACE_PUNCT = re.compile(r"(?<![^\W_])([^\W_]+) ([,.;!?])(?=\s|$)(?!\.\.)")
# a space before a closing quotation mark, then punctuation: 'way ",'
_SPACE_QUOTE = re.compile(r"(?<![^\W_])([^\W\d_]+[.!?]?) ([\"\u201d])(?=[,.;:])")
# a closing quotation mark doubled: 'behind.""'
_DOUBLE_CLOSE = re.compile(r"(?<![^\W_])([^\W_]+[.,!?]?)([\"\u201d]){2}(?![\w\"])")

# (each word run is anchored at its start, ``(?<![^\W_])``: unanchored, a 60,000-letter word was
# scanned again from each of its letters, quadratic time)

# capitalised abbreviations after which a lower-case word is ordinary English
ABBREVIATIONS = frozenset(
    "inc co corp ltd plc llc jr sr bros mt st ave blvd rd dept no nos fig vol ch pp ed eds est "
    "approx univ assn intl natl govt jan feb mar apr jun jul aug sep sept oct nov dec mon tue "
    "wed thu fri sat sun mr mrs ms dr prof gen sen rep gov col capt lt sgt cmdr adm".split())


@dataclass(frozen=True, slots=True)
class Damage:
    """A span of translation damage, its repair and which rule found it."""

    at: tuple[int, int]
    text: str
    repair: str
    rule: str


def _year(y: str) -> str:
    return y if len(y) == 4 else f"20{y}"


def _broken_name(m: re.Match[str]) -> str | None:
    if m.group(1).lower() in ABBREVIATIONS:
        return None  # "Apple Inc. said": the full stop of an abbreviation, not a sentence end
    tail = "-".join(p.capitalize() for p in m.group(2).split("-"))
    return f"{m.group(1)} {tail}"


_RULES: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], str | None]], ...] = (
    ("broken name", _BROKEN_NAME, _broken_name),
    ("broken name", _BROKEN_PARTICLE, lambda m: f"{m.group(1)} {m.group(2)}"),
    ("broken name", _BROKEN_FULL, lambda m: f"{m.group(1)} {m.group(2)}"),
    ("broken initials", _INITIALS,
     lambda m: m.group(1).replace(" ", "") + ("-" if m.group(2)[:1].islower() else " ") + m.group(2)),
    ("split date", _DATE, lambda m: f"{m.group(1)}. {m.group(2)}, {_year(m.group(3))}"),
    ("space before punctuation", _SPACE_PUNCT, lambda m: m.group(1) + m.group(2)),
    ("space before punctuation", _SPACE_QUOTE, lambda m: m.group(1) + m.group(2)),
    ("quotation closed twice", _DOUBLE_CLOSE, lambda m: m.group(1) + m.group(2)),
)


def find_damage(text: str) -> Iterator[Damage]:
    """Every typographic trace of a translation round trip in ``text``, in text order."""
    hits: list[Damage] = []
    for rule, pattern, repair in _RULES:
        for m in pattern.finditer(text):
            fixed = repair(m)
            if fixed is not None and fixed != m.group():
                hits.append(Damage(m.span(), m.group(), fixed, rule))
    hits.sort(key=lambda d: (d.at[0], -d.at[1]))
    end = -1
    for d in hits:
        if d.at[0] >= end:
            yield d
            end = d.at[1]


__all__ = ["Damage", "find_damage", "ABBREVIATIONS"]
