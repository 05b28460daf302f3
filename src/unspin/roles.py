"""The role of each part of a page: headline, caption, dateline, byline, credit line, or body.

A copy is a reuse of the body's writing. Two outlets reporting one event write similar headlines
and captions, open with the same kind of dateline ("LONDON (Reuters) -"), and print the same
agency credit ("Photo: Reuters", "Getty Images") without either copying the other, so ``check``
counts reused text in those roles at a reduced weight (``ROLE_WEIGHTS``). Roles come from stated
rules on lines (a line is the text between two line breaks; a *standalone* line has a blank line,
or the text's edge, on both sides):

- ``dateline``: at the start of a line, a place in capitals, optionally a date after a comma and an
  agency in parentheses, then a dash ("WASHINGTON, March 3 (Reuters) -", "PARIS (AFP) --",
  "SALVADOR, Feb 26 -"); only that prefix, the sentence after it is body;
- ``byline``: a line of at most ``BYLINE_WORDS`` words that starts "By", "Words by", "Reporting
  by", "Writing by", "Editing by" or "Additional reporting by" followed by a capitalised name;
- ``credit``: a line of at most ``CREDIT_WORDS`` words that starts with a credit cue ("Image
  credit:", "Photo:", "Picture:", "Source:", "Credit:", "Courtesy of") or holds a picture agency's
  credit ("Getty Images", "AP Photo", "REUTERS/Name", "Shutterstock", "©");
- ``caption``: a line that starts "Caption:", "Pictured:", "Above:", "Top:" or "File photo", or
  a line of at most ``CAPTION_WORDS`` words that ends with a credit in parentheses or after a
  vertical bar ("... on Monday. (Photo: Getty Images)");
- ``headline``: the text's first line, or any later standalone line (a subheading), of at most
  ``HEADLINE_WORDS`` words that does not end like a sentence (., !, ?, :, ;, a comma or a
  closing quotation mark), with a blank line after it; the first line also counts when the
  text is that one line;
- everything else is ``body`` (weight 1). A *table row* is body too, never a headline: a line,
  other than the text's first, of at most ``HEADLINE_WORDS`` words that does not end like a
  sentence and holds a figure (a word with a digit), when it holds two figures or more and at
  least half its words are figures ("1987 1986 1985"), or when it is one of a run of at least
  ``TABLE_RUN_LINES`` such lines (non-blank lines, next to each other once blank lines are
  skipped): an earnings table written one row a paragraph ("Shr 34 cts vs 1.19 dlrs" /
  "Net 807,000 vs 2,858,000" / "Revs 39.9 mln vs 37.8 mln"). A headline with one figure
  ("Covid-19 latest", "G7 summit") is not a row, nor is the text's first line. ``check`` counts a
  table row like a list or table (``listing``): a shared element, not evidence of copying.

The weights apply only while the reduced roles cover at most ``MAX_ROLE_SHARE`` of the text: a
suspect that is all short unpunctuated lines (a table, a list of headlines) is read as body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BODY, HEADLINE, CAPTION, DATELINE, BYLINE, CREDIT = (
    "body", "headline", "caption", "dateline", "byline", "credit")
ROLE_WEIGHTS: dict[str, float] = {BODY: 1.0, HEADLINE: 0.25, CAPTION: 0.25, DATELINE: 0.0,
                                  BYLINE: 0.0, CREDIT: 0.0}
HEADLINE_WORDS = 20
BYLINE_WORDS = 12
CREDIT_WORDS = 20
CAPTION_WORDS = 45
MAX_ROLE_SHARE = 0.5
TABLE_RUN_LINES = 3

_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_SENTENCE_END = tuple(".!?:;,\"'\u201d\u2019\u2026")
_DATELINE = re.compile(
    r"[A-Z][A-Z.'\u2019-]+(?:[ ][A-Z][A-Z.'\u2019-]+){0,3}"  # the place, in capitals
    r"(?:,[ ]+[A-Z][a-z]{2,8}\.?[ ]+\d{1,2})?"  # a date: ", March 3"
    r"(?:[ ]*\([A-Z][\w .&/-]{0,30}\))?"  # an agency: "(Reuters)"
    r"[ ]*(?:-{1,2}|\u2013|\u2014)[ ]*")
_BYLINE = re.compile(r"(?:By|BY|Words by|(?:Additional )?[Rr]eporting by|Writing by|Editing by)"
                     r"[ ]+[A-Z\u00c0-\u00de]")
_CREDIT_START = re.compile(
    r"(?:(?:Image|Photo|Picture|Video|Header image|Main image)[ ]+)?(?:Credits?|Source)[ ]*"
    r"[:\-\u2013\u2014]|Courtesy of[ ]|(?:Photo|Photograph|Picture|Image|Illustration|Video)s?"
    r"[ ]*[:|/]", re.IGNORECASE)
_CREDIT_CUE = re.compile(r"Getty Images|\bAP Photo\b|\bREUTERS/|\bAFP/|Shutterstock|\bEPA-EFE\b"
                         r"|\u00a9|\bPA Wire\b|\bAlamy\b")
_CAPTION_START = re.compile(r"(?:Caption|Pictured|Above|Top|Left|Right)[ ]*:|File photo",
                            re.IGNORECASE)
_CAPTION_END = re.compile(r"(?:\([^()\n]*(?:\b[Pp]hoto|\b[Ii]mage|\b[Pp]icture|\b[Cc]redit|Getty"
                          r"|\bReuters\b|\bREUTERS\b|\bAP\b|\bAFP\b)[^()\n]*\)"
                          r"|\|[ ]*[^|\n]{1,60})[ ]*$")


@dataclass(frozen=True, slots=True)
class RoleSpan:
    """``text[start:end]`` plays ``role`` (anything not in a span is body)."""

    start: int
    end: int
    role: str

    @property
    def weight(self) -> float:
        return ROLE_WEIGHTS[self.role]


def _words(line: str) -> int:
    """Words as a reader counts them (``state-owned`` is one)."""
    return sum(1 for w in line.split() if _WORD.search(w))


def _blank_after(text: str, end: int) -> bool:
    rest = text[end:]
    return not rest.strip() or bool(re.match(r"[ \t\r]*\n[ \t\r]*\n", rest))


def _blank_before(text: str, start: int) -> bool:
    before = text[:start]
    return not before.strip() or bool(re.search(r"\n[ \t\r]*\n[ \t\r]*$", before))


def _figures(line: str) -> int:
    """Words of ``line`` that hold a digit ("34", "1.19", "2,858,000", "4th", "10%")."""
    return sum(1 for w in line.split() if any(c.isdigit() for c in w))


def _short_with_figure(line: str) -> bool:
    """A line that could be a table row: short, not ended like a sentence, with a figure."""
    return (_words(line) <= HEADLINE_WORDS and not line.endswith(_SENTENCE_END)
            and _figures(line) > 0)


def _table_rows(lines: list[str]) -> list[bool]:
    """Which of ``lines`` (the text's non-blank lines, stripped) are table rows (module doc)."""
    short = [_short_with_figure(line) for line in lines]
    rows = [short[i] and _figures(line) >= 2 and 2 * _figures(line) >= _words(line)
            for i, line in enumerate(lines)]
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and short[j]:
            j += 1
        if j - i >= TABLE_RUN_LINES:
            rows[i:j] = [True] * (j - i)
        i = max(j, i + 1)
    return [row and i > 0 for i, row in enumerate(rows)]  # never the text's first line


def _line_role(text: str, start: int, end: int, first: bool, table_row: bool = False) -> str:
    """The role of the whole line ``text[start:end]`` (stripped), or body; a table row is never a
    headline."""
    line = text[start:end]
    n = _words(line)
    if n == 0:
        return BODY
    if n <= BYLINE_WORDS and _BYLINE.match(line) and not line.endswith((".", "!", "?")):
        return BYLINE
    if n <= CREDIT_WORDS and _CREDIT_START.match(line):
        return CREDIT
    if _CAPTION_START.match(line) or (n <= CAPTION_WORDS and _CAPTION_END.search(line)):
        return CAPTION
    if n <= CREDIT_WORDS and _CREDIT_CUE.search(line):
        return CREDIT
    standalone = _blank_after(text, end) and (first or _blank_before(text, start))
    if n <= HEADLINE_WORDS and not line.endswith(_SENTENCE_END) and standalone and not table_row:
        return HEADLINE
    return BODY


def _lines(text: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` spans of the non-blank lines of ``text``, stripped."""
    lines = []
    for m in _LINE.finditer(text):
        raw = m.group()
        lead = len(raw) - len(raw.lstrip())
        start, end = m.start() + lead, m.start() + len(raw.rstrip())
        if start < end:
            lines.append((start, end))
    return lines


def table_row_spans(text: str) -> list[tuple[int, int]]:
    """The ``[start, end)`` spans of the lines of ``text`` that are table rows (module doc)."""
    lines = _lines(text)
    rows = _table_rows([text[a:b] for a, b in lines])
    return [span for span, row in zip(lines, rows, strict=True) if row]


def role_spans(text: str) -> list[RoleSpan]:
    """The spans of ``text`` in a role other than body, in text order."""
    out: list[RoleSpan] = []
    lines = _lines(text)
    rows = _table_rows([text[a:b] for a, b in lines])
    for n, ((start, end), row) in enumerate(zip(lines, rows, strict=True)):
        role = _line_role(text, start, end, n == 0, row)
        if role != BODY:
            out.append(RoleSpan(start, end, role))
            continue
        dateline = _DATELINE.match(text, start, end)
        if dateline and dateline.end() < end and _has_caps_word(dateline.group()):
            out.append(RoleSpan(start, dateline.end(), DATELINE))
    return out


def _has_caps_word(prefix: str) -> bool:
    """A dateline's place is a word of two capitals or more ("LONDON", "U.S."): not "A -"."""
    return any(sum(c.isupper() for c in w) >= 2 for w in prefix.split())


def body_weights(text: str) -> list[RoleSpan]:
    """The role spans that ``check`` weighs down: none when they cover more than
    ``MAX_ROLE_SHARE`` of the text's visible characters (the text is then itself a list of
    short lines, read as body)."""
    spans = role_spans(text)
    visible = max(len(text.strip()), 1)
    if sum(s.end - s.start for s in spans) > MAX_ROLE_SHARE * visible:
        return []
    return spans


def discount(spans: list[RoleSpan], start: int, end: int) -> float:
    """The share of ``[start, end)`` that its roles take off: 0 for body text, 1 for text in
    roles of weight 0 (``spans`` sorted and disjoint, as ``role_spans`` gives them)."""
    if end <= start:
        return 0.0
    lost = sum(max(0, min(s.end, end) - max(s.start, start)) * (1.0 - s.weight) for s in spans)
    return lost / (end - start)


__all__ = ["RoleSpan", "role_spans", "table_row_spans", "body_weights", "discount", "ROLE_WEIGHTS", "BODY",
           "HEADLINE", "CAPTION", "DATELINE", "BYLINE", "CREDIT"]
