"""A whole benchmark run on a tiny synthetic data directory: every stage, JSON, markdown and plot."""

from __future__ import annotations

import json
import random

import pytest

from unspin.bench.__main__ import main
from unspin.bench.generator import KINDS

pytest.importorskip("unspin.check")

SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "de", "pa", "gu", "be", "zo", "fi")


def fake_text(rng: random.Random) -> str:
    vocab = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(400)]
    paragraphs = []
    for _ in range(3):
        sentences = []
        for _ in range(3):
            words = [rng.choice(vocab) for _ in range(rng.randint(10, 18))]
            words.insert(rng.randrange(len(words)), str(rng.randint(10, 9999)))
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("data")
    rng = random.Random(7)
    (root / "bbc-news").mkdir()
    (root / "reuters21578").mkdir()
    (root / "tortured-phrases").mkdir()
    (root / "mrpc").mkdir()
    with open(root / "bbc-news" / "bbc.jsonl", "w") as fh:
        for i in range(30):
            rec = {
                "id": f"business/{i:03d}",
                "category": "business",
                "title": f"B{i}",
                "text": fake_text(rng),
            }
            fh.write(json.dumps(rec) + "\n")
    with open(root / "reuters21578" / "reuters21578.jsonl", "w") as fh:
        for i in range(30):
            body = fake_text(rng).replace("\n\n", "\n    ")
            rec = {"newid": i + 1, "topics": ["grain"], "title": f"R{i}", "body": body}
            fh.write(json.dumps(rec) + "\n")
    (root / "tortured-phrases" / "pps_fingerprints_normalized.csv").write_text(
        "fingerprint,expected,num_papers,query_has_operators,raw_query\nbig information,big data,9,,x\n"
    )
    pairs = [fake_text(rng).split(". ")[0] for _ in range(4)]
    (root / "mrpc" / "msr_paraphrase_test.tsv").write_text(
        "Quality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
        f"1\t11\t12\t{pairs[0]}.\t{pairs[0]} again.\n"
        f"0\t13\t14\t{pairs[1]}.\t{pairs[2]}.\n"
    )
    return root


def test_a_small_run_writes_json_markdown_and_plot(data_dir, tmp_path):
    out, work = tmp_path / "out", tmp_path / "work"
    argv = [
        "run",
        "--data",
        str(data_dir),
        "--out",
        str(out),
        "--work",
        str(work),
        "--cases-per-kind",
        "1",
        "--negatives",
        "3",
        "--workers",
        "2",
        "--speed-suspects",
        "4",
        "--name",
        "tiny",
        "--split",
        "all",
    ]
    assert main(argv) == 0
    results = json.loads((out / "tiny.json").read_text())
    assert [c["detector"] for c in results["crossings"]] == ["wordnet", "moby"]
    main_crossing = results["crossings"][0]
    assert set(main_crossing["systems"]) == {"unspin", "trivial", "minhash-lsh", "bm25"}
    n_hard = sum(k.startswith("neg-") for k in main_crossing["systems"]["unspin"]["per_kind"])
    assert main_crossing["systems"]["unspin"]["overall"]["n"] >= len(KINDS) + 3 + n_hard
    assert main_crossing["split"]["indexed"] == 60 - 3 - 1
    assert results["speed"]["pool"]["suspects"] == 4
    assert results["speed"]["check_over_tokenise"] > 0
    assert set(results["mrpc"]) == {"unspin", "minhash-lsh", "bm25"}
    assert results["errors"] == []
    assert (out / "tiny-recall.png").is_file()
    md = (out / "tiny.md").read_text()
    assert "Detector thesaurus Moby, suspects spun with WordNet" in md
    assert (work / "cases-wordnet-detector.jsonl").is_file()
    assert (work / "predictions-moby-detector-bm25.jsonl").is_file()
