"""The language-model part of the tortured-phrase benchmark (``tortured_bench.py --model``).

In one run, on samples of the chosen articles (test by default, dev with ``--articles dev``):

- systems: ``list-only`` (PPS half A), ``list+statistical`` (the detector before the model),
  ``+model`` (the shipped default: the model on the sentences the cheap detectors pick, and
  translation damage), ``+model --thorough`` (the model on every sentence), and main's detector
  at the start of this round, default and ``--thorough`` (``MAIN``: its bars, its veto bar, no
  page rule);
- sets: PPS half B injected (``pps-heldout``), Moby spinning (``moby``), the hand-marked paragraphs
  (``handset``, benchmarks/tortured_handset, also split by style), clean articles and clean MRPC
  sentences (its test file, detokenised: ``tortured_clean``; every flag is false; flags per 2,000
  words, also per kind of evidence);
- page verdicts: the hand-marked paragraphs (spun / machine-translated) and clean articles (clean);
- words per second of each system on the clean sample, and the process's peak RSS.

Every system runs as configured (no sweep read off one run: the page rule's second stage flags
below the first stage's bar, so filtering flags by score is not the same detector). Bars, the
veto bar and the page rule are fitted on development text only
(``benchmarks/tortured_page_fit.py``).
"""

from __future__ import annotations

import random
import re
import resource
import time
from dataclasses import replace
from pathlib import Path

from tortured_clean import first_texts, mrpc_sentences
from unspin.analysis import analyze
from unspin.tortured import DetectConfig, Detector
from unspin.tortured.model_detector import ModelSettings
from unspin.tortured.verdict import page_verdict

HANDSET = Path(__file__).parent / "tortured_handset" / "paragraphs.txt"
SCORE_SWEEP = (11.0, 14.0)  # the default (picked sentences): ``choose`` re-renders older files
THOROUGH_SWEEP = (20.5, 24.0)  # ``--thorough``
# main's detector at the start of this round (issue 9's fourth pass): bars 11 and 20.5, the veto
# at 0 nats, no page rule (the score and candidates are unchanged)
# main at the start of this round (session 8): session 7's settings, no replaced-word probe
MAIN = replace(ModelSettings(), thorough_threshold=19.0, thorough_page_words=40,
               thorough_page_threshold=7.0, probe_bar=None, thorough_probe_bar=None,
               thorough_page_probe_bar=None)
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


_DETAIL = re.compile(r"score ([-+0-9.]+)$")


def _keep(f, score: float) -> bool:
    m = _DETAIL.search(f.detail) if f.evidence == "model" else None
    return m is None or float(m.group(1)) >= score


def _by_score(flags: list[list], score: float) -> list[list]:
    return [[f for f in fl if _keep(f, score)] for fl in flags]


def mrpc_test_sentences(data: Path, n: int) -> list[str]:
    """Clean news sentences from MRPC's test file (each distinct sentence once), sampled and
    detokenised (``tortured_clean``: the spaces MRPC's tokeniser added are not the writer's)."""
    return mrpc_sentences(data, "test", n)


def _timed(det: Detector, texts: list[str]) -> tuple[list[list], float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    out = [det.detect(t) for t in texts]
    return out, time.perf_counter() - t0, time.process_time() - c0


def by_evidence(flags: list[list], words: int) -> dict[str, float]:
    """False flags on clean text per 2,000 words, per kind of evidence (which detector)."""
    counts: dict[str, int] = {}
    for fl in flags:
        for f in fl:
            counts[f.evidence] = counts.get(f.evidence, 0) + 1
    return {k: round(2000 * n / max(1, words), 3) for k, n in sorted(counts.items())}


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
    clean, words = first_texts((a.text for a in pool), args.model_clean_words)
    mrpc = mrpc_test_sentences(args.data, args.model_mrpc_sentences)
    mrpc_words = sum(len(analyze(t).tokens) for t in mrpc)
    base = DetectConfig()
    systems = {
        "list-only": DetectConfig(use_statistical=False, use_model=False, use_translation=False),
        "list+statistical": DetectConfig(use_model=False, use_translation=False),
        "+model": base,
        "+model --thorough": replace(base, thorough=True),
        "+model --thorough (no page probe test)": replace(
            base, thorough=True, model=replace(base.model, page_probe_rate=None)),
        "main (default)": replace(base, model=MAIN),
        "main (--thorough)": replace(base, thorough=True, model=MAIN),
    }
    if args.model_systems:  # a subset (a shared machine: the default and --thorough apart)
        systems = {k: v for k, v in systems.items() if k in args.model_systems.split(",")}
    out: dict = {"cases": {k: len(v) for k, v in sampled.items()}, "clean_words": words,
                 "clean_pages": len(clean), "mrpc_sentences": len(mrpc), "mrpc_words": mrpc_words,
                 "threshold": base.model.threshold,
                 "thorough_threshold": base.model.thorough_threshold,
                 "page_threshold": base.model.page_threshold, "veto_gain": base.model.veto_gain,
                 "systems": {}, "sweep": {}}
    for name, cfg in systems.items():
        det = Detector(fingerprints=list_a, background=background, thesaurus=thesaurus, config=cfg)
        det.detect("Warm up.")  # loads the resources outside the timing
        if cfg.use_model:
            _ = det.model
        raw = {k: [det.detect(c.text) for c in cs] for k, cs in sampled.items()}
        raw_clean, seconds, cpu = _timed(det, clean)
        raw_mrpc = [det.detect(t) for t in mrpc]
        row = {k: score_cases(sampled[k], raw[k]) for k in sampled}
        for style in ("spun", "translated"):
            idx = [i for i, s in enumerate(styles) if s == style]
            row[f"handset-{style}"] = score_cases([sampled["handset"][i] for i in idx],
                                                  [raw["handset"][i] for i in idx])
        row["clean"] = clean_row(raw_clean, words)
        row["mrpc"] = clean_row(raw_mrpc, mrpc_words)
        row["clean_by_evidence"] = by_evidence(raw_clean, words)
        row["mrpc_by_evidence"] = by_evidence(raw_mrpc, mrpc_words)
        labels = ["likely spun" if s == "spun" else "likely machine-translated" for s in styles]
        row["pages_handset"] = page_rows(raw["handset"], [c.text for c in sampled["handset"]],
                                         labels)
        row["pages_clean"] = page_rows(raw_clean, clean, ["clean"] * len(clean))
        row["words_per_second"] = round(words / seconds, 1)
        row["words_per_cpu_second"] = round(words / cpu, 1)
        out["systems"][name] = row
        print(name, out["systems"].get(name, {}).get("clean"), f"{seconds:.1f}s", flush=True)
    out["peak_rss_mb"] = _peak_rss_mb()
    return out


def markdown(r: dict) -> str:
    sets = ("pps-heldout", "moby", "handset", "handset-spun", "handset-translated")
    head = "| system | " + " | ".join(f"{s} P / R / F1" for s in sets) + \
        " | clean flags / 2,000 words (articles, MRPC) | pages right (hand-marked) | " \
        "pages right (clean) | words/s (wall, per CPU-second) |"
    lines = [
        f"Samples: {r['cases']} cases per set, {r['clean_pages']} clean articles "
        f"({r['clean_words']} words), {r['mrpc_sentences']} clean MRPC sentences "
        f"({r['mrpc_words']} words). Model score threshold {r['threshold']} "
        f"({r['thorough_threshold']} with --thorough); peak RSS "
        f"{r['peak_rss_mb']} MB.", "", head, "|" + "---|" * (len(sets) + 5)]

    def cells(row: dict) -> str:
        parts = [f"{row[s]['precision']:.2f} / {row[s]['recall']:.2f} / {row[s]['f1']:.2f}"
                 for s in sets]
        return " | ".join(parts) + (
            f" | {row['clean']['per_2000_words']:.2f}, {row['mrpc']['per_2000_words']:.2f} | "
            f"{row['pages_handset']['accuracy']:.2f} | {row['pages_clean']['accuracy']:.2f} | "
            f"{row['words_per_second']}, {row['words_per_cpu_second']} |")

    for name, row in r["systems"].items():
        lines.append(f"| {name} | {cells(row)}")
    lines += ["", "Model score thresholds (one run at the lowest, filtered):", "",
              head.replace("| system |", "| system, score |"), "|" + "---|" * (len(sets) + 5)]
    for name, rows in r["sweep"].items():
        for g, row in rows.items():
            lines.append(f"| {name}, {g} | {cells(row)}")
    lines += ["", "Clean flags per 2,000 words by evidence (which detector), articles; MRPC:", ""]
    for name, row in r["systems"].items():
        lines.append(f"- {name}: {row.get('clean_by_evidence', {})}; "
                     f"{row.get('mrpc_by_evidence', {})}")
    for name, row in r["systems"].items():
        lines += ["", f"Page verdicts of {name}: hand-marked {row['pages_handset']['confusion']}; "
                  f"clean {row['pages_clean']['confusion']}"]
    return "\n".join(lines) + "\n"


__all__ = ["run", "markdown", "load_handset", "SCORE_SWEEP", "THOROUGH_SWEEP"]


def choose(results: dict, threshold: float, thorough_threshold: float) -> dict:
    """The results with the model systems' rows taken at another point of the threshold grid
    (the grid was measured in the same run; nothing is rerun)."""
    out = dict(results, threshold=threshold, thorough_threshold=thorough_threshold,
               systems=dict(results["systems"]))
    for name, rows in results["sweep"].items():
        g = thorough_threshold if "thorough" in name else threshold
        out["systems"][name] = rows[str(g)]
    return out


if __name__ == "__main__":  # re-render a results file at thresholds chosen on the dev split
    import argparse
    import json

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results", type=Path, help="tortured-model*.json")
    ap.add_argument("--threshold", type=float, required=True)
    ap.add_argument("--thorough-threshold", type=float, required=True)
    a = ap.parse_args()
    res = choose(json.loads(a.results.read_text()), a.threshold, a.thorough_threshold)
    a.results.write_text(json.dumps(res, indent=2) + "\n")
    a.results.with_suffix(".md").write_text(markdown(res))
