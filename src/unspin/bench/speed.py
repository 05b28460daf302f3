"""Speed and memory: peak RSS, throughput on a process pool, time to read and tokenise suspects."""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

_WORKER_INDEX: Any = None


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 2**20


def children_peak_rss_mib() -> float:
    """Largest peak resident memory of any waited-for child process, in MiB."""
    kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return kib / 1024 if sys.platform != "darwin" else kib / 2**20


def _open_index(path: str) -> None:
    global _WORKER_INDEX
    from unspin import Index

    _WORKER_INDEX = Index.open(path)


def _check(text: str) -> str:
    from unspin import check

    return check(text, _WORKER_INDEX).verdict


def _warm(_: int) -> bool:
    time.sleep(0.2)
    return _WORKER_INDEX is not None


def pool_throughput(index_dir: Path, texts: list[str], workers: int) -> dict[str, Any]:
    """Suspects per second checked by ``workers`` processes (start-up not counted)."""
    with ProcessPoolExecutor(workers, initializer=_open_index, initargs=(str(index_dir),)) as pool:
        list(pool.map(_warm, range(workers)))
        start = time.perf_counter()
        verdicts = list(pool.map(_check, texts, chunksize=4))
        wall = time.perf_counter() - start
    return {
        "workers": workers,
        "suspects": len(verdicts),
        "wall_s": wall,
        "per_s": len(verdicts) / wall if wall > 0 else None,
        "children_peak_rss_mib": children_peak_rss_mib(),
    }


def tokenise_seconds(texts: list[str]) -> dict[str, Any]:
    """Time to read the suspects from files and tokenise them as the engine does."""
    tokenise, how = _tokeniser()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, text in enumerate(texts):
            path = Path(tmp) / f"{i}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        start = time.perf_counter()
        for path in paths:
            tokenise(path.read_text(encoding="utf-8"))
        seconds = time.perf_counter() - start
    return {"suspects": len(texts), "seconds": seconds, "tokeniser": how}


def _tokeniser():
    try:
        from unspin.normalize import normalize
        from unspin.tokens import tokenize
    except ImportError:
        from unspin.bench.text import words

        return words, "unspin.bench.text.words (engine tokeniser missing)"
    return (
        lambda text: tokenize(normalize(text).text)
    ), "unspin.tokens.tokenize(normalize(text).text)"
