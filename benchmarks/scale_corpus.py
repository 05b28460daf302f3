"""A scale corpus: N distinct news-like articles, with the real benchmark articles planted among them.

The generated articles come from a word-level Markov chain of order 2 trained on the deduplicated
BBC + Reuters articles (``unspin.bench.corpus.load_corpus``): each sentence starts where a real
sentence starts, each word is drawn after the two before it as often as it follows them in the
real articles, so names, figures and phrasing are the corpora's own. Every digit is then
replaced, with probability 1/2, by a random digit, so that no two generated articles agree on
their figures by chance. An article has 2-6 paragraphs of 2-5 sentences; its title is the start of
its first sentence.

The chain is sampled with numpy, many sentences in lockstep (one array step per word position):
the chain is a table of follower ids per state and, per follower, the state it leads to. The
real articles (all of them, ids as the benchmark gives them) are planted at evenly spaced
positions; the others have ids ``gen-<seed>-<n>``. Output: JSON lines (id, title, text), streamed
in blocks, so the corpus is generated on demand and never committed::

    nice -n 10 .venv/bin/python benchmarks/scale_corpus.py --data ../shared/data -n 1000000 \\
        --seed 14 -o benchmarks/work/scale/scale-1000000.jsonl

Same seed and data, same corpus (numpy's ``default_rng(seed)``). ``scale_bench.py`` takes smaller
sizes from one big file: every real article and the first generated ones.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from unspin.article import Article
from unspin.bench.corpus import load_corpus

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
MAX_WORDS = 45
BLOCK = 4096  # articles generated per numpy step


class Chain:
    """An order-2 word Markov chain as arrays: for state s (a pair of words), its followers are
    ``words[start[s]:start[s + 1]]`` (repeated as often as they follow), and ``leads[j]`` is the
    state after follower j (-1 for the end of the sentence)."""

    def __init__(self, articles: Sequence[Article]) -> None:
        vocab: dict[str, int] = {"\x02": 0, "\x03": 1}  # start, end
        follow: dict[tuple[int, int], list[int]] = {}
        for article in articles:
            for para in article.text.split("\n\n"):
                for sentence in _SENTENCE.split(" ".join(para.split())):
                    words = sentence.split()
                    if len(words) < 4:
                        continue
                    prev = (0, 0)
                    for word in [*words, "\x03"]:
                        wid = vocab.setdefault(word, len(vocab))
                        follow.setdefault(prev, []).append(wid)
                        prev = (prev[1], wid)
        self.vocab = np.array(list(vocab), dtype=object)
        states = {pair: i for i, pair in enumerate(follow)}
        self.start = np.zeros(len(states) + 1, dtype=np.int64)
        words: list[int] = []
        leads: list[int] = []
        for pair, i in states.items():
            nexts = follow[pair]
            words.extend(nexts)
            leads.extend(states.get((pair[1], w), -1) if w != 1 else -1 for w in nexts)
            self.start[i + 1] = len(words)
        self.words = np.array(words, dtype=np.int64)
        self.leads = np.array(leads, dtype=np.int64)
        self.first = states[(0, 0)]

    def sentences(self, rng: np.random.Generator, n: int) -> list[str]:
        """``n`` sentences (possibly empty ones), sampled in lockstep."""
        state = np.full(n, self.first, dtype=np.int64)
        out = np.full((n, MAX_WORDS), -1, dtype=np.int64)
        alive = np.ones(n, dtype=bool)
        for pos in range(MAX_WORDS):
            idx = np.flatnonzero(alive)
            if not len(idx):
                break
            s = state[idx]
            lo, size = self.start[s], self.start[s + 1] - self.start[s]
            j = lo + (rng.random(len(idx)) * size).astype(np.int64)
            word = self.words[j]
            ended = word == 1
            out[idx[~ended], pos] = word[~ended]
            state[idx] = self.leads[j]
            alive[idx[ended | (self.leads[j] < 0)]] = False
        return [" ".join(self.vocab[row[row >= 0]]) for row in out]


def renumber(text: str, rng: np.random.Generator) -> str:
    """Each digit replaced by a random one with probability 1/2."""
    raw = np.frombuffer(text.encode("utf-8"), dtype=np.uint8).copy()
    digits = np.flatnonzero((raw >= 48) & (raw <= 57))
    if len(digits):
        pick = digits[rng.random(len(digits)) < 0.5]
        raw[pick] = 48 + rng.integers(0, 10, len(pick))
    return raw.tobytes().decode("utf-8")


def generated_block(chain: Chain, rng: np.random.Generator, first: int, n: int, seed: int
                    ) -> list[Article]:
    paras = rng.integers(2, 7, n)
    per_para = [rng.integers(2, 6, p) for p in paras]
    total = int(sum(int(x.sum()) for x in per_para))
    pool = iter(chain.sentences(rng, total))
    out = []
    for i in range(n):
        paragraphs = [" ".join(s for s in (next(pool) for _ in range(int(k))) if s)
                      for k in per_para[i]]
        text = renumber("\n\n".join(p for p in paragraphs if p) or "Nothing.", rng)
        title = " ".join(text.split()[:8])
        out.append(Article(id=f"gen-{seed}-{first + i}", title=title, text=text))
    return out


def corpus(real: Sequence[Article], n: int, seed: int) -> Iterator[Article]:
    """``n`` articles: every real one (while ``n`` allows) and generated ones between them."""
    rng = np.random.default_rng(seed)
    chain = Chain(real)
    planted = min(len(real), n)
    step = n / max(planted, 1)
    at = {int(i * step): real[i] for i in range(planted)}
    block: list[Article] = []
    for i in range(n):
        if i in at:
            yield at[i]
            continue
        if not block:
            block = generated_block(chain, rng, i, BLOCK, seed)[::-1]
        art = block.pop()
        yield Article(id=f"gen-{seed}-{i}", title=art.title, text=art.text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("-n", type=int, required=True, help="articles in all (real ones included)")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("-o", "--output", type=Path, required=True, help="JSON lines file to write")
    args = ap.parse_args(argv)
    real = load_corpus(args.data)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.output.with_name(args.output.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as out:
        for article in corpus(real, args.n, args.seed):
            out.write(json.dumps({"id": article.id, "title": article.title, "text": article.text},
                                 ensure_ascii=False) + "\n")
    tmp.replace(args.output)
    print(f"{args.output}: {args.n:,} articles ({min(len(real), args.n):,} real)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
