"""Speed of the tortured-phrase detector as shipped: words per second on clean test articles.

    .venv/bin/python benchmarks/tortured_speed.py [--data ../shared/data] [--words 3000] \
        [--thorough-words 3000]

Systems, timed in the same run on the same articles (resources loaded before timing): the detector
without the model (``--no-model``), the default (the model on the sentences the cheap detectors
pick) and ``--thorough``; also the model's load time from its cache and the peak RSS. Wall time
and the process's CPU time are both reported: on a shared machine, words per CPU-second is the
better estimate of the speed on one free core (the model runs on one BLAS thread). Writes
benchmarks/results/tortured-speed.json.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import time
from pathlib import Path

from tortured_bench import part
from tortured_clean import first_texts
from unspin.bench.corpus import load_corpus
from unspin.tortured import DetectConfig, Detector


def main() -> None:
    ap = argparse.ArgumentParser(description="tortured-phrase detector speed")
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    ap.add_argument("--words", type=int, default=3000, help="clean words timed (fast systems)")
    ap.add_argument("--thorough-words", type=int, default=3000,
                    help="the first articles of the sample up to this many words, for --thorough")
    ap.add_argument("--repeats", type=int, default=3, help="timed passes of the fast systems")
    args = ap.parse_args()
    test = [a for a in load_corpus(args.data) if part(a.id) == 9]
    random.Random(11).shuffle(test)
    texts, words = first_texts((a.text for a in test), args.words)
    t0 = time.perf_counter()
    from unspin.lm import load

    load()
    out: dict = {"words": words, "articles": len(texts),
                 "model_load_seconds": round(time.perf_counter() - t0, 2), "systems": {}}
    systems = {"no model": DetectConfig(use_model=False), "default": DetectConfig(),
               "thorough": DetectConfig(thorough=True)}
    thorough_texts, thorough_words = first_texts(texts, args.thorough_words)
    for name, cfg in systems.items():
        sample, n_words = (thorough_texts, thorough_words) if cfg.thorough else (texts, words)
        det = Detector(config=cfg)
        det.detect("Warm up, once.")
        if cfg.use_model:
            _ = det.model
        runs, cpu = [], []
        for _ in range(1 if cfg.thorough else args.repeats):
            t, c = time.perf_counter(), time.process_time()
            flags = sum(len(det.detect(x)) for x in sample)
            runs.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        sec, csec = statistics.median(runs), statistics.median(cpu)
        out["systems"][name] = {"words": n_words, "seconds": round(sec, 2),
                                "words_per_second": round(n_words / sec, 1),
                                "cpu_seconds": round(csec, 2),
                                "words_per_cpu_second": round(n_words / csec, 1),
                                "flags": flags, "runs": len(runs)}
        print(name, out["systems"][name], flush=True)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "tortured-speed.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
