"""The one sanitiser for terminal output: text from pages, articles and file names is shown, never obeyed.

Everything unspin prints to a terminal that came from an input (an id, a title, a file name, an
excerpt, a diff) goes through :func:`terminal`. Control characters (C0, DEL, C1, so every escape
sequence) and the bidirectional overrides that reorder what a reader sees are written out visibly
as ``\\x1b`` / ``\\u202e``. JSON output needs no sanitiser: ``json.dumps`` escapes control
characters itself (and ``ensure_ascii=False`` still escapes C0 and DEL; C1 and bidi characters
are escaped by :func:`json_safe`).
"""

from __future__ import annotations

import re

# C0 controls, DEL, C1 controls, and the bidi embedding/override/isolate marks
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_BLOCK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: object, *, multiline: bool = False) -> str:
    """``text`` safe to print: control and bidi characters written out as ``\\x1b`` / ``\\u202e``.

    With ``multiline`` newlines and tabs are kept (an excerpt, a diff); otherwise they are escaped
    too, so that one field stays on one line (an id, a title, a file name).
    """
    pattern = _UNSAFE_BLOCK if multiline else _UNSAFE_LINE
    return pattern.sub(_visible, str(text))


def json_safe(text: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with C1 and bidi marks escaped."""
    return re.sub("[\x80-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]",
                  lambda m: f"\\u{ord(m.group()):04x}", text)


__all__ = ["terminal", "json_safe"]
