"""Probe: does a large n-gram language model find unlisted tortured phrases better? (Not shipped.)

    pip install pocketsphinx==5.1.1   # its wheel carries CMU's US English trigram model (BSD)
    .venv/bin/python benchmarks/tortured_lm_probe.py [--data ../shared/data]

The shipped statistical detector counts word pairs in 17k news articles. CMU's generic English
trigram model (72k words, 2.1M bigrams, 1.7M trigrams) has seen far more text, so it might tell a
broken collocation from a merely rare one. Two rules, each scored with the model's log-probabilities
(natural log), on the *development* articles of ``tortured_bench.py`` (same recipes, other articles):

- ``variant``: an adjacent pair (a, b) is suspicious when a WordNet neighbour of a, of b, or of both
  forms a pair the model associates far more strongly: score = max PMI(variant) - PMI(a, b),
  PMI(x, y) = ln P(y | x) - ln P(y).
- ``misfit``: a rare dictionary word (wordfreq zipf below a cut) that fits neither neighbour:
  PMI with the word before and with the word after both below a cut.

Each rule's threshold is set so that clean development text gets a fixed number of flags per 2,000
words (the issue's budget is 1); precision and recall on the PPS held-out half and Moby spinning at
that budget are printed, next to the figures of the shipped detector in benchmarks/results/tortured.md.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import tortured_bench as tb  # noqa: E402
from unspin.analysis import analyze  # noqa: E402
from unspin.bench.corpus import load_corpus  # noqa: E402
from unspin.thesaurus import load as load_thesaurus  # noqa: E402
from unspin.tokens import CONTENT, NAME  # noqa: E402
from unspin.tortured.background import Lemmatizer, adjacent_pairs  # noqa: E402
from unspin.tortured.statistical import inflect_like  # noqa: E402

LOGMATH = math.log(1.0001)  # pocketsphinx scores are in base-1.0001 logarithms
BUDGETS = (0.5, 1.0)


class LM:
    def __init__(self) -> None:
        import pocketsphinx

        self.model = pocketsphinx.NGramModel.readfile(
            pocketsphinx.get_model_path("en-us/en-us.lm.bin"))
        self.cache: dict[tuple[str, ...], float | None] = {}

    def lp(self, word: str, *history: str) -> float | None:
        """ln P(word | history), history most recent first; None for an unknown word."""
        key = (word, *history)
        if key not in self.cache:
            raw = self.model.prob([word, *history])
            self.cache[key] = None if raw <= -(2**29) else raw * LOGMATH
        return self.cache[key]

    def pmi(self, a: str, b: str) -> float | None:
        joint, single = self.lp(b, a), self.lp(b)
        if joint is None or single is None or self.lp(a) is None:
            return None
        return joint - single


def features(text: str, lm: LM, thesaurus, lemma: Lemmatizer, zipf) -> list[tuple]:
    """(span, rule, score) candidates of one text."""
    doc = analyze(text)
    t = doc.tokens
    out = []

    def ok(k: int) -> bool:
        return t.classes[k] == CONTENT and len(t.lower[k]) >= 3 and t.lower[k].isalpha()

    def neighbours(w: str) -> list[str]:
        forms = (inflect_like(s, w, lemma(w)) for s in thesaurus.synonyms(w) if s.isalpha())
        return [f for f in dict.fromkeys(forms) if f != w and lm.lp(f) is not None][:25]

    pmis: dict[tuple[int, int], float | None] = {}
    for i, j in adjacent_pairs(doc):
        a, b = t.lower[i], t.lower[j]
        if t.classes[j] == NAME or t.classes[i] == NAME:
            continue
        p0 = pmis[(i, j)] = lm.pmi(a, b)
        if p0 is None or not (ok(i) or ok(j)):
            continue
        variants = [(x, b) for x in neighbours(a)] if ok(i) else []
        variants += [(a, y) for y in neighbours(b)] if ok(j) else []
        if ok(i) and ok(j):
            variants += [(x, y) for x in neighbours(a)[:10] for y in neighbours(b)[:10]]
        best = max((p for v in variants if (p := lm.pmi(*v)) is not None), default=None)
        if best is not None:
            out.append((doc.to_original(t.starts[i], t.ends[j]), "variant", best - p0))
    for k in range(len(t)):
        w = t.lower[k]
        if not ok(k) or doc.text[t.starts[k]:t.ends[k]] != w or not thesaurus.base_forms(w):
            continue
        sides = [pmis.get((k - 1, k)), pmis.get((k, k + 1))]
        sides = [s for s in sides if s is not None]
        if sides:
            out.append((doc.to_original(t.starts[k], t.ends[k]), "misfit",
                        (zipf(w, "en"), -max(sides))))
    return out


def scores(rule: str, cand: tuple, zipf_cut: float) -> float | None:
    span, kind, value = cand
    if kind != rule:
        return None
    if rule == "misfit":
        z, misfit = value
        return misfit if z < zipf_cut else None
    return value


def evaluate(sets: dict, rule: str, words: int, zipf_cut: float = 3.0) -> list[dict]:
    clean = sorted((s for cands in sets["clean"] for c in cands
                    if (s := scores(rule, c, zipf_cut)) is not None), reverse=True)
    rows = []
    for budget in BUDGETS:
        k = int(budget * words / 2000)
        thr = clean[k] if k < len(clean) else float("-inf")
        row = {"rule": rule, "budget": budget, "threshold": round(thr, 2)}
        for name in ("pps-heldout", "moby"):
            flags = gold = found = correct = 0
            for cands, spans in sets[name]:
                fl = [c[0] for c in cands if (s := scores(rule, c, zipf_cut)) is not None and s > thr]
                flags += len(fl)
                correct += sum(any(a < ge and gs < b for gs, ge in spans) for a, b in fl)
                gold += len(spans)
                found += sum(any(a < ge and gs < b for a, b in fl) for gs, ge in spans)
            p, r = (correct / flags if flags else 0.0), (found / gold if gold else 0.0)
            row[name] = {"P": round(p, 3), "R": round(r, 3),
                         "F1": round(2 * p * r / (p + r), 3) if p + r else 0.0}
        rows.append(row)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    args = ap.parse_args()
    from wordfreq import zipf_frequency

    articles = load_corpus(args.data)
    dev = [a for a in articles if tb.part(a.id) == 8]
    _, half_b = tb.pps_halves(args.data / tb.PPS_CSV)
    lm, thesaurus = LM(), load_thesaurus("wordnet")
    lemma = Lemmatizer(thesaurus)

    def feats(text: str) -> list[tuple]:
        return features(text, lm, thesaurus, lemma, zipf_frequency)

    sets = {
        "pps-heldout": [(feats(c.text), [(s, e) for s, e, _ in c.gold])
                        for c in tb.pps_cases(dev, tb.injector(half_b))],
        "moby": [(feats(c.text), [(s, e) for s, e, _ in c.gold]) for c in tb.moby_cases(dev, 1500, 0.3)],
        "clean": [feats(a.text) for a in dev],
    }
    words = sum(len(analyze(a.text).tokens) for a in dev)
    lines = [f"Development articles: {len(dev)} ({words} words). "
             "`python benchmarks/tortured_lm_probe.py` (needs `pip install pocketsphinx==5.1.1`).", "",
             "| rule | clean flags / 2,000 words | PPS P | PPS R | PPS F1 | Moby P | Moby R | Moby F1 |",
             "|---|---|---|---|---|---|---|---|"]
    for rule in ("variant", "misfit"):
        for row in evaluate(sets, rule, words):
            p, m = row["pps-heldout"], row["moby"]
            lines.append(f"| {rule} | {row['budget']} | {p['P']} | {p['R']} | {p['F1']} | {m['P']} | "
                         f"{m['R']} | {m['F1']} |")
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "tortured_lm_probe.md").write_text(text)

if __name__ == "__main__":
    main()
