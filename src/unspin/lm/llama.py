"""A Llama-architecture decoder's forward pass in numpy, float32 throughout.

Everything is batched over the whole sequence (and over several sequences of equal length): one
matrix product per projection per layer, no per-token loop. RoPE rotates adjacent pairs of each
head's dimensions, which is the layout GGUF files store Q and K in (the converter permutes the
weights so that llama.cpp's "normal" rope applies). Every array stays float32: numpy 2 would
promote a mixed float32/float64 product to float64, several times slower.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

F32 = np.float32


@dataclass(frozen=True, slots=True)
class LlamaConfig:
    """The shape of the network, read from the model file's metadata."""

    n_layer: int
    n_embd: int
    n_head: int
    n_head_kv: int
    n_ff: int
    n_vocab: int
    rope_base: float
    eps: float

    @property
    def head_dim(self) -> int:
        return self.n_embd // self.n_head


@dataclass(frozen=True, slots=True)
class Layer:
    """One block's weights, laid out for ``x @ w`` (input dimension first)."""

    attn_norm: np.ndarray  # (D,)
    qkv: np.ndarray  # (D, (H + 2 Hkv) * hd)
    out: np.ndarray  # (H * hd, D)
    ffn_norm: np.ndarray  # (D,)
    gate_up: np.ndarray  # (D, 2 F)
    down: np.ndarray  # (F, D)


@dataclass(frozen=True, slots=True)
class Weights:
    embed: np.ndarray  # (V, D): token embeddings, also the output head when tied
    layers: tuple[Layer, ...]
    out_norm: np.ndarray  # (D,)
    head: np.ndarray  # (D, V)


def _rms_norm(x: np.ndarray, w: np.ndarray, eps: float) -> np.ndarray:
    ms = np.mean(x * x, axis=-1, keepdims=True, dtype=F32)
    return x * (1.0 / np.sqrt(ms + F32(eps))).astype(F32) * w


def rope_tables(cfg: LlamaConfig, n: int) -> np.ndarray:
    """The rotation of each position (n) and rotated pair (hd / 2), as the complex number
    cos + i sin (complex64)."""
    hd = cfg.head_dim
    inv = cfg.rope_base ** (-np.arange(0, hd, 2, dtype=np.float64) / hd)
    ang = np.arange(n, dtype=np.float64)[:, None] * inv[None, :]
    return np.exp(1j * ang).astype(np.complex64)


def _rope(x: np.ndarray, rot: np.ndarray) -> np.ndarray:
    """Rotate adjacent pairs (x[2i], x[2i+1]) of the last axis by ``rot``; x is (B, h, T, hd)
    with its last axis contiguous. A pair read as the complex number x[2i] + i x[2i+1] is
    rotated by one complex product: (a cos - b sin) + i (a sin + b cos)."""
    return (x.view(np.complex64) * rot).view(F32)


def _softmax_last(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=-1, keepdims=True)
    return x


def _qkv(cfg: LlamaConfig, layer: Layer, h: np.ndarray, rot: np.ndarray
         ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Queries, keys (both rotated by ``rot``) and values of ``h`` (B, T, D): (B, heads, T, hd)
    each."""
    bsz, t, _ = h.shape
    nh, nkv, hd = cfg.n_head, cfg.n_head_kv, cfg.head_dim
    qkv = (h.reshape(bsz * t, -1) @ layer.qkv).reshape(bsz, t, nh + 2 * nkv, hd)
    qkv = qkv.transpose(0, 2, 1, 3)
    qk = _rope(qkv[:, : nh + nkv], rot)  # queries and keys in one product
    # the keys copied out: a cache keeps them, and a view would keep the queries too
    return qk[:, :nh], np.ascontiguousarray(qk[:, nh:]), np.ascontiguousarray(qkv[:, nh + nkv :])


def _context(cfg: LlamaConfig, q: np.ndarray, k: np.ndarray, v: np.ndarray, mask: np.ndarray
             ) -> np.ndarray:
    """Grouped-query attention of q (B, H, T, hd) over k, v (B, Hkv, S, hd); mask broadcasts to
    (B, Hkv, group, T, S). Returns the heads' outputs side by side, before the output
    projection (B * T, H * hd)."""
    bsz, nh, t, hd = q.shape
    nkv = cfg.n_head_kv
    group = nh // nkv
    s = k.shape[2]
    q = q.reshape(bsz, nkv, group * t, hd)  # heads sharing one K/V head, stacked along T
    scores = (q @ k.transpose(0, 1, 3, 2)) * F32(1.0 / np.sqrt(hd))
    scores = scores.reshape(bsz, nkv, group, t, s) + mask
    probs = _softmax_last(scores).reshape(bsz, nkv, group * t, s)
    return (probs @ v).reshape(bsz, nh, t, hd).transpose(0, 2, 1, 3).reshape(bsz * t, nh * hd)


def _attend(cfg: LlamaConfig, layer: Layer, q: np.ndarray, k: np.ndarray, v: np.ndarray,
            mask: np.ndarray) -> np.ndarray:
    """``_context``, projected: the attention block's output (B, T, D)."""
    bsz, _, t, _ = q.shape
    return (_context(cfg, q, k, v, mask) @ layer.out).reshape(bsz, t, -1)


def _ffn(cfg: LlamaConfig, layer: Layer, h: np.ndarray) -> np.ndarray:
    bsz, t, d = h.shape
    gu = h.reshape(bsz * t, d) @ layer.gate_up
    gate, up = gu[:, : cfg.n_ff], gu[:, cfg.n_ff :]
    # SiLU(gate) * up, in one buffer (4 temporaries cost about 7% of the layer's time)
    act = np.negative(gate)
    np.exp(act, out=act)
    act += F32(1.0)
    np.divide(gate, act, out=act)
    act *= up
    return (act @ layer.down).reshape(bsz, t, d)


@dataclass(frozen=True, slots=True)
class Cache:
    """Keys and values of every layer for the sequences of a batch (B, Hkv, T, hd each), for
    ``extend``."""

    keys: tuple[np.ndarray, ...]
    values: tuple[np.ndarray, ...]
    # the residual stream after each layer asked for (``taps``: 1-based layer numbers), every
    # row's (B, T, D): what a probe on the model's states reads
    states: dict[int, np.ndarray] = field(default_factory=dict)

    @property
    def length(self) -> int:
        return int(self.keys[0].shape[2])


def hidden_states(cfg: LlamaConfig, w: Weights, ids: np.ndarray, *, all_rows: bool = False,
                  taps: tuple[int, ...] = ()) -> tuple[np.ndarray, Cache]:
    """The final normalised hidden state of every position of ``ids`` (B, T) -> (B, T, D), and
    the keys and values of the first sequence (of every sequence with ``all_rows``), for
    ``extend``, with the residual stream after each layer in ``taps`` (1-based). Sequences of
    unequal length may be padded at the end: no position attends to a later one."""
    bsz, t = ids.shape
    x = w.embed[ids].astype(F32, copy=True)
    rot = rope_tables(cfg, t)
    mask = np.triu(np.full((t, t), -np.inf, dtype=F32), k=1)
    keys, values = [], []
    states: dict[int, np.ndarray] = {}
    for n, layer in enumerate(w.layers, start=1):
        q, k, v = _qkv(cfg, layer, _rms_norm(x, layer.attn_norm, cfg.eps), rot)
        keys.append(k if all_rows else k[:1])
        values.append(v if all_rows else v[:1])
        x += _attend(cfg, layer, q, k, v, mask)
        x += _ffn(cfg, layer, _rms_norm(x, layer.ffn_norm, cfg.eps))
        if n in taps:
            states[n] = x.copy()
    return _rms_norm(x, w.out_norm, cfg.eps), Cache(tuple(keys), tuple(values), states)


def packed_log_probs(cfg: LlamaConfig, w: Weights, seqs: list[np.ndarray], *,
                     taps: tuple[int, ...] = ()) -> tuple[list[np.ndarray], Cache]:
    """``log_probs`` of several sequences of any lengths, run as one: their tokens are packed
    end to end into one row, so no padding position is computed (padding a batch to its longest
    sentence cost half as many positions again on news text). Each token attends to the tokens
    of its own sequence only, at positions counted from that sequence's start, so each row of
    the result equals what the sequence alone would give (up to float rounding). Returns each
    sequence's log-probabilities (T_b, V) and a cache in ``log_probs``'s layout with
    ``all_rows``: keys, values and ``taps`` states of every sequence, padded at the end to the
    longest (for ``extend``; padding is never attended to)."""
    lens = [len(s) for s in seqs]
    if not lens or min(lens) == 0:
        raise ValueError("packed_log_probs expects non-empty sequences")
    bounds = np.cumsum([0, *lens])
    segments = list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))
    longest, bsz = max(lens), len(seqs)
    ids = np.concatenate([np.asarray(s, dtype=np.int64) for s in seqs])[None, :]
    x = w.embed[ids].astype(F32, copy=True)  # (1, T, D)
    pos = np.concatenate([np.arange(n) for n in lens])
    rot = rope_tables(cfg, longest)[pos]  # (T, hd / 2): each sequence from its own position 0
    masks = {n: np.triu(np.full((n, n), -np.inf, dtype=F32), k=1) for n in set(lens)}
    rows = np.repeat(np.arange(bsz), lens), pos  # where each packed token goes in the cache
    keys, values = [], []
    states: dict[int, np.ndarray] = {}
    ctx = np.empty((ids.shape[1], cfg.n_head * cfg.head_dim), dtype=F32)
    for n, layer in enumerate(w.layers, start=1):
        q, k, v = _qkv(cfg, layer, _rms_norm(x, layer.attn_norm, cfg.eps), rot)
        for a, e in segments:
            ctx[a:e] = _context(cfg, q[:, :, a:e], k[:, :, a:e], v[:, :, a:e], masks[e - a])
        keys.append(_per_head(_unpacked(k[0].transpose(1, 0, 2), rows, bsz, longest)))
        values.append(_per_head(_unpacked(v[0].transpose(1, 0, 2), rows, bsz, longest)))
        x += (ctx @ layer.out)[None]
        x += _ffn(cfg, layer, _rms_norm(x, layer.ffn_norm, cfg.eps))
        if n in taps:
            states[n] = _unpacked(x[0], rows, bsz, longest)
    lp = _log_softmax_head(w, _rms_norm(x, w.out_norm, cfg.eps))[0]
    return [lp[a:e] for a, e in segments], Cache(tuple(keys), tuple(values), states)


def _unpacked(packed: np.ndarray, rows: tuple[np.ndarray, np.ndarray], bsz: int, longest: int
              ) -> np.ndarray:
    """Packed per-token rows (T, ...) laid out per sequence, padded with zeros at the end:
    (B, longest, ...); ``rows`` gives each token's sequence and position."""
    out = np.zeros((bsz, longest, *packed.shape[1:]), dtype=F32)
    out[rows] = packed
    return out


def _per_head(x: np.ndarray) -> np.ndarray:
    """(B, T, heads, hd) -> (B, heads, T, hd), contiguous: the cache's layout."""
    return np.ascontiguousarray(x.transpose(0, 2, 1, 3))


_SOFTMAX_ROWS = 8  # rows exponentiated at a time: 8 x 49152 floats stay in the CPU's cache


def _log_softmax_head(w: Weights, h: np.ndarray) -> np.ndarray:
    bsz, t, d = h.shape
    logits = h.reshape(bsz * t, d) @ w.head
    logits -= logits.max(axis=-1, keepdims=True)
    # the normaliser a few rows at a time, into one small buffer: a whole (rows, vocabulary)
    # temporary went through main memory (23% less time in this function, same numbers)
    buf = np.empty((min(_SOFTMAX_ROWS, len(logits)), logits.shape[1]), dtype=F32)
    for r in range(0, len(logits), _SOFTMAX_ROWS):
        part = logits[r : r + _SOFTMAX_ROWS]
        e = np.exp(part, out=buf[: len(part)])
        part -= np.log(e.sum(axis=-1, keepdims=True, dtype=F32))
    return logits.reshape(bsz, t, -1)


def log_probs(cfg: LlamaConfig, w: Weights, ids: np.ndarray, *, all_rows: bool = False,
              taps: tuple[int, ...] = ()) -> tuple[np.ndarray, Cache]:
    """Log-probabilities of the next token after each position: (B, T) -> (B, T, V), and the
    first sequence's cache (every sequence's with ``all_rows``; with the states of ``taps``)."""
    h, cache = hidden_states(cfg, w, ids, all_rows=all_rows, taps=taps)
    return _log_softmax_head(w, h), cache


def extend(cfg: LlamaConfig, w: Weights, cache: Cache, ids: np.ndarray, start: np.ndarray,
           rows: np.ndarray | None = None) -> np.ndarray:
    """Continue cached sequences in B different ways at once: row b of ``ids`` (B, L) follows
    the first ``start[b]`` positions of cached sequence ``rows[b]`` (the first one when ``rows``
    is None; the rest of the cache is masked out). Returns the log-probabilities after each new
    token (B, L, V). This is how a word swap is re-scored without recomputing the words before
    it."""
    return _log_softmax_head(w, _extended(cfg, w, cache, ids, start, rows))


def extend_next(cfg: LlamaConfig, w: Weights, cache: Cache, ids: np.ndarray, start: np.ndarray,
                rows: np.ndarray | None, lengths: np.ndarray) -> np.ndarray:
    """``extend``, keeping only what a re-scoring reads: the log-probability of each row's next
    token, ``out[b, j] = log P(ids[b, j + 1] | ...)`` for ``j < lengths[b] - 1`` (0 elsewhere),
    (B, L - 1). The output head (49,152 words) runs only at those positions, not at a row's
    last token or its padding."""
    h = _extended(cfg, w, cache, ids, start, rows)
    bsz, n = ids.shape
    out = np.zeros((bsz, max(0, n - 1)), dtype=F32)
    b_idx, p_idx = np.nonzero(np.arange(n - 1)[None, :] < (np.asarray(lengths)[:, None] - 1))
    if len(b_idx) == 0:
        return out
    logits = h[b_idx, p_idx] @ w.head  # (M, V)
    target = logits[np.arange(len(b_idx)), ids[b_idx, p_idx + 1]]
    out[b_idx, p_idx] = target - _log_sum_exp(logits)
    return out


def _log_sum_exp(logits: np.ndarray) -> np.ndarray:
    """Each row's log-sum-exp, a few rows at a time into one small buffer (``logits`` is
    overwritten)."""
    top = logits.max(axis=-1, keepdims=True)
    logits -= top
    buf = np.empty((min(_SOFTMAX_ROWS, len(logits)), logits.shape[1]), dtype=F32)
    sums = np.empty(len(logits), dtype=F32)
    for r in range(0, len(logits), _SOFTMAX_ROWS):
        part = logits[r : r + _SOFTMAX_ROWS]
        sums[r : r + len(part)] = np.exp(part, out=buf[: len(part)]).sum(axis=-1, dtype=F32)
    return np.log(sums) + top[:, 0]


def _extended(cfg: LlamaConfig, w: Weights, cache: Cache, ids: np.ndarray, start: np.ndarray,
              rows: np.ndarray | None) -> np.ndarray:
    """The final normalised hidden states of ``extend``'s new tokens (B, L, D)."""
    bsz, n = ids.shape
    x = w.embed[ids].astype(F32, copy=True)
    pos = start[:, None] + np.arange(n)[None, :]  # (B, L)
    rot = rope_tables(cfg, int(pos.max()) + 1)[pos][:, None]  # (B, 1, L, hd/2)
    t = cache.length
    old = np.where(np.arange(t)[None, :] < start[:, None], F32(0), F32(-np.inf)).astype(F32)
    new = np.triu(np.full((n, n), -np.inf, dtype=F32), k=1)
    mask = np.concatenate([np.broadcast_to(old[:, None, :], (bsz, n, t)),
                           np.broadcast_to(new[None], (bsz, n, n))], axis=2)
    mask = mask[:, None, None]  # (B, 1, 1, L, T + L)
    for k_old, v_old, layer in zip(cache.keys, cache.values, w.layers, strict=True):
        q, k, v = _qkv(cfg, layer, _rms_norm(x, layer.attn_norm, cfg.eps), rot)
        if rows is not None:
            k_old, v_old = k_old[rows], v_old[rows]
        k_all = np.concatenate([np.broadcast_to(k_old, (bsz, *k_old.shape[1:])), k], axis=2)
        v_all = np.concatenate([np.broadcast_to(v_old, (bsz, *v_old.shape[1:])), v], axis=2)
        x += _attend(cfg, layer, q, k_all, v_all, mask)
        x += _ffn(cfg, layer, _rms_norm(x, layer.ffn_norm, cfg.eps))
    return _rms_norm(x, w.out_norm, cfg.eps)


__all__ = ["LlamaConfig", "Layer", "Weights", "Cache", "hidden_states", "log_probs",
           "packed_log_probs", "extend", "extend_next", "rope_tables"]
