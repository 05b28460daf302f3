"""HTML: the main text and metadata of a page, extracted by trafilatura in one pass."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import trafilatura

from unspin.article import Article
from unspin.config import IngestConfig
from unspin.errors import BadInputError

from .base import Item, OnBad, bad_record, read_file, route
from .decode import decode_bytes

_DEFAULT = IngestConfig()
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_EXTRA = ("author", "hostname", "description", "language")
_FIELDS = ("text", "title", "url", "date", "sitename", *_EXTRA)


def sniff_charset(data: bytes) -> str | None:
    """The charset a ``<meta>`` tag near the top of the page declares, if any."""
    match = _META_CHARSET.search(data, 0, 4096)
    return match.group(1).decode("ascii") if match else None


def _extract(html: str, url: str | None, with_metadata: bool = True, fast: bool = False
             ) -> dict[str, Any] | None:
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=with_metadata,
                                      include_comments=False, fast=fast)
    if doc is None:
        return None
    return doc if isinstance(doc, dict) else {k: getattr(doc, k, None) for k in _FIELDS}


def html_article(
    html: str,
    *,
    article_id: str,
    path: str,
    metadata: dict[str, Any],
    location: str = "",
    url: str = "",
    with_metadata: bool = True,
    fast: bool = False,
) -> Article:
    """Build an article from a page, or raise ``BadInputError`` if no article text is found.

    ``with_metadata`` False leaves the title, date and site name out (much faster); ``fast``
    uses trafilatura's fast mode (no fallback extractors).
    """
    try:
        doc = _extract(html, url or None, with_metadata, fast)
    except Exception as exc:  # lxml and trafilatura raise many types on odd markup
        raise BadInputError(
            path,
            f"cannot parse the HTML ({type(exc).__name__}); check that it is a web page",
            location,
        ) from exc
    text = doc.get("text") if doc else None
    if not doc or not text or not text.strip():
        raise BadInputError(
            path,
            "no article text found in the HTML (trafilatura extracted nothing); "
            "check that the page holds an article, not only navigation or scripts",
            location,
        )
    extra = {k: doc[k] for k in _EXTRA if doc.get(k)}
    # trafilatura puts one paragraph (or heading) per line; a blank line between them keeps them
    # apart as paragraphs in the text every offset refers to, as in plain-text articles
    text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    return Article(
        id=article_id,
        text=text,
        title=doc.get("title") or "",
        url=url or doc.get("url") or "",
        published=doc.get("date") or "",
        source=doc.get("sitename") or doc.get("hostname") or "",
        metadata={**extra, **metadata},
    )


def iter_items(path: str, *, article_id: str, config: IngestConfig) -> Iterator[Item]:
    try:
        data = read_file(path, config.max_bytes)
        html, encoding = decode_bytes(data, path=path, declared=sniff_charset(data))
        meta = {"format": "html", "path": path, "encoding": encoding}
        article = html_article(html, article_id=article_id, path=path, metadata=meta,
                               with_metadata=config.metadata, fast=config.fast_html)
    except BadInputError as exc:
        yield bad_record(exc)
        return
    yield article


def read_html_file(
    path: str,
    *,
    article_id: str | None = None,
    config: IngestConfig = _DEFAULT,
    on_bad: OnBad | None = None,
) -> Iterator[Article]:
    """One article from an HTML page; ``article_id`` defaults to the file's stem."""
    items = iter_items(path, article_id=article_id or Path(path).stem, config=config)
    return route(items, on_bad)
