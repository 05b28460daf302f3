"""Read the benchmark's source articles (BBC News, Reuters-21578) as ``Article`` records.

Ids are ``bbc/<id>`` and ``reuters/<newid>``. ``Article.source`` names the publication and
``metadata["subject"]`` holds the BBC category or the first Reuters topic code ("" when none), which
is what "same subject" means for hard negatives. Reuters bodies are reflowed: the hard line wraps of
the wire are joined, paragraphs (indented lines) are separated by a blank line and the trailing
"REUTER" signature is dropped. The text as returned here is the text that is indexed and that every
source offset refers to.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from unspin.article import Article

BBC_FILE = Path("bbc-news/bbc.jsonl")
REUTERS_FILE = Path("reuters21578/reuters21578.jsonl")
_REUTERS_PARA = re.compile(r"\n[ \t]+")
_REUTERS_SIGNATURE = re.compile(r"\s*\breuter\s*$", re.IGNORECASE)


def read_bbc(path: Path) -> Iterator[Article]:
    """BBC News records (fields id, category, title, text)."""
    for record in _jsonl(path):
        text = (record.get("text") or "").strip()
        if text:
            yield Article(
                id=f"bbc/{record['id']}",
                text=text,
                title=record.get("title") or "",
                source="bbc",
                metadata={"subject": record.get("category") or ""},
            )


def read_reuters(path: Path) -> Iterator[Article]:
    """Reuters-21578 records with a non-empty body (fields newid, topics, title, body)."""
    for record in _jsonl(path):
        text = reflow_reuters(record.get("body") or "")
        if text:
            topics = record.get("topics") or []
            yield Article(
                id=f"reuters/{record['newid']}",
                text=text,
                title=(record.get("title") or "").strip(),
                source="reuters",
                metadata={"subject": topics[0] if topics else "",
                          "date": (record.get("date") or "").split(" ")[0]},
            )


def reflow_reuters(body: str) -> str:
    """Join the wire's hard-wrapped lines; one paragraph per indented line; drop the signature."""
    body = _REUTERS_SIGNATURE.sub("", body.strip())
    paragraphs = (" ".join(p.split()) for p in _REUTERS_PARA.split(body))
    return "\n\n".join(p for p in paragraphs if p)


def dedupe(articles: Iterable[Article]) -> Iterator[Article]:
    """Drop articles whose normalised text (case and whitespace folded) was seen before."""
    seen: set[str] = set()
    for article in articles:
        key = " ".join(article.text.lower().split())
        if key not in seen:
            seen.add(key)
            yield article


def load_corpus(data_dir: Path) -> list[Article]:
    """Every deduplicated BBC and Reuters article under ``data_dir`` (each set deduplicated alone)."""
    data_dir = Path(data_dir)
    bbc = list(dedupe(read_bbc(data_dir / BBC_FILE)))
    reuters = list(dedupe(read_reuters(data_dir / REUTERS_FILE)))
    return bbc + reuters


def _jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)
