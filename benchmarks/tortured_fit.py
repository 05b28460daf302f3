"""Fit the language-model detector's score and thresholds on the development articles only.

    nice .venv/bin/python benchmarks/tortured_fit.py [--cases 80] [--clean-words 6000] \
        [--mrpc-sentences 150] [--refit]

Development material (never the test articles, never the hand-marked set): PPS half B injected
into development sentences and Moby spinning of development sentences (the same recipes as
``tortured_bench.py``, on ``part == 8``), clean development articles (BBC + Reuters held out from
the background) and clean MRPC sentences from its *train* file (detokenised, ``tortured_clean``).
Every sentence is scored with
every candidate swap verified (``ModelDetector.swaps``), so one pass collects the features of
every swap the detector could make; the rows are cached (``benchmarks/cache/tortured-fit-rows.npz``)
and ``--refit`` refits from them.

The score is a rule of three weights (``rule``): one of the log-likelihood gains, less ``alpha``
ln 10 per zipf unit the candidate is commoner than the word, plus ``beta`` per nat of the word's
surprisal. The grid of them is searched for the most marked swaps found (spun sentences) while
every swap on clean sentences above the threshold counts as a flag, at ``--search-budget`` clean
flags per 2,000 words. Thresholds are then read off the development text: ``thorough_threshold``
is the lowest score at which the model's own flags over every sentence stay under ``--budget`` per
2,000 clean words (the rest of the one-per-2,000 budget is the statistical detector's, which flags
clean text too) and at least ``--precision`` of its flags on the spun development sentences are
right (a sentence the cheap detectors flagged is spun: the model must not flag its clean words),
``threshold`` the same over the sentences the cheap detectors pick. Sentences are read with the
cheap detectors' flags replaced by their suggestions, as ``Detector.detect`` reads them. Writes benchmarks/results/tortured-fit.json and prints the
scorer to paste into ``src/unspin/tortured/model_score.py``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

import tortured_clean
from tortured_bench import PPS_CSV, injector, moby_cases, part, pps_cases, pps_halves
from unspin.analysis import analyze
from unspin.bench.corpus import load_corpus
from unspin.thesaurus import load as load_thesaurus
from unspin.tortured import DetectConfig, Detector
from unspin.tortured.background import Background, build
from unspin.tortured.detector import _fixes
from unspin.tortured.lexicon import read_pps
from unspin.tortured.model_detector import ModelSettings
from unspin.tortured.model_score import FEATURES, Scorer

GRID = tuple(round(x, 2) for x in np.arange(0.0, 40.01, 0.5))
BASES = ("gain_6", "gain_2", "left")
ALPHAS = np.arange(-1.0, 2.01, 0.25)
BETAS = np.arange(-1.0, 1.01, 0.25)
LN10 = float(np.log(10.0))
OLD_FEATURES = ("left", "gain_2", "gain_6", "gain_12", "surprisal", "zipf_word", "zipf_new",
                "src_thesaurus", "src_spinner", "src_model")  # rows cached before gain_12 went
KINDS = ("pps", "moby", "clean", "mrpc")


def mrpc_sentences(data: Path, n: int) -> list[str]:
    """MRPC *train* sentences, sampled and detokenised (``tortured_clean``)."""
    return tortured_clean.mrpc_sentences(data, "train", n)


def collect(args: argparse.Namespace) -> dict[str, np.ndarray]:
    """One row per verified swap: features, label, kind, text, word, picked, and per-text words."""
    articles = load_corpus(args.data)
    dev = [a for a in articles if part(a.id) == 8]
    thesaurus = load_thesaurus("wordnet")
    bg_path = args.cache / "tortured-background-train.npz"  # as tortured_bench.py builds it
    if bg_path.is_file():
        background = Background.load(bg_path)
    else:
        background = build((a.text for a in articles if part(a.id) < 8), thesaurus,
                           meta={"split": "train 80%"})
        args.cache.mkdir(parents=True, exist_ok=True)
        background.save(bg_path)
    half_a, half_b = pps_halves(args.data / PPS_CSV)
    list_a = read_pps(half_a)
    rng = random.Random(7)
    pps, moby = pps_cases(dev, injector(half_b)), moby_cases(dev, 1500, 0.3)
    texts: list[tuple[str, str, list[tuple[int, int]]]] = []
    texts += [("pps", c.text, [(s, e) for s, e, _ in c.gold])
              for c in rng.sample(pps, min(args.cases, len(pps)))]
    texts += [("moby", c.text, [(s, e) for s, e, _ in c.gold])
              for c in rng.sample(moby, min(args.cases, len(moby)))]
    pool = list(dev)
    rng.shuffle(pool)
    words = 0
    for a in pool:
        if words >= args.clean_words:
            break
        texts.append(("clean", a.text, []))
        words += len(analyze(a.text).tokens)
    texts += [("mrpc", s, []) for s in mrpc_sentences(args.data, args.mrpc_sentences)]
    low = replace(ModelSettings(), min_surprisal=args.min_surprisal, left_gap=args.left_gap)
    cheap = Detector(fingerprints=list_a, background=background, thesaurus=thesaurus,
                     config=DetectConfig(use_model=False))
    det = Detector(fingerprints=list_a, background=background, thesaurus=thesaurus,
                   config=DetectConfig(thorough=True, model=low))
    model = det.model
    rows: list[list[float]] = []
    meta: list[tuple[int, int, int, int, int]] = []  # label, kind, text, word, picked
    text_words: list[tuple[int, int, int]] = []  # kind, words, gold spans
    t0, c0 = time.perf_counter(), time.process_time()
    for t, (kind, text, gold) in enumerate(texts):
        doc = analyze(text)
        found = cheap.detect(text)
        picked = set(det.pick_sentences(doc, found))
        fixed = _fixes(doc, found)  # read with the cheap flags' suggestions, as ``detect`` does
        text_words.append((KINDS.index(kind), len(doc.tokens), len(gold)))
        for k in range(len(doc.sentences)):
            for s in model.swaps(doc, [k], fixed):
                at = doc.to_original(doc.tokens.starts[s.word], doc.tokens.ends[s.word])
                label = any(at[0] < e and g < at[1] for g, e in gold)
                rows.append(list(s.features))
                meta.append((int(label), KINDS.index(kind), t, s.word, int(k in picked)))
        if t % 20 == 0:
            print(f"{t}/{len(texts)} texts, {len(rows)} swaps, "
                  f"{time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    words_total = sum(w for _, w, _ in text_words)
    return {"x": np.array(rows, dtype=np.float64), "names": np.array(FEATURES),
            "meta": np.array(meta, dtype=np.int64),
            "texts": np.array(text_words, dtype=np.int64),
            "timing": np.array([time.perf_counter() - t0, time.process_time() - c0, words_total])}


def rule(base: str, alpha: float, beta: float) -> Scorer:
    """``base`` gain, less ``alpha`` ln 10 per zipf unit the candidate is commoner than the word,
    plus ``beta`` per nat of the word's surprisal."""
    w = dict.fromkeys(FEATURES, 0.0)
    w[base] = 1.0
    w["zipf_new"], w["zipf_word"] = -alpha * LN10, alpha * LN10
    w["surprisal"] = beta
    n = len(FEATURES)
    return Scorer(tuple(round(w[f], 4) for f in FEATURES), 0.0, (0.0,) * n, (1.0,) * n)


def scores(sc: Scorer, x: np.ndarray) -> np.ndarray:
    return ((x - np.array(sc.means)) / np.array(sc.scales)) @ np.array(sc.weights) + sc.bias


def found_at_budget(score: np.ndarray, clean: np.ndarray, marked: np.ndarray, flags: int) -> int:
    """Marked swaps at or above the lowest threshold that leaves ``flags`` clean swaps above it."""
    top = np.sort(score[clean])[::-1]
    t = top[flags] + 1e-6 if len(top) > flags else -np.inf
    return int((score[marked] >= t).sum())


def search(x: np.ndarray, meta: np.ndarray, clean_words: int, budget: float) -> tuple[Scorer, list]:
    clean, marked = np.isin(meta[:, 1], (2, 3)), meta[:, 0] == 1
    flags = int(budget * clean_words / 2000)
    tried = []
    for base in BASES:
        for alpha in ALPHAS:
            for beta in BETAS:
                sc = rule(base, float(alpha), float(beta))
                tried.append((found_at_budget(scores(sc, x), clean, marked, flags), base,
                              round(float(alpha), 2), round(float(beta), 2)))
    tried.sort(key=lambda t: (-t[0], BASES.index(t[1]), abs(t[2]), abs(t[3])))
    _, base, alpha, beta = tried[0]
    return rule(base, alpha, beta), tried[:10]


def curve(score: np.ndarray, meta: np.ndarray, texts: np.ndarray, picked_only: bool) -> list[dict]:
    """Per threshold: clean flags per 2,000 words (dev articles, MRPC) and the share of marked
    words found (PPS, Moby), counting the best swap of each word once."""
    out = []
    use = meta[:, 4] == 1 if picked_only else np.ones(len(meta), dtype=bool)
    for t in GRID:
        hit = (score >= t) & use
        row: dict = {"threshold": t}
        for k, kind in enumerate(KINDS):
            words = int(texts[texts[:, 0] == k, 1].sum())
            sel = hit & (meta[:, 1] == k)
            if kind in ("clean", "mrpc"):
                row[f"{kind}_per_2000"] = round(2000 * int(sel.sum()) / max(1, words), 3)
            else:
                gold_words = int(((meta[:, 1] == k) & (meta[:, 0] == 1)).sum())
                right = int((sel & (meta[:, 0] == 1)).sum())
                row[f"{kind}_flags"] = int(sel.sum())
                row[f"{kind}_precision"] = round(right / max(1, int(sel.sum())), 3)
                row[f"{kind}_marked_words_found"] = right
                row[f"{kind}_marked_words_with_a_candidate"] = gold_words
        out.append(row)
    return out


def spun_precision(row: dict) -> float:
    """Precision of the flags on the spun development sentences, PPS and Moby pooled."""
    flags = row["pps_flags"] + row["moby_flags"]
    right = row["pps_marked_words_found"] + row["moby_marked_words_found"]
    return right / flags if flags else 1.0


def lowest(rows: list[dict], budget: float, precision: float) -> float:
    """The lowest bar at which the flags on each clean development set are at most ``budget``
    per 2,000 words and those on the spun development sentences at least ``precision`` right."""
    ok = [r["threshold"] for r in rows
          if r["clean_per_2000"] <= budget and r["mrpc_per_2000"] <= budget
          and spun_precision(r) >= precision]
    return min(ok) if ok else max(GRID)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache", type=Path, default=Path("benchmarks/cache"))
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    ap.add_argument("--cases", type=int, default=80, help="spun sentences per set")
    ap.add_argument("--clean-words", type=int, default=6000)
    ap.add_argument("--mrpc-sentences", type=int, default=150)
    ap.add_argument("--min-surprisal", type=float, default=ModelSettings().min_surprisal)
    ap.add_argument("--left-gap", type=float, default=ModelSettings().left_gap)
    ap.add_argument("--budget", type=float, default=0.5,
                    help="the model's own clean flags per 2,000 words (thresholds)")
    ap.add_argument("--precision", type=float, default=0.8,
                    help="least precision of the flags on spun development sentences (thresholds)")
    ap.add_argument("--search-budget", type=float, default=1.0,
                    help="clean flags per 2,000 words at which the weights are compared")
    ap.add_argument("--refit", action="store_true", help="refit from the cached rows")
    args = ap.parse_args()
    rows_path = args.cache / "tortured-fit-rows.npz"
    if args.refit and rows_path.is_file():
        data = dict(np.load(rows_path))
    else:
        data = collect(args)
        args.cache.mkdir(parents=True, exist_ok=True)
        np.savez(rows_path, **data)
    names = [str(n) for n in data.get("names", OLD_FEATURES)]
    x = data["x"][:, [names.index(f) for f in FEATURES]]
    meta, texts = data["meta"], data["texts"]
    spun = np.isin(meta[:, 1], (0, 1))
    keep = x[:, FEATURES.index("src_thesaurus"):].sum(axis=1) > 0  # function words: own rule
    # words no word list knows are typos or names, not a spinner's picks: the detector skips them
    keep &= x[:, FEATURES.index("zipf_word")] > 0
    x, meta, spun = x[keep], meta[keep], spun[keep]
    clean_words = int(texts[np.isin(texts[:, 0], (2, 3)), 1].sum())
    scorer, tried = search(x, meta, clean_words, args.search_budget)
    score = scores(scorer, x)
    thorough, picked = curve(score, meta, texts, False), curve(score, meta, texts, True)
    chosen = {"thorough_threshold": lowest(thorough, args.budget, args.precision),
              "threshold": lowest(picked, args.budget, args.precision)}
    # before verification the words after a swap are unknown: the score with every gain equal to
    # the word's own (``left``); ``slack`` keeps 95% of the marked swaps that reach the bar
    pre_x = x.copy()
    for f in ("gain_2", "gain_6"):
        pre_x[:, FEATURES.index(f)] = x[:, FEATURES.index("left")]
    pre = scores(scorer, pre_x)
    reach = (meta[:, 0] == 1) & spun & (score >= chosen["threshold"])
    chosen["slack"] = round(float(np.quantile(score[reach] - pre[reach], 0.95)), 2) \
        if reach.any() else 99.0
    wall, cpu, words = (float(v) for v in data["timing"])
    result = {"features": list(FEATURES), "weights": list(scorer.weights), "bias": scorer.bias,
              "means": list(scorer.means), "scales": list(scorer.scales), "chosen": chosen,
              "search_budget_per_2000": args.search_budget, "budget_per_2000": args.budget,
              "precision_floor": args.precision,
              "search_best": tried, "swaps": len(x),
              "texts": {k: int((texts[:, 0] == i).sum()) for i, k in enumerate(KINDS)},
              "words": {k: int(texts[texts[:, 0] == i, 1].sum()) for i, k in enumerate(KINDS)},
              "picked_share": {
                  "marked_swaps": round(float(meta[spun & (meta[:, 0] == 1), 4].mean()), 3),
                  "clean_swaps": round(float(meta[~spun, 4].mean()), 3)},
              "collect_seconds": round(wall, 1), "collect_cpu_seconds": round(cpu, 1),
              "words_per_cpu_second_all_candidates": round(words / max(cpu, 1e-9), 1),
              "curve_thorough": thorough, "curve_picked": picked}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "tortured-fit.json").write_text(json.dumps(result, indent=2) + "\n")
    for name in ("threshold", "thorough_threshold"):
        rows = picked if name == "threshold" else thorough
        at = next(r for r in rows if r["threshold"] == chosen[name])
        print(name, json.dumps(at))
    print(json.dumps(chosen), tried[:3])
    print(f"Scorer(weights={tuple(result['weights'])}, bias={result['bias']}, "
          f"means={tuple(result['means'])}, scales={tuple(result['scales'])})")


if __name__ == "__main__":
    main()
