"""A scale corpus: N distinct news-like articles, with the real benchmark articles planted among them.

The generated articles come from a word-level Markov chain of order 2 trained on the deduplicated
BBC + Reuters articles (``unspin.bench.corpus.load_corpus``): each sentence starts where a real
sentence starts, each word is drawn after the two before it as often as it follows them in the
real articles, so names, figures and phrasing are the corpora's own. Every number is then
replaced, with probability 1/2, by a random number of the same number of digits, so that no two
generated articles agree on their figures by chance. An article has 2-6 paragraphs of 2-5
sentences; its title is the start of its first sentence.

The real articles (all of them, ids as the benchmark gives them) are planted at evenly spaced
positions; the others have ids ``gen-<seed>-<n>``. Output: JSON lines (id, title, text),
streamed, so the corpus is generated on demand and never committed::

    nice -n 10 .venv/bin/python benchmarks/scale_corpus.py --data ../shared/data -n 100000 \\
        --seed 14 -o benchmarks/work/scale-100k.jsonl

Same seed and data, same corpus. About 2,000 articles/s on one core of the development machine.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

from unspin.article import Article
from unspin.bench.corpus import load_corpus

START = ("\x02", "\x02")
END = "\x03"
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")
_NUMBER = re.compile(r"\d")


class Chain:
    """An order-2 word Markov chain: the words that follow each pair, as often as they do."""

    def __init__(self, articles: Sequence[Article]) -> None:
        follow: dict[tuple[str, str], list[str]] = defaultdict(list)
        for article in articles:
            for para in article.text.split("\n\n"):
                for sentence in _SENTENCE.split(" ".join(para.split())):
                    words = sentence.split()
                    if len(words) < 4:
                        continue
                    prev = START
                    for word in [*words, END]:
                        follow[prev].append(word)
                        prev = (prev[1], word)
        self.follow = dict(follow)

    def sentence(self, rng: random.Random, max_words: int = 45) -> str:
        prev, words = START, []
        while len(words) < max_words:
            word = rng.choice(self.follow[prev])
            if word == END:
                break
            words.append(word)
            prev = (prev[1], word)
        return " ".join(words)


def _renumber(text: str, rng: random.Random) -> str:
    def one(match: re.Match[str]) -> str:
        return str(rng.randrange(10)) if rng.random() < 0.5 else match.group(0)
    return _NUMBER.sub(one, text)


def generated(chain: Chain, rng: random.Random, article_id: str) -> Article:
    paragraphs = []
    for _ in range(rng.randint(2, 6)):
        sentences = [_renumber(chain.sentence(rng), rng) for _ in range(rng.randint(2, 5))]
        paragraphs.append(" ".join(s for s in sentences if s))
    title = " ".join(paragraphs[0].split()[:8])
    return Article(id=article_id, title=title, text="\n\n".join(paragraphs))


def corpus(real: Sequence[Article], n: int, seed: int) -> Iterator[Article]:
    """``n`` articles: every real one (while ``n`` allows) and generated ones between them."""
    rng = random.Random(seed)
    chain = Chain(real)
    planted = min(len(real), n)
    step = n / max(planted, 1)
    at = {int(i * step): real[i] for i in range(planted)}
    for i in range(n):
        yield at[i] if i in at else generated(chain, rng, f"gen-{seed}-{i}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    ap.add_argument("-n", type=int, required=True, help="articles in all (real ones included)")
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("-o", "--output", type=Path, required=True, help="JSON lines file to write")
    args = ap.parse_args(argv)
    real = load_corpus(args.data)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as out:
        for article in corpus(real, args.n, args.seed):
            out.write(json.dumps({"id": article.id, "title": article.title, "text": article.text},
                                 ensure_ascii=False) + "\n")
    print(f"{args.output}: {args.n:,} articles ({min(len(real), args.n):,} real)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
