"""The language model: its tokenizer, its forward pass and its failure messages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from unspin.errors import ModelError
from unspin.lm import SHA256, load, verify


@pytest.fixture(scope="module")
def lm():
    return load()


def pieces(lm, text: str) -> list[str]:
    enc = lm.encode(text)
    return [text[s:e] for s, e in enc.offsets]


def test_tokenizer_splits_as_gpt2_byte_level_bpe_with_single_digits(lm):
    assert pieces(lm, "Hello world") == ["Hello", " world"]
    assert pieces(lm, " intelligence") == [" intelligence"]
    # digits one by one, the space before them a token of its own
    assert pieces(lm, "in 2024") == ["in", " ", "2", "0", "2", "4"]
    assert lm.decode(list(lm.encode("naïve café, 12%").ids)) == "naïve café, 12%"
    # special tokens in page text are plain text, never control tokens
    assert len(lm.encode("<|endoftext|>").ids) > 1


def test_surprisal_tells_a_broken_collocation_from_the_right_one(lm):
    good = dict(lm.surprisal("Research in artificial intelligence"))
    bad = dict(lm.surprisal("Research in artificial consciousness"))
    assert good[" intelligence"] < 1.0
    assert bad[" consciousness"] > good[" intelligence"] + 5.0


def test_batched_rows_agree_with_single_rows(lm):
    a = [lm.start, *lm.encode("The bank raised rates.").ids]
    b = [lm.start, *lm.encode("The dog ate a shoe.").ids][: len(a)]
    both = lm.log_probs(np.array([a, b]))
    one = lm.log_probs(np.array([a]))
    assert both.dtype == np.float32
    assert np.allclose(both[0], one[0], atol=1e-3)
    assert np.allclose(np.exp(one[0]).sum(axis=-1), 1.0, atol=1e-3)


def test_model_is_described_by_name_and_checksum(lm):
    info = lm.describe()
    assert info["sha256"] == SHA256 and "SmolLM2" in info["name"]


def test_missing_or_damaged_model_file_is_one_line_that_says_what_to_do(tmp_path: Path):
    with pytest.raises(ModelError) as missing:
        load(str(tmp_path / "absent.gguf"))
    assert "make" in str(missing.value) and "\n" not in str(missing.value)
    damaged = tmp_path / "model.gguf"
    damaged.write_bytes(b"GGUF" + b"\0" * 64)
    with pytest.raises(ModelError) as bad:
        verify(damaged, SHA256)
    assert "checksum" in str(bad.value) and "pip install" in str(bad.value)
    with pytest.raises(ModelError):
        load(str(damaged))


def test_extending_a_cached_prefix_matches_scoring_the_whole_sequence(lm):
    ids = [lm.start, *lm.encode("He suffered a heart attack on Sunday.").ids]
    whole, cache = lm.scored(np.array([ids]))
    # continue after 3 and after 5 cached positions, with the tokens that really follow
    rows = np.array([ids[3:7], ids[5:9]])
    got = lm.extend(cache, rows, np.array([3, 5]))
    assert np.allclose(got[0], whole[0, 3:7], atol=2e-3)
    assert np.allclose(got[1], whole[0, 5:9], atol=2e-3)


def test_padded_batch_keeps_each_rows_cache_for_extending(lm):
    """Sentences of unequal length in one pass (padded at the end), then each continued from its
    own cached keys and values: the same numbers as scoring each sentence alone."""
    a = [lm.start, *lm.encode("He suffered a heart attack on Sunday.").ids]
    b = [lm.start, *lm.encode("Shares fell.").ids]
    batch = np.zeros((2, len(a)), dtype=np.int64)
    batch[0], batch[1, : len(b)] = a, b
    lp, cache = lm.scored(batch, all_rows=True)
    alone_b, _ = lm.scored(np.array([b]))
    assert np.allclose(lp[1, : len(b)], alone_b[0], atol=2e-3)
    got = lm.extend(cache, np.array([a[3:6], b[2:5]]), np.array([3, 2]), np.array([0, 1]))
    assert np.allclose(got[0], lp[0, 3:6], atol=2e-3)
    assert np.allclose(got[1], alone_b[0, 2:5], atol=2e-3)


def test_packed_sequences_score_as_each_alone_and_keep_a_padded_cache(lm):
    """Sequences packed end to end in one pass (no padding) attend only within themselves and
    count positions from their own start: each gets what it gets alone, and its keys, values
    and tapped states land in ``scored``'s padded layout, ready for ``extend``."""
    a = [lm.start, *lm.encode("He suffered a heart attack on Sunday.").ids]
    b = [lm.start, *lm.encode("Shares fell.").ids]
    c = [lm.start, *lm.encode("The central bank raised rates again in May.").ids]
    packed, cache = lm.scored_packed([np.array(x) for x in (a, b, c)], taps=(16,))
    assert [len(x) for x in packed] == [len(a), len(b), len(c)]
    assert cache.keys[0].shape[:3] == (3, lm.config.n_head_kv, max(len(a), len(c)))
    for r, x in enumerate((a, b, c)):
        alone, own = lm.scored(np.array([x]), taps=(16,))
        assert np.allclose(packed[r], alone[0], atol=2e-3)
        assert np.allclose(cache.keys[-1][r, :, : len(x)], own.keys[-1][0], atol=2e-3)
        assert np.allclose(cache.states[16][r, : len(x)], own.states[16][0], rtol=1e-3, atol=2e-2)
    got = lm.extend(cache, np.array([b[2:4], c[4:6]]), np.array([2, 4]), np.array([1, 2]))
    assert np.allclose(got[0], packed[1][2:4], atol=2e-3)
    assert np.allclose(got[1], packed[2][4:6], atol=2e-3)
    with pytest.raises(ValueError):
        lm.scored_packed([np.array(a), np.array([], dtype=np.int64)])


def test_next_token_scores_of_an_extension_match_the_full_distributions(lm):
    """``extend_next`` runs the output head only where a re-scoring reads it (not at a row's
    last token or its padding) and gives the same log-probabilities as ``extend``."""
    ids = [lm.start, *lm.encode("The bill passed its second reading on Tuesday.").ids]
    _, cache = lm.scored(np.array([ids]))
    rows = np.zeros((2, 4), dtype=np.int64)
    rows[0, :3], rows[1] = ids[4:7], ids[5:9]  # the first row padded at its end
    start, lengths = np.array([4, 5]), np.array([3, 4])
    full = lm.extend(cache, rows, start, np.array([0, 0]))
    got = lm.extend_next(cache, rows, start, np.array([0, 0]), lengths)
    assert got.shape == (2, 3)
    for b in range(2):
        want = [full[b, j, rows[b, j + 1]] for j in range(lengths[b] - 1)]
        assert np.allclose(got[b, : lengths[b] - 1], want, atol=1e-4)
    assert got[0, 2] == 0.0  # past the row's last token: not computed
