"""Candidate coverage of the language-model detector beyond WordNet, on development text only.

    nice .venv/bin/python benchmarks/tortured_candidates.py [--moby 200] [--pps 120] [--clean-words 4000]

The detector can only flag a spun word when a candidate replacement is the original. WordNet
neighbours (and known spinners' substitutions read backwards) hold the original for about 3% of
Moby's one-word swaps (``tortured_veto.py``). The lexical-substitution way: the model's own most
likely words at the place (one forward pass gives them), kept when they are close in meaning to
the observed word. Closeness is a cosine in a table that ships with the project: the distilled
MiniLM static table (``minilm``) or SmolLM2's own input embeddings (``smollm``).

For each one-word swap of the development sentences (Moby spinning and PPS half B injected, the
``tortured_bench.py`` recipes on ``part == 8``), with the spun sentence read by the model: is the
original among the WordNet/spinner candidates, among the model's top ``k`` whole words, and among
those at cosine >= ``bar`` with the spun word? On clean development sentences, how many
candidates the same filter gives each content word the detector would consider (surprising
enough): the candidates' cost and their chance to flag clean text. ``last_round`` and ``deployed``
are the candidate sets the detector builds, all sources together (last round's: the lists and the
model's ``top_k`` words WordNet knows; this one's adds the near-synonyms), matched by lemma. Nothing here is tuned on the
test articles, the hand-marked set or the issue's examples; Moby is never a candidate source.

Writes benchmarks/results/tortured-candidates.json.
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
from unspin.analysis import analyze
from unspin.bench.corpus import load_corpus
from unspin.thesaurus import load as load_thesaurus
from unspin.tokens import CONTENT
from unspin.tortured import DetectConfig, Detector
from unspin.tortured.lexicon import read_pps
from unspin.tortured.similar import Similarity
from unspin.tortured.statistical import word_zipf

TOPS = (5, 20, 50, 100)
BARS = (0.0, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6)
_PUNCT = "\"'.,;:!?()[]{}"


def sentence_of(doc, i: int) -> int:
    return next(k for k, st in enumerate(doc.sentences) if st.first <= i < st.last)


def top_words(model, row: np.ndarray, k: int, w: str) -> list[str]:
    """The model's ``k`` likeliest whole words at the place (single tokens), best first."""
    ids = np.argpartition(row, -k)[-k:]
    ids = ids[np.argsort(-row[ids])]
    out = []
    for t in ids:
        x = model.similar_word(int(t))
        if x is not None and x != w:
            out.append(x)
    return out


def last_round_tops(model, row: np.ndarray, w: str) -> list[str]:
    """Last round's model candidates: its ``top_k`` likeliest words WordNet knows (as
    ``_neighbours`` adds them before the near-synonyms)."""
    k = model.settings.top_k
    lemma = model.lemma(w)
    out = []
    for tid in np.argpartition(row, -k)[-k:]:
        x = model._top_word(int(tid))
        if x is not None and x != w and model.lemma(x) != lemma:
            out.append(x)
    return out


def probe(det: Detector, sim: dict[str, Similarity], text: str, gold, counts: Counter,
          spun_rows: list, lemma) -> None:
    """Coverage rows for each one-word swap of a spun text."""
    model = det.model
    doc = analyze(text)
    toks = doc.tokens
    by_sentence: dict[int, list] = {}
    for s, e, orig in gold:
        o = orig.lower().strip(_PUNCT)
        idx = [i for i in range(len(toks.lower)) if toks.starts[i] < e and s < toks.ends[i]]
        at = [doc.to_original(toks.starts[i], toks.ends[i]) for i in idx]
        idx = [i for i, (a, b) in zip(idx, at, strict=True) if a < e and s < b]
        if len(idx) != 1 or " " in o or not o.isalpha():
            counts["several words or not a word"] += 1
            continue
        i = idx[0]
        w = toks.lower[i]
        if w == o:
            continue
        by_sentence.setdefault(sentence_of(doc, i), []).append((i, w, o))
    for k, items in by_sentence.items():
        seq = model._encode(doc, k)
        if seq is None:
            continue
        base = np.array([[model.lm.start, *seq.ids]], dtype=np.int64)
        lp = model.lm.log_probs(base)[0]
        for i, w, o in items:
            if i not in seq.words or toks.classes[i] != CONTENT:
                counts["not a content word the model reads"] += 1
                continue
            a, b = seq.words[i]
            own = float(sum(lp[p, seq.ids[p]] for p in range(a, b)))
            listed = {x for x, _ in model._neighbours(w, None)}
            tops = top_words(model, lp[a], max(TOPS), w)
            last = [*listed, *last_round_tops(model, lp[a], w)]
            shipped = [x for x, _ in model._neighbours(w, lp[a])]
            rank = next((n for n, x in enumerate(tops) if lemma(x) == lemma(o)), None)
            spun_rows.append({
                "surprisal": round(-own, 2), "zipf": word_zipf(w), "listed": o in listed,
                "rank": rank,
                "last_round": any(lemma(x) == lemma(o) for x in last),
                "deployed": any(lemma(x) == lemma(o) for x in shipped),
                "cos": {name: round(s.cosine(w, o), 3) for name, s in sim.items()},
            })


def clean_load(det: Detector, sim: dict[str, Similarity], texts: list[str], lemma) -> list:
    """Per content word the detector considers on clean text: the cosines of its top words."""
    model = det.model
    st = model.settings
    out = []
    for text in texts:
        doc = analyze(text)
        toks = doc.tokens
        for k in range(len(doc.sentences)):
            seq = model._encode(doc, k)
            if seq is None:
                continue
            base = np.array([[model.lm.start, *seq.ids]], dtype=np.int64)
            lp = model.lm.log_probs(base)[0]
            for i, (a, b) in seq.words.items():
                w = toks.lower[i]
                if toks.classes[i] != CONTENT or not w.isalpha() or len(w) < 3 \
                        or word_zipf(w) <= 0:
                    continue
                own = float(sum(lp[p, seq.ids[p]] for p in range(a, b)))
                if -own < st.min_surprisal:
                    continue
                tops = [x for x in top_words(model, lp[a], max(TOPS), w) if lemma(x) != lemma(w)]
                listed = model._neighbours(w, None)
                out.append({"deployed": len(model._neighbours(w, lp[a])),
                            "last_round": len(listed) + len(last_round_tops(model, lp[a], w)),
                            "listed": len(listed),
                            "cos": {name: [round(s.cosine(w, x), 3) for x in tops]
                                    for name, s in sim.items()}})
    return out


def summarise(spun: list, clean: list, clean_words: int) -> dict:
    out: dict = {"swaps": len(spun), "surprising": sum(r["surprisal"] >= 5 for r in spun),
                 "listed": sum(r["listed"] for r in spun), "by": []}
    # the candidate sets as the detector builds them (all sources; a match is by lemma)
    for key in ("last_round", "deployed"):
        out[key] = {"found": sum(r[key] for r in spun),
                    "coverage": round(sum(r[key] for r in spun) / max(1, len(spun)), 3),
                    "clean_candidates_per_word": round(float(np.mean([r[key] for r in clean])), 2)
                    if clean else 0.0}
    out["listed_clean_candidates_per_word"] = round(
        float(np.mean([r["listed"] for r in clean])), 2) if clean else 0.0
    for name in spun[0]["cos"] if spun else ():
        for top in TOPS:
            for bar in BARS:
                found = sum(1 for r in spun if r["rank"] is not None and r["rank"] < top
                            and r["cos"][name] >= bar)
                either = sum(1 for r in spun if r["listed"] or (
                    r["rank"] is not None and r["rank"] < top and r["cos"][name] >= bar))
                per_word = [sum(c >= bar for c in r["cos"][name][:top]) for r in clean]
                out["by"].append({
                    "table": name, "top": top, "bar": bar, "model_found": found,
                    "listed_or_model": either,
                    "coverage": round(either / max(1, len(spun)), 3),
                    "clean_candidates_per_word": round(float(np.mean(per_word)), 2)
                    if per_word else 0.0,
                    "clean_words_with_one_per_2000": round(
                        2000 * sum(n > 0 for n in per_word) / max(1, clean_words), 1)})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    ap.add_argument("--moby", type=int, default=200, help="spun development sentences")
    ap.add_argument("--pps", type=int, default=120, help="PPS half B injected sentences")
    ap.add_argument("--clean-words", type=int, default=4000)
    args = ap.parse_args()
    t0, c0 = time.perf_counter(), time.process_time()
    articles = load_corpus(args.data)
    dev = [a for a in articles if part(a.id) == 8]
    thesaurus = load_thesaurus("wordnet")
    half_a, half_b = pps_halves(args.data / PPS_CSV)
    det = Detector(fingerprints=read_pps(half_a), thesaurus=thesaurus,
                   config=DetectConfig(thorough=True))
    lemma = det.statistical.lemma
    sim = {"minilm": Similarity.minilm(), "smollm": Similarity.smollm(det.model.lm)}
    rng = random.Random(11)
    result: dict = {}
    clean_texts, words = [], 0
    pool = list(dev)
    rng.shuffle(pool)
    for a in pool:
        if words >= args.clean_words:
            break
        clean_texts.append(a.text)
        words += len(analyze(a.text).tokens)
    clean = clean_load(det, sim, clean_texts, lemma)
    print(f"clean done {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    sets = {"moby": rng.sample(moby_cases(dev, 1500, 0.3), args.moby),
            "pps": rng.sample(pps_cases(dev, injector(half_b)), args.pps)}
    for name, cases in sets.items():
        counts: Counter[str] = Counter()
        rows: list = []
        for c in cases:
            probe(det, sim, c.text, c.gold, counts, rows, lemma)
        result[name] = {"skipped": dict(counts), **summarise(rows, clean, words)}
        print(f"{name} done {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    result["clean_words"] = words
    result["clean_considered_words"] = len(clean)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    result["cpu_seconds"] = round(time.process_time() - c0, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "tortured-candidates.json").write_text(json.dumps(result, indent=2) + "\n")
    for name in sets:
        r = result[name]
        print(name, r["swaps"], "listed", r["listed"], "last round", r["last_round"],
              "deployed", r["deployed"])
        for row in r["by"]:
            if row["bar"] in (0.0, 0.3, 0.4, 0.5) and row["top"] in (20, 50, 100):
                print(json.dumps(row))


if __name__ == "__main__":
    main()
