"""What counting records first (for the progress bar's total) costs, next to reading them.

``check`` and ``index build`` count the records of their inputs before the run when a progress
bar is shown (``unspin.progress.count_records``: files walked, JSON lines files' newlines counted).
This script times that count against one pass of ``read_inputs`` over the same inputs (reading
and decoding only: no fingerprinting, no checking, which cost far more), median of ``--repeat``
runs, both measured in the same run.

    nice -n 10 .venv/bin/python benchmarks/progress_count.py --data ../shared/data \\
        --out benchmarks/results/progress_count.json
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from unspin.config import IngestConfig
from unspin.ingest import read_inputs
from unspin.progress import count_records


def _median_seconds(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def measure(name: str, location: str, config: IngestConfig, repeat: int) -> dict[str, Any]:
    count_s, total = _median_seconds(lambda: count_records([location]), repeat)
    read_s, read = _median_seconds(
        lambda: sum(1 for _ in read_inputs([location], config=config, on_bad=lambda bad: None)), repeat)
    return {"input": name, "records_counted": total, "records_read": read,
            "count_s": round(count_s, 4), "read_s": round(read_s, 3),
            "count_share_of_read": round(count_s / read_s, 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="../shared/data", help="the shared data folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--out", default="benchmarks/results/progress_count.json")
    args = parser.parse_args()
    data = Path(args.data)
    inputs = [("BBC News, 2,225 .txt files in a directory", str(data / "bbc-news" / "bbc"),
               IngestConfig()),
              ("Reuters-21578, one 22 MB .jsonl file", str(data / "reuters21578" / "reuters21578.jsonl"),
               IngestConfig(id_field="newid", text_field="body"))]
    rows = [measure(name, location, config, args.repeat) for name, location, config in inputs]
    Path(args.out).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print("| input | records counted / read | count (s) | read (s) | count / read |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['input']} | {r['records_counted']} / {r['records_read']} | {r['count_s']} | "
              f"{r['read_s']} | {r['count_share_of_read']:.1%} |")


if __name__ == "__main__":
    main()
