"""Fit the language model's veto of statistical flags on development text, and measure which
spun words have no candidate at all.

    nice .venv/bin/python benchmarks/tortured_veto.py [--clean-words 60000] [--mrpc 1500]

Development material only (``part == 8`` of ``tortured_bench.py``; never the test articles, the
hand-marked set or the issue's examples): clean development articles and MRPC *train* sentences
(detokenised, ``tortured_clean``), where every statistical flag is false; PPS half B injected
into development sentences and Moby spinning of them, where a flag is right when it overlaps a
marked span. For each statistical flag the model measures its support
(``ModelDetector.support``: the best gain, in nats over the span and 6 tokens after, of the
suggestion or a neighbour of a flagged word). The rule that picks the bar, stated before the
run: the lowest bar at which the statistical flags kept on each clean development set (articles,
MRPC) are at most ``--budget`` per 2,000 words (half the one-per-2,000 target: the other half is
the model's own).

Candidate coverage: for every Moby swap of the development sentences (original word -> spun
word), whether the detector's candidate list for the spun word (WordNet neighbours and PPS half
A's substitutions read backwards, inflected like the word) holds the original, and if not, why.

Writes benchmarks/results/tortured-veto.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from tortured_bench import PPS_CSV, injector, moby_cases, part, pps_cases, pps_halves
from tortured_clean import mrpc_sentences
from unspin.analysis import analyze
from unspin.bench.corpus import load_corpus
from unspin.thesaurus import load as load_thesaurus
from unspin.tortured import DetectConfig, Detector
from unspin.tortured.background import Background, build
from unspin.tortured.lexicon import read_pps
from unspin.tortured.statistical import word_zipf

BARS = (-99.0, -2.0, -1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)
KINDS = ("clean", "mrpc", "pps", "moby")
_PUNCT = "\"'.,;:!?()[]{}"


def background_for(args: argparse.Namespace, articles: list, thesaurus) -> Background:
    path = args.cache / "tortured-background-train.npz"  # as tortured_bench.py builds it
    if path.is_file():
        return Background.load(path)
    bg = build((a.text for a in articles if part(a.id) < 8), thesaurus, meta={"split": "train 80%"})
    args.cache.mkdir(parents=True, exist_ok=True)
    bg.save(path)
    return bg


def flags(det: Detector, kind: str, text: str, gold: list[tuple[int, int]]) -> list[tuple]:
    """(kind, right, support) of each statistical flag of ``text``."""
    doc = analyze(text)
    found = det.statistical.find(doc)
    if not found:
        return []
    gains = det.model.support(doc, [(f.first, f.last, f.suggestion) for f in found])
    out = []
    for f, g in zip(found, gains, strict=True):
        s, e = doc.to_original(doc.tokens.starts[f.first], doc.tokens.ends[f.last])
        out.append((kind, any(s < ge and gs < e for gs, ge in gold), g))
    return out


def table(rows: list[tuple], words: dict[str, int]) -> list[dict]:
    out = []
    for bar in BARS:
        kept = [r for r in rows if r[2] is None or r[2] >= bar]
        row: dict = {"bar": bar}
        for kind in ("clean", "mrpc"):
            n = sum(1 for r in kept if r[0] == kind)
            row[f"{kind}_per_2000"] = round(2000 * n / max(1, words[kind]), 3)
        for kind in ("pps", "moby"):
            mine = [r for r in kept if r[0] == kind]
            right = sum(r[1] for r in mine)
            total_right = sum(1 for r in rows if r[0] == kind and r[1])
            row[f"{kind}_flags"] = len(mine)
            row[f"{kind}_right_kept"] = right
            row[f"{kind}_right_share"] = round(right / max(1, total_right), 3)
            row[f"{kind}_precision"] = round(right / max(1, len(mine)), 3)
        out.append(row)
    return out


def coverage(det: Detector, cases: list) -> dict:
    """Why the original of each one-word Moby swap is or is not among the spun word's thesaurus
    and list candidates (the model's top 5 words at the place, which need a forward pass, are
    counted by ``tortured_fit.py``)."""
    model = det.model
    th = det.statistical.thesaurus
    lemma = det.statistical.lemma
    why: Counter[str] = Counter()
    for c in cases:
        for s, e, orig in c.gold:
            spun = c.text[s:e]
            o, w = orig.lower().strip(_PUNCT), spun.lower().strip(_PUNCT)
            if o == w:
                continue  # only punctuation changed
            if " " in o or " " in w or "-" in o or "-" in w:
                why["several words"] += 1
                continue
            if not w.isalpha() or not o.isalpha():
                why["not a word (digits, punctuation)"] += 1
                continue
            cands = {x for x, _ in model._neighbours(w, None)}
            if o in cands:
                why["candidate"] += 1
            elif lemma(o) in {lemma(x) for x in cands}:
                why["neighbour, other inflection"] += 1
            elif not th.base_forms(w):
                why["spun word unknown to WordNet"] += 1
            elif word_zipf(w) <= 0:
                why["spun word unknown to wordfreq"] += 1
            elif th.related(w, o) or th.related(lemma(w), lemma(o)):
                why["related, filtered out"] += 1
            else:
                why["not a WordNet neighbour"] += 1
    return dict(why.most_common())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--cache", type=Path, default=Path("benchmarks/cache"))
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    ap.add_argument("--clean-words", type=int, default=60000)
    ap.add_argument("--mrpc", type=int, default=1500, help="MRPC train sentences")
    ap.add_argument("--cases", type=int, default=400, help="spun sentences per set")
    ap.add_argument("--budget", type=float, default=0.5)
    args = ap.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    articles = load_corpus(args.data)
    dev = [a for a in articles if part(a.id) == 8]
    thesaurus = load_thesaurus("wordnet")
    background = background_for(args, articles, thesaurus)
    half_a, half_b = pps_halves(args.data / PPS_CSV)
    det = Detector(fingerprints=read_pps(half_a), background=background, thesaurus=thesaurus,
                   config=DetectConfig(use_model=False))
    rng = random.Random(3)
    pool = list(dev)
    rng.shuffle(pool)
    texts: list[tuple[str, str, list[tuple[int, int]]]] = []
    words = dict.fromkeys(KINDS, 0)
    for a in pool:
        if words["clean"] >= args.clean_words:
            break
        texts.append(("clean", a.text, []))
        words["clean"] += len(analyze(a.text).tokens)
    for s in mrpc_sentences(args.data, "train", args.mrpc):
        texts.append(("mrpc", s, []))
        words["mrpc"] += len(analyze(s).tokens)
    pps, moby = pps_cases(dev, injector(half_b)), moby_cases(dev, 1500, 0.3)
    moby = rng.sample(moby, min(args.cases, len(moby)))
    for kind, cases in (("pps", rng.sample(pps, min(args.cases, len(pps)))), ("moby", moby)):
        texts += [(kind, c.text, [(s, e) for s, e, _ in c.gold]) for c in cases]
    rows: list[tuple] = []
    for n, (kind, text, gold) in enumerate(texts):
        rows += flags(det, kind, text, gold)
        if n % 200 == 0:
            print(f"{n}/{len(texts)} texts, {len(rows)} flags, {time.perf_counter() - t0:.0f} s",
                  file=sys.stderr, flush=True)
    curve = table(rows, words)
    ok = [r["bar"] for r in curve
          if r["clean_per_2000"] <= args.budget and r["mrpc_per_2000"] <= args.budget]
    result = {"words": words, "flags": len(rows), "budget_per_2000": args.budget,
              "chosen_bar": min(ok) if ok else None, "curve": curve,
              "support": {k: [round(float(r[2]), 2) for r in rows if r[0] == k and r[2] is not None
                              and (k in ("clean", "mrpc") or r[1])] for k in KINDS},
              "unjudged": int(sum(r[2] is None for r in rows)),
              "moby_coverage": coverage(det, moby),
              "seconds": round(time.perf_counter() - t0, 1),
              "cpu_seconds": round(time.process_time() - c0, 1)}
    for k, v in result["support"].items():
        if v:
            print(k, "support quartiles", np.quantile(v, [0.25, 0.5, 0.75]).round(2).tolist())
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "tortured-veto.json").write_text(json.dumps(result, indent=2) + "\n")
    for r in curve:
        print(json.dumps(r))
    print("chosen bar", result["chosen_bar"], "coverage", result["moby_coverage"])


if __name__ == "__main__":
    main()
