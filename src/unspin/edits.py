"""The edit script of one aligned sentence pair: what the suspect replaced, inserted, deleted.

Tokens are compared by their variant key (``variants.key``), so a UK spelling, a curly apostrophe
or a decimal comma is no change; the alignment is difflib's over the key lists (longest kept runs
first, so a moved clause stays whole). Each run of differing tokens is one edit:

- ``replaced``: one run of suspect words stands where a run of source words stood
  ("seize large swaths" <- "annex swathes" is one pair, not three);
- ``inserted``: suspect words with nothing in their place in the source;
- ``deleted``: source words the suspect left out;
- ``moved``: an inserted (deleted) run whose words stand in that order elsewhere in the source
  (suspect) sentence; any other change holding a content word that the other sentence has outside
  it more often than its own does is a cut of a reordered sentence, not a rewrite, and is not
  listed;
- ``variant``: a run whose two sides are one word apart only by spacing or hyphens ("per cent" /
  "percent"), or "per cent" against a "%" sign; one word against one with a few letters swapped
  for non-ASCII look-alikes (``lookalike``); and each kept token whose surfaces differ
  (case, typography, spelling, number format), and a date written day first against month first
  ("3 March" / "March 3", ``date``). Variants are listed apart, never as changes.

Alignment slips (``slip``): a replaced run is dropped when its sides differ in whether they hold
a name or a number and share no three-letter sequence ("on" -> "TOKYO", "Friday" -> "Police"), or
share no three-letter sequence and stand far apart in their sentences (relative positions more than
``FAR_APART`` apart). Such a pair is the aligner's guess, not a rewrite.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from .tokens import FUNCTION, NAME, NUMBER
from .variants import key, phrase_key, variant_type

# month names and their abbreviations: "March 3" and "3 March" are one date (``date_keys``)
_MONTHS = frozenset("january february march april may june july august september october november "
                    "december jan feb mar apr jun jul aug sep sept oct nov dec".split())
FAR_APART = 0.25  # relative position gap from which a replaced pair with nothing in common slips
SHORT_PHRASE = 3  # words per side of an in-place swap ("short phrase")


@dataclass(frozen=True, slots=True)
class Side:
    """One sentence's tokens: lower-case forms, classes, surfaces (as written) and the text of
    the gap before each token plus the one after the last (``len(gaps) == len(tokens) + 1``)."""

    tokens: tuple[str, ...]
    classes: tuple[int, ...]
    surfaces: tuple[str, ...]
    gaps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Op:
    """One edit: token ranges ``[start, end)`` in the suspect (``a``) and the source (``b``)."""

    kind: str  # replaced | inserted | deleted | moved | variant
    a: tuple[int, int]
    b: tuple[int, int]
    in_place: bool = False  # a shared word on each side of it
    anchored: bool = False  # two shared words or more on each side, none of its words moved
    variant: str = ""  # for kind variant: case | typography | spelling | number | characters | date


@dataclass(frozen=True, slots=True)
class Script:
    ops: tuple[Op, ...]
    equal: int  # tokens kept (by key)
    changed: int  # the longer side of every change, summed
    swapped: int  # the longer side of replaced runs of at most SHORT_PHRASE words a side, next to kept words
    longest: int  # the longer sentence's token count
    slips: int = 0
    reordered: int = 0  # content words both sentences hold outside their kept runs (out of order)
    replaced: int = 0  # the longer side of replaced runs next to kept words (any length): no word
    # added or dropped there


def _trigrams(words: list[str]) -> set[str]:
    text = " ".join(words)
    return {text[i : i + 3] for i in range(len(text) - 2)} - {"   "}


def _has_anchor(classes: tuple[int, ...], r: tuple[int, int]) -> bool:
    return any(classes[k] in (NAME, NUMBER) for k in range(*r))


def is_slip(a: Side, b: Side, ra: tuple[int, int], rb: tuple[int, int]) -> bool:
    """Whether a replaced run is an alignment slip (see the module's rule)."""
    wa, wb = list(a.tokens[ra[0] : ra[1]]), list(b.tokens[rb[0] : rb[1]])
    if _trigrams(wa) & _trigrams(wb):
        return False
    if _has_anchor(a.classes, ra) != _has_anchor(b.classes, rb):
        return True
    pa = (ra[0] + ra[1]) / 2 / max(len(a.tokens), 1)
    pb = (rb[0] + rb[1]) / 2 / max(len(b.tokens), 1)
    return abs(pa - pb) > FAR_APART


def lookalike(x: str, y: str) -> bool:
    """Whether two words of one length differ only in a few letters (at most a third), each an ASCII
    letter on one side and a non-ASCII character on the other: a look-alike letter from another
    script that normalisation did not fold ("s𑣘ch" for "such")."""
    if len(x) != len(y) or x == y:
        return False
    diff = [(c, d) for c, d in zip(x, y, strict=True) if c != d]
    return len(diff) <= max(1, len(x) // 3) and all(
        (c.isascii() and c.isalpha() and not d.isascii())
        or (d.isascii() and d.isalpha() and not c.isascii()) for c, d in diff)


def _percent(words: list[str], gap: str) -> bool:
    return phrase_key(words) == "percent" and "%" in gap


def _day(k: str) -> bool:
    return k.isdigit() and len(k) <= 2 and 1 <= int(k) <= 31


def date_keys(tokens: tuple[str, ...]) -> list[str]:
    """The tokens' variant keys, with a month name followed by a day ("March 3") read in the
    day-first order ("3 March"): the order of a date is a variant, not a change."""
    keys = [key(t) for t in tokens]
    for k in range(len(keys) - 1):
        if keys[k] in _MONTHS and _day(keys[k + 1]) and not (k > 0 and _day(keys[k - 1])):
            keys[k], keys[k + 1] = keys[k + 1], keys[k]
    return keys


def _kept_variants(a: Side, b: Side, ra: tuple[int, int], rb: tuple[int, int]) -> list[Op]:
    out: list[Op] = []
    for x, y in zip(range(*ra), range(*rb), strict=True):
        if key(a.tokens[x]) != key(b.tokens[y]):  # a date in the other order: one variant
            last = out[-1] if out else None
            if last is not None and last.variant == "date" and last.a[1] == x:
                out[-1] = replace(last, a=(last.a[0], x + 1), b=(last.b[0], y + 1))
            else:
                out.append(Op("variant", (x, x + 1), (y, y + 1), variant="date"))
        elif a.surfaces[x] != b.surfaces[y]:
            kind = variant_type(a.surfaces[x], b.surfaces[y])
            out.append(Op("variant", (x, x + 1), (y, y + 1), variant=kind))
    return out


def _change(a: Side, b: Side, tag: str, ra: tuple[int, int], rb: tuple[int, int],
            in_place: bool) -> Op:
    wa, wb = list(a.tokens[ra[0] : ra[1]]), list(b.tokens[rb[0] : rb[1]])
    if tag == "replace":
        if phrase_key(wa) == phrase_key(wb):
            return Op("variant", ra, rb, in_place, variant="typography")
        if ra[1] - ra[0] == rb[1] - rb[0] == 1 and lookalike(a.surfaces[ra[0]], b.surfaces[rb[0]]):
            return Op("variant", ra, rb, in_place, variant="characters")
        return Op("replaced", ra, rb, in_place)
    if tag == "delete":  # words only the suspect has
        if _percent(wa, b.gaps[rb[0]]):
            return Op("variant", ra, rb, in_place, variant="number")
        return Op("inserted", ra, rb, in_place)
    if _percent(wb, a.gaps[ra[0]]):
        return Op("variant", ra, rb, in_place, variant="number")
    return Op("deleted", ra, rb, in_place)


def edit_script(a: Side, b: Side) -> Script:
    """The edit script turning source sentence ``b`` into suspect sentence ``a``."""
    ka, kb = date_keys(a.tokens), date_keys(b.tokens)
    ops_in = _runs(ka, kb)
    ops: list[Op] = []
    equal = changed = swapped = slips = replaced = 0
    for k, (tag, ra, rb) in enumerate(ops_in):
        if tag == "equal":
            equal += ra[1] - ra[0]
            ops.extend(_kept_variants(a, b, ra, rb))
            continue
        in_place = 0 < k < len(ops_in) - 1
        edit = _change(a, b, tag, ra, rb, in_place)
        if in_place and _anchored(ops_in[k - 1], ops_in[k + 1]) and not _moved_words(ka, kb, ra, rb):
            edit = replace(edit, anchored=True)
        if edit.kind == "variant":
            ops.append(edit)
            equal += max(ra[1] - ra[0], rb[1] - rb[0])
            continue
        size = max(ra[1] - ra[0], rb[1] - rb[0])
        changed += size
        if edit.kind == "replaced" and is_slip(a, b, ra, rb):
            slips += 1
            continue
        if _moved_content(a, b, ka, kb, ra, rb):
            moved_op = _move(edit, ka, kb)
            if moved_op is not None:
                ops.append(moved_op)
            continue
        # a swap: a short replaced run next to kept words (at a sentence's edge too: "Tax" ->
        # "Duty" opening a table row is swapped in place as much as in mid-sentence)
        if edit.kind == "replaced" and len(ops_in) > 1:
            replaced += size
            if size <= SHORT_PHRASE and _content(a, ra) and _content(b, rb):
                swapped += size
        ops.append(edit)
    return Script(tuple(ops), equal, changed, swapped, max(len(a.tokens), len(b.tokens)), slips,
                  _out_of_order(a, b, ka, kb, ops_in), replaced)


def _out_of_order(a: Side, b: Side, ka: list[str], kb: list[str],
                  runs: list[tuple[str, tuple[int, int], tuple[int, int]]]) -> int:
    """Content words that both sentences hold but the kept runs do not pair: words the rewrite
    moved (an attribution taken from the end to the front, a clause put first)."""
    moved_a: Counter[str] = Counter()
    moved_b: Counter[str] = Counter()
    for tag, ra, rb in runs:
        if tag == "equal":
            continue
        moved_a.update(ka[k] for k in range(*ra) if a.classes[k] != FUNCTION)
        moved_b.update(kb[k] for k in range(*rb) if b.classes[k] != FUNCTION)
    return sum((moved_a & moved_b).values())


def _moved_content(a: Side, b: Side, ka: list[str], kb: list[str], ra: tuple[int, int],
                   rb: tuple[int, int]) -> bool:
    """Whether a change holds a content word that the other sentence has outside the change more
    often than its own sentence does: the sentence was reordered there, and the change is the
    alignment's cut."""
    rest_a = Counter(ka[: ra[0]] + ka[ra[1] :])
    rest_b = Counter(kb[: rb[0]] + kb[rb[1] :])
    return any(a.classes[k] != FUNCTION and rest_b[ka[k]] > rest_a[ka[k]] for k in range(*ra)) or any(
        b.classes[k] != FUNCTION and rest_a[kb[k]] > rest_b[kb[k]] for k in range(*rb))


def _find(seq: list[str], run: list[str]) -> int:
    for k in range(len(seq) - len(run) + 1):
        if seq[k : k + len(run)] == run:
            return k
    return -1


def _move(edit: Op, ka: list[str], kb: list[str]) -> Op | None:
    """An inserted (deleted) run found word for word elsewhere in the source (suspect) as one
    ``moved`` op; ``None`` for another reordered cut (it is not listed)."""
    if edit.kind == "inserted":
        at = _find(kb, ka[edit.a[0] : edit.a[1]])
        return Op("moved", edit.a, (at, at + edit.a[1] - edit.a[0])) if at >= 0 else None
    if edit.kind == "deleted":
        at = _find(ka, kb[edit.b[0] : edit.b[1]])
        return Op("moved", (at, at + edit.b[1] - edit.b[0]), edit.b) if at >= 0 else None
    return None


def _runs(ka: list[str], kb: list[str]) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """Kept runs and change runs, alternating: difflib's matching blocks (longest kept runs
    first, so a moved clause stays whole), with neighbouring changes joined into one run."""
    out: list[tuple[str, tuple[int, int], tuple[int, int]]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes():
        if tag != "equal" and out and out[-1][0] != "equal":
            _, (p1, _p2), (q1, _q2) = out.pop()
            i1, j1 = p1, q1
            tag = "replace" if i2 > i1 and j2 > j1 else tag
        out.append((tag, (i1, i2), (j1, j2)))
    return out


def _anchored(before: tuple[str, tuple[int, int], tuple[int, int]],
              after: tuple[str, tuple[int, int], tuple[int, int]]) -> bool:
    return before[1][1] - before[1][0] >= 2 and after[1][1] - after[1][0] >= 2


def _moved_words(ka: list[str], kb: list[str], ra: tuple[int, int], rb: tuple[int, int]) -> bool:
    """Whether a change holds a word the other sentence has elsewhere (a rebuilt sentence moved
    it: the change is the alignment's cut, not a swap)."""
    return bool(set(ka[ra[0] : ra[1]]) & set(kb) or set(kb[rb[0] : rb[1]]) & set(ka))


def _content(side: Side, r: tuple[int, int]) -> bool:
    return any(side.classes[k] != FUNCTION for k in range(*r))


__all__ = ["Side", "Op", "Script", "edit_script", "is_slip", "date_keys", "FAR_APART",
           "SHORT_PHRASE"]
