"""Suspects checked per CPU second of this process, on one core: the English check rate.

Reads the suspects of a benchmark cases file (``unspin.bench`` writes ``cases-*.jsonl`` in its work
directory) and checks each against an index, timing ``check`` with the process's CPU clock (so
other processes' load does not count) and the wall clock. Runs the same with another unspin on
``PYTHONPATH`` to compare two branches on the same index and suspects:

    nice -n 10 .venv/bin/python benchmarks/check_rate.py --index WORK/index-wordnet \
        --cases WORK/cases-wordnet-detector.jsonl --rounds 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from unspin import Index, check


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index", type=Path, required=True)
    ap.add_argument("--cases", type=Path, required=True)
    ap.add_argument("--rounds", type=int, default=3, help="passes over the suspects (median)")
    args = ap.parse_args(argv)
    with open(args.cases, encoding="utf-8") as f:
        texts = [json.loads(line)["suspect"] for line in f]
    rates, walls, langs = [], [], set()
    with Index.open(args.index, readonly=True) as index:
        check(texts[0], index)  # load models and caches first
        for _ in range(args.rounds):
            c0, w0 = time.process_time(), time.perf_counter()
            for t in texts:
                langs.add(getattr(check(t, index), "lang", "?"))
            rates.append(len(texts) / (time.process_time() - c0))
            walls.append(len(texts) / (time.perf_counter() - w0))
    import unspin

    print(json.dumps({"unspin": str(Path(unspin.__file__).parent), "suspects": len(texts),
                      "langs": sorted(langs), "per_cpu_s": [round(r, 1) for r in rates],
                      "per_cpu_s_median": round(statistics.median(rates), 1),
                      "per_wall_s_median": round(statistics.median(walls), 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
