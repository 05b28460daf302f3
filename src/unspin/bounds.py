"""How much one suspect may hold: checking and detecting take time and memory in proportion to a
suspect's length (figures in RELIABILITY.md), so a suspect over the limit is refused with a message
instead of running for minutes and taking gigabytes."""

from __future__ import annotations

from .errors import BadInputError

MAX_SUSPECT_CHARS = 1_000_000
"""The default limit: ten times the longest news articles; a check of that size took under a minute
and half a GB on two loaded cores (RELIABILITY.md)."""


def require_suspect_size(text: str, limit: int, *, path: str = "suspect") -> None:
    """Raise :class:`BadInputError` when ``text`` is longer than ``limit`` characters."""
    if len(text) > limit:
        raise BadInputError(
            path or "suspect",
            f"{len(text):,} characters, over the {limit:,}-character limit for one suspect; split "
            "it or raise CheckConfig.max_suspect_chars",
        )


__all__ = ["MAX_SUSPECT_CHARS", "require_suspect_size"]
