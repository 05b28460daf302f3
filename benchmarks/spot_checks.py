"""Check the hand-written spot-check rewrites (benchmarks/spot/) against an index of BBC News.

Usage: python benchmarks/spot_checks.py --data ../shared/data [--work /tmp/unspin-spot]
Prints, for each file and each semantic mode, the verdict, the top source, its score and coverage.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from unspin import Article, Index, IndexConfig, check

SPOT = Path(__file__).parent / "spot"
EXPECTED = {
    "bbc-business-001.llm-paraphrase.txt": ("derived", "bbc/business/001"),
    "bbc-politics-010.translation-style.txt": ("derived", "bbc/politics/010"),
    "bbc-business-001.independent-report.txt": ("not_derived", None),
    "bbc-sport-326.llm-paraphrase.txt": ("derived", "bbc/sport/326"),
    "bbc-tech-374.llm-summary.txt": ("derived", "bbc/tech/374"),
    "bbc-business-275.translation-style.txt": ("derived", "bbc/business/275"),
    "bbc-business-275.independent-report.txt": ("not_derived", None),
    "bbc-tech-374.independent-report.txt": ("not_derived", None),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", default="../shared/data")
    ap.add_argument("--work", default="/tmp/unspin-spot")
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = ap.parse_args()
    articles = []
    with open(Path(args.data) / "bbc-news" / "bbc.jsonl", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            articles.append(Article(id=f"bbc/{rec['id']}", text=rec["text"], title=rec["title"]))
    lines = ["| mode | file | verdict | expected | top source | score | coverage | engine mode |",
             "|---|---|---|---|---|---|---|---|"]
    for mode in ("static", "off"):
        path = Path(args.work) / mode
        shutil.rmtree(path, ignore_errors=True)
        with Index.create(path, config=IndexConfig(semantic=mode)) as index:
            index.add(articles)
            for name, (want, source) in EXPECTED.items():
                result = check((SPOT / name).read_text(encoding="utf-8"), index)
                top = result.sources[0] if result.sources else None
                hit = "" if source is None or (top and top.id == source) else " WRONG SOURCE"
                print(f"{mode:6} {name:42} {result.verdict:11} (expected {want:11}){hit} "
                      f"top={top.id if top else '-'} score={top.score if top else 0:.2f} "
                      f"coverage={top.coverage_suspect if top else 0:.2f} mode={result.extra['mode']}")
                lines.append(f"| {mode} | {name} | {result.verdict}{' (MISS)' if result.verdict != want else ''}"
                             f" | {want} | {top.id if top else '-'}{hit} | {top.score if top else 0:.2f} | "
                             f"{top.coverage_suspect if top else 0:.2f} | {result.extra['mode']} |")
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "spot_checks.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
