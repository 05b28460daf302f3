"""The language-model part of the tortured-phrase benchmark (``tortured_bench.py --model``).

In one run, on samples of the chosen articles (test by default, dev with ``--articles dev``):

- systems: ``list-only`` (PPS half A), ``list+statistical`` (the detector before the model),
  ``+model`` (the shipped default: the model on the sentences the cheap detectors pick, and
  translation damage) and ``+model --thorough`` (the model on every sentence);
- sets: PPS half B injected (``pps-heldout``), Moby spinning (``moby``), the hand-marked paragraphs
  (``handset``, benchmarks/tortured_handset, also split by style), clean articles (every flag is
  false; flags per 2,000 words);
- page verdicts: the hand-marked paragraphs (spun / machine-translated) and clean articles (clean);
- words per second of each system on the clean sample, and the process's peak RSS.

A sweep of the model's ``gain`` threshold is read off one run at the lowest gain (flags filtered by
their gain, so a row can differ slightly from a run at that gain: neighbours of a dropped flag
were tried). Thresholds are chosen on ``--articles dev`` only.
"""

from __future__ import annotations

import random
import re
import resource
import time
from dataclasses import replace
from pathlib import Path

from unspin.analysis import analyze
from unspin.tortured import DetectConfig, Detector
from unspin.tortured.verdict import page_verdict

HANDSET = Path(__file__).parent / "tortured_handset" / "paragraphs.txt"
GAIN_SWEEP = (4.0, 6.0, 8.0, 10.0, 12.0)
SURPRISAL_SWEEP = (5.0, 7.0, 9.0, 11.0)
_MARK = re.compile(r"\[\[([^|\]]+)\|([^\]]+)\]\]")


def load_handset(path: Path = HANDSET) -> list[tuple[str, str, str, list[tuple[int, int, str]]]]:
    """(id, style, plain text, gold spans with their original wording) per paragraph."""
    out = []
    blocks = re.split(r"^## ", path.read_text(encoding="utf-8"), flags=re.M)[1:]
    for block in blocks:
        head, _, body = block.partition("\n")
        pid, style = (x.strip() for x in head.split("|"))
        marked = " ".join(line.strip() for line in body.splitlines()
                          if line.strip() and not line.startswith("#"))
        text, gold, pos = "", [], 0
        for m in _MARK.finditer(marked):
            text += marked[pos : m.start()]
            gold.append((len(text), len(text) + len(m.group(1)), m.group(2)))
            text += m.group(1)
            pos = m.end()
        text += marked[pos:]
        out.append((pid, style, text, gold))
    return out


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


_DETAIL = re.compile(r"([-+0-9.]+) nats likelier; surprisal ([0-9.]+) nats")


def _keep(f, gain: float, surprisal: float) -> bool:
    m = _DETAIL.search(f.detail)
    return m is None or (float(m.group(1)) >= gain and float(m.group(2)) >= surprisal)


def _by_gain(flags: list[list], gain: float, surprisal: float = 0.0) -> list[list]:
    return [[f for f in fl if _keep(f, gain, surprisal)] for fl in flags]


def _timed(det: Detector, texts: list[str]) -> tuple[list[list], float]:
    t0 = time.perf_counter()
    out = [det.detect(t) for t in texts]
    return out, time.perf_counter() - t0


def page_rows(flags: list[list], texts: list[str], labels: list[str]) -> dict:
    right = 0
    confusion: dict[str, dict[str, int]] = {}
    for fl, text, want in zip(flags, texts, labels, strict=True):
        got = page_verdict(fl, len(text.split())).label
        right += got == want
        confusion.setdefault(want, {}).setdefault(got, 0)
        confusion[want][got] += 1
    return {"pages": len(texts), "accuracy": round(right / len(texts), 4) if texts else None,
            "confusion": confusion}


def run(args, *, cases: dict, clean_articles: list, list_a, background, thesaurus,
        score_cases, clean_row, Case) -> dict:
    """Every system on every set; returns the results dict (``markdown`` renders it)."""
    rng = random.Random(7)
    sampled = {k: rng.sample(v, min(len(v), args.model_cases)) for k, v in cases.items()}
    hand = load_handset()
    sampled["handset"] = [Case(t, g) for _, _, t, g in hand]
    styles = [s for _, s, _, _ in hand]
    pool = list(clean_articles)
    rng.shuffle(pool)
    clean, words = [], 0
    for a in pool:
        if words >= args.model_clean_words:
            break
        clean.append(a.text)
        words += len(analyze(a.text).tokens)
    low = min(GAIN_SWEEP)
    base = DetectConfig()
    systems = {
        "list-only": DetectConfig(use_statistical=False, use_model=False, use_translation=False),
        "list+statistical": DetectConfig(use_model=False, use_translation=False),
        "+model": replace(base, model=replace(base.model, gain=low,
                                               min_surprisal=min(SURPRISAL_SWEEP))),
        "+model --thorough": replace(base, thorough=True, model=replace(
            base.model, gain=low, thorough_gain=low, min_surprisal=min(SURPRISAL_SWEEP))),
    }
    out: dict = {"cases": {k: len(v) for k, v in sampled.items()}, "clean_words": words,
                 "clean_pages": len(clean), "gain": base.model.gain,
                 "thorough_gain": base.model.thorough_gain,
                 "min_surprisal": base.model.min_surprisal, "systems": {}, "sweep": {}}
    for name, cfg in systems.items():
        det = Detector(fingerprints=list_a, background=background, thesaurus=thesaurus, config=cfg)
        det.detect("Warm up.")  # loads the resources outside the timing
        if cfg.use_model:
            _ = det.model
        raw = {k: [det.detect(c.text) for c in cs] for k, cs in sampled.items()}
        raw_clean, seconds = _timed(det, clean)
        grid = [(g, z) for g in GAIN_SWEEP for z in SURPRISAL_SWEEP] if cfg.use_model \
            else [(None, None)]
        for g, z in grid:
            sel = (lambda fl, g=g, z=z: _by_gain(fl, g, z)) if g is not None else (lambda fl: fl)
            row = {k: score_cases(sampled[k], sel(raw[k])) for k in sampled}
            for style in ("spun", "translated"):
                idx = [i for i, s in enumerate(styles) if s == style]
                row[f"handset-{style}"] = score_cases([sampled["handset"][i] for i in idx],
                                                      [sel(raw["handset"])[i] for i in idx])
            row["clean"] = clean_row(sel(raw_clean), words)
            labels = ["likely spun" if s == "spun" else "likely machine-translated" for s in styles]
            row["pages_handset"] = page_rows(sel(raw["handset"]), [c.text for c in sampled["handset"]],
                                             labels)
            row["pages_clean"] = page_rows(sel(raw_clean), clean, ["clean"] * len(clean))
            row["words_per_second"] = round(words / seconds, 1)
            if g is not None:
                out["sweep"].setdefault(name, {})[f"{g}/{z}"] = row
            shipped = base.model.thorough_gain if cfg.thorough else base.model.gain
            if g is None or (g == shipped and z == base.model.min_surprisal):
                out["systems"][name] = row
        print(name, out["systems"].get(name, {}).get("clean"), f"{seconds:.1f}s", flush=True)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def markdown(r: dict) -> str:
    sets = ("pps-heldout", "moby", "handset", "handset-spun", "handset-translated")
    head = "| system | " + " | ".join(f"{s} P / R / F1" for s in sets) + \
        " | clean flags / 2,000 words | pages right (hand-marked) | pages right (clean) | words/s |"
    lines = [
        f"Samples: {r['cases']} cases per set, {r['clean_pages']} clean articles "
        f"({r['clean_words']} words). Model gain threshold {r['gain']} nats "
        f"({r.get('thorough_gain', r['gain'])} with --thorough), word surprisal at "
        f"least {r['min_surprisal']} nats; peak RSS "
        f"{r['peak_rss_mb']} MB.", "", head, "|" + "---|" * (len(sets) + 5)]

    def cells(row: dict) -> str:
        parts = [f"{row[s]['precision']:.2f} / {row[s]['recall']:.2f} / {row[s]['f1']:.2f}"
                 for s in sets]
        return " | ".join(parts) + (
            f" | {row['clean']['per_2000_words']:.2f} | {row['pages_handset']['accuracy']:.2f} | "
            f"{row['pages_clean']['accuracy']:.2f} | {row['words_per_second']} |")

    for name, row in r["systems"].items():
        lines.append(f"| {name} | {cells(row)}")
    lines += ["", "Model thresholds (gain / word surprisal, nats; one run at the lowest of both, "
              "filtered):", "",
              head.replace("| system |", "| system, gain / surprisal |"), "|" + "---|" * (len(sets) + 5)]
    for name, rows in r["sweep"].items():
        for g, row in rows.items():
            lines.append(f"| {name}, {g} | {cells(row)}")
    for name, row in r["systems"].items():
        lines += ["", f"Page verdicts of {name}: hand-marked {row['pages_handset']['confusion']}; "
                  f"clean {row['pages_clean']['confusion']}"]
    return "\n".join(lines) + "\n"


__all__ = ["run", "markdown", "load_handset", "GAIN_SWEEP"]


def choose(results: dict, gain: float, thorough_gain: float, surprisal: float) -> dict:
    """The results with the model systems' rows taken at another point of the threshold grid
    (the grid was measured in the same run; nothing is rerun)."""
    out = dict(results, gain=gain, thorough_gain=thorough_gain, min_surprisal=surprisal,
               systems=dict(results["systems"]))
    for name, rows in results["sweep"].items():
        g = thorough_gain if "thorough" in name else gain
        out["systems"][name] = rows[f"{g}/{surprisal}"]
    return out


if __name__ == "__main__":  # re-render a results file at thresholds chosen on the dev split
    import argparse
    import json

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path, help="tortured-model*.json")
    ap.add_argument("--gain", type=float, required=True)
    ap.add_argument("--thorough-gain", type=float, required=True)
    ap.add_argument("--surprisal", type=float, required=True)
    a = ap.parse_args()
    res = choose(json.loads(a.results.read_text()), a.gain, a.thorough_gain, a.surprisal)
    a.results.write_text(json.dumps(res, indent=2) + "\n")
    a.results.with_suffix(".md").write_text(markdown(res))
