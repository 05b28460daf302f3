"""Score a benchmark run from its work folder: the cases and one system's predictions files, with
the harness's own scoring (``metrics.score_system``, ``calib.report``). For a run stopped before it
wrote its results JSON (each system's predictions are written as soon as its checks are done):

    .venv/bin/python benchmarks/score_predictions.py --work benchmarks/work/test --system unspin
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from unspin.bench import calib
from unspin.bench.metrics import score_system
from unspin.bench.records import read_cases

sys.path.insert(0, str(Path(__file__).parent))
from negatives_probe import read_predictions  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("benchmarks/work/test"))
    parser.add_argument("--detector", default="wordnet")
    parser.add_argument("--system", default="unspin")
    parser.add_argument("--out", type=Path, default=None, help="write the scores as JSON here")
    args = parser.parse_args()
    cases = list(read_cases(args.work / f"cases-{args.detector}-detector.jsonl"))
    preds = read_predictions(args.work / f"predictions-{args.detector}-detector-{args.system}.jsonl")
    cases = [c for c in cases if c.id in preds]
    out = {"work": str(args.work), "detector": args.detector, "system": args.system,
           "scores": score_system(cases, preds)}
    if args.system == "unspin":
        out["calibration"] = calib.report(cases, preds)
    groups = out["scores"]["per_kind"]
    for kind, g in sorted(groups.items()):
        v = g["verdict"] or {}
        pd = (g.get("plagdet") or {}).get("plagdet")
        print(f"{kind:16s} n={g['n']:4d} R@1={g['recall@1']} derived/fp="
              f"{v.get('tp', 0) + v.get('fp', 0)} plagdet={pd}")
    if "calibration" in out:
        cal = out["calibration"]
        print("ECE", round(cal["ece"], 4), "n", cal["n"])
        gaps = cal["gaps_after"]
        print("highest negative", gaps["highest_negative"], "but MRPC",
              gaps["highest_negative_but_mrpc"])
        for kind, g in gaps["per_kind"].items():
            print(f"  {kind:16s} lowest {g['lowest_copy']:.3f} gap {g['gap']:+.3f} "
                  f"but MRPC {g['gap_but_mrpc']:+.3f}")
    if args.out:
        args.out.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
