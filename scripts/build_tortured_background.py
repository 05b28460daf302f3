"""Build the background collocation model shipped with unspin: src/unspin/data/tortured-background.npz.

Counts adjacent lemma pairs in BBC News (2,225 articles) and Reuters-21578 (bodies), deduplicated
as in the benchmark corpus reader, plus WordNet's two-word lemmas as attested pairs. Only counts
of word pairs are stored, never text. See src/unspin/data/TORTURED-BACKGROUND.md.

    python scripts/build_tortured_background.py [--data /work/shared/data] [--out PATH]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from unspin.bench.corpus import load_corpus
from unspin.thesaurus import load as load_thesaurus
from unspin.tortured.background import BACKGROUND_FILE, build

DEFAULT_DATA = Path("/work/shared/data")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=Path("src/unspin/data") / BACKGROUND_FILE)
    args = ap.parse_args()
    started = time.time()
    articles = load_corpus(args.data)
    model = build(
        (a.text for a in articles),
        load_thesaurus("wordnet"),
        meta={"sources": ["bbc-news/bbc.jsonl (Greene & Cunningham 2006)",
                          "reuters21578/reuters21578.jsonl (bodies)"],
              "articles": len(articles), "builder": "scripts/build_tortured_background.py"},
    )
    model.save(args.out)
    size = args.out.stat().st_size
    print(f"{args.out}: {len(model.vocab)} words, {len(model.keys)} pairs, "
          f"{len(model.extra)} dictionary pairs, {size / 1e6:.1f} MB, {time.time() - started:.0f} s")


if __name__ == "__main__":
    main()
