"""Tortured-phrase benchmark: spun sentences from spinners the detector has never seen, and clean news.

    .venv/bin/python benchmarks/tortured_bench.py [--data ../shared/data] [--out benchmarks/results]

Split (by a hash of the article id): 80% of BBC + Reuters articles build the background model the
detector uses here (not the shipped one, which has seen every article); 10% were the development
articles on which the statistical threshold and the odd-word rarity cut were chosen (same test-set
recipes applied to them); 10% are the test articles used below.

Test sets, all from the test articles:
- ``pps-heldout``: the PPS list is split at random in two halves (seed 7). The detector gets half A;
  half B's plain entries are injected into test sentences that contain their expected phrase
  (at most 3 sentences per expected phrase). Gold: the injected fingerprints.
- ``moby``: SpinBot-style spinning (30% of content words) with Moby Thesaurus II, which the detector
  (WordNet) does not use. Gold: every replaced word.
- ``clean``: the test articles as written: every flag is false.

Systems, in the same run: ``list-only`` (PPS half A), ``list+statistical``, and
``list+statistical+learned``: the same detector after ``check`` has aligned copies made by the
test spinners from *training* articles (Moby spinning, and PPS half B injected wherever it fits),
``record_check`` kept their substitutions and ``learn`` mined them (the mission's "learning new
fingerprints from every aligned copy"). This last row is not a test on unseen spinners: it
measures what the index learns from seeing a spinner's copies next to their sources.
Span scores: a flag is correct when it overlaps a gold span; a gold span is found when a flag
overlaps it. Restoration: share of correct flags whose suggestion equals the original wording of
the flagged span (case and punctuation folded).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import hashlib
import json
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from unspin import Article, Index, IndexConfig, check
from unspin.analysis import analyze
from unspin.bench.corpus import load_corpus
from unspin.bench.spinner import Spinner
from unspin.bench.thesauri import spinner_synonyms
from unspin.bench.tortured import TorturedPhrases
from unspin.thesaurus import load as load_thesaurus
from unspin.tokens import sentence_spans
from unspin.tortured import DetectConfig, Detector
from unspin.tortured.background import Background, build
from unspin.tortured.learn import learn, learned_fingerprints, record_check
from unspin.tortured.lexicon import read_pps, word_substitutions

PPS_CSV = Path("tortured-phrases/pps_fingerprints_normalized.csv")
SEED = 7
SWEEP = (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0)
RARE_SWEEP = (1.25, 1.5, 1.75, 2.0, 2.25, 2.5)  # odd-word rarity cuts (wordfreq zipf)
LEARN_CURVE = (50, 150)  # copies per spinner, besides --learn-copies
LEARNED_WORD_SWEEP = (2.0, 2.5, 3.0, 99.0)  # learned single words flag alone below this zipf


def part(article_id: str) -> int:
    return int(hashlib.md5(article_id.encode()).hexdigest(), 16) % 10


@dataclass
class Case:
    """A spun sentence: gold spans and, for each, the original wording."""

    text: str
    gold: list[tuple[int, int, str]]  # start, end, original wording


# -- test sets -------------------------------------------------------------------------------
def pps_halves(path: Path) -> tuple[list[dict], list[dict]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    random.Random(SEED).shuffle(rows)
    return rows[: len(rows) // 2], rows[len(rows) // 2 :]


def injector(rows: list[dict]) -> TorturedPhrases:
    """Plain entries of ``rows``; one fingerprint per expected phrase (most papers)."""
    best: dict[str, tuple[int, str]] = {}
    for r in rows:
        if r["query_has_operators"] or re.search(r"\d", r["expected"] + r["fingerprint"]):
            continue
        expected, papers = r["expected"].strip().lower(), int(r["num_papers"] or 0)
        if expected and (expected not in best or papers > best[expected][0]):
            best[expected] = (papers, r["fingerprint"].strip().lower())
    return TorturedPhrases({e: f for e, (_, f) in best.items()})


def pps_cases(articles, tp: TorturedPhrases, per_phrase: int = 3) -> list[Case]:
    used: dict[str, int] = {}
    cases = []
    for a in articles:
        for s, e in sentence_spans(a.text):
            case = inject(a.text[s:e], tp, used, per_phrase)
            if case:
                cases.append(case)
    return cases


def inject(sentence: str, tp: TorturedPhrases, used: dict[str, int], cap: int) -> Case | None:
    """Inject each expected phrase at most ``cap`` times over the whole run."""

    def accept(phrase: str) -> bool:
        if used.get(phrase, 0) >= cap:
            return False
        used[phrase] = used.get(phrase, 0) + 1
        return True

    injected = tp.inject(sentence, accept=accept, keep_case=False)
    return Case(injected.text, list(injected.spans)) if injected.spans else None


def moby_cases(articles, n_sentences: int, rate: float) -> list[Case]:
    return spun_cases(articles, n_sentences, rate, "moby", SEED)


def spun_cases(articles, n_sentences: int, rate: float, thesaurus: str | Callable, seed: int,
               keep_unchanged: bool = False) -> list[Case]:
    """The first 6 sentences of each article, shuffled; the first ``n_sentences`` spun with
    ``thesaurus`` (a spinner thesaurus's name, or a synonyms function) at ``rate``, with the
    spans the spinner replaced (and their originals)."""
    synonyms = spinner_synonyms(thesaurus)[0] if isinstance(thesaurus, str) else thesaurus
    spinner = Spinner(synonyms)
    rng = random.Random(seed)
    pool = [a.text[s:e] for a in articles for s, e in sentence_spans(a.text)[:6]]
    rng.shuffle(pool)
    cases = []
    for sentence in pool[:n_sentences]:
        spun = spinner.spin(sentence, rate, rng).text
        a = [m for m in re.finditer(r"\S+", sentence)]
        b = [m for m in re.finditer(r"\S+", spun)]
        ops = difflib.SequenceMatcher(a=[m.group() for m in a], b=[m.group() for m in b],
                                      autojunk=False).get_opcodes()
        gold = [(b[j1].start(), b[j2 - 1].end(), sentence[a[i1].start() : a[i2 - 1].end()])
                for tag, i1, i2, j1, j2 in ops if tag == "replace"]
        if gold or keep_unchanged:
            cases.append(Case(spun, gold))
    return cases


def learned_from_copies(articles, tp: TorturedPhrases, work: Path, n: int, rate: float) -> tuple:
    """Index up to ``2 n`` training articles, check their copies (``n`` spun with Moby, up to
    ``n`` with PPS half B injected where it fits), learn from the substitutions of those traced."""
    synonyms, _ = spinner_synonyms("moby")
    spinner = Spinner(synonyms)
    rng = random.Random(SEED + 1)
    pool = list(articles)
    rng.shuffle(pool)
    moby = [(a, spinner.spin(a.text, rate, rng).text) for a in pool[:n]]
    pps = [(a, got.text) for a in pool[n:] if (got := tp.inject(a.text, keep_case=False)).spans][:n]
    path = work / "tortured-learning-index"
    import shutil

    shutil.rmtree(path, ignore_errors=True)
    stats = {"copies": len(moby) + len(pps), "derived": 0, "substitutions": 0}
    with Index.create(path, config=IndexConfig(semantic="off")) as index:
        index.add(Article(id=a.id, text=a.text) for a, _ in moby + pps)
        for k, (_, copy) in enumerate(moby + pps):
            result = check(copy, index, suspect_id=f"copy-{k}")
            stats["derived"] += result.derived
            stats["substitutions"] += record_check(index, result, text=copy)
        stats["learned"] = learn(index)
        return learned_fingerprints(index), stats


def reachability(cases: list[Case], substitutions: dict, thesaurus) -> dict[str, int]:
    """How the injected phrases relate to their originals: what any swap-undoing detector can reach.

    ``length`` when the fingerprint has another number of words than the original ("to be
    freelance" for "independent"); else ``known`` when every changed word is a substitution read
    off the detector's half of the list, ``wordnet`` when every changed word is a WordNet
    neighbour, ``neither`` otherwise.
    """
    out = dict.fromkeys(("length", "known", "wordnet", "neither"), 0)
    for case in cases:
        for s, e, original in case.gold:
            spun, orig = case.text[s:e].lower().split(), original.lower().split()
            if len(spun) != len(orig):
                out["length"] += 1
                continue
            changed = [(a, b) for a, b in zip(spun, orig, strict=True) if a != b]
            if all(b in substitutions.get(a, {}) for a, b in changed):
                out["known"] += 1
            elif all(thesaurus.related(a, b) for a, b in changed):
                out["wordnet"] += 1
            else:
                out["neither"] += 1
    return out


# -- scoring ---------------------------------------------------------------------------------
def _fold(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def original_wording(case: Case, at: tuple[int, int]) -> str | None:
    """The original text of the flagged span; None when a replaced part is only half covered."""
    s, e = at
    out, pos = "", s
    for gs, ge, orig in sorted(case.gold):
        if ge <= s or gs >= e:
            continue
        if gs < s or ge > e:
            return None
        out += case.text[pos:gs] + orig
        pos = ge
    return out + case.text[pos:e]


def score_cases(cases: list[Case], flags: list[list]) -> dict:
    n_flags = correct = found = gold = restored = 0
    for case, fl in zip(cases, flags, strict=True):
        gold += len(case.gold)
        found += sum(any(f.at[0] < ge and gs < f.at[1] for f in fl) for gs, ge, _ in case.gold)
        for f in fl:
            n_flags += 1
            if any(f.at[0] < ge and gs < f.at[1] for gs, ge, _ in case.gold):
                correct += 1
                orig = original_wording(case, f.at)
                restored += orig is not None and _fold(orig) == _fold(f.suggestion)
    p = correct / n_flags if n_flags else 0.0
    r = found / gold if gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"gold": gold, "flags": n_flags, "precision": round(p, 4), "recall": round(r, 4),
            "f1": round(f1, 4), "restored": round(restored / correct, 4) if correct else None}


def run_system(detector: Detector, texts: list[str]) -> list[list]:
    return [detector.detect(t) for t in texts]


def clean_row(flags: list[list], words: int) -> dict:
    """False flags on clean text (every flag is false), also per 2,000 words."""
    false = sum(len(fl) for fl in flags)
    return {"words": words, "false_flags": false, "per_2000_words": round(false / words * 2000, 3)}


def score_detector(det: Detector, cases: dict[str, list[Case]], clean: list[str], words: int) -> dict:
    """One detector on every test set and on the clean articles."""
    row = {k: score_cases(cs, run_system(det, [c.text for c in cs])) for k, cs in cases.items()}
    row["clean"] = clean_row(run_system(det, clean), words)
    return row


def by_threshold(flags: list[list], t: float, floor: float) -> list[list]:
    """Flags kept at threshold ``t`` when the run used threshold ``floor`` (raw margin kept);
    odd-word flags do not depend on the threshold."""
    return [[f for f in fl if f.evidence != "statistical" or _odd_zipf(f) is not None
             or _margin(f) + floor > t] for fl in flags]


def by_rarity(flags: list[list], cut: float) -> list[list]:
    """Flags kept when the odd-word test's rarity cut is ``cut`` (the run used a higher one)."""
    return [[f for f in fl if (z := _odd_zipf(f)) is None or z < cut] for fl in flags]


def _odd_zipf(f) -> float | None:
    m = re.search(r"rare \(zipf ([0-9.]+)\)", f.detail) if f.evidence == "statistical" else None
    return float(m.group(1)) if m else None


def _margin(f) -> float:
    import math

    s = min(max(f.score, 1e-9), 1 - 1e-9)
    return math.log(s / (1 - s))


def main() -> None:
    ap = argparse.ArgumentParser(description="tortured-phrase benchmark")
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results"))
    ap.add_argument("--cache", type=Path, default=Path("benchmarks/cache"))
    ap.add_argument("--moby-sentences", type=int, default=1500)
    ap.add_argument("--moby-rate", type=float, default=0.3)
    ap.add_argument("--articles", choices=("test", "dev"), default="test",
                    help="score on the test articles (default) or the development articles on "
                         "which the detector's settings were chosen (writes tortured-dev.*)")
    ap.add_argument("--learn-copies", type=int, default=500,
                    help="copies per test spinner checked and learned from (training articles)")
    ap.add_argument("--model", action="store_true",
                    help="the language-model comparison instead (benchmarks/tortured_model.py): "
                         "writes tortured-model.* (tortured-model-dev.* with --articles dev)")
    ap.add_argument("--model-systems", default="",
                    help="comma-separated subset of the model comparison's systems (default all)")
    ap.add_argument("--model-stem", default="",
                    help="suffix of the model comparison's results files (a subset run)")
    ap.add_argument("--model-cases", type=int, default=150, help="cases sampled per spun set")
    ap.add_argument("--model-clean-words", type=int, default=6000, help="clean words sampled")
    ap.add_argument("--model-mrpc-sentences", type=int, default=300,
                    help="clean MRPC sentences (its test file) sampled")
    args = ap.parse_args()
    started = time.time()
    articles = load_corpus(args.data)
    train = [a for a in articles if part(a.id) < 8]
    test = [a for a in articles if part(a.id) == (9 if args.articles == "test" else 8)]
    thesaurus = load_thesaurus("wordnet")
    args.cache.mkdir(parents=True, exist_ok=True)
    bg_path = args.cache / "tortured-background-train.npz"
    if bg_path.is_file():
        background = Background.load(bg_path)
    else:
        background = build((a.text for a in train), thesaurus, meta={"split": "train 80%"})
        background.save(bg_path)
    half_a, half_b = pps_halves(args.data / PPS_CSV)
    list_a = read_pps(half_a)
    cases = {"pps-heldout": pps_cases(test, injector(half_b)),
             "moby": moby_cases(test, args.moby_sentences, args.moby_rate)}
    clean = [a.text for a in test]
    if args.model:
        import tortured_model

        res = tortured_model.run(args, cases=cases, clean_articles=test, list_a=list_a,
                                 background=background, thesaurus=thesaurus,
                                 score_cases=score_cases, clean_row=clean_row, Case=Case)
        res["articles"], res["seconds"] = args.articles, round(time.time() - started, 1)
        stem = ("tortured-model" if args.articles == "test" else "tortured-model-dev") \
            + args.model_stem
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"{stem}.json").write_text(json.dumps(res, indent=2) + "\n")
        (args.out / f"{stem}.md").write_text(tortured_model.markdown(res))
        return
    results_reach = reachability(cases["pps-heldout"], word_substitutions(list_a.entries), thesaurus)
    learned, learning = learned_from_copies(train, injector(half_b), args.cache, args.learn_copies,
                                            args.moby_rate)
    words = sum(len(analyze(t).tokens) for t in clean)
    floor = min(SWEEP)
    systems = {
        "list-only": Detector(fingerprints=list_a, background=background, thesaurus=thesaurus,
                              config=DetectConfig(use_statistical=False)),
        "list+statistical": Detector(fingerprints=list_a, background=background,
                                     thesaurus=thesaurus, config=DetectConfig(threshold=floor)),
        "list+statistical+learned": Detector(fingerprints=list_a, background=background,
                                             thesaurus=thesaurus, learned=learned),
    }
    results: dict = {"articles": args.articles,
                     "split": {"train": len(train), "test": len(test), "test_words": words},
                     "pps_list_a": len(list_a), "threshold": DetectConfig().threshold,
                     "rare_zipf": DetectConfig().rare_zipf,
                     "learned_word_zipf": DetectConfig().learned_word_zipf, "systems": {}, "sweep": {},
                     "rare_sweep": {}, "learning": learning, "reachability": results_reach}
    for name, det in systems.items():
        t0 = time.time()
        raw = {k: run_system(det, [c.text for c in cs]) for k, cs in cases.items()}
        raw_clean = run_system(det, clean)
        res = {}
        for t in SWEEP if name == "list+statistical" else (None,):
            sel = (lambda fl, t=t: by_threshold(fl, t, floor)) if t is not None else (lambda fl: fl)
            row = {k: score_cases(cases[k], sel(raw[k])) for k in cases}
            row["clean"] = clean_row(sel(raw_clean), words)
            if t is None or t == DetectConfig().threshold:
                res = row
            if t is not None:
                results["sweep"][str(t)] = row
        res["seconds"] = round(time.time() - t0, 1)
        results["systems"][name] = res
        print(name, json.dumps(res), file=sys.stderr)
    # Odd-word rarity cut, pair threshold as shipped: one run at the highest cut, filtered down.
    det = Detector(fingerprints=list_a, background=background, thesaurus=thesaurus,
                   config=DetectConfig(rare_zipf=max(RARE_SWEEP)))
    raw = {k: run_system(det, [c.text for c in cs]) for k, cs in cases.items()}
    raw_clean = run_system(det, clean)
    for cut in RARE_SWEEP:
        row = {k: score_cases(cases[k], by_rarity(raw[k], cut)) for k in cases}
        row["clean"] = clean_row(by_rarity(raw_clean, cut), words)
        results["rare_sweep"][str(cut)] = row
    # The shipped configuration reads word substitutions off the whole PPS list (half B included),
    # so only its false flags on clean test articles can be measured without leakage.
    shipped = Detector(background=background, thesaurus=thesaurus)
    results["shipped_list_clean"] = clean_row(run_system(shipped, clean), words)
    # Which learned single words may flag alone (DetectConfig.learned_word_zipf; 99 = all).
    results["learned_word_sweep"] = {}
    for cut in LEARNED_WORD_SWEEP:
        if cut == DetectConfig().learned_word_zipf:  # the learned system above
            row = {k: results["systems"]["list+statistical+learned"][k] for k in (*cases, "clean")}
        else:
            row = score_detector(Detector(fingerprints=list_a, background=background,
                                          thesaurus=thesaurus, learned=learned,
                                          config=DetectConfig(learned_word_zipf=cut)),
                                 cases, clean, words)
        results["learned_word_sweep"][str(cut)] = row
    # Learning curve: fewer aligned copies per spinner (the full row above used --learn-copies).
    results["learning_curve"] = {}
    for n in (*[c for c in LEARN_CURVE if c < args.learn_copies], args.learn_copies):
        if n == args.learn_copies:
            row = {k: results["systems"]["list+statistical+learned"][k] for k in (*cases, "clean")}
            row["learned"] = learning["learned"]
        else:
            fps, stats = learned_from_copies(train, injector(half_b), args.cache, n, args.moby_rate)
            row = score_detector(Detector(fingerprints=list_a, background=background,
                                          thesaurus=thesaurus, learned=fps), cases, clean, words)
            row["learned"] = stats["learned"]
        results["learning_curve"][str(n)] = row
    results["seconds"] = round(time.time() - started, 1)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = "tortured" if args.articles == "test" else "tortured-dev"
    (args.out / f"{stem}.json").write_text(json.dumps(results, indent=2) + "\n")
    (args.out / f"{stem}.md").write_text(markdown(results))


def markdown(r: dict) -> str:
    lines = [
        "Spun test sentences from spinners the detector never saw: PPS half B injected into held-out "
        "BBC/Reuters sentences (detector has half A), and SpinBot-style Moby spinning (30% of content "
        "words; detector uses WordNet). A flag is correct when it overlaps a gold span; recall counts "
        "gold spans overlapped by a flag; restored = correct flags whose suggestion is the original "
        "wording. The `learned` row is the same detector after `check` and `learn` on copies that the two "
        "test spinners made of *training* articles (see Learning below): what the index learns from "
        "seeing a spinner's copies next to their sources. `python benchmarks/tortured_bench.py` "
        "(about 60 s).",
        "",
        "| system | PPS held-out P | R | F1 | restored | Moby P | R | F1 | restored | clean false flags / 2,000 words |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, s in r["systems"].items():
        p, m = s["pps-heldout"], s["moby"]
        lines.append(f"| {name} | {p['precision']:.3f} | {p['recall']:.3f} | {p['f1']:.3f} | "
                     f"{p['restored'] if p['restored'] is not None else '-'} | {m['precision']:.3f} | "
                     f"{m['recall']:.3f} | {m['f1']:.3f} | "
                     f"{m['restored'] if m['restored'] is not None else '-'} | "
                     f"{s['clean']['per_2000_words']:.2f} |")
    lines += ["", "Threshold sweep of the statistical detector (list half A always on):", "",
              "| threshold | PPS P | PPS R | Moby P | Moby R | clean flags / 2,000 words |",
              "|---|---|---|---|---|---|"]
    for t, row in r["sweep"].items():
        lines.append(f"| {t} | {row['pps-heldout']['precision']:.3f} | {row['pps-heldout']['recall']:.3f}"
                     f" | {row['moby']['precision']:.3f} | {row['moby']['recall']:.3f} | "
                     f"{row['clean']['per_2000_words']:.2f} |")
    lines += ["", f"Odd-word rarity cut (wordfreq zipf; shipped {r['rare_zipf']}), pair threshold "
              f"{r['threshold']}, list half A on (one run at the highest cut, filtered down, so a "
              "row can differ slightly from a run at that cut: overlapping flags were resolved "
              "first):", "",
              "| rare_zipf | PPS P | PPS R | Moby P | Moby R | Moby F1 | clean flags / 2,000 words |",
              "|---|---|---|---|---|---|---|"]
    for t, row in r["rare_sweep"].items():
        lines.append(f"| {t} | {row['pps-heldout']['precision']:.3f} | {row['pps-heldout']['recall']:.3f}"
                     f" | {row['moby']['precision']:.3f} | {row['moby']['recall']:.3f} | "
                     f"{row['moby']['f1']:.3f} | {row['clean']['per_2000_words']:.2f} |")
    sh = r["shipped_list_clean"]
    lines += ["", f"Shipped configuration (whole PPS list, its word substitutions, threshold "
              f"{r['threshold']}) on the clean test articles: {sh['false_flags']} false flags, "
              f"{sh['per_2000_words']:.2f} per 2,000 words."]
    re_ = r["reachability"]
    total = sum(re_.values())
    lines += ["", f"Reachability of the {total} injected PPS half-B phrases: {re_['length']} change the "
              f"number of words, {re_['known']} can be undone word by word through half A's "
              f"substitutions, {re_['wordnet']} through WordNet neighbours, {re_['neither']} through "
              "neither."]
    le = r["learning"]
    lines += ["", f"Learning: {le['copies']} copies of training articles (Moby spinning and PPS half B), "
              f"{le['derived']} traced to their source by `check`, {le['substitutions']} substitutions "
              f"kept, {le['learned']} fingerprints learned."]
    lines += ["", "Learning curve (copies per spinner checked and learned from; F1 and clean flags of "
              "the detector afterwards):", "",
              "| copies per spinner | fingerprints learned | PPS F1 | Moby F1 | clean flags / 2,000 words |",
              "|---|---|---|---|---|"]
    for n, row in r["learning_curve"].items():
        lines.append(f"| {n} | {row['learned']} | {row['pps-heldout']['f1']:.3f} | {row['moby']['f1']:.3f} | "
                     f"{row['clean']['per_2000_words']:.2f} |")
    lines += ["", f"Learned single words flagging alone below a wordfreq zipf cut (shipped "
              f"{r['learned_word_zipf']}; 99 = every learned word), after learning from "
              f"{r['learning']['copies']} copies:", "",
              "| learned_word_zipf | PPS P | PPS R | PPS F1 | Moby P | Moby R | Moby F1 | clean flags / 2,000 words |",
              "|---|---|---|---|---|---|---|---|"]
    for t, row in r["learned_word_sweep"].items():
        p, m = row["pps-heldout"], row["moby"]
        lines.append(f"| {t} | {p['precision']:.3f} | {p['recall']:.3f} | {p['f1']:.3f} | "
                     f"{m['precision']:.3f} | {m['recall']:.3f} | {m['f1']:.3f} | "
                     f"{row['clean']['per_2000_words']:.2f} |")
    sp = r["split"]
    lines += ["", f"Scored articles ({r['articles']}): {sp['test']} ({sp['test_words']} words); "
              "background from "
              f"{sp['train']} training articles; PPS half A: {r['pps_list_a']} entries; "
              f"run time {r['seconds']} s."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
