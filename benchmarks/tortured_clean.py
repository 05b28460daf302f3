"""Clean MRPC sentences for the tortured-phrase benchmarks, as their writers wrote them.

MRPC's sentences passed through its builders' tokeniser, which left spaces its writers did not
type: before a comma or a full stop ("116 yen , well above"), before "'s" and "n't", inside
brackets. Those spaces are the dataset's, not the news writer's, so using the sentences as clean
text as they are would count the tokeniser's traces as translation damage ("space before
punctuation"). The rule, stated before any measurement and applied to every MRPC sentence used
as clean text (train and test files alike): remove a space before , . ; : ? ! % ) and the clitics
's 're 've 'll 'd 'm n't, and after ( and $. Nothing else is changed (ticker codes such as
".SPX" stay: a writer typed them).
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Iterable
from pathlib import Path

from unspin.analysis import analyze

_BEFORE = re.compile(r" +([,.;:?!%)]|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b)(?=\s|$|[,.;:?!)'\"])")
_AFTER = re.compile(r"([($]) +")


def detokenise(sentence: str) -> str:
    """``sentence`` without the spaces MRPC's tokeniser added (see the module docstring)."""
    return _AFTER.sub(r"\1", _BEFORE.sub(r"\1", sentence))


def mrpc_sentences(data: Path, file: str, n: int, seed: int = 5) -> list[str]:
    """``n`` distinct sentences of MRPC's ``file`` ("train" or "test"), sampled, detokenised."""
    path = data / "mrpc" / f"msr_paraphrase_{file}.tsv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
    sents = sorted({s for r in rows if len(r) == 5 for s in (r[3], r[4])})
    random.Random(seed).shuffle(sents)
    return [detokenise(s) for s in sents[:n]]


__all__ = ["detokenise", "mrpc_sentences"]


def first_texts(texts: Iterable[str], words: int) -> tuple[list[str], int]:
    """The first ``texts``, in order, until their tokens add up to ``words`` (the last one taken
    may pass it), and their token count: the clean sample a flag count or a speed run reads."""
    out: list[str] = []
    total = 0
    for text in texts:
        if total >= words:
            break
        out.append(text)
        total += len(analyze(text).tokens)
    return out, total
