"""Properties over random and hostile input: normalisation, tokens, sentences, alignment, the
readers and the CLI. Offsets always map back into the text as given, substitutions slice to their
strings, and no exception (and no raw control character) escapes the CLI.

Kept small (modest ``max_examples``, no deadline) so that it runs in ``make test``; the hostile
corpus under tests/data/hostile/ (``scripts/make_hostile_corpus.py``) runs whole every time.
"""

from __future__ import annotations

import io
import random
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from unspin import Article, Index, IndexConfig
from unspin.align import Aligner
from unspin.analysis import analyze
from unspin.cli import main
from unspin.ingest import read_inputs
from unspin.normalize import normalize
from unspin.thesaurus import load as load_thesaurus
from unspin.tokens import tokenize

from .conftest import ROOT, sample_articles

HOSTILE = ROOT / "tests" / "data" / "hostile"
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Text that looks like news, text that is anything at all, and control-heavy text
WORDS = ["the", "bank", "said", "rates", "rose", "Tuesday", "in", "London", "by", "3.5", "%",
         "inflation", "Reuters", "officials", "\u201cquoted\u201d", "caf\u00e9", "\u0430pple",
         "co-operate", "U.S.", "Mr.", "naïve", "東京", "\u200b", "\u00ad", "x\u0301"]
SEPS = [" ", " ", " ", ". ", ", ", "\n", "\n\n", "\t", "\r\n", "  ", ". \n", "\u3000", "\x1b[2J"]
newsy = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPS)), max_size=80).map(
    lambda pairs: "".join(w + s for w, s in pairs))
anything = st.text(max_size=300)
controls = st.text(alphabet=st.characters(max_codepoint=0x3000, categories=("Cc", "Cf", "Zs", "Zl",
                                                                             "Zp", "Mn", "Ll", "Lu",
                                                                             "Nd", "Po")),
                   max_size=300)
texts = st.one_of(newsy, anything, controls)


# -- normalisation and tokens -----------------------------------------------------------------
@SETTINGS
@given(texts)
def test_normalised_offsets_map_back_into_the_text_as_given(text: str) -> None:
    norm = normalize(text)
    assert norm.original == text
    last = 0
    for pos in range(len(norm.text)):
        s, e = norm.to_original(pos, pos + 1)
        assert 0 <= s < e <= len(text)  # every normalised character comes from some original ones
        assert s >= last  # and in order
        last = s
    if norm.text:
        s, e = norm.to_original(0, len(norm.text))
        assert text[s:e].strip() == text.strip() or not text[s:e].isspace()


@SETTINGS
@given(texts)
def test_tokens_and_sentences_are_ordered_spans_of_the_normalised_text(text: str) -> None:
    doc = analyze(text)
    norm = doc.text
    toks = doc.tokens
    prev_end = 0
    for low, s, e in zip(toks.lower, toks.starts, toks.ends, strict=True):
        assert prev_end <= s < e <= len(norm)
        assert norm[s:e].lower() == low
        o_s, o_e = doc.to_original(s, e)
        assert 0 <= o_s < o_e <= len(text)
        prev_end = e
    for sent in doc.sentences:
        assert 0 <= sent.start <= sent.end <= len(norm)
        assert 0 <= sent.first < sent.last <= len(toks)
        assert sent.start <= toks.starts[sent.first] and toks.ends[sent.last - 1] <= sent.end


def test_tokenizer_and_sentences_stay_linear_on_pathological_runs() -> None:
    """A 60,000-letter word took 126 s (a quadratic regex search); every run here is bounded."""
    for text in ("a" * 60_000 + ". The bank said. It rose.", "x." * 30_000, "." * 60_000,
                 ("Mr. " * 15_000) + "Smith.", "\u0301" * 30_000, "A" * 60_000 + "! B."):
        start = time.perf_counter()
        doc = analyze(text)
        assert time.perf_counter() - start < 5.0, text[:20]
        assert len(tokenize(doc.text)) == len(doc.tokens)


# -- alignment ----------------------------------------------------------------------------------
SOURCES = [a.text for a in sample_articles(6)]


def _mutate(text: str, rnd: random.Random, rate: float) -> str:
    words = text.split(" ")
    out = []
    for w in words:
        r = rnd.random()
        if r < rate / 3:
            continue
        if r < 2 * rate / 3:
            out.append(rnd.choice(WORDS + SEPS))
        elif r < rate:
            out.append(w.upper() if rnd.random() < 0.5 else w + rnd.choice(SEPS) + rnd.choice(WORDS))
        else:
            out.append(w)
    return " ".join(out)


@SETTINGS
@given(st.sampled_from(SOURCES), st.integers(0, 2**32 - 1), st.floats(0.0, 0.6), anything)
def test_aligned_passages_and_substitutions_slice_to_their_strings(
    source: str, seed: int, rate: float, noise: str
) -> None:
    suspect = noise + _mutate(source, random.Random(seed), rate)
    aligner = Aligner(analyze(suspect), load_thesaurus("wordnet"))
    for p in aligner.align(analyze(source)):
        assert 0 <= p.suspect[0] < p.suspect[1] <= len(suspect)
        assert 0 <= p.source[0] < p.source[1] <= len(source)
        for sub in p.substitutions:
            assert suspect[sub.suspect_at[0] : sub.suspect_at[1]] == sub.suspect
            assert source[sub.source_at[0] : sub.source_at[1]] == sub.source
            assert p.suspect[0] <= sub.suspect_at[0] <= sub.suspect_at[1] <= p.suspect[1]


# -- readers and the CLI ------------------------------------------------------------------------
ENDINGS = [".txt", ".jsonl", ".html", ".warc", ".warc.gz"]
payloads = st.one_of(
    st.binary(max_size=2000),
    texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.one_of(texts, st.dictionaries(st.sampled_from(["id", "text", "title", "x"]),
                                              st.one_of(texts, st.integers(), st.none(),
                                                        st.lists(st.integers(), max_size=3)),
                                              max_size=4)),
             max_size=4).map(lambda rows: "\n".join(__import__("json").dumps(r) for r in rows)
                             .encode("utf-8", "surrogatepass")),
)


def _read_all(path: Path) -> tuple[list[Article], list[str]]:
    bad: list[str] = []
    arts = list(read_inputs([path], on_bad=lambda b: bad.append(str(b))))
    return arts, bad


@SETTINGS
@given(payloads, st.sampled_from(ENDINGS))
def test_readers_never_raise_and_every_article_is_usable(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, ending: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"input{ending}"
    path.write_bytes(data)
    arts, bad = _read_all(path)
    assert arts or bad  # something is said about every file
    for a in arts:
        assert a.text.strip() and a.id
        a.text.encode("utf-8")  # storable: no lone surrogates


@pytest.fixture(scope="module")
def small_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("props") / "index"
    with Index.create(path, config=IndexConfig(semantic="off")) as index:
        index.add(sample_articles(20))
    return path


def _cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = main(args)
    return rc, out.getvalue(), err.getvalue()


def _clean(*outputs: str) -> None:
    for text in outputs:
        assert "Traceback" not in text and "internal error" not in text, text[-500:]
        assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(payloads, st.sampled_from(ENDINGS))
def test_cli_on_random_files_returns_a_status_and_prints_no_traceback(
    tmp_path_factory: pytest.TempPathFactory, small_index: Path, data: bytes, ending: str
) -> None:
    folder = tmp_path_factory.mktemp("cli")
    path = folder / f"input{ending}"
    path.write_bytes(data)
    for args in (["check", str(path), "--index", str(small_index), "--no-learn"],
                 ["check", str(path), "--index", str(small_index), "--no-learn", "--json"],
                 ["tortured", str(path)], ["restore", str(path), "--json"],
                 ["index", "build", str(path), "--index", str(folder / "i"), "--semantic", "off"]):
        rc, out, err = _cli(args)
        assert rc in (0, 1), (args, err)
        _clean(out, err)


# -- the hostile corpus -------------------------------------------------------------------------
def test_hostile_corpus_through_every_reader() -> None:
    files = sorted(p for p in HOSTILE.iterdir() if p.name != "README.md")
    assert len(files) >= 30
    kept = 0
    for path in files:
        start = time.perf_counter()
        arts, bad = _read_all(path)
        assert arts or bad, path.name
        assert not any("unexpected error" in b for b in bad), bad
        for a in arts:
            analyze(a.text)
            a.text.encode("utf-8")
        kept += len(arts)
        assert time.perf_counter() - start < 20, path.name
    assert kept >= 15  # good records next to bad ones are kept


def test_hostile_corpus_through_the_cli(tmp_path: Path, small_index: Path) -> None:
    idx = str(tmp_path / "i")
    rc, out, err = _cli(["index", "build", str(HOSTILE), "--index", idx, "--semantic", "off"])
    assert rc == 1
    _clean(out, err)
    assert "after-deep" in "".join(a.id for a in Index.open(idx, readonly=True))
    assert "good" in [a.id for a in Index.open(idx, readonly=True)]
    for args in (["check", str(HOSTILE), "--index", idx, "--no-learn"],
                 ["check", str(HOSTILE), "--index", str(small_index), "--json", "--no-learn"],
                 ["tortured", str(HOSTILE)], ["restore", str(HOSTILE), "--index", idx],
                 ["index", "info", "--index", idx], ["index", "verify", "--index", idx]):
        rc, out, err = _cli(args)
        assert rc in (0, 1), (args, err[-500:])
        _clean(out, err)


def test_file_names_with_escapes_through_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "c\x1b[2J"
    folder.mkdir()
    (folder / "\x1b]0;x\x07\u202e.txt").write_text(sample_articles(1)[0].text, encoding="utf-8")
    (folder / "bad\x9b.jsonl").write_text("{nope\n", encoding="utf-8")
    rc, out, err = _cli(["index", "build", str(folder), "--index", str(tmp_path / "i\x1b")])
    assert rc == 1
    _clean(out, err)
    assert "c\\x1b[2J" in err and "bad\\x9b.jsonl" in err
