"""Small text disguises used by the generator: light edits, site boilerplate, character tricks."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

_WORD = re.compile(r"(?<![\w'’.-])[a-z]{3,}(?![\w'’-])")
_LATIN_WORD = re.compile(r"[A-Za-z]{4,}")
FILLERS = ("also", "now", "reportedly", "however", "recently", "indeed", "still", "further")
# Latin letter -> lookalikes (Cyrillic first, then Greek)
HOMOGLYPHS = {
    "a": "а",
    "c": "с",
    "e": "е",
    "i": "і",
    "j": "ј",
    "o": "оο",
    "p": "р",
    "s": "ѕ",
    "x": "х",
    "y": "у",
    "v": "ν",
    "A": "АΑ",
    "B": "ВΒ",
    "C": "С",
    "E": "ЕΕ",
    "H": "НΗ",
    "I": "ІΙ",
    "K": "КΚ",
    "M": "МΜ",
    "N": "Ν",
    "O": "ОΟ",
    "P": "РΡ",
    "T": "ТΤ",
    "X": "ХΧ",
    "Y": "Υ",
    "Z": "Ζ",
}
ZERO_WIDTH_SPACE = "\u200b"
SOFT_HYPHEN = "\u00ad"
JUNK_BETWEEN = (
    "Also read: {title}",
    "READ MORE: {title}",
    "Related: {title}",
    "Advertisement",
    "Subscribe to our newsletter to get the top stories in your inbox every morning.",
    "Follow us on Facebook and Twitter for the latest updates.",
    "Also read: {title} | {title2}",
)
JUNK_END = (
    "Subscribe to our newsletter for the latest news, delivered daily.",
    "Also read: {title}",
    "Copyright {year} Daily News Wire. All rights reserved.",
    "Share this article: Facebook | Twitter | WhatsApp | Email",
    "Disclaimer: this story is auto-generated from a syndicated feed.",
)


def light_edit(
    text: str,
    rng: random.Random,
    *,
    rate: float = 0.08,
    replace: Callable[[str], Sequence[str]] | None = None,
) -> str:
    """Change about ``rate`` of the lowercase words: drop one, insert a filler, or swap a synonym."""
    out, pos = [], 0
    for m in _WORD.finditer(text):
        if rng.random() >= rate:
            continue
        word = m.group()
        action = rng.random()
        out.append(text[pos : m.start()])
        if action < 0.35 and text[m.end() : m.end() + 1] == " ":
            pos = m.end() + 1  # delete the word and the space after it
            continue
        if action < 0.7:
            out.append(f"{rng.choice(FILLERS)} {word}")
        else:
            options = list(replace(word)) if replace else []
            out.append(rng.choice(options) if options else _swap_letters(word, rng))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def junk_line(rng: random.Random, titles: Sequence[str], *, end: bool = False) -> str:
    """One line of site boilerplate; titles are those of other articles."""
    template = rng.choice(JUNK_END if end else JUNK_BETWEEN)
    return template.format(
        title=rng.choice(titles) if titles else "Top stories",
        title2=rng.choice(titles) if titles else "Latest",
        year=rng.choice(range(2004, 2025)),
    )


def chartricks(text: str, rng: random.Random, *, rate: float = 0.15) -> str:
    """Disguise about ``rate`` of the longer Latin words: a homoglyph, a zero-width space or a soft hyphen."""
    out, pos = [], 0
    for m in _LATIN_WORD.finditer(text):
        if rng.random() >= rate:
            continue
        word = m.group()
        action = rng.random()
        if action < 0.5:
            slots = [i for i, ch in enumerate(word) if ch in HOMOGLYPHS]
            if not slots:
                continue
            i = rng.choice(slots)
            word = word[:i] + rng.choice(HOMOGLYPHS[word[i]]) + word[i + 1 :]
        else:
            mark = ZERO_WIDTH_SPACE if action < 0.75 else SOFT_HYPHEN
            i = rng.randrange(1, len(word))
            word = word[:i] + mark + word[i:]
        out.append(text[pos : m.start()])
        out.append(word)
        pos = m.end()
    out.append(text[pos:])
    return "".join(out)


def _swap_letters(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
