"""Frozen configuration, grouped by concern. Only the CLI and web layers read files or environment."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class IngestConfig:
    """How input files are read."""

    max_bytes: int = 20_000_000
    id_field: str = "id"
    text_field: str = "text"
    title_field: str = "title"
    url_field: str = "url"
    published_field: str = "published"
    source_field: str = "source"
    metadata: bool = True  # HTML: title, date, site name too (finding the date costs ~5x the text)

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError("IngestConfig.max_bytes must be positive")


@dataclass(frozen=True, slots=True)
class IndexConfig:
    """Everything the index's fingerprints depend on. Recorded in the manifest; queries must match."""

    normalizer: str = "nfkc-zw-homoglyph-ws/1"
    tokenizer: str = "unicode-words/1"
    thesaurus: str = "wordnet"
    word_ngram: int = 4
    skeleton_ngram: int = 6
    anchor_ngram: int = 2
    hash_seed: int = 0x5EED
    max_chars: int = 200_000
    semantic: str = "auto"  # static | minilm | off; auto = static when installed, else off
    model: str = ""  # the embedder's files: a path or a hub name (local cache only); "" = installed
    model_sha256: str = ""  # required for a model file unspin does not know

    def __post_init__(self) -> None:
        for name in ("word_ngram", "skeleton_ngram", "anchor_ngram"):
            if getattr(self, name) < 1:
                raise ValueError(f"IndexConfig.{name} must be >= 1")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CheckConfig:
    """Retrieval, alignment and verdict settings for ``check``."""

    candidates: int = 8
    min_relative_score: float = 0.1
    max_sources: int = 5
    min_passage_chars: int = 40
    seed_threshold: float = 0.45
    verdict_min_tokens: float = 15.0
    verdict_min_sentences: int = 2
    derived_threshold: float = 0.5
    exclude_quotes: bool = True

    def __post_init__(self) -> None:
        if self.candidates < 1:
            raise ValueError("CheckConfig.candidates must be >= 1")
        if not 0.0 <= self.derived_threshold <= 1.0:
            raise ValueError("CheckConfig.derived_threshold must be in [0, 1]")
