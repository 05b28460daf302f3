"""The translation gate's two bands, per item of the hand-written multilingual set.

For each item in another language, its sentences are aligned (``crosslingual.CrossAligner``) with
the article it is about: a translation's source, an independent report's ``facts`` article, and for
a translated negative (whose article is not indexed) the candidate, among those ``check`` would
align, whose in-order run comes closest to passing. Printed per item: the suspect's content
sentences, the pairs of the run the gate judges (``CrossAligner.gate_run``: of the in-order runs
above ``gate_cosine`` long enough to pass the count, the one with the highest mean; else the
longest) and their mean cosine (``mean_cosine`` is fitted
between the same-event reports' highest mean and the translations' lowest, on the dev part); then
those extremes per kind. Needs an index built by ``multilingual_bench.py`` (``--work``).

    nice -n 10 .venv/bin/python benchmarks/multilingual_gate.py --work /tmp/ml-bench --split dev
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from unspin import crossindex
from unspin.analysis import analyze
from unspin.bench.multilingual_set import Item, read_items
from unspin.check import candidates
from unspin.config import CheckConfig
from unspin.crosslingual import CrossAligner, CrossConfig, _Pair
from unspin.embed import multilingual
from unspin.index import Index


def _rows(item: Item, index: Index, cross: CrossAligner) -> list[int]:
    wanted = item.source if item.kind == "translated" else item.related
    if item.kind in ("translated", "independent"):
        rowid = index.storage.rowid_of(wanted)
        return [rowid] if rowid is not None else []
    lexical = candidates(cross.suspect, index, CheckConfig().candidates)
    near = crossindex.candidates(index, cross.vectors, crossindex.CANDIDATES)
    return list(dict.fromkeys([c.rowid for c in lexical] + [r for r, _ in near]))


def best_run(item: Item, index: Index, cross: CrossAligner, cfg: CrossConfig) -> tuple[str, list[_Pair], int]:
    """The article, in-order run and content-sentence count of the item's best alignment."""
    content = len(cross.content())
    best: tuple[tuple[bool, float, int], str, list[_Pair]] = ((False, 0.0, 0), "-", [])
    for rowid in _rows(item, index, cross):
        article = index.storage.get(rowid)
        if article is None:
            continue
        pairs = cross.pairs(analyze(article.text[: index.config.max_chars]))
        run = cross.gate_run(pairs)
        key = (cross.long_enough(run, content), sum(p.score for p in run) / max(len(run), 1),
               len(run))
        if key > best[0]:
            best = (key, article.id, run)
    return best[1], best[2], content


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("benchmarks/work/multilingual"))
    ap.add_argument("--split", choices=("dev", "test", "holdout"), default="dev")
    args = ap.parse_args(argv)
    index = Index.open(args.work, readonly=True)
    embedder, cfg = multilingual.load(), CrossConfig()
    means: dict[str, list[float]] = {}
    for item in read_items():
        if item.split != args.split or item.lang == "en":
            continue
        cross = CrossAligner(analyze(item.text), embedder, cfg)
        aid, run, content = best_run(item, index, cross, cfg)
        mean = sum(p.score for p in run) / len(run) if run else 0.0
        if cross.long_enough(run, content):
            means.setdefault(item.kind, []).append(mean)  # passes the count: the mean decides
        pairs = " ".join(f"{p.i}>{p.j}:{p.score:.2f}" for p in run)
        print(f"{item.id} {item.kind:<19} {item.lang} {aid:<18} content={content} "
              f"in_order={len(run)} mean={mean:.3f} | {pairs}")
    for kind, got in sorted(means.items()):
        print(f"{kind:<19} {len(got):>2} pass the count; mean cosine min {min(got):.3f} "
              f"max {max(got):.3f} (gate {cfg.mean_cosine})")
    index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
