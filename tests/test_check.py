"""check(): retrieval, alignment, verdicts on the bundled sample and hand-made cases."""

from __future__ import annotations

from unspin import CheckConfig, Index, check
from unspin.ingest import read_inputs

from .conftest import EXAMPLES


def _suspect(name: str) -> str:
    return next(iter(read_inputs([str(EXAMPLES / "suspects" / name)]))).text


def test_spun_copy_traced_with_substitutions(sample_index: Index, truth: dict) -> None:
    text = _suspect("spun.txt")
    result = check(text, sample_index)
    assert result.verdict == "derived" and result.confidence > 0.8
    top = result.sources[0]
    assert top.id == truth["source"]
    assert top.coverage_suspect > 0.9 and top.coverage_source > 0.9
    assert top.obfuscation.startswith("spun")
    source_text = sample_index.get(top.id).text
    subs = [s for p in top.passages for s in p.substitutions]
    assert len(subs) > 10
    for sub in subs:  # offsets point into the texts as given
        assert text[sub.suspect_at[0] : sub.suspect_at[1]] == sub.suspect
        assert source_text[sub.source_at[0] : sub.source_at[1]] == sub.source
    assert any(s.source == "barrel" for s in subs)


def test_reordered_copy_gives_passages_in_suspect_order(sample_index: Index, truth: dict) -> None:
    result = check(_suspect("reordered.txt"), sample_index)
    assert result.verdict == "derived"
    top = result.sources[0]
    assert top.id == truth["source"] and "reordered" in top.obfuscation
    assert len(top.passages) >= 2
    starts = [p.suspect[0] for p in top.passages]
    assert starts == sorted(starts)


def test_verbatim_partial_copy_in_page(sample_index: Index, truth: dict) -> None:
    text = _suspect("verbatim-partial.html")
    result = check(text, sample_index)
    assert result.verdict == "derived"
    top = result.sources[0]
    assert top.id == truth["source"]
    assert top.coverage_source < 0.8  # only part of the story was copied
    assert any(p.kind in ("identical", "minor") for p in top.passages)
    assert "Subscribe" not in "".join(text[p.suspect[0] : p.suspect[1]] for p in top.passages)


def test_same_subject_article_is_not_derived(sample_index: Index) -> None:
    result = check(_suspect("same-subject.txt"), sample_index)
    assert result.verdict == "not_derived"


def test_stitched_page_reports_both_sources(sample_index: Index, articles: list) -> None:
    a, b = articles[10], articles[20]
    para_a = "\n\n".join(a.text.split("\n\n")[:3])
    para_b = "\n\n".join(b.text.split("\n\n")[:3])
    result = check(para_a + "\n\nIn other news.\n\n" + para_b, sample_index)
    ids = [s.id for s in result.sources]
    assert result.verdict == "derived"
    assert a.id in ids and b.id in ids


def test_homoglyph_and_zero_width_copy_is_traced_with_original_offsets(
    sample_index: Index, articles: list
) -> None:
    art = articles[42]
    tricked = art.text.replace("o", "\u043e").replace(" the ", " th\u200be ")
    result = check(tricked, sample_index)
    assert result.sources and result.sources[0].id == art.id
    p = result.sources[0].passages[0]
    assert 0 <= p.suspect[0] < p.suspect[1] <= len(tricked)


def test_shared_quotation_alone_is_not_a_copy(sample_index: Index, articles: list) -> None:
    art = articles[7]
    first = art.text.split("\n\n")[0]
    text = (
        "Our own reporter asked about it today. The minister answered at length. "
        f'He said: "{first}" Critics were not convinced and said so on Monday.'
    )
    assert check(text, sample_index).verdict == "not_derived"
    counted = check(text, sample_index, config=CheckConfig(exclude_quotes=False))
    assert counted.sources and counted.sources[0].id == art.id


def test_unrelated_text_has_no_sources(sample_index: Index) -> None:
    result = check(
        "Lovely weather for a picnic in the park with friends and family today.", sample_index
    )
    assert result.verdict == "not_derived" and result.sources == ()
