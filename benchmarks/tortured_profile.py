"""Where `unspin tortured --thorough` spends its time: a cProfile of the detector over clean
development articles, one BLAS thread (the shipped setting), per CPU-second.

    nice .venv/bin/python benchmarks/tortured_profile.py [--words 600] [--top 25]

Prints words per CPU-second and the functions with the most CPU time of their own; writes
benchmarks/results/tortured-profile.json. Development articles (``part == 8``) only.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import time
from pathlib import Path

from tortured_bench import part
from tortured_clean import first_texts
from unspin.bench.corpus import load_corpus
from unspin.tortured import DetectConfig, Detector


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    dev = [a for a in load_corpus(args.data) if part(a.id) == 8]
    random.Random(13).shuffle(dev)
    texts, words = first_texts((a.text for a in dev), args.words)
    det = Detector(config=DetectConfig(thorough=True))
    det.detect("Warm up, once.")
    _ = det.model
    prof = cProfile.Profile(time.process_time)  # CPU time, not wall: the machine is shared
    c0 = time.process_time()
    prof.enable()
    flags = sum(len(det.detect(t)) for t in texts)
    prof.disable()
    cpu = time.process_time() - c0
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf).sort_stats("tottime")
    stats.print_stats(args.top)
    rows = [{"function": f"{Path(k[0]).name}:{k[1]}({k[2]})", "calls": v[1],
             "own_cpu_s": round(v[2], 3), "cumulative_cpu_s": round(v[3], 3)}
            for k, v in sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[: args.top]]  # type: ignore[attr-defined]
    out = {"words": words, "articles": len(texts), "flags": flags, "cpu_seconds": round(cpu, 2),
           "words_per_cpu_second": round(words / cpu, 1), "top_own_time": rows}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "tortured-profile.json").write_text(json.dumps(out, indent=2) + "\n")
    print(buf.getvalue())
    print(json.dumps({k: v for k, v in out.items() if k != "top_own_time"}))


if __name__ == "__main__":
    main()
