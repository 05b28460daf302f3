"""Paraphrase-like rewrites the benchmark can make offline, sentence by sentence.

What machine translation and LLM paraphrasers do to news, as far as rules can imitate it without a
model: attribution moved ("..., he said." -> "He said ..."), long sentences split at a clause
boundary, short neighbours merged, numbers, currencies, units and dates re-formatted ("2.4 billion
euros" <-> "EUR 2.4bn", "12 pct" -> "12 percent", "March 3" -> "3 March"), discourse openers added or
dropped, and a rewritten headline on top. Each rewritten sentence stands for its source sentence,
so the ground truth stays exact. None of this is known to the detector: these rules live in the
benchmark only.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

_MONTHS = ("January February March April May June July August September October November "
           "December").split()
_MONTH_ABBR = {m[:3]: m for m in _MONTHS} | {"Sept": "September"}
_CURRENCY_WORDS = {"dlrs": "dollars", "dollars": "dlrs", "euros": "EUR", "pounds": "GBP",
                   "yen": "JPY", "marks": "DM"}
_SCALE = {"billion": "bn", "bn": " billion", "million": "m", "mln": " million", "m": " million"}
_UNITS = {"pct": "percent", "per cent": "percent", "percent": "per cent", "%": " per cent"}
_OPENERS = ("Meanwhile, ", "In addition, ", "Notably, ", "At the same time, ", "Separately, ")
_SAID_TAIL = re.compile(
    r"^(?P<body>.{25,}?),\s+(?P<who>(?:he|she|they|it|the [a-z]+(?: [a-z]+)?|[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}"
    r"(?:,? [a-z ]{0,30})?)) (?P<verb>said|told reporters|added|noted|stated)(?P<when> (?:on|in|last) \w+)?\.$"
)
_LOWERABLE = frozenset("The A An It Its This That These Those He She They We In On At But And For "
                       "Market Markets Shares Prices Analysts Officials".split())
_CLAUSE = re.compile(r",\s+(?:and|but|while|although|which|as)\s+")


def _number_forms(text: str, rng: random.Random) -> str:
    def money(m: re.Match[str]) -> str:
        num, scale, cur = m.group("num"), m.group("scale"), m.group("cur")
        code = _CURRENCY_WORDS.get(cur, cur)
        short = _SCALE.get(scale, scale).strip()
        return f"{code} {num}{short}" if rng.random() < 0.5 else f"{num} {_SCALE.get(scale, scale).strip()} {code}"

    text = re.sub(r"(?P<num>\d+(?:\.\d+)?) (?P<scale>billion|million|mln|bn) (?P<cur>dlrs|dollars|euros|pounds|yen|marks)",
                  money, text)
    text = re.sub(r"(\d+(?:\.\d+)?) ?(pct|per cent|percent|%)",
                  lambda m: m.group(1) + (" " + _UNITS[m.group(2)].strip() if m.group(2) != "%" else " per cent"),
                  text)
    text = re.sub(r"\b(\d+(?:\.\d+)?) mln\b", r"\1 million", text)
    text = re.sub(r"\$(\d+(?:\.\d+)?)(bn|m)\b",
                  lambda m: f"{m.group(1)} {'billion' if m.group(2) == 'bn' else 'million'} dollars", text)

    def date(m: re.Match[str]) -> str:
        month = _MONTH_ABBR.get(m.group(1)[:4].rstrip("."), None) or _MONTH_ABBR.get(m.group(1)[:3], m.group(1))
        return f"{m.group(2)} {month}"

    months = "|".join(sorted(set(_MONTHS) | set(_MONTH_ABBR), key=len, reverse=True))
    return re.sub(rf"\b({months})\.? (\d{{1,2}})\b(?!,? \d{{4}})", date, text)


def _move_attribution(sentence: str) -> str:
    m = _SAID_TAIL.match(sentence)
    if not m:
        return sentence
    who = m.group("who")
    who = who[0].upper() + who[1:]
    body = m.group("body")
    body = body[0].lower() + body[1:] if body.split()[0] in _LOWERABLE else body
    when = m.group("when") or ""
    return f"{who} {m.group('verb')}{when} that {body}."


def _split(sentence: str, rng: random.Random) -> list[str]:
    matches = [m for m in _CLAUSE.finditer(sentence) if 30 < m.start() < len(sentence) - 30]
    if not matches:
        return [sentence]
    m = rng.choice(matches)
    first = sentence[: m.start()].rstrip(",") + "."
    rest = sentence[m.end():]
    return [first, rest[0].upper() + rest[1:]]


def rewrite_sentence(sentence: str, rng: random.Random, log: list[str] | None = None) -> str:
    """One sentence, rewritten by a random subset of the rules (never left identical if avoidable).
    ``log`` gets the name of each rule that changed it (numbers, attribution, split, opener); it
    draws nothing from ``rng``, so the text is the same with or without it."""
    done = log if log is not None else []
    out = _number_forms(sentence, rng)
    if out != sentence:
        done.append("numbers")
    if rng.random() < 0.7:
        moved = _move_attribution(out)
        if moved != out:
            done.append("attribution")
        out = moved
    if rng.random() < 0.35 and len(out) > 90:
        parts = _split(out, rng)
        if len(parts) > 1:
            done.append("split")
        out = " ".join(parts)
    if rng.random() < 0.15 and out.split()[0] in _LOWERABLE:
        out = rng.choice(_OPENERS) + out[0].lower() + out[1:]
        done.append("opener")
    return out


def headline(title: str, rng: random.Random) -> str:
    """A rewritten headline: reworded where the rules can, title-cased differently."""
    words = _number_forms(title, rng).split()
    if len(words) > 4 and rng.random() < 0.5:
        cut = rng.randint(2, len(words) - 2)
        words = words[cut:] + ["-"] + words[:cut]
    return " ".join(w.capitalize() if w.isupper() else w for w in words)


Respinner = Callable[[str], str]


def paraphrase_pieces(sentences: list[str], rng: random.Random, respin: Respinner | None = None,
                      log: list[list[str]] | None = None) -> list[tuple[list[int], str]]:
    """Rewritten text for runs of source sentences: [(source sentence numbers, new text), ...].

    Two short neighbours are sometimes merged into one sentence (one piece for both). ``log`` gets,
    per piece, the rules that changed it (``rewrite_sentence``'s, and ``merged``).
    """
    pieces: list[tuple[list[int], str]] = []
    i = 0
    while i < len(sentences):
        s = sentences[i]
        if (i + 1 < len(sentences) and len(s) < 110 and len(sentences[i + 1]) < 110
                and s.endswith(".") and rng.random() < 0.25):
            nxt = sentences[i + 1]
            first = nxt.split()[0]
            joined = s[:-1] + ", and " + (nxt[0].lower() + nxt[1:] if first in _LOWERABLE else nxt)
            done = ["merged"]
            text, used = rewrite_sentence(joined, rng, done), [i, i + 1]
            i += 2
        else:
            done = []
            text, used = rewrite_sentence(s, rng, done), [i]
            i += 1
        if log is not None:
            log.append(done)
        pieces.append((used, respin(text) if respin else text))
    return pieces


__all__ = ["rewrite_sentence", "headline", "paraphrase_pieces"]
