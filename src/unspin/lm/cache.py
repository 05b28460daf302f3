"""On-disk cache of the dequantised weights and the metadata, keyed by the model file's sha256.

Parsing the GGUF file's metadata (49k token strings) and dequantising its 4-bit tensors take
about 20 s; the cache holds the float32 arrays in the layout the forward pass uses, as ``.npy``
files that are memory-mapped read-only (so a load takes well under a second, and processes on
one machine share the pages), plus the configuration and vocabulary as JSON. The cache lives in ``$UNSPIN_CACHE_DIR`` if set, else
``$XDG_CACHE_HOME/unspin`` (``~/.cache/unspin``). It is written to a temporary folder and renamed
into place, so parallel processes never read half a cache; a damaged cache is ignored and rebuilt.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = 2


def root() -> Path:
    env = os.environ.get("UNSPIN_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "unspin"


def _folder(sha256: str) -> Path:
    return root() / "lm" / f"{sha256[:32]}-f32-v{FORMAT}"


def load(sha256: str) -> tuple[dict[str, np.ndarray], dict[str, Any]] | None:
    """The cached arrays (memory-mapped, read-only) and metadata of the model with this
    checksum, or None."""
    folder = _folder(sha256)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        arrays = {name: np.load(folder / f"{k}.npy", mmap_mode="r")
                  for k, name in enumerate(meta["arrays"])}
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return arrays, meta


def store(sha256: str, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> bool:
    """Write the arrays and metadata; False (and nothing left behind) if the cache folder is not
    writable."""
    final = _folder(sha256)
    if final.exists():
        return True
    tmp: Path | None = None
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=final.parent))
        names = list(arrays)
        for k, name in enumerate(names):
            np.save(tmp / f"{k}.npy", np.ascontiguousarray(arrays[name], dtype=np.float32))
        (tmp / "meta.json").write_text(json.dumps({**meta, "arrays": names}), encoding="utf-8")
        os.replace(tmp, final)
        return True
    except OSError:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        return final.exists()


__all__ = ["root", "load", "store"]
