"""The one record that flows through every stage: an article with its text and metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Article:
    """One article, as the user gave it.

    ``text`` is the text every offset refers to: for plain text and JSON lines it is the input as
    given; for HTML and WARC records it is the main text extracted from the page.
    """

    id: str
    text: str
    title: str = ""
    url: str = ""
    published: str = ""
    source: str = ""
    metadata: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise ValueError("Article.id must be a non-empty string")
        if not isinstance(self.text, str):
            raise ValueError(f"Article {self.id!r}: text must be a string")
        for name in ("id", "text", "title", "url", "published", "source"):
            value = getattr(self, name)
            if isinstance(value, str) and _SURROGATE.search(value):
                setattr(self, name, _SURROGATE.sub("\ufffd", value))
        self.metadata = _no_surrogates(self.metadata)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(value: Any) -> Any:
    """``value`` with lone surrogates (which no file can hold: JSON's ``"\\ud800"``) as U+FFFD,
    one character for one, so offsets do not move."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value) if _SURROGATE.search(value) else value
    if isinstance(value, dict):
        return {_no_surrogates(k): _no_surrogates(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_no_surrogates(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class BadRecord:
    """An input that was skipped in a bulk run: where it was and why."""

    path: str
    location: str  # "line 12", "record 3", "" for a whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.location}" if self.location else self.path
        return f"{where}: {self.message}"
