"""Plain text: one article per file, the text kept exactly as given."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from unspin.article import Article
from unspin.config import IngestConfig
from unspin.errors import BadInputError

from .base import Item, OnBad, bad_record, read_file, require_text, route
from .decode import decode_bytes

_DEFAULT = IngestConfig()
_MAX_TITLE = 150


def title_of(text: str) -> str:
    """The first line when a blank line follows it, as the headline of a BBC file; else "".

    A first line that reads as a paragraph (over 150 characters, or ending in a full stop) is not
    taken for a title.
    """
    first, newline, rest = text.partition("\n")
    second, newline2, _ = rest.partition("\n")
    title = first.strip()
    if not (newline and newline2 and title and not second.strip()):
        return ""
    return "" if len(title) > _MAX_TITLE or title.endswith(".") else title


def text_article(text: str, *, article_id: str, metadata: Mapping[str, object]) -> Article:
    return Article(id=article_id, text=text, title=title_of(text), metadata=dict(metadata))


def iter_items(path: str, *, article_id: str, config: IngestConfig) -> Iterator[Item]:
    try:
        text, encoding = decode_bytes(read_file(path, config.max_bytes), path=path)
        require_text(text, path)
    except BadInputError as exc:
        yield bad_record(exc)
        return
    yield text_article(
        text, article_id=article_id, metadata={"format": "txt", "path": path, "encoding": encoding}
    )


def read_text_file(
    path: str,
    *,
    article_id: str | None = None,
    config: IngestConfig = _DEFAULT,
    on_bad: OnBad | None = None,
) -> Iterator[Article]:
    """One article from a plain-text file; ``article_id`` defaults to the file's stem."""
    items = iter_items(path, article_id=article_id or Path(path).stem, config=config)
    return route(items, on_bad)
