"""Which held-out negatives reuse another article's words: the truth test for negatives, read on a split.

For every negative a split draws (plain negatives, which also host the inserted-element kinds, and
same-event stories) and for MRPC's non-paraphrase pairs, this lists those that share at least one
word 8-gram with another article of the corpus (for MRPC: with their counterpart sentence), with
the longest run of identical words they share (``difflib`` on the benchmark's own lower-cased words,
never unspin's matching). Each kind's count is printed, so the rule's cost can be stated.

    .venv/bin/python benchmarks/negatives_truth.py --data ../shared/data --split dev --rule old

``--rule old`` draws as before session 6 (up to 4 shared 8-grams let through); ``--rule new`` draws
with the rule the same-event negatives always used (no shared 8-gram), so it should list none.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

from unspin.article import Article
from unspin.bench import mrpc, sampling
from unspin.bench.corpus import load_corpus
from unspin.bench.text import word_shingles, words
from unspin.sanitize import json_safe

N = sampling.OVERLAP_NGRAM


def longest_run(a: str, b: str) -> tuple[int, str]:
    wa, wb = words(a), words(b)
    m = SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match(0, len(wa), 0, len(wb))
    return m.size, " ".join(wa[m.a:m.a + m.size])


def sharing(held: list[Article], corpus: list[Article]) -> list[dict[str, object]]:
    """The held-out articles that share a word 8-gram with another article, each with the article
    it shares most with and their longest common run."""
    grams = {a.id: word_shingles(a.text, N) for a in held}
    holders: dict[str, list[str]] = defaultdict(list)
    for aid, gs in grams.items():
        for g in gs:
            holders[g].append(aid)
    best: dict[str, tuple[int, Article]] = {}
    for other in corpus:
        counts: dict[str, int] = defaultdict(int)
        for g in word_shingles(other.text, N):
            for aid in holders.get(g, ()):
                if aid != other.id:
                    counts[aid] += 1
        for aid, c in counts.items():
            if c > best.get(aid, (0, other))[0]:
                best[aid] = (c, other)
    text = {a.id: a.text for a in held}
    out = []
    for aid, (c, other) in sorted(best.items()):
        run, words_ = longest_run(text[aid], other.text)
        out.append({"id": aid, "shared_8grams": c, "with": other.id, "longest_run": run,
                    "run": words_[:200]})
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--cases-per-kind", type=int, default=20)
    parser.add_argument("--same-event", type=int, default=150)
    parser.add_argument("--rule", choices=("old", "new"), default="new")
    args = parser.parse_args()
    if args.rule == "old":
        sampling.MAX_SHARED_NEGATIVE = sampling.MAX_SHARED
    corpus = load_corpus(args.data)
    kinds = len(__import__("unspin.bench.generator", fromlist=["KINDS"]).KINDS)
    split = sampling.split_corpus(
        corpus, n_sources=args.cases_per_kind * kinds, n_hosts=args.cases_per_kind,
        n_negatives=3 * args.cases_per_kind, seed=0, part=args.split,
        n_same_event=args.same_event)
    report: dict[str, object] = {"rule": args.rule, "split": args.split,
                                 "skipped": dict(split.skipped)}
    for kind, held in (("negative", split.negatives), ("same-event", split.same_event)):
        rows = sharing(held, corpus)
        report[kind] = {"drawn": len(held), "sharing": len(rows), "rows": rows}
    name = mrpc.MRPC_TRAIN if args.split == "dev" else mrpc.MRPC_TEST
    pairs = [p for p in mrpc.read_pairs(args.data / name) if p.label == 0]
    reused = [p for p in pairs if mrpc.reuses(p)]
    report["mrpc"] = {"non_paraphrase_pairs": len(pairs), "sharing": len(reused),
                      "runs": sorted(longest_run(p.text1, p.text2)[0] for p in reused)}
    print(json_safe(json.dumps(report, indent=1, ensure_ascii=False)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
