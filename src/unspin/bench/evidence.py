"""The evidence benchmark: substitution precision and recall against a log of every edit, and the
obfuscation label's confusion matrix against the generator's truth.

Substitution cases (``substitution_case``): a source stretch gets typography and spelling variants
that are *not* changes (curly apostrophes, UK <-> US spellings from ``VARIANT_PAIRS``, "per cent"
<-> "percent" / "%"; a table written for this benchmark, not the engine's rules), then it is spun at
30, 50 or 70% (``Spinner.spin`` logs every swap) or rewritten by ``rewrite`` (phrase rewrites,
clause insertions and deletions, logged; with homoglyphs and invisible characters). Truth:

- changes a reader expects listed: spinner swaps, ``phrase`` rewrites, ``clause-inserted`` and
  ``clause-deleted``;
- must not be listed: ``variant``, ``homoglyph``, ``invisible`` edits;
- neutral (a listed change there is neither right nor wrong): ``split``, ``merge``, ``passive``,
  ``reported`` (sentences rebuilt, where any word-level account is a matter of taste).

A listed substitution is right when its range overlaps a change's range on either side (an empty
range touching it counts); precision = right / (listed - neutral), recall = changes overlapped by a
listed substitution / changes. A copy whose true source is not the top source lists nothing.

Labels: every generator kind has the label a reader would give it (``EXPECTED``); ``rewrite``
kinds mix in-place phrase swaps with rebuilt sentences and are left out of the matrix. The
paraphrase kinds are the exception: the generator applies its rules at random, sentence by
sentence, and many of its "paraphrases" rebuild no sentence at all (numbers re-formatted, an opener
added). Their truth (``expected``) comes from the generator's own log of what it did to each
sentence (``Case.meta["rules"]``): ``paraphrase`` when at least ``REBUILT_SHARE`` of the copied
sentences were rebuilt (attribution moved, sentence split, two sentences merged); otherwise
``spun`` if spun on top, ``light`` if an opener was added or a sentence rebuilt (a sentence split
in two or two merged is an edit, too few for a paraphrase: session 7; before, such a copy's truth
was ``verbatim``), ``light`` or ``verbatim`` if only numbers were re-formatted (a "%" for "per cent" is a variant, "EUR 2.4bn" for "2.4 billion euros"
is a change).
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from unspin.article import Article
from unspin.bench.rewrite import rewrite, split_sentences
from unspin.bench.spinner import Spinner

Range = tuple[int, int]

EXPECTED = {
    "verbatim": "verbatim", "light": "light", "spin30": "spun", "spin50": "spun",
    "spin70": "spun", "tortured": "spun", "reorder": "verbatim+reordered",
    "partial": "verbatim+partial", "junk": "verbatim", "chartricks": "verbatim",
    "combo": "spun+reordered", "paraphrase": "paraphrase", "paraphrase+spin": "paraphrase",
}
# UK and US spellings (both directions are applied), written for this benchmark
VARIANT_PAIRS: tuple[tuple[str, str], ...] = (
    ("organisation", "organization"), ("organised", "organized"), ("recognise", "recognize"),
    ("realised", "realized"), ("privatisation", "privatization"), ("criticised", "criticized"),
    ("labour", "labor"), ("favour", "favor"), ("behaviour", "behavior"), ("colour", "color"),
    ("centre", "center"), ("programme", "program"), ("defence", "defense"),
    ("analyse", "analyze"), ("travelled", "traveled"), ("cancelled", "canceled"),
    ("catalogue", "catalog"), ("per cent", "percent"), ("neighbouring", "neighboring"),
    ("emphasised", "emphasized"), ("authorised", "authorized"), ("modernisation", "modernization"),
)
REBUILT_SHARE = 0.3  # the README's rule for a paraphrase: 30% of the sentence pairs rebuilt
REBUILDING_RULES = frozenset({"attribution", "split", "merged"})
CHANGES = frozenset({"swap", "phrase", "clause-inserted", "clause-deleted"})
NOT_CHANGES = frozenset({"variant", "homoglyph", "invisible"})
SUB_KINDS = ("spin30", "spin50", "spin70", "rewrite")
_RATES = {"spin30": 0.3, "spin50": 0.5, "spin70": 0.7}


@dataclass(frozen=True, slots=True)
class LoggedEdit:
    kind: str
    source_at: Range
    suspect_at: Range


@dataclass(frozen=True, slots=True)
class SubCase:
    id: str
    kind: str
    source_id: str
    suspect: str
    edits: tuple[LoggedEdit, ...]


@dataclass(slots=True)
class Tally:
    listed: int = 0
    right: int = 0
    neutral: int = 0
    changes: int = 0
    found: int = 0
    variants_listed: int = 0
    cases: int = 0
    traced: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        judged = self.listed - self.neutral
        return {"cases": self.cases, "traced": self.traced, "listed": self.listed,
                "right": self.right, "neutral": self.neutral, "changes": self.changes,
                "found": self.found, "variants_listed": self.variants_listed,
                "precision": round(self.right / judged, 4) if judged else 1.0,
                "recall": round(self.found / self.changes, 4) if self.changes else 1.0}


def add_variants(text: str, rng: random.Random, rate: float = 0.7) -> tuple[str, list[LoggedEdit]]:
    """``text`` with about ``rate`` of its variant spots changed (apostrophes in words made curly,
    spellings swapped UK <-> US, "per cent" <-> "%"), and the log of what changed."""
    spots: list[tuple[Range, str]] = []
    for uk, us in VARIANT_PAIRS:
        for was, now in ((uk, us), (us, uk)):
            for m in re.finditer(rf"\b{re.escape(was)}\b", text, flags=re.IGNORECASE):
                spots.append(((m.start(), m.end()),
                              now if m.group()[0].islower() else now[0].upper() + now[1:]))
    for m in re.finditer(r"(?<=\w)'(?=\w)", text):
        spots.append(((m.start(), m.end()), "\u2019"))
    for m in re.finditer(r"(?<=\d)%", text):
        spots.append(((m.start(), m.end()), " per cent"))
    chosen = sorted(s for s in spots if rng.random() < rate)
    out: list[str] = []
    log: list[LoggedEdit] = []
    pos = length = 0
    for (a, b), new in chosen:
        if a < pos:
            continue
        out.append(text[pos:a])
        length += a - pos
        out.append(new)
        log.append(LoggedEdit("variant", (a, b), (length, length + len(new))))
        length += len(new)
        pos = b
    out.append(text[pos:])
    return "".join(out), log


def _to_source(log: Sequence[LoggedEdit], r: Range) -> Range:
    """A range of the variant text mapped back to the text before the variants (``log``)."""
    def one(p: int, end: bool) -> int:
        shift = 0
        for e in log:
            if p < e.suspect_at[0] or (end and p == e.suspect_at[0]):
                break
            if p <= e.suspect_at[1] and p >= e.suspect_at[0]:
                return e.source_at[1] if end and p > e.suspect_at[0] else e.source_at[0]
            shift = e.source_at[1] - e.suspect_at[1]
        return p + shift
    return one(r[0], False), one(r[1], True)


def substitution_case(src: Article, kind: str, rng: random.Random, spinner: Spinner,
                      case_id: str) -> SubCase:
    """One substitution case of ``kind`` (``SUB_KINDS``) from the whole of ``src``."""
    if kind == "rewrite":
        sentences = split_sentences(src.text)
        suspect, log = rewrite(src.text, (sentences[0][0], sentences[-1][1]), rng,
                               characters=True)
        edits = tuple(LoggedEdit(e.kind, e.source_at, e.suspect_at) for e in log)
        return SubCase(case_id, kind, src.id, suspect, edits)
    varied, vlog = add_variants(src.text, rng)
    spun = spinner.spin(varied, _RATES[kind], rng)
    swaps = [LoggedEdit("swap", _to_source(vlog, (a, b)), (c, d)) for a, b, c, d in spun.swaps]
    # a variant spot the spinner then swapped is a swap; the others keep their place in the text
    shifted = _shift_variants(vlog, spun.swaps)
    return SubCase(case_id, kind, src.id, spun.text, tuple(swaps + shifted))


def _shift_variants(vlog: Sequence[LoggedEdit],
                    swaps: Sequence[tuple[int, int, int, int]]) -> list[LoggedEdit]:
    out = []
    for e in vlog:
        a, b = e.suspect_at
        if any(x < b and a < y for x, y, _, _ in swaps):
            continue
        shift = 0
        for _x, y, _c, d in swaps:
            if y <= a:
                shift = d - y
        out.append(LoggedEdit("variant", e.source_at, (a + shift, b + shift)))
    return out


def _overlaps(r: Range, s: Range) -> bool:
    if r[0] == r[1] or s[0] == s[1]:
        return s[0] <= r[0] <= s[1] or r[0] <= s[0] <= r[1]
    return r[0] < s[1] and s[0] < r[1]


def score_case(tally: Tally, case: SubCase, listed: Sequence[tuple[Range, Range]]) -> None:
    """Add one case's listed substitutions ((suspect_at, source_at) pairs) to ``tally``."""
    changes = [e for e in case.edits if e.kind in CHANGES]
    tally.cases += 1
    tally.changes += len(changes)
    found: set[int] = set()
    for sus_at, src_at in listed:
        tally.listed += 1
        hit = [k for k, e in enumerate(changes)
               if _overlaps(sus_at, e.suspect_at) or _overlaps(src_at, e.source_at)]
        if hit:
            tally.right += 1
            found.update(hit)
            continue
        others = [e for e in case.edits if e.kind not in CHANGES
                  and (_overlaps(sus_at, e.suspect_at) or _overlaps(src_at, e.source_at))]
        if others and all(e.kind not in NOT_CHANGES for e in others):
            tally.neutral += 1
        elif others:
            tally.variants_listed += 1
    tally.found += len(found)


def expected(case_kind: str, meta: dict[str, Any]) -> tuple[str, ...]:
    """The labels a reader would accept for a case (the first is the one named in the matrix)."""
    rules = meta.get("rules")
    if case_kind not in ("paraphrase", "paraphrase+spin") or rules is None:
        return (EXPECTED[case_kind],)
    rebuilt = sum(1 for done in rules if REBUILDING_RULES & set(done))
    if rules and rebuilt >= REBUILT_SHARE * len(rules):
        return ("paraphrase",)
    if case_kind == "paraphrase+spin":
        return ("spun",)
    if rebuilt or any("opener" in done for done in rules):
        return ("light",)
    if any("numbers" in done for done in rules):
        return ("light", "verbatim")
    return ("verbatim",)


def confusion(rows: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """(expected, given) label pairs -> counts per expected label and the share right; an expected
    label written ``a|b`` accepts either."""
    matrix: dict[str, dict[str, int]] = {}
    for want, got in rows:
        matrix.setdefault(want, {})
        matrix[want][got] = matrix[want].get(got, 0) + 1
    right = sum(1 for want, got in rows if got in want.split("|"))
    return {"matrix": matrix, "right": right, "total": len(rows),
            "accuracy": round(right / len(rows), 4) if rows else 0.0}


__all__ = ["EXPECTED", "expected", "SUB_KINDS", "Tally", "SubCase", "LoggedEdit", "add_variants",
           "substitution_case", "score_case", "confusion"]
