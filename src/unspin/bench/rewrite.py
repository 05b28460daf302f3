"""A rewriter that does not share the detector's assumptions, with a log of every edit it makes.

The spinner (``spinner``) swaps one word for one word in place and the text helpers split sentences
much as the engine does, so its copies fall on the aligner's own boundaries. This rewriter changes
text the way a person or a paraphrasing tool does, and keeps its own account of where everything
came from:

- its own sentence splitter (``split_sentences``: a stop, then space, then a capital; nothing else),
  used only to pick which stretch of the source to rewrite and where to split or merge;
- phrase-level rewrites, several words for one and one for several ("in order to" -> "to",
  "said" -> "told reporters"), from a table written for this module, not from a thesaurus;
- clause deletion (an appositive or a relative clause between commas) and clause insertion
  (an attribution or a hedge: ", analysts said,");
- sentence split (at ", and" / "; ") and merge (two sentences joined by "; ");
- active to passive voice for a subject-verb-object sentence with a known regular verb;
- quotation to reported speech ('"We will stay," he said.' -> 'He said they would stay.');
- optionally, characters: homoglyphs from Unicode's confusables data (the ``confusable-homoglyphs``
  package ships it; never the engine's own table) and invisible characters, and typography or
  spelling variants that are not swaps (curly quotes, -ise/-ize, "per cent"/"percent").

Every edit replaces one span of the source stretch with new text, and ``Edit`` records both spans
in absolute offsets (the source article and the suspect) with its kind, so substitution precision
and recall can be scored against the log. The whole rewritten stretch is one true passage.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from unspin.article import Article
from unspin.bench.records import Case, Range, TruePassage

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d']?\s+(?=[\"\u201c]?[A-Z])")

# several words <-> one word (or a shorter phrase), both directions; matched on whole words
PHRASES: tuple[tuple[str, str], ...] = (
    ("in order to", "to"), ("a number of", "several"), ("at the moment", "now"),
    ("because of", "owing to"), ("as well as", "and"), ("in spite of", "despite"),
    ("prior to", "before"), ("with regard to", "about"), ("a large number of", "many"),
    ("in the event that", "if"), ("for the time being", "for now"), ("at this point", "now"),
    ("on a daily basis", "daily"), ("in the near future", "soon"), ("the majority of", "most"),
    ("said", "told reporters"), ("bought", "snapped up"), ("announced", "made public"),
    ("increased", "went up"), ("decreased", "went down"), ("rose", "climbed higher"),
    ("fell", "dropped back"), ("however", "that said"), ("also", "in addition"),
    ("expected", "widely tipped"), ("about", "roughly"), ("more than", "over"),
    ("began", "got under way"), ("ended", "came to an end"), ("decided", "made up its mind"),
    ("cut", "scaled back"), ("raised", "pushed up"), ("plans to", "intends to"),
    ("will", "is set to"), ("could", "might well"), ("despite", "in spite of"),
)
INSERTS = (", analysts said,", ", according to people familiar with the matter,",
           ", it emerged,", ", as expected,", ", officials confirmed,")
VERBS = {"bought": "bought", "approved": "approved", "rejected": "rejected",
         "acquired": "acquired", "signed": "signed", "launched": "launched",
         "announced": "announced", "raised": "raised", "cut": "cut", "won": "won"}
INVISIBLES = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad")
VARIANTS: tuple[tuple[str, str], ...] = (
    ("per cent", "percent"), ("organisation", "organization"), ("privatisation", "privatization"),
    ("recognised", "recognized"), ("favour", "favor"), ("labour", "labor"), ("centre", "center"),
)
_PRONOUNS = {"we": "they", "We": "They", "I": "he", "our": "their", "Our": "Their", "my": "his",
             "will": "would", "can": "could", "is": "was", "are": "were", "am": "was"}


@dataclass(frozen=True, slots=True)
class Edit:
    """One change: ``source[source_at]`` became ``suspect[suspect_at]``."""

    kind: str  # phrase | clause-deleted | clause-inserted | split | merge | passive | reported |
    # homoglyph | invisible | variant
    source_at: Range
    suspect_at: Range
    source: str
    suspect: str

    @property
    def is_swap(self) -> bool:
        """Whether a reader would call it a substitution (a variant or a character trick is not)."""
        return self.kind in ("phrase",)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Range]:
    """Sentence spans of ``text[start:end]``: a stop, spaces, then a capital; paragraphs too."""
    end = len(text) if end is None else end
    spans, at = [], start
    for block in re.finditer(r"[^\n]+", text[start:end]):
        b0, b1 = start + block.start(), start + block.end()
        at = b0
        for m in _SENTENCE_END.finditer(text, b0, b1):
            spans.append((at, m.start()))
            at = m.end()
        spans.append((at, b1))
    return [(a, b) for a, b in spans if text[a:b].strip()]


@lru_cache(maxsize=1)
def confusables() -> dict[str, list[str]]:
    """Latin letter -> look-alike characters of other scripts, from Unicode's confusables data
    as shipped by the ``confusable-homoglyphs`` package (single code points only)."""
    import confusable_homoglyphs

    path = Path(confusable_homoglyphs.__file__).with_name("confusables.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {}
    for ch, entries in data.items():
        if not ("a" <= ch <= "z" or "A" <= ch <= "Z"):
            continue
        looks = [e["c"] for e in entries if len(e["c"]) == 1 and ord(e["c"]) > 0x24F
                 and e["c"].isalpha()]
        if looks:
            out[ch] = looks
    return out


_FORWARD_ONLY = frozenset({"to", "and", "now", "about", "over", "soon", "if", "most", "many"})


def _phrase_edits(text: str, a: int, b: int) -> list[tuple[Range, str, str]]:
    """Both directions of each pair, but never a common word blown up into a phrase."""
    out = []
    for left, right in PHRASES:
        pairs = [(left, right)] if right in _FORWARD_ONLY else [(left, right), (right, left)]
        for src, dst in pairs:
            for m in re.finditer(rf"\b{re.escape(src)}\b", text[a:b]):
                out.append(((a + m.start(), a + m.end()), dst, "phrase"))
    return out


def _clause_edits(text: str, sentence: Range, rng: random.Random) -> list[tuple[Range, str, str]]:
    a, b = sentence
    s = text[a:b]
    out = []
    m = re.search(r", (?:who|which|whose|where) [^,]{5,80},", s) or \
        re.search(r", (?:the|a|an) [^,]{5,60},", s)
    if m:
        out.append(((a + m.start(), a + m.end()), "", "clause-deleted"))
    verb = re.search(r"\b(?:said|is|was|has|will|would)\b", s)
    if verb and verb.start() > 3:
        at = a + verb.start() - 1
        if text[at] == " ":
            out.append(((at, at), rng.choice(INSERTS), "clause-inserted"))
    split = re.search(r"(, and|;) ([a-z])", s)
    if split and 20 < split.start() < len(s) - 20:
        out.append(((a + split.start(), a + split.end()), f". {split.group(2).upper()}", "split"))
    voice = re.match(r"(The [A-Za-z]+|[A-Z][a-z]+(?: [A-Z][a-z]+)?) (" + "|".join(VERBS) +
                     r") ((?:the|a|an|its|their) [a-z]+)\b(?! (?:[a-z]+ly\b|of\b))", s)
    if voice:
        subject, verb_, obj = voice.groups()
        subject = subject[0].lower() + subject[1:] if subject.startswith("The ") else subject
        passive = f"{obj[0].upper()}{obj[1:]} was {VERBS[verb_]} by {subject}"
        out.append(((a, a + voice.end()), passive, "passive"))
    quote = re.fullmatch(r"[\"\u201c]([A-Z][^\"\u201d]{10,200}?)[,.][\"\u201d] "
                         r"((?:he|she|they|[A-Z][a-z]+(?: [A-Z][a-z]+)?) said)\.", s)
    if quote:
        words = re.findall(r"\S+", quote.group(1))
        reported = " ".join(_PRONOUNS.get(w, w) for w in words)
        speaker = quote.group(2)
        speaker = speaker[0].upper() + speaker[1:]
        out.append(((a, b), f"{speaker} that {reported[0].lower()}{reported[1:]}.", "reported"))
    return out


def _merge_edits(text: str, sentences: list[Range]) -> list[tuple[Range, str, str]]:
    out = []
    for (_a0, b0), (a1, _b1) in zip(sentences, sentences[1:], strict=False):
        gap = text[b0 - 1:a1 + 1]
        if text[b0 - 1] == "." and "\n" not in gap and text[a1].isupper() and \
                not text[a1:a1 + 2].isupper():
            out.append(((b0 - 1, a1 + 1), f"; {text[a1].lower()}", "merge"))
    return out


def _char_edits(text: str, a: int, b: int, rng: random.Random,
                rate: float) -> list[tuple[Range, str, str]]:
    table = confusables()
    out = []
    for i in range(a, b):
        ch = text[i]
        if ch in table and rng.random() < rate:
            out.append(((i, i + 1), rng.choice(table[ch]), "homoglyph"))
        elif ch == " " and rng.random() < rate / 4:
            out.append(((i, i), rng.choice(INVISIBLES), "invisible"))
    for src, dst in VARIANTS:
        for m in re.finditer(rf"\b{re.escape(src)}", text[a:b]):
            out.append(((a + m.start(), a + m.end()), dst, "variant"))
    for m in re.finditer(r"(?<=\w)'(?=\w)", text[a:b]):
        out.append(((a + m.start(), a + m.end()), "\u2019", "variant"))
    return out


def rewrite(text: str, span: Range, rng: random.Random, *, rate: float = 0.5,
            characters: bool = False, char_rate: float = 0.01) -> tuple[str, list[Edit]]:
    """Rewrite ``text[span]``: each candidate edit is made with probability ``rate`` (each letter
    disguised with probability ``char_rate``), never two that touch the same characters. Returns the new text and
    the log, with source offsets into ``text`` and suspect offsets into the returned text."""
    a, b = span
    sentences = split_sentences(text, a, b)
    candidates = _phrase_edits(text, a, b) + _merge_edits(text, sentences)
    for sentence in sentences:
        candidates += _clause_edits(text, sentence, rng)
    chosen = [c for c in candidates if rng.random() < rate]
    if characters:
        chosen += _char_edits(text, a, b, rng, char_rate)
    chosen.sort(key=lambda c: (c[0][0], c[0][1]))
    kept: list[tuple[Range, str, str]] = []
    for edit in chosen:
        if not kept or edit[0][0] >= kept[-1][0][1] and edit[0] != kept[-1][0]:
            kept.append(edit)
    parts, log, at = [], [], a
    length = 0
    for (s, e), new, kind in kept:
        parts.append(text[at:s])
        length += s - at
        parts.append(new)
        log.append(Edit(kind, (s, e), (length, length + len(new)), text[s:e], new))
        length += len(new)
        at = e
    parts.append(text[at:b])
    return "".join(parts), log


def make_rewrite_case(src: Article, rng: random.Random, case_id: str, *,
                      characters: bool) -> Case:
    """A case: one stretch of ``src`` (the whole text, or a run of at least 60% of its sentences
    by the rewriter's own splitter), rewritten; one true passage over the whole stretch."""
    sentences = split_sentences(src.text)
    if len(sentences) >= 5 and rng.random() < 0.5:
        size = rng.randint(max(3, int(0.6 * len(sentences))), len(sentences) - 1)
        first = rng.randrange(0, len(sentences) - size + 1)
        span = (sentences[first][0], sentences[first + size - 1][1])
    else:
        span = (sentences[0][0], sentences[-1][1])
    suspect, log = rewrite(src.text, span, rng, characters=characters)
    kind = "rewrite+chars" if characters else "rewrite"
    meta = {"edits": [{**asdict(e), "source_at": list(e.source_at),
                       "suspect_at": list(e.suspect_at)} for e in log],
            "edit_kinds": {k: sum(e.kind == k for e in log) for k in {e.kind for e in log}}}
    return Case(case_id, kind, suspect, (TruePassage((0, len(suspect)), src.id, span),), meta)


__all__ = ["Edit", "rewrite", "split_sentences", "confusables", "make_rewrite_case", "PHRASES"]
