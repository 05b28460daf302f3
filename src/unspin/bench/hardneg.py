"""Hard negatives: suspects that share material with an indexed article without being copies of it.

Independent reports of one event have things in common that a copy detector must keep apart from
reuse: the same quotation, the same official statement, the same squad or cast list, the same table
of figures. Each kind is made by inserting one such element, taken from an indexed article (the
donor), into a held-out article (the host) of the same subject, as a paragraph of its own between
two of the host's paragraphs. The host itself shares no passage with any other article (see
``sampling``), so the right verdict is ``not_derived``: everything else in the suspect is another
outlet's own text. The donor's id is kept in ``Case.meta`` so that a report can say which article
a false claim named.

The elements are found with rules of this module only (never the engine's quotation rule):

- ``neg-quote``: a quotation in double marks, straight or curly, of 12 to 80 words, within one
  paragraph; inserted with an attribution line of the host's own ("..., a spokesman said.");
- ``neg-statement``: a sentence of 15 to 60 words outside quotation marks that reports what an
  organisation or official stated or announced (it names a statement, or says "said it", "said the",
  "announced");
- ``neg-list``: a paragraph that is a list of names: at least 7 items separated by commas or
  semicolons, 80% of them starting with a capital and at most 4 words long, and no sentence ending
  inside it (team sheets, cast lists, boards). A first version allowed items of 6 words and
  sentences inside; reading the dev split's false positives showed prose paragraphs that enumerate
  places or shops taken for lists, hence the tighter rule;
- ``neg-table``: a run of at least 3 consecutive short paragraphs (120 characters or less) in which
  digits make up at least 20% of the visible characters (earnings and price tables).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator, Sequence

from unspin.article import Article
from unspin.bench.records import Case, Range
from unspin.bench.text import paragraph_spans, sentence_spans, words

ELEMENT_KINDS = ("neg-quote", "neg-statement", "neg-list", "neg-table")

_QUOTE = re.compile(r"\"[^\"\n]{40,600}\"|\u201c[^\u201d\u201c\n]{40,600}\u201d")
_STATEMENT = re.compile(r"\bstatement\b|\bsaid (?:it|the|that)\b|\bannounced\b", re.IGNORECASE)
_ITEM_SPLIT = re.compile(r"[,;]\s*")
_SENTENCE_INSIDE = re.compile(r"[a-z]{2}\. [A-Z]")  # a list is one line, not prose sentences
_ATTRIBUTIONS = ("a spokesman said.", "an official told reporters.", "one of those present said.",
                 "according to people at the meeting.")


def find_quotes(text: str) -> list[Range]:
    out = []
    for m in _QUOTE.finditer(text):
        if 12 <= len(words(m.group())) <= 80:
            out.append(m.span())
    return out


def find_statements(text: str) -> list[Range]:
    out = []
    for s, e in sentence_spans(text):
        sentence = text[s:e]
        if '"' in sentence or "\u201c" in sentence or "\u201d" in sentence:
            continue
        if 15 <= len(words(sentence)) <= 60 and _STATEMENT.search(sentence):
            out.append((s, e))
    return out


def _is_list(paragraph: str) -> bool:
    items = [i for i in _ITEM_SPLIT.split(paragraph) if i.strip()]
    if len(items) < 7 or _SENTENCE_INSIDE.search(paragraph):
        return False
    names = sum(1 for i in items if i.lstrip()[:1].isupper() and len(i.split()) <= 4)
    return names >= 0.8 * len(items)


def _lines(text: str) -> list[Range]:
    """Paragraphs, or lines where a text puts one item per line."""
    out = []
    for s, e in paragraph_spans(text):
        start = s
        for part in text[s:e].split("\n"):
            if part.strip():
                out.append((start, start + len(part)))
            start += len(part) + 1
    return out


def find_lists(text: str) -> list[Range]:
    return [(s, e) for s, e in _lines(text) if _is_list(text[s:e])]


def _is_figures(line: str) -> bool:
    visible = [c for c in line if not c.isspace()]
    return 0 < len(line) <= 120 and sum(c.isdigit() for c in visible) >= 0.2 * len(visible)


def find_tables(text: str) -> list[Range]:
    out, run = [], []
    for s, e in [*_lines(text), (len(text), len(text))]:
        if s < e and _is_figures(text[s:e]):
            run.append((s, e))
            continue
        if len(run) >= 3:
            out.append((run[0][0], run[-1][1]))
        run = []
    return out


FINDERS: dict[str, Callable[[str], list[Range]]] = {
    "neg-quote": find_quotes,
    "neg-statement": find_statements,
    "neg-list": find_lists,
    "neg-table": find_tables,
}


def _element(kind: str, donor: Article, span: Range, rng: random.Random) -> str:
    piece = donor.text[span[0]:span[1]]
    if kind == "neg-quote":
        return f"{piece} {rng.choice(_ATTRIBUTIONS)}" if rng.random() < 0.5 else \
            f"As {rng.choice(('one official', 'a witness', 'the chairman'))} put it: {piece}"
    if kind == "neg-table":
        return "\n\n".join(line.strip() for line in piece.split("\n") if line.strip())
    return piece


def insert_element(host: Article, element: str, rng: random.Random) -> str:
    """The host with ``element`` as a paragraph of its own between two of its paragraphs."""
    paragraphs = [host.text[s:e] for s, e in paragraph_spans(host.text)]
    at = rng.randint(1, max(1, len(paragraphs) - 1))
    return "\n\n".join([*paragraphs[:at], element, *paragraphs[at:]])


def element_negatives(hosts: Sequence[Article], donors: Sequence[Article], *, per_kind: int,
                      seed: int, kinds: Sequence[str] = ELEMENT_KINDS) -> Iterator[Case]:
    """Up to ``per_kind`` cases of each kind. Hosts are used in turn, each at most once per kind;
    the donor is an indexed article of the host's subject where one holds such an element, else
    any indexed article that does."""
    for kind in kinds:
        rng = random.Random(f"hardneg:{seed}:{kind}")
        found = [(d, span) for d in donors for span in FINDERS[kind](d.text)]
        if not found:
            continue
        by_subject: dict[str, list[tuple[Article, Range]]] = {}
        for d, span in found:
            by_subject.setdefault(d.metadata.get("subject", ""), []).append((d, span))
        order = list(hosts)
        rng.shuffle(order)
        for n, host in enumerate(order[:per_kind]):
            pool = by_subject.get(host.metadata.get("subject", ""), found)
            donor, span = rng.choice(pool)
            text = insert_element(host, _element(kind, donor, span, rng), rng)
            meta = {"article_id": host.id, "donor_id": donor.id, "element": list(span),
                    "subject": host.metadata.get("subject", "")}
            yield Case(f"{kind}-{n:04d}", kind, text, (), meta)


__all__ = ["ELEMENT_KINDS", "FINDERS", "element_negatives", "find_quotes", "find_statements",
           "find_lists", "find_tables", "insert_element"]
