"""Evidence benchmark: substitution precision/recall against the edit logs, label confusion matrix.

    nice -n 10 .venv/bin/python benchmarks/evidence_bench.py --data ../shared/data \
        --split dev --sources 1500 --per-kind 10 --out benchmarks/results/evidence-dev.json

See ``unspin.bench.evidence`` for what is measured. Cases come from one half of the corpus
(``--split``), the spinner uses Moby while the detector uses WordNet, as in the main harness.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from collections import Counter
from pathlib import Path

from unspin import CheckConfig, CheckResult, Index, IndexConfig, check
from unspin.bench.corpus import load_corpus
from unspin.bench.dataset import BenchSpec, draw_split, make_cases
from unspin.bench.evidence import (
    EXPECTED,
    SUB_KINDS,
    Tally,
    confusion,
    expected,
    score_case,
    substitution_case,
)
from unspin.bench.spinner import Spinner
from unspin.bench.thesauri import spinner_synonyms


def _passage_kinds(result: CheckResult, truth: str) -> list[str]:
    """The true source's passages, in suspect order (to read a wrong label): kind, sentence pairs,
    similarity, changes listed by kind, source start."""
    top = result.sources[0] if result.sources and result.sources[0].id == truth else None
    out = []
    for p in top.passages if top else ():
        kinds = Counter(s.kind for s in p.substitutions)
        out.append(f"{p.kind} n={p.sentences} sim={p.similarity} src@{p.source[0]} "
                   + " ".join(f"{k}:{v}" for k, v in sorted(kinds.items())))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--split", choices=("dev", "test"), default="dev")
    ap.add_argument("--sources", type=int, default=1500, help="articles indexed")
    ap.add_argument("--per-kind", type=int, default=10)
    ap.add_argument("--work", type=Path, default=Path("benchmarks/work/evidence"))
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    spec = BenchSpec(per_kind=args.per_kind, n_negatives=5, index_size=args.sources,
                     kinds=tuple(EXPECTED), seed=args.seed, part=args.split)
    split = draw_split(load_corpus(args.data), spec)
    cases, _ = make_cases(split, args.data, spec)
    shutil.rmtree(args.work, ignore_errors=True)
    started = time.perf_counter()
    index = Index.create(args.work, config=IndexConfig())
    index.add(split.indexed)
    config = CheckConfig()

    rows = []
    wrong: list[dict[str, object]] = []
    suspects: list[dict[str, object]] = []  # the wrong cases' texts, kept in the work folder
    for case in cases:
        if case.obfuscation not in EXPECTED:
            continue
        result = check(case.suspect, index, config=config)
        truth = case.passages[0].source_id if case.passages else ""
        got = result.sources[0].obfuscation if result.sources and result.sources[0].id == truth \
            else "not traced"
        rows.append((case.obfuscation, "|".join(expected(case.obfuscation, case.meta)), got,
                     EXPECTED[case.obfuscation]))
        if got not in rows[-1][1].split("|"):
            wrong.append({"case": case.id, "kind": case.obfuscation, "truth": rows[-1][1],
                          "given": got, "kinds": _passage_kinds(result, truth)})
            suspects.append({"case": case.id, "source": truth, "suspect": case.suspect,
                             "meta": case.meta})

    synonyms, _ = spinner_synonyms("moby")
    spinner = Spinner(synonyms)
    tallies = {k: Tally() for k in SUB_KINDS}
    rng = random.Random(f"evidence:{args.seed}:{args.split}")
    sources = [a for a in split.sources][: args.per_kind * len(SUB_KINDS)]
    for n, src in enumerate(sources):
        kind = SUB_KINDS[n % len(SUB_KINDS)]
        sub = substitution_case(src, kind, rng, spinner, f"sub-{n:04d}")
        result = check(sub.suspect, index, config=config)
        listed = []
        if result.sources and result.sources[0].id == src.id:
            tallies[kind].traced += 1
            listed = [(x.suspect_at, x.source_at) for p in result.sources[0].passages
                      for x in p.substitutions]
        score_case(tallies[kind], sub, listed)
    index.close()
    with (args.work / "labels-wrong.jsonl").open("w", encoding="utf-8") as f:
        for row in suspects:
            f.write(json.dumps(row, default=str) + "\n")

    out = {
        "command": "benchmarks/evidence_bench.py " + " ".join(
            f"--{k.replace('_', '-')} {v}" for k, v in vars(args).items() if v is not None),
        "split": args.split,
        "indexed": len(split.indexed),
        "seconds": round(time.perf_counter() - started, 1),
        "substitutions": {k: t.as_dict() for k, t in tallies.items()},
        "labels": confusion([(want, got) for _, want, got, _ in rows]),
        "labels_by_kind": confusion([(kind, got) for kind, _, got, _ in rows])["matrix"],
        # last session's truth: one label per generator kind, whatever the generator did
        "labels_wrong": wrong,
        "labels_by_kind_mapping": confusion([(old, got) for _, _, got, old in rows]),
    }
    text = json.dumps(out, indent=1)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
