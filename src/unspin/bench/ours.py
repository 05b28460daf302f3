"""unspin itself as a benchmark system: build an index, check each suspect.

The engine is imported lazily, so the rest of the harness works (and is tested) without it.
Ranked sources are ``check``'s verified sources, padded with ``retrieve``'s candidates up to k; the
padding call is not timed. A source counts as claimed ("derived from") when its score reaches the
verdict threshold; its passages are the detections scored by plagdet.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from unspin.article import Article
from unspin.bench.records import Detection, Prediction


class Unspin:
    name = "unspin"

    def __init__(self, index_dir: Path, *, thesaurus: str = "wordnet", workers: int = 1,
                 semantic: str = "auto") -> None:
        self.index_dir = Path(index_dir)
        self.thesaurus = thesaurus
        self.semantic = semantic
        self.workers = workers
        self._index: Any = None
        self._config: Any = None

    def build(self, articles: Iterable[Article]) -> int:
        from unspin import Index, IndexConfig

        _remove_index(self.index_dir)
        config = IndexConfig(thesaurus=self.thesaurus, semantic=self.semantic)
        self._index = Index.create(self.index_dir, config=config)
        report = self._index.add(articles, workers=self.workers)
        return int(getattr(report, "added", report))

    def warm_up(self) -> None:
        """Load the thesaurus and models once, so that the first timed check is not charged for it."""
        from unspin import check

        check("A warm-up text. It loads what check needs before the timed checks.", self._index)

    def open(self) -> None:
        from unspin import Index

        self._index = Index.open(self.index_dir)
        self.warm_up()

    def predict(self, case_id: str, text: str, k: int = 5, *,
                exclude: tuple[str, ...] = ()) -> Prediction:
        """Check ``text``; ``exclude`` lists ids that are not candidate sources (the query itself
        when the index holds it, as in the MRPC test)."""
        from unspin import CheckConfig, check
        from unspin.retrieve import retrieve

        config = self._config or CheckConfig()
        start = time.perf_counter()
        result = check(text, self._index, config=config, exclude=exclude)
        seconds = time.perf_counter() - start
        ranked = [s.id for s in result.sources]
        if len(ranked) < k:
            ranked += [cid for cid, _ in retrieve(text, self._index, k=k, exclude=exclude)
                       if cid not in ranked]
        claimed = [s for s in result.sources if s.score >= config.derived_threshold]
        if result.verdict == "derived" and not claimed:
            claimed = list(result.sources[:1])
        detections = [
            Detection(p.suspect, s.id, p.source) for s in claimed for p in s.passages
        ]
        return Prediction(
            case_id=case_id,
            ranked=ranked[:k],
            verdict=result.verdict,
            claimed=[s.id for s in claimed],
            detections=detections,
            seconds=seconds,
            score=result.sources[0].score if result.sources else 0.0,
            score_before_roles=max((s.score_before_roles for s in result.sources), default=0.0),
            probability=result.confidence if result.derived else 1.0 - result.confidence,
        )

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None


def _remove_index(path: Path) -> None:
    import shutil

    if path.exists():
        shutil.rmtree(path)
