"""Sentence embeddings and the vector store: real model files, real usearch files, no network.

The MiniLM wheels are installed by the Makefile; the static table is built there by
``python -m unspin.embed.distill``. A session fixture builds it into a temporary directory from the
installed model when the default one is missing, so these tests never skip.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from unspin.embed import (
    MINILM_INT8_SHA256,
    STATIC_DIR,
    Embedder,
    ModelFiles,
    StoreSettings,
    VectorStore,
    available,
    load_embedder,
    pack_key,
    unpack_keys,
)
from unspin.embed._files import installed_files
from unspin.embed.distill import (
    DistillConfig,
    distill,
    main,
    piece_weights,
    principal_axes,
    up_to_date,
)
from unspin.errors import (
    IndexDamagedError,
    IndexMismatchError,
    IndexNotFoundError,
    ModelError,
    UsageError,
)

SOURCE = "The central bank raised interest rates by half a point on Thursday to curb inflation."
PARAPHRASE = "On Thursday the central bank lifted borrowing costs by 0.5 percentage points to fight rising prices."
UNRELATED = (
    "The striker scored twice as the home side won the cup final in front of a sell-out crowd."
)


@pytest.fixture(scope="session")
def minilm():
    return load_embedder("minilm")


@pytest.fixture(scope="session")
def static_dir(minilm, tmp_path_factory) -> Path:
    if (STATIC_DIR / "static.json").is_file():
        return STATIC_DIR
    return distill(minilm, tmp_path_factory.mktemp("static") / "minilm-static")


@pytest.fixture(scope="session")
def static(static_dir):
    return load_embedder("static", static_dir)


@pytest.fixture
def model_copy(tmp_path) -> Path:
    """The installed model files copied into a plain directory."""
    files = installed_files()
    assert files is not None
    folder = tmp_path / "my-minilm"
    folder.mkdir()
    shutil.copyfile(files.model, folder / "model.onnx")
    shutil.copyfile(files.tokenizer, folder / "tokenizer.json")
    return folder


# -- loading ------------------------------------------------------------------------------------
def test_installed_model_loads_and_is_pinned(minilm):
    assert available("minilm")
    assert isinstance(minilm, Embedder)
    assert minilm.checksum == MINILM_INT8_SHA256
    assert minilm.dim == 384
    assert minilm.name == "all-MiniLM-L6-v2-int8"


def test_embeddings_are_normalised_float32_in_order(minilm):
    sentences = [UNRELATED, SOURCE, "", "word " * 400]
    vecs = minilm.embed(sentences)
    assert vecs.dtype == np.float32 and vecs.shape == (4, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    alone = minilm.embed([SOURCE])[0]
    assert float(alone @ vecs[1]) > 0.999  # batching and length sorting keep the order
    assert minilm.embed([]).shape == (0, 384)


def test_load_from_directory_and_explicit_files(model_copy, minilm):
    from_dir = load_embedder("minilm", model_copy)
    assert from_dir.checksum == MINILM_INT8_SHA256
    onnx_file = load_embedder("minilm", model_copy / "model.onnx")
    pair = load_embedder(
        "minilm", ModelFiles(model_copy / "model.onnx", model_copy / "tokenizer.json")
    )
    want = minilm.embed([SOURCE])
    for emb in (from_dir, onnx_file, pair):
        assert np.allclose(emb.embed([SOURCE]), want, atol=1e-5)


def test_checksum_mismatch_is_refused(model_copy):
    with pytest.raises(ModelError, match="sha256 is .* expected 0000"):
        load_embedder("minilm", model_copy, sha256="0" * 64)
    with open(model_copy / "model.onnx", "r+b") as f:
        f.seek(1000)
        f.write(b"\x00\x01\x02\x03")
    with pytest.raises(ModelError, match="unknown model file .* pass sha256="):
        load_embedder("minilm", model_copy)


def test_missing_model_is_a_clear_error(tmp_path, model_copy):
    with pytest.raises(ModelError, match="no such model file or directory"):
        load_embedder("minilm", tmp_path / "nowhere")
    (model_copy / "tokenizer.json").unlink()
    with pytest.raises(ModelError, match="model.onnx .* and tokenizer.json"):
        load_embedder("minilm", model_copy)
    with pytest.raises(ModelError, match="no tokenizer.json beside it"):
        load_embedder("minilm", model_copy / "model.onnx")
    with pytest.raises(ModelError, match="unknown embedder kind"):
        load_embedder("bert", None)  # type: ignore[arg-type]


def _fake_hub_cache(root: Path, name: str, files: ModelFiles) -> Path:
    """The huggingface_hub layout: blobs, a snapshot of symlinks, refs/main."""
    repo = root / ("models--" + name.replace("/", "--"))
    (repo / "blobs").mkdir(parents=True)
    (repo / "refs").mkdir()
    rev = "0123456789abcdef0123456789abcdef01234567"
    snap = repo / "snapshots" / rev
    (snap / "onnx").mkdir(parents=True)
    (repo / "refs" / "main").write_text(rev)
    for src, rel in ((files.model, "onnx/model.onnx"), (files.tokenizer, "tokenizer.json")):
        blob = repo / "blobs" / rel.replace("/", "_")
        shutil.copyfile(src, blob)
        (snap / rel).symlink_to(blob)
    stale = repo / "snapshots" / ("f" * 40)  # an older snapshot without the ONNX file
    stale.mkdir()
    (stale / "tokenizer.json").symlink_to(repo / "blobs" / "tokenizer.json")
    return root


def test_hub_name_resolves_from_local_cache_only(tmp_path, minilm):
    files = installed_files()
    assert files is not None
    cache = _fake_hub_cache(tmp_path / "hub", "sentence-transformers/all-MiniLM-L6-v2", files)
    emb = load_embedder("minilm", "sentence-transformers/all-MiniLM-L6-v2", hub_cache=cache)
    assert emb.checksum == MINILM_INT8_SHA256
    assert np.allclose(emb.embed([SOURCE]), minilm.embed([SOURCE]), atol=1e-5)
    with pytest.raises(ModelError, match="never downloads models"):
        load_embedder("minilm", "sentence-transformers/all-mpnet-base-v2", hub_cache=cache)


def test_hub_cache_location_follows_hf_variables(monkeypatch, tmp_path):
    from unspin.embed import default_hub_cache

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "a"))
    assert default_hub_cache() == tmp_path / "a"
    monkeypatch.delenv("HF_HUB_CACHE")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "b"))
    assert default_hub_cache() == tmp_path / "b" / "hub"


# -- quality ------------------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["minilm", "static"])
def test_paraphrase_is_closer_than_unrelated(which, request):
    emb = request.getfixturevalue(which)
    src, para, other = emb.embed([SOURCE, PARAPHRASE, UNRELATED])
    assert float(src @ para) > float(src @ other) + 0.3
    assert float(src @ other) < 0.35


def test_static_table_records_its_origin(static, static_dir):
    meta = json.loads((static_dir / "static.json").read_text())
    assert meta["source_model_sha256"] == MINILM_INT8_SHA256
    assert meta["table_sha256"] == static.checksum
    assert static.dim == meta["dim"] == DistillConfig().dim
    assert "Apache" in (static_dir / "NOTICE").read_text()
    vecs = static.embed([SOURCE, "", "!!!"])
    assert np.allclose(np.linalg.norm(vecs[0]), 1.0, atol=1e-5)
    assert not vecs[1].any()  # no pieces: the zero vector


def test_static_table_damaged_or_missing(static_dir, tmp_path):
    copy = tmp_path / "static"
    shutil.copytree(static_dir, copy)
    table = np.load(copy / "table.npy")
    table[5, 0] += 1
    np.save(copy / "table.npy", table)
    with pytest.raises(ModelError, match="static table sha256"):
        load_embedder("static", copy)
    with pytest.raises(ModelError, match="python -m unspin.embed.distill"):
        load_embedder("static", tmp_path / "empty")


def test_distill_cli_keeps_an_up_to_date_table(static_dir, tmp_path, capsys):
    assert up_to_date(static_dir, MINILM_INT8_SHA256, DistillConfig())
    assert not up_to_date(static_dir, MINILM_INT8_SHA256, DistillConfig(dim=128))
    assert not up_to_date(tmp_path, MINILM_INT8_SHA256, DistillConfig())
    assert main(["--if-missing", "--out", str(static_dir)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["--model", str(tmp_path / "nowhere"), "--out", str(tmp_path / "t")]) == 1
    assert "no such model" in capsys.readouterr().err


def test_distillation_helpers():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 8)) + 3.0
    reduced = principal_axes(x, skip=1, keep=4)
    assert reduced.shape == (50, 4)
    assert np.allclose(reduced.mean(axis=0), 0.0, atol=1e-9)
    w = piece_weights({"[CLS]": 0, "the": 1, ",": 2, "volcano": 3}, DistillConfig())
    assert w[0] == 0.0 and w[1] < w[3] and w[2] < w[3]


# -- vector store -------------------------------------------------------------------------------
def test_keys_pack_rowid_and_sentence():
    keys = np.array([pack_key(7, 0), pack_key(7, 3), pack_key(2**40, 1000)], dtype=np.uint64)
    rowids, sentences = unpack_keys(keys)
    assert rowids.tolist() == [7, 7, 2**40] and sentences.tolist() == [0, 3, 1000]
    with pytest.raises(UsageError):
        pack_key(-1, 0)


def test_vector_store_round_trip(static, tmp_path):
    docs = {
        1: [SOURCE, "Markets fell after the announcement."],
        2: [UNRELATED, "Fans celebrated late into the night.", "The coach praised his team."],
        3: ["A new species of frog was found in the rainforest."],
    }
    settings = StoreSettings.for_embedder(static)
    path = tmp_path / "vec" / "sentences.usearch"
    store = VectorStore.create(path, settings)
    for rowid, sents in docs.items():
        assert store.add(rowid, static.embed(sents)) == len(sents)
    assert store.add(3, static.embed(docs[3])) == 1  # replacing keeps one copy
    assert len(store) == 6
    store.save()

    view = VectorStore.open(path, settings)
    assert not view.writable and len(view) == 6 and 2 in view and 9 not in view
    hits = view.search(static.embed([PARAPHRASE])[0], k=3)
    assert (hits[0].rowid, hits[0].sentence) == (1, 0)
    assert hits[0].similarity > hits[1].similarity
    many = view.search_many(static.embed([PARAPHRASE, "The team won the final."]), k=2)
    assert many[1][0].rowid == 2
    with pytest.raises(UsageError, match="read-only"):
        view.add(4, static.embed(["x"]))
    meta = json.loads((tmp_path / "vec" / "sentences.usearch.json").read_text())
    assert meta["model_checksum"] == static.checksum and meta["count"] == 6

    again = VectorStore.open(path, settings, writable=True)
    assert again.remove(2) == 3 and len(again) == 3


def test_article_level_store_keeps_one_vector(static, tmp_path):
    settings = StoreSettings.for_embedder(static, level="article")
    store = VectorStore.create(tmp_path / "articles.usearch", settings)
    store.add(10, static.embed([SOURCE, "Markets fell after the announcement."]))
    store.add(11, static.embed([UNRELATED, "The coach praised his team."]))
    store.save()
    view = VectorStore.open(tmp_path / "articles.usearch", settings)
    hits = view.search(static.embed([PARAPHRASE])[0], k=2)
    assert [h.rowid for h in hits] == [10, 11] and hits[0].sentence is None


def test_vector_store_refuses_other_settings(static, minilm, tmp_path):
    path = tmp_path / "s.usearch"
    store = VectorStore.create(path, StoreSettings.for_embedder(static))
    store.add(1, static.embed([SOURCE]))
    store.save()
    with pytest.raises(IndexMismatchError, match="model_checksum"):
        VectorStore.open(path, StoreSettings.for_embedder(minilm))
    with pytest.raises(IndexMismatchError, match="dtype='f16', not 'i8'"):
        VectorStore.open(path, StoreSettings.for_embedder(static, dtype="i8"))
    with pytest.raises(IndexMismatchError, match="level"):
        VectorStore.create(path, StoreSettings.for_embedder(static, level="article"))
    with pytest.raises(UsageError, match=r"\(n, 256\)"):
        VectorStore.open(path, writable=True).add(2, minilm.embed([SOURCE]))
    # A JSON that does not describe the file beside it is caught from the usearch header.
    meta_file = tmp_path / "s.usearch.json"
    meta = json.loads(meta_file.read_text())
    meta_file.write_text(json.dumps(meta | {"dtype": "f32"}))
    with pytest.raises(IndexDamagedError, match="do not belong together.*index repair"):
        VectorStore.open(path)
    with pytest.raises(IndexNotFoundError):
        VectorStore.open(tmp_path / "absent.usearch")
