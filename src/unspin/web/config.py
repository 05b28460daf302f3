"""The server's settings: one frozen record, built by ``unspin serve`` from its options."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass

TOKEN_ENV = "UNSPIN_WRITE_TOKEN"
"""The environment variable holding the bearer token that ``--allow-writes`` requires."""

CONFIG_ENV = "UNSPIN_SERVE_CONFIG"
"""How ``unspin serve --workers N`` hands the settings to its worker processes."""


@dataclass(frozen=True, slots=True)
class ServeConfig:
    """What ``unspin serve`` serves and the limits it keeps.

    ``max_bytes`` caps one request's body (413 over it); ``time_limit`` caps the seconds one
    check may take (503 after it); ``threads`` checks run at once per process, each thread with
    its own read-only connection to the index; ``batch_keep`` the batch uploads held in memory
    (the oldest finished one is dropped first); ``batch_records`` the records one upload may hold.
    """

    index: str
    host: str = "127.0.0.1"
    port: int = 8000
    max_bytes: int = 10_000_000
    time_limit: float = 60.0
    threads: int = 4
    workers: int = 1
    allow_writes: bool = False
    token_env: str = TOKEN_ENV
    batch_keep: int = 20
    batch_records: int = 1000

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ValueError("ServeConfig.max_bytes must be positive")
        if self.time_limit <= 0:
            raise ValueError("ServeConfig.time_limit must be positive")
        if self.threads < 1 or self.workers < 1:
            raise ValueError("ServeConfig.threads and .workers must be >= 1")
        if self.batch_keep < 1 or self.batch_records < 1:
            raise ValueError("ServeConfig.batch_keep and .batch_records must be >= 1")

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> ServeConfig:
        return cls(**json.loads(text))

    @classmethod
    def from_env(cls) -> ServeConfig:
        text = os.environ.get(CONFIG_ENV)
        if not text:
            raise RuntimeError(f"{CONFIG_ENV} is not set; start the server with `unspin serve`")
        return cls.from_json(text)


__all__ = ["ServeConfig", "TOKEN_ENV", "CONFIG_ENV"]
