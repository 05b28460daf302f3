"""Heavy rewrites as benchmark cases: the hand-written English rewrites of the multilingual set.

The generator's own paraphrases rebuild few sentences, so the benchmark's copies stop short of what
an editor told to "rewrite this so it cannot be traced" writes, and ``confidence``'s calibration,
fitted on the dev run, had no such copy: a found heavy rewrite got 0.12-0.48. The set's ``rewrite``
items (``benchmarks/multilingual_set/rewrites.txt``: every sentence rebuilt, quotes turned into
reported speech, sentences merged and split; written by hand before any fitting) join the run as
the kind ``heavy-rewrite``: odd-numbered items in a dev run (so the calibration sees them), even ones
in a test run (reported), never the held-out part. Each covers the opening of its source, so the
truth names the source but no exact source range: the case counts for recall, the verdict, the
calibration and the score gap, and is left out of plagdet (``meta["plagdet"]`` false).
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from unspin.bench.multilingual_set import DEFAULT_DIR, read_items
from unspin.bench.records import Case, TruePassage

KIND = "heavy-rewrite"


def heavy_rewrites(part: str, indexed: Collection[str],
                   folder: Path = DEFAULT_DIR) -> list[Case]:
    """The set's English rewrites of ``part`` (dev, test, or all: both) whose BBC source is among
    the ``indexed`` article ids, as derived cases; none when the set is not there."""
    if not (folder / "rewrites.txt").is_file():
        return []
    cases = []
    for item in read_items(folder):
        source = f"bbc/{item.source}"
        if item.kind != "rewrite" or item.holdout or source not in indexed:
            continue
        if part != "all" and item.split != part:
            continue
        truth = TruePassage((0, len(item.text)), source, (0, 0))
        cases.append(Case(f"{KIND}-{item.id}", KIND, item.text, (truth,),
                          {"item": item.id, "plagdet": False}))
    return cases


__all__ = ["KIND", "heavy_rewrites"]
