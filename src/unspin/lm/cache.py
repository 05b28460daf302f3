"""On-disk cache of dequantised weights, keyed by the model file's sha256.

Dequantising the 4-bit file takes seconds; reading float32 arrays back (memory-mapped, then
copied) is several times faster. The cache lives in ``$UNSPIN_CACHE_DIR`` if set, else
``$XDG_CACHE_HOME/unspin`` (``~/.cache/unspin``). It is written to a temporary folder and renamed
into place, so parallel processes never read half a cache; a damaged cache is ignored and rebuilt.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

FORMAT = 1


def root() -> Path:
    env = os.environ.get("UNSPIN_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "unspin"


def _folder(sha256: str) -> Path:
    return root() / "lm" / f"{sha256[:32]}-f32-v{FORMAT}"


def load(sha256: str) -> dict[str, np.ndarray] | None:
    """The cached tensors of the model with this checksum, or None."""
    folder = _folder(sha256)
    try:
        names = json.loads((folder / "tensors.json").read_text(encoding="utf-8"))
        return {name: np.array(np.load(folder / f"{k}.npy", mmap_mode="r"), dtype=np.float32)
                for k, name in enumerate(names)}
    except (OSError, ValueError, TypeError):
        return None


def store(sha256: str, tensors: dict[str, np.ndarray]) -> bool:
    """Write the tensors; False (and nothing left behind) if the cache folder is not writable."""
    final = _folder(sha256)
    if final.exists():
        return True
    tmp: Path | None = None
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=final.parent))
        names = list(tensors)
        for k, name in enumerate(names):
            np.save(tmp / f"{k}.npy", tensors[name])
        (tmp / "tensors.json").write_text(json.dumps(names), encoding="utf-8")
        os.replace(tmp, final)
        return True
    except OSError:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
        return final.exists()


__all__ = ["root", "load", "store"]
