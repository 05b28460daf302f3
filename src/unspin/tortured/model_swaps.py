"""The records of the language-model detector: a sentence as model tokens, a candidate swap, a
finding; and how verified swaps become phrases (adjacent flagged words as one, with one
suggestion)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from ..analysis import Analyzed


@dataclass(frozen=True, slots=True)
class ModelFinding:
    """Words ``first..last`` (token indices, inclusive) and their suggested replacement."""

    first: int
    last: int
    suggestion: str
    margin: float
    detail: str
    evidence: str  # "model" | "translation"
    probe: float | None = None  # the replaced-word probe's highest log-odds in the phrase


@dataclass(frozen=True, slots=True)
class Seq:
    """A sentence as model tokens: ids (after the start token) and each word's token range."""

    ids: tuple[int, ...]
    words: dict[int, tuple[int, int]]  # unspin token index -> [a, b) positions in ids


@dataclass(frozen=True, slots=True)
class Swap:
    """A candidate replacement of one word, and once verified its features and score."""

    word: int  # unspin token index
    new: str  # replacement surface form
    new_ids: tuple[int, ...]
    left: float  # first-token advantage at the place (nats); exact once verified
    evidence: str  # "model" | "translation"
    source: str  # "thesaurus" | "spinner" | "model" | "function"
    surprisal: float = 0.0  # of the word replaced, in nats
    zipf_word: float = 0.0  # of the word replaced
    gain: float = 0.0  # log-likelihood gain over the re-scored window (nats), once verified
    score: float = 0.0  # before verification: the score if the words after the swap were neutral
    features: tuple[float, ...] = ()
    last: int = -1  # a two-word swap: the second word (``new`` then holds both)
    probe: float | None = None  # the replaced-word probe's log-odds for the word, when read

    @property
    def end(self) -> int:
        return self.word if self.last < 0 else self.last


def suggest(best: Swap, neighbour: Swap | None) -> Swap:
    if neighbour is None or best.source != "model":
        return best
    return replace(best, new=neighbour.new, new_ids=neighbour.new_ids, source=neighbour.source)


def apply_swaps(base: np.ndarray, seq: Seq, swaps: Mapping[int, Swap]) -> tuple[np.ndarray, Seq]:
    """The ids with each swap's word replaced by its tokens, and the shifted word ranges."""
    out = [int(base[0])]
    words: dict[int, tuple[int, int]] = {}
    starts = {a: (i, b) for i, (a, b) in seq.words.items()}
    p = 0
    while p < len(seq.ids):
        got = starts.get(p)
        if got is not None:
            i, b = got
            new = swaps[i].new_ids if i in swaps else seq.ids[p:b]
            words[i] = (len(out) - 1, len(out) - 1 + len(new))
            out.extend(new)
            p = b
            continue
        out.append(seq.ids[p])
        p += 1
    return np.array(out, dtype=np.int64), Seq(tuple(out[1:]), words)


def phrases(doc: Analyzed, accepted: Mapping[int, Swap]) -> list[ModelFinding]:
    """Adjacent flagged words as one phrase each, with one suggestion."""
    out: list[ModelFinding] = []
    run: list[Swap] = []
    for i in sorted(accepted):
        if run and i == run[-1].word + 1:
            run.append(accepted[i])
            continue
        if run:
            out.append(finding(doc, run))
        run = [accepted[i]]
    if run:
        out.append(finding(doc, run))
    return out


def finding(doc: Analyzed, run: list[Swap]) -> ModelFinding:
    toks = doc.tokens
    first, last = run[0].word, run[-1].word
    parts: list[str] = []
    for k, s in enumerate(run):
        if k:
            parts.append(doc.text[toks.ends[s.word - 1] : toks.starts[s.word]])
        parts.append(s.new)
    old = doc.text[toks.starts[first] : toks.ends[last]]
    gain = min(s.gain for s in run)
    score = min(s.score for s in run)
    surprisal = max(s.surprisal for s in run)
    evidence = "translation" if all(s.evidence == "translation" for s in run) else "model"
    probes = [s.probe for s in run if s.probe is not None]
    probe = f"; replaced-word probe {max(probes):+.2f}" if probes else ""
    return ModelFinding(first, last, "".join(parts), gain,
                        f"'{old}' -> '{''.join(parts)}': {gain:+.2f} nats likelier; "
                        f"surprisal {surprisal:.2f} nats; score {score:+.2f}{probe}", evidence,
                        max(probes) if probes else None)


__all__ = ["ModelFinding", "Seq", "Swap", "suggest", "apply_swaps", "phrases", "finding"]
