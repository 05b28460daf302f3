"""Derive unspin's compact WordNet 3.0 synonym table from the Debian `wordnet-base` files.

Run once by a maintainer (`python scripts/build_wordnet.py /usr/share/wordnet`); the output,
src/unspin/data/wordnet-3.0-synonyms.json.gz, ships with the package under the WordNet licence
(src/unspin/data/WORDNET-LICENSE). Contents: synsets as lists of lemmas; for each lemma and part of
speech, its synsets in WordNet's sense order (most frequent first); the exception lists for
inflected forms.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}


def main(root: str, out: str) -> None:
    base = Path(root)
    synsets: list[list[str]] = []
    where: dict[tuple[str, str], int] = {}
    for name, pos in POS.items():
        for line in (base / f"data.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            parts = line.split(" ")
            offset, count = parts[0], int(parts[3], 16)
            lemmas = []
            for k in range(count):
                lemma = parts[4 + 2 * k].lower()
                lemma = lemma.split("(")[0].replace("_", " ")
                if lemma not in lemmas:
                    lemmas.append(lemma)
            where[(pos, offset)] = len(synsets)
            synsets.append(lemmas)
    index: dict[str, list[int]] = {}
    for name, pos in POS.items():
        for line in (base / f"index.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith("  "):
                continue
            parts = line.split()
            lemma, count = parts[0].replace("_", " "), int(parts[2])
            offsets = parts[-count:]
            ids = index.setdefault(lemma, [])
            ids.extend(where[(pos, o)] for o in offsets)
    exceptions: dict[str, list[str]] = {}
    for name in POS:
        for line in (base / f"{name}.exc").read_text(encoding="latin-1").splitlines():
            parts = line.split()
            if len(parts) >= 2:
                exceptions.setdefault(parts[0].replace("_", " "), []).extend(
                    p.replace("_", " ") for p in parts[1:]
                )
    payload = {
        "name": "wordnet",
        "version": "3.0",
        "synsets": synsets,
        "index": index,
        "exceptions": exceptions,
    }
    with gzip.open(out, "wt", encoding="utf-8", compresslevel=9) as fh:
        json.dump(payload, fh, separators=(",", ":"))
    print(f"{len(synsets)} synsets, {len(index)} lemmas -> {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet",
         sys.argv[2] if len(sys.argv) > 2 else "src/unspin/data/wordnet-3.0-synonyms.json.gz")
