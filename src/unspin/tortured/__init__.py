"""Tortured phrases: the odd wording a synonym spinner leaves ("counterfeit consciousness").

Three kinds of evidence, each reported with the phrase:

- ``list``: the Problematic Paper Screener's fingerprints (and the user's own), with their context
  conditions honoured;
- ``learned``: substitutions that ``check`` saw recur between indexed sources and their spun copies;
- ``statistical``: broken collocations, for spinners nobody has listed.

Library API: ``detect``, ``learn``, ``restore``; the CLI verbs ``tortured``, ``learn`` and
``restore`` call them (``unspin.tortured.cli``).
"""

from __future__ import annotations

from pathlib import Path

from ..index import Index
from .detector import Detector, default_detector, index_dir
from .learn import learn, learned_fingerprints, record_check, record_substitutions
from .lexicon import FingerprintList, UserList, load_pps, load_user_list, parse_user_list
from .phrase import DetectConfig, Evidence, TorturedPhrase
from .restore import Edit, Restoration, restore


def detect(
    text: str,
    *,
    index: Index | str | Path | None = None,
    config: DetectConfig | None = None,
    user: UserList | None = None,
) -> list[TorturedPhrase]:
    """Flag the tortured phrases of ``text``; offsets are into ``text`` as given.

    With ``index``, the fingerprints learned into that index are used, and its own background
    counts where it was extended. ``user`` adds the user's fingerprints and allowed phrases.
    """
    learned = learned_fingerprints(index) if index is not None else ()
    detector = default_detector(index_dir(index), learned, user, config or DetectConfig())
    return detector.detect(text)


__all__ = [
    "detect",
    "learn",
    "restore",
    "record_check",
    "record_substitutions",
    "Detector",
    "DetectConfig",
    "TorturedPhrase",
    "Evidence",
    "Restoration",
    "Edit",
    "FingerprintList",
    "UserList",
    "load_pps",
    "load_user_list",
    "parse_user_list",
]
