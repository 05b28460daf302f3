"""The index manifest: format version and every setting its queries depend on."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import UTC, datetime
from pathlib import Path

from ..config import IndexConfig
from ..errors import IndexDamagedError, IndexMismatchError, ModelError
from ..normalize import NORMALIZER_NAME
from ..thesaurus import load as load_thesaurus
from ..tokens import TOKENIZER_NAME
from ..version import __version__
from .integrity import (
    SETTINGS_KEY,
    damaged,
    manifest_problem,
    rebuild_command,
    settings_checksum,
)

FORMAT_VERSION = 6  # 2: posting segments in memory-mapped files; 3: checksums of every part;
# 4: compressed texts, 12-byte postings (uint32 rowids), rowids never reused; 5: 8-byte postings
# (40-bit keys, 24-bit rowids), sampled n-gram fingerprints; 6: one graph vector per run of
# ``vector_chunk`` sentences


def _thesaurus_meta(name: str) -> dict[str, str]:
    th = load_thesaurus(name)
    return {"thesaurus.name": th.name, "thesaurus.version": th.version, "thesaurus.sha256": th.checksum}


def build_manifest(config: IndexConfig) -> dict[str, str]:
    if config.normalizer != NORMALIZER_NAME or config.tokenizer != TOKENIZER_NAME:
        raise IndexMismatchError(
            f"this unspin provides normalizer {NORMALIZER_NAME} and tokenizer {TOKENIZER_NAME}; "
            "leave IndexConfig.normalizer and .tokenizer at their defaults"
        )
    meta = {
        "format_version": str(FORMAT_VERSION),
        "created_by": f"unspin {__version__}",
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "config": json.dumps(config.as_dict(), sort_keys=True),
    }
    meta.update(_thesaurus_meta(config.thesaurus))
    meta.update(_embedder_meta(config))
    meta[SETTINGS_KEY] = settings_checksum(meta)
    return meta


def _embedder_meta(config: IndexConfig) -> dict[str, str]:
    from ..semantic import for_index

    emb = for_index(config)
    meta = {"embedder.name": "none", "embedder.sha256": ""}
    if emb is not None:
        meta = {"embedder.name": emb.name, "embedder.sha256": emb.checksum}
    if config.crosslingual:  # the model of every article's cross-lingual vector
        from ..crossindex import model_meta

        meta.update(model_meta())
    return meta


def config_from_manifest(meta: dict[str, str], path: str | Path = "index") -> IndexConfig:
    try:
        stored = json.loads(meta["config"])
        known = {f.name for f in fields(IndexConfig)}
        return IndexConfig(**{k: v for k, v in stored.items() if k in known})
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise damaged(path, f"its manifest's config cannot be used ({exc})", "rebuild") from None


def check_manifest(path: Path, meta: dict[str, str], wanted: IndexConfig | None) -> None:
    """Fail loudly when the index cannot be used as asked."""
    if "format_version" not in meta:
        raise damaged(path, "no manifest (not an unspin index, or its SQLite file is damaged)",
                      "rebuild")
    try:
        version = int(meta["format_version"])
    except ValueError:
        raise damaged(path, "its manifest's format version is not a number", "rebuild") from None
    if version > FORMAT_VERSION:
        raise IndexMismatchError(
            f"{path}: index format {version} was written by a newer unspin ({meta.get('created_by')}); "
            f"this one reads format {FORMAT_VERSION}: upgrade unspin"
        )
    if version < FORMAT_VERSION:
        raise IndexMismatchError(
            f"{path}: index format {version} is older than this unspin's {FORMAT_VERSION}; rebuild "
            f"it from its corpus with `{rebuild_command(path)}`"
        )
    if "config" not in meta:
        raise damaged(path, "no settings in its manifest", "rebuild")
    problem = manifest_problem(meta)
    if problem is not None:
        raise IndexDamagedError(problem.message(path))
    stored = config_from_manifest(meta, path)
    if stored.normalizer != NORMALIZER_NAME or stored.tokenizer != TOKENIZER_NAME:
        raise IndexMismatchError(
            f"{path}: built with normalizer {stored.normalizer} / tokenizer {stored.tokenizer}, "
            f"this unspin has {NORMALIZER_NAME} / {TOKENIZER_NAME}: rebuild the index"
        )
    if wanted is not None and wanted.semantic == "auto":
        wanted = replace(wanted, semantic=stored.semantic)
    if wanted is not None and not wanted.crosslingual:  # not asked for: as the index was built
        wanted = replace(wanted, crosslingual=stored.crosslingual)
    if wanted is not None and wanted != stored:
        diff = [
            f"{f.name}={getattr(stored, f.name)!r} (asked {getattr(wanted, f.name)!r})"
            for f in fields(IndexConfig)
            if getattr(stored, f.name) != getattr(wanted, f.name)
        ]
        raise IndexMismatchError(
            f"{path}: index was built with {', '.join(diff)}; open it with its own settings "
            "or build a new index"
        )
    th = _thesaurus_meta(stored.thesaurus)
    try:
        th.update(_embedder_meta(stored))
    except ModelError as exc:
        raise IndexMismatchError(
            f"{path}: index was built with the {stored.semantic} embedder, which cannot be loaded "
            f"here ({exc}); install it (make install) or rebuild the index"
        ) from None
    for key, value in th.items():
        if meta.get(key) != value:
            raise IndexMismatchError(
                f"{path}: index was built with {key}={meta.get(key)}, installed is {value}; "
                "rebuild the index or install the thesaurus or model it was built with"
            )


__all__ = ["FORMAT_VERSION", "build_manifest", "check_manifest", "config_from_manifest"]
