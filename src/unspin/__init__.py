"""unspin: trace rewritten news back to its source.

The library API is flat::

    from unspin import Index, Article, check
    index = Index.create("my-index")
    index.add([Article(id="a1", text="...")])
    result = check(suspect_text, index)
"""

from __future__ import annotations

import logging

from .version import __version__  # noqa: E402

logging.getLogger(__name__).addHandler(logging.NullHandler())

from .align import Passage, Substitution  # noqa: E402
from .article import Article, BadRecord  # noqa: E402
from .check import CheckResult, SourceMatch, check  # noqa: E402
from .config import CheckConfig, IndexConfig, IngestConfig  # noqa: E402
from .errors import (  # noqa: E402
    BadInputError,
    DuplicateArticleError,
    IndexMismatchError,
    IndexNotFoundError,
    ModelError,
    UnspinError,
    UsageError,
)
from .index import Index  # noqa: E402
from .normalize import Normalized, normalize  # noqa: E402
from .retrieve import retrieve  # noqa: E402
from .scan import scan  # noqa: E402  (the verb; the package is unspin.scan's modules)

__all__ = [
    "__version__",
    "Article",
    "BadRecord",
    "Index",
    "check",
    "retrieve",
    "scan",
    "normalize",
    "Normalized",
    "CheckResult",
    "SourceMatch",
    "Passage",
    "Substitution",
    "CheckConfig",
    "IndexConfig",
    "IngestConfig",
    "UnspinError",
    "BadInputError",
    "DuplicateArticleError",
    "IndexMismatchError",
    "IndexNotFoundError",
    "ModelError",
    "UsageError",
]
