"""The model's own tokenizer, rebuilt from the GGUF metadata with the ``tokenizers`` library.

SmolLM2 uses GPT-2 style byte-level BPE: digits are split one by one, then the ByteLevel
pre-tokenizer maps bytes to printable characters and splits on GPT-2's regex ("Ġ" marks a leading
space). Special tokens ("<|endoftext|>") are deliberately not registered: text from a page is
encoded as plain text, so it cannot smuggle in control tokens.
"""

from __future__ import annotations

from tokenizers import Tokenizer, decoders, models, pre_tokenizers


def build(tokens: list[str], merges: list[str]) -> Tokenizer:
    vocab = {tok: i for i, tok in enumerate(tokens)}
    pairs = [tuple(m.split(" ", 1)) for m in merges]
    bpe = models.BPE(vocab=vocab, merges=[(a, b) for a, b in pairs], fuse_unk=False)
    tok = Tokenizer(bpe)
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    ])
    tok.decoder = decoders.ByteLevel()
    return tok


__all__ = ["build"]
