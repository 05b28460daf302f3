"""Shard executors: each worker builds its stage once; errors and dead workers come back."""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path

import pytest

from unspin.errors import UsageError
from unspin.pipeline import LocalShardExecutor, RayShardExecutor, shard_executor


class Stage:
    """Squares numbers; fails on 3; its worker dies on 13. Counts how often it was built."""

    def __init__(self) -> None:
        self.pid = os.getpid()

    def __call__(self, n: int) -> tuple[int, int]:
        if n == 3:
            raise ValueError("three is bad")
        if n == 13:
            os._exit(1)
        return n * n, self.pid


def make_stage() -> Stage:
    return Stage()


class MeetingStage(Stage):
    """A Stage whose first item waits until a second worker has started too (up to 60 s), so that
    'each worker gets items' does not depend on how fast a loaded machine starts processes."""

    def __init__(self, meeting: Path) -> None:
        super().__init__()
        (meeting / str(self.pid)).touch()
        deadline = time.monotonic() + 60
        while len(list(meeting.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)


def make_meeting_stage(meeting: Path) -> Stage:
    return MeetingStage(meeting)


def _by_item(outcomes):
    return {o.item: o for o in outcomes}


def test_serial_run_builds_the_stage_once_and_reports_errors() -> None:
    out = _by_item(LocalShardExecutor(1).run(make_stage, range(6)))
    assert sorted(out) == list(range(6))
    assert out[4].result[0] == 16 and out[4].ok
    assert not out[3].ok and out[3].result is None and "ValueError: three is bad" in out[3].error
    assert len({o.result[1] for o in out.values() if o.ok}) == 1


def test_process_pool_uses_each_worker_and_survives_a_dead_one(tmp_path: Path) -> None:
    stage = functools.partial(make_meeting_stage, tmp_path)
    out = _by_item(LocalShardExecutor(2).run(stage, range(30)))
    assert sorted(out) == list(range(30))  # every item comes back, once
    assert "worker process died" in out[13].error and out[0].ok
    assert "ValueError" in out[3].error
    ok = [o for o in out.values() if o.ok]
    assert all(o.result[0] == o.item ** 2 for o in ok)
    assert len(ok) >= 20  # items in flight with the dead worker may fail too; the rest ran
    assert len({o.result[1] for o in ok}) >= 2 and os.getpid() not in {o.result[1] for o in ok}


def test_executor_choice_is_checked() -> None:
    assert isinstance(shard_executor("ray", 2), RayShardExecutor)
    with pytest.raises(UsageError, match="--executor ray"):
        shard_executor("local", 2, "ray://head:10001")
    with pytest.raises(UsageError, match="local or ray"):
        shard_executor("spark", 2)
    with pytest.raises(UsageError, match="at least 1"):
        LocalShardExecutor(0)
