"""Make tests/data/bench-slice: a small copy of the benchmark data, laid out like ../shared/data.

It lets the quality-floor test (tests/test_quality_floor.py) run from a fresh clone with no other
data: 260 BBC articles (52 per category), 260 Reuters stories (from the ten most common topics)
and the tortured-phrase list rows without context conditions. Deterministic.
Usage: python scripts/make_test_slice.py ../shared/data
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path("tests/data/bench-slice")


def _take(records: list[dict], key, per_group: int, groups: int | None, rng: random.Random) -> list[dict]:
    by: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        k = key(r)
        if k:
            by[k].append(r)
    names = sorted(by, key=lambda k: -len(by[k]))[: groups or len(by)]
    out = []
    for name in sorted(names):
        out.extend(rng.sample(by[name], min(per_group, len(by[name]))))
    return out


def main(data: Path) -> None:
    rng = random.Random(7)
    bbc = [json.loads(x) for x in open(data / "bbc-news" / "bbc.jsonl", encoding="utf-8")]
    reuters = [json.loads(x) for x in open(data / "reuters21578" / "reuters21578.jsonl", encoding="utf-8")]
    reuters = [r for r in reuters if (r.get("body") or "").strip() and len(r["body"].split()) >= 80]
    bbc_out = _take(bbc, lambda r: r["category"], 52, None, rng)
    reu_out = _take(reuters, lambda r: (r.get("topics") or [""])[0], 26, 10, rng)
    for sub, name, rows in (("bbc-news", "bbc.jsonl", bbc_out), ("reuters21578", "reuters21578.jsonl", reu_out)):
        (OUT / sub).mkdir(parents=True, exist_ok=True)
        with open(OUT / sub / name, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    (OUT / "tortured-phrases").mkdir(parents=True, exist_ok=True)
    src = data / "tortured-phrases" / "pps_fingerprints_normalized.csv"
    with open(src, encoding="utf-8", newline="") as fh, \
            open(OUT / "tortured-phrases" / "pps_fingerprints_normalized.csv", "w", encoding="utf-8", newline="") as out:
        reader = csv.DictReader(fh)
        writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
        writer.writeheader()
        for row in reader:
            if not row["query_has_operators"] and int(row["num_papers"] or 0) >= 20:
                writer.writerow(row)
    print(f"{len(bbc_out)} BBC, {len(reu_out)} Reuters -> {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data"))
