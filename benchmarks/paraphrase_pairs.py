"""Substitution precision and recall on the hand-aligned sentence pairs.

    .venv/bin/python benchmarks/paraphrase_pairs.py [benchmarks/data/paraphrase-pairs.jsonl]

Each line of the set holds a source sentence, a rewritten one and the changes a reader sees, as
(source phrase, suspect phrase) pairs, "" for the empty side of an insertion or deletion. The set
was written by hand for this benchmark, after the rules and before any run on it; no rule was
changed after. A listed change is right when it overlaps an expected one on either side; recall
counts the expected changes some listed change overlaps. A pair the aligner does not align lists
nothing.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from unspin.align import Aligner
from unspin.analysis import analyze
from unspin.bench.evidence import _overlaps
from unspin.thesaurus import load

Range = tuple[int, int]


def _at(text: str, phrase: str) -> Range | None:
    m = re.search(rf"\b{re.escape(phrase)}\b", text)
    return (m.start(), m.end()) if m else None


def score(path: Path) -> dict[str, float | int]:
    thesaurus = load("wordnet")
    listed = right = expected = found = aligned = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        src, sus = pair["source"], pair["suspect"]
        passages = Aligner(analyze(sus), thesaurus).align(analyze(src))
        aligned += bool(passages)
        subs = [x for p in passages for x in p.substitutions]
        want = [(_at(src, a) if a else None, _at(sus, b) if b else None) for a, b in pair["changes"]]
        expected += len(want)
        hit: set[int] = set()
        for x in subs:
            listed += 1
            ks = [k for k, (wa, wb) in enumerate(want)
                  if (wa and _overlaps(x.source_at, wa)) or (wb and _overlaps(x.suspect_at, wb))]
            right += bool(ks)
            hit.update(ks)
        found += len(hit)
    return {"pairs": sum(1 for _ in path.open(encoding="utf-8")), "aligned": aligned,
            "listed": listed, "right": right, "expected": expected, "found": found,
            "precision": round(right / listed, 4) if listed else 1.0,
            "recall": round(found / expected, 4) if expected else 1.0}


if __name__ == "__main__":
    default = Path(__file__).with_name("data") / "paraphrase-pairs.jsonl"
    print(json.dumps(score(Path(sys.argv[1]) if len(sys.argv) > 1 else default), indent=1))
