"""The hand-written multilingual and heavy-rewrite set (``benchmarks/multilingual_set/``).

Each file holds blocks opened by a header line ``=== <id> key=value ...``; the text follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

FILES = {
    "translated": "translated.txt",
    "translated_negative": "translated_negatives.txt",
    "rewrite": "rewrites.txt",
    "independent": "independent.txt",
}
HOLDOUT_DIR = "holdout"  # a later part, written before the engine was run on it
DEFAULT_DIR = Path(__file__).resolve().parents[3] / "benchmarks" / "multilingual_set"


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    kind: str  # a key of FILES
    lang: str
    text: str
    source: str = ""  # the indexed article it derives from ("" for negatives)
    related: str = ""  # the article a negative was written from (held out, or indexed facts)
    holdout: bool = False  # from ``holdout/``: written later, nothing is fitted or read on it

    @property
    def split(self) -> str:
        """``holdout`` for the held-out part, else ``dev`` (odd numbers) or ``test`` (even)."""
        if self.holdout:
            return "holdout"
        return "dev" if int(self.id[1:]) % 2 else "test"


def _parse(kind: str, path: Path, holdout: bool = False) -> list[Item]:
    items = []
    for block in path.read_text(encoding="utf-8").split("=== ")[1:]:
        head, _, text = block.partition("\n")
        name, *pairs = head.split()
        meta = dict(p.split("=", 1) for p in pairs)
        source = meta.get("source", "")
        related = meta.get("heldout", meta.get("facts", ""))
        items.append(Item(name, kind, meta.get("lang", "en"), text.strip(), source, related,
                          holdout))
    return items


def read_items(folder: str | Path = DEFAULT_DIR) -> list[Item]:
    """Every item of the set, in file order, then the held-out part (``holdout/``, if present)."""
    folder = Path(folder)
    out: list[Item] = []
    for kind, name in FILES.items():
        path = folder / name
        if not path.is_file():
            raise UsageError(f"{path}: not found; point to benchmarks/multilingual_set")
        out.extend(_parse(kind, path))
    for kind, name in FILES.items():
        path = folder / HOLDOUT_DIR / name
        if path.is_file():
            out.extend(_parse(kind, path, holdout=True))
    return out


__all__ = ["Item", "FILES", "DEFAULT_DIR", "read_items"]
