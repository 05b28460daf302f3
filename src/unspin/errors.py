"""A small family of named errors. The CLI and the web layer turn them into one-line messages."""

from __future__ import annotations


class UnspinError(Exception):
    """Base class of every error unspin raises on purpose. The message says what to do next."""


class BadInputError(UnspinError):
    """An input file or record cannot be used (binary, undecodable, empty, malformed, too big)."""

    def __init__(self, path: str, message: str, location: str = "") -> None:
        self.path = path
        self.location = location
        self.reason = message
        where = f"{path}:{location}" if location else path
        super().__init__(f"{where}: {message}")


class IndexError_(UnspinError):
    """Base of index problems (missing, corrupt, mismatched)."""


class IndexNotFoundError(IndexError_):
    """The index directory does not exist or holds no unspin index."""


class IndexMismatchError(IndexError_):
    """The index was built with other settings, or by a newer format, than the ones asked for."""


class IndexDamagedError(IndexError_):
    """A file of the index is damaged or does not agree with the others. The message names the
    command that fixes it (``unspin index repair`` or ``unspin index build --rebuild``)."""


class DuplicateArticleError(UnspinError):
    """An article id is already in the index and the caller asked not to replace it."""


class ModelError(UnspinError):
    """A model or resource file is missing or fails its checksum."""


class UsageError(UnspinError):
    """The caller asked for something that cannot be done (bad option value, conflicting flags)."""


class ConfigError(UsageError, ValueError):
    """A configuration value is out of range (also a ``ValueError``, as it always was)."""


__all__ = [
    "UnspinError",
    "BadInputError",
    "IndexError_",
    "IndexNotFoundError",
    "IndexMismatchError",
    "IndexDamagedError",
    "DuplicateArticleError",
    "ModelError",
    "UsageError",
    "ConfigError",
]
