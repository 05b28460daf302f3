"""all-MiniLM-L6-v2 sentence embeddings, run by onnxruntime with a Hugging Face tokenizer (no torch).

Mean pooling over the attention mask, then L2 normalisation: the sentence-transformers recipe.
Sentences are cut at :data:`MAX_TOKENS` word pieces (the length the model was trained with).
"""

from __future__ import annotations

import numpy as np

from ..errors import ModelError
from ._files import KNOWN_MODELS, ModelFiles, verify

MAX_TOKENS = 128
BATCH_SIZE = 32


def load_tokenizer(path, *, max_tokens: int | None = MAX_TOKENS, pad: bool = True):
    """A ``tokenizers.Tokenizer`` from ``tokenizer.json``, with our truncation and padding."""
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ModelError("the `tokenizers` package is missing; `pip install tokenizers`") from exc
    try:
        tok = Tokenizer.from_file(str(path))
    except Exception as exc:
        raise ModelError(f"{path}: not a usable tokenizer.json ({exc})") from exc
    tok.no_padding()
    tok.no_truncation()
    if max_tokens is not None:
        tok.enable_truncation(max_length=max_tokens)
    if pad:
        pad_id = tok.token_to_id("[PAD]")
        tok.enable_padding(pad_id=0 if pad_id is None else pad_id, pad_token="[PAD]")
    return tok


def _session(model_path, threads: int):
    try:
        import onnxruntime as ort
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ModelError("the `onnxruntime` package is missing; `pip install onnxruntime`") from exc
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    try:
        return ort.InferenceSession(str(model_path), opts, providers=["CPUExecutionProvider"])
    except Exception as exc:
        raise ModelError(f"{model_path}: onnxruntime cannot load it ({exc})") from exc


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Average token vectors over the attention mask, then L2-normalise each row."""
    m = mask[:, :, None].astype(np.float32)
    summed = (hidden * m).sum(axis=1)
    pooled = summed / np.maximum(m.sum(axis=1), 1.0)
    return l2_normalize(pooled)


def l2_normalize(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return (x / np.maximum(norms, 1e-12)).astype(np.float32, copy=False)


class MiniLMEmbedder:
    """Sentence vectors from an ONNX sentence-transformers model (384-d for all-MiniLM-L6-v2).

    ``threads`` is onnxruntime's intra-op thread count: 1 suits a process pool, 0 uses every core.
    """

    def __init__(
        self,
        files: ModelFiles,
        *,
        sha256: str | None = None,
        threads: int = 1,
        batch_size: int = BATCH_SIZE,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.files = files
        self.checksum = verify(files.model, sha256)
        self.name = KNOWN_MODELS.get(self.checksum) or files.name or files.model.stem
        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self._tok = load_tokenizer(files.tokenizer, max_tokens=max_tokens)
        self._session = _session(files.model, threads)
        self._inputs = {i.name for i in self._session.get_inputs()}
        missing = {"input_ids", "attention_mask"} - self._inputs
        if missing:
            raise ModelError(
                f"{files.model}: not a BERT-style encoder (no input {sorted(missing)[0]})"
            )
        self.dim = int(self._run(["dimension probe"]).shape[1])

    def _run(self, sentences: list[str]) -> np.ndarray:
        encs = self._tok.encode_batch(sentences)
        ids = np.array([e.ids for e in encs], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        out = self._session.run(None, feed)[0]
        if out.ndim == 2:  # the export already pools
            return l2_normalize(out)
        return mean_pool(out, mask)

    def embed(self, sentences: list[str]) -> np.ndarray:
        """One L2-normalised float32 row per sentence, in input order."""
        if not sentences:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Batch sentences of similar length together so that little padding is computed.
        order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
        out = np.empty((len(sentences), self.dim), dtype=np.float32)
        for b in range(0, len(order), self.batch_size):
            idx = order[b : b + self.batch_size]
            out[idx] = self._run([sentences[i] for i in idx])
        return out

    def token_table(self, token_ids: np.ndarray, *, batch_size: int = 512) -> np.ndarray:
        """Embed each token id alone (``[CLS] t [SEP]``, mean-pooled): the distillation input."""
        cls_id, sep_id = self._tok.token_to_id("[CLS]"), self._tok.token_to_id("[SEP]")
        if cls_id is None or sep_id is None:
            raise ModelError(f"{self.files.tokenizer}: no [CLS]/[SEP] tokens; cannot distil it")
        out = np.empty((len(token_ids), self.dim), dtype=np.float32)
        for b in range(0, len(token_ids), batch_size):
            chunk = np.asarray(token_ids[b : b + batch_size], dtype=np.int64)
            ids = np.stack(
                [np.full_like(chunk, cls_id), chunk, np.full_like(chunk, sep_id)], axis=1
            )
            mask = np.ones_like(ids)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feed)[0]
            out[b : b + len(chunk)] = hidden.mean(axis=1)
        return out


__all__ = ["MiniLMEmbedder", "load_tokenizer", "mean_pool", "l2_normalize", "MAX_TOKENS"]
