"""Bytes to text: byte-order marks, binary sniffing, UTF-8, a declared charset, then detection."""

from __future__ import annotations

import codecs
from collections.abc import Iterator

from charset_normalizer import from_bytes

from unspin.errors import BadInputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE = 65536
_TEXT_CONTROLS = b"\t\n\r\f\v\b\x1b"
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 32 or b == 127) or b in _TEXT_CONTROLS)
_MAX_CONTROL_SHARE = 0.05
_CHAOS_SLACK = 0.05


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark at the start of ``data`` names, if there is one."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def looks_binary(data: bytes) -> bool:
    """True for NUL bytes anywhere, or more than a few control bytes in the first 64 KiB."""
    if b"\x00" in data:
        return True
    sample = data[:_SAMPLE]
    controls = len(sample.translate(None, _NOT_CONTROL))
    return controls > _MAX_CONTROL_SHARE * len(sample)


def is_utf8_prefix(sample: bytes) -> bool:
    """True if ``sample`` is valid UTF-8, allowing a character cut at its end."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes) -> str | None:
    """Guess a legacy encoding with charset-normalizer.

    Windows-1252 (which reads Latin-1) wins when it reads the bytes about as cleanly as the best
    guess and at least as coherently: charset-normalizer often ranks a Baltic or Central European
    code page first for French or German text.
    """
    matches = from_bytes(data[:_SAMPLE] if len(data) > _SAMPLE else data)
    best = matches.best()
    if best is None:
        return None
    for match in matches:
        close = match.chaos <= best.chaos + _CHAOS_SLACK and match.coherence >= best.coherence
        if close and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return best.encoding


def _declared(name: str | None) -> str | None:
    """A codec for a declared charset; Latin-1 and ASCII read as Windows-1252, as browsers do."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _try(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _candidates(data: bytes, declared: str | None) -> Iterator[str]:
    """UTF-8 (valid UTF-8 is rarely anything else), then the declared charset, then a guess."""
    yield "utf-8"
    codec = _declared(declared)
    if codec is not None:
        yield codec
    detected = detect_encoding(data)
    if detected is not None:
        yield detected


def decode_bytes(
    data: bytes, *, path: str, location: str = "", declared: str | None = None
) -> tuple[str, str]:
    """Return ``(text, encoding)``, or raise ``BadInputError`` for binary or undecodable bytes."""
    bom = bom_encoding(data)
    if bom is not None:
        text = _try(data, bom)
        if text is None:
            raise BadInputError(
                path,
                f"bytes do not match the {bom} byte-order mark; re-save the text as UTF-8",
                location,
            )
        return text, bom
    if looks_binary(data):
        raise BadInputError(
            path,
            "looks like a binary file (NUL or control bytes), not text; "
            "give text, JSON lines, HTML or WARC",
            location,
        )
    for encoding in _candidates(data, declared):
        text = _try(data, encoding)
        if text is not None:
            return text, encoding
    raise BadInputError(
        path,
        "bytes are not UTF-8 and their encoding could not be detected; re-save the text as UTF-8",
        location,
    )
