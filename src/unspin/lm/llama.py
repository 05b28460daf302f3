"""A Llama-architecture decoder's forward pass in numpy, float32 throughout.

Everything is batched over the whole sequence (and over several sequences of equal length): one
matrix product per projection per layer, no per-token loop. RoPE rotates adjacent pairs of each
head's dimensions, which is the layout GGUF files store Q and K in (the converter permutes the
weights so that llama.cpp's "normal" rope applies). Every array stays float32: numpy 2 would
promote a mixed float32/float64 product to float64, several times slower.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def rope_tables(cfg: LlamaConfig, n: int) -> tuple[np.ndarray, np.ndarray]:
    """cos and sin of each position (n) and rotated pair (hd / 2)."""
    hd = cfg.head_dim
    inv = cfg.rope_base ** (-np.arange(0, hd, 2, dtype=np.float64) / hd)
    ang = np.arange(n, dtype=np.float64)[:, None] * inv[None, :]
    return np.cos(ang).astype(F32), np.sin(ang).astype(F32)


def _rope(x: np.ndarray, cos: np.ndarray, sin: np.ndarray) -> np.ndarray:
    """Rotate adjacent pairs (x[2i], x[2i+1]) of the last axis; x is (B, h, T, hd)."""
    a, b = x[..., 0::2], x[..., 1::2]
    out = np.empty_like(x)
    out[..., 0::2] = a * cos - b * sin
    out[..., 1::2] = a * sin + b * cos
    return out


def _softmax_last(x: np.ndarray) -> np.ndarray:
    x = x - x.max(axis=-1, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=-1, keepdims=True)
    return x


def _attention(cfg: LlamaConfig, layer: Layer, h: np.ndarray, cos: np.ndarray, sin: np.ndarray,
               mask: np.ndarray) -> np.ndarray:
    bsz, t, _ = h.shape
    nh, nkv, hd = cfg.n_head, cfg.n_head_kv, cfg.head_dim
    qkv = (h.reshape(bsz * t, -1) @ layer.qkv).reshape(bsz, t, nh + 2 * nkv, hd)
    qkv = qkv.transpose(0, 2, 1, 3)  # (B, heads, T, hd)
    q = _rope(qkv[:, :nh], cos, sin)
    k = _rope(qkv[:, nh : nh + nkv], cos, sin)
    v = qkv[:, nh + nkv :]
    group = nh // nkv
    q = q.reshape(bsz, nkv, group * t, hd)  # heads sharing one K/V head, stacked along T
    scores = (q @ k.transpose(0, 1, 3, 2)) * F32(1.0 / np.sqrt(hd))
    scores = scores.reshape(bsz, nkv, group, t, t) + mask
    probs = _softmax_last(scores).reshape(bsz, nkv, group * t, t)
    ctx = (probs @ v).reshape(bsz, nh, t, hd).transpose(0, 2, 1, 3).reshape(bsz * t, nh * hd)
    return (ctx @ layer.out).reshape(bsz, t, -1)


def _ffn(cfg: LlamaConfig, layer: Layer, h: np.ndarray) -> np.ndarray:
    bsz, t, d = h.shape
    gu = h.reshape(bsz * t, d) @ layer.gate_up
    gate, up = gu[:, : cfg.n_ff], gu[:, cfg.n_ff :]
    act = gate / (F32(1.0) + np.exp(-gate)) * up  # SiLU(gate) * up
    return (act @ layer.down).reshape(bsz, t, d)


def hidden_states(cfg: LlamaConfig, w: Weights, ids: np.ndarray) -> np.ndarray:
    """The final normalised hidden state of every position of ``ids`` (B, T) -> (B, T, D)."""
    bsz, t = ids.shape
    x = w.embed[ids].astype(F32, copy=True)
    cos, sin = rope_tables(cfg, t)
    mask = np.triu(np.full((t, t), -np.inf, dtype=F32), k=1)
    for layer in w.layers:
        x += _attention(cfg, layer, _rms_norm(x, layer.attn_norm, cfg.eps), cos, sin, mask)
        x += _ffn(cfg, layer, _rms_norm(x, layer.ffn_norm, cfg.eps))
    return _rms_norm(x, w.out_norm, cfg.eps)


def log_probs(cfg: LlamaConfig, w: Weights, ids: np.ndarray) -> np.ndarray:
    """Log-probabilities of the next token after each position: (B, T) -> (B, T, V)."""
    h = hidden_states(cfg, w, ids)
    bsz, t, d = h.shape
    logits = h.reshape(bsz * t, d) @ w.head
    logits -= logits.max(axis=-1, keepdims=True)
    logits -= np.log(np.exp(logits).sum(axis=-1, keepdims=True, dtype=F32))
    return logits.reshape(bsz, t, -1)


__all__ = ["LlamaConfig", "Layer", "Weights", "hidden_states", "log_probs", "rope_tables"]
