"""Read a benchmark run's hardest cases: the negatives called derived (or scoring highest) and the
lowest-scoring true copies, with the longest run of identical words each shares with the source
unspin named.

The run of identical words is found by ``difflib.SequenceMatcher`` on lower-cased word lists (not
by unspin's fingerprints or aligner), so it is an independent witness of verbatim reuse. Usage,
after a benchmark run (``make bench`` writes the work folders)::

    .venv/bin/python benchmarks/negatives_probe.py --work benchmarks/work/dev --top 15
"""

from __future__ import annotations

import argparse
import json
import re
from difflib import SequenceMatcher
from pathlib import Path

from unspin import Index
from unspin.bench.records import Case, Detection, Prediction, read_cases
from unspin.sanitize import json_safe

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def read_predictions(path: Path) -> dict[str, Prediction]:
    out = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            d = json.loads(line)
            d["detections"] = [Detection(tuple(x["suspect_range"]), x["source_id"],
                                         tuple(x["source_range"])) for x in d["detections"]]
            out[d["case_id"]] = Prediction(**d)
    return out


def words(text: str) -> list[str]:
    return [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]


def longest_common_run(a: str, b: str) -> tuple[int, str]:
    """The longest run of identical (lower-cased) words in ``a`` and ``b``, and its text."""
    wa, wb = words(a), words(b)
    m = SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match(0, len(wa), 0, len(wb))
    return m.size, " ".join(wa[m.a:m.a + m.size])


def row(case: Case, pred: Prediction, index: Index, show: int) -> dict[str, object]:
    claimed = (pred.claimed or pred.ranked or [None])[0]
    source = index.get(claimed) if claimed else None
    run, text = longest_common_run(case.suspect, source.text) if source else (0, "")
    return {"case": case.id, "kind": case.obfuscation, "score": pred.score,
            "verdict": pred.verdict, "source": claimed, "true_source": case.source_id,
            "longest_common_words": run, "run": text[:show],
            "suspect": case.suspect[:show].replace("\n", " / ")}


def dump(out: dict) -> str:
    """``out`` as JSON safe to print: the corpus is hostile by design, so bidi marks (U+202E) and
    C1 controls in its text are written as escapes (C0 controls JSON escapes already)."""
    return json_safe(json.dumps(out, indent=1, ensure_ascii=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("benchmarks/work/dev"))
    parser.add_argument("--detector", default="wordnet")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--show", type=int, default=300, help="characters of text to print")
    args = parser.parse_args()
    cases = {c.id: c for c in read_cases(args.work / f"cases-{args.detector}-detector.jsonl")}
    preds = read_predictions(args.work / f"predictions-{args.detector}-detector-unspin.jsonl")
    negatives = sorted((c for c in cases.values() if not c.derived and c.obfuscation != "neg-mrpc"),
                       key=lambda c: -(preds[c.id].score or 0.0))
    copies = sorted((c for c in cases.values() if c.derived),
                    key=lambda c: preds[c.id].score or 0.0)
    with Index.open(args.work / f"index-{args.detector}", readonly=True) as index:
        out = {"highest_negatives": [row(c, preds[c.id], index, args.show)
                                     for c in negatives[:args.top]],
               "lowest_copies": [row(c, preds[c.id], index, args.show)
                                 for c in copies[:args.top]]}
    print(dump(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
