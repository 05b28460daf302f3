"""One benchmark run: draw the cases, build every system's index, check every suspect, score.

The first detector thesaurus gives the main crossing (every obfuscation, speed and memory, MRPC);
each further one re-runs only the kinds that depend on the spinner (plus verbatim, the 0% point,
and the negatives) with the spinner switched to the other thesaurus and the index rebuilt with the detector's.

Every crossing has the hard negatives: inserted shared elements (``hardneg``), Reuters same-event
stories (``sameevent``) and MRPC non-paraphrase sentences grouped into multi-sentence suspects
(``mrpc.grouped_negatives``, from MRPC's training file on the dev split and its test file on the
test split). ``part`` picks the split: dev or test draw their cases from different halves of the
corpus with different random streams; thresholds are fitted on dev, and test is reported.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import subprocess
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from unspin.bench import calib, mrpc
from unspin.bench.baselines import BM25, MinHashLSH, fit_threshold
from unspin.bench.corpus import load_corpus
from unspin.bench.dataset import BenchSpec, draw_split, make_cases, split_meta, with_spinner
from unspin.bench.generator import KINDS, SPINNER_KINDS
from unspin.bench.heavy import heavy_rewrites
from unspin.bench.metrics import score_system
from unspin.bench.ours import Unspin
from unspin.bench.records import Case, Prediction, write_cases, write_predictions
from unspin.bench.speed import peak_rss_mib, pool_throughput, tokenise_seconds
from unspin.bench.thesauri import other_thesaurus
from unspin.bench.trivial import MIN_NGRAMS, Trivial, fit_floor

log = logging.getLogger("unspin.bench")


@dataclass(frozen=True, slots=True)
class RunOptions:
    data_dir: Path
    out_dir: Path
    work_dir: Path = Path("benchmarks/work")
    index_size: int | None = None
    per_kind: int = 50
    n_negatives: int = 150
    thesauri: tuple[str, ...] = ("wordnet", "moby")
    baselines: bool = True
    mrpc: bool = True
    workers: int = 2
    speed_suspects: int = 200
    seed: int = 0
    name: str = "latest"
    command: str = ""
    semantic: str = "auto"  # the engine's semantic mode (IndexConfig.semantic)
    part: str = "test"  # dev | test | all (``sampling.corpus_part``)
    hard_per_kind: int | None = None  # inserted-element negatives per kind (default n_negatives)
    n_same_event: int = 150
    mrpc_groups: int = 150  # grouped MRPC non-paraphrase negatives
    bm25_threshold: float | None = None  # BM25 calls "derived" at this top score (fitted on dev)
    trivial_floor: int | None = None  # the trivial detector's floor (fitted on dev; None: fixed)


@dataclass(slots=True)
class Run:
    """What a run accumulates: the systems' predictions, timings and memory checkpoints."""

    opts: RunOptions
    memory: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, str]] = field(default_factory=list)
    baselines: dict[str, tuple[Any, float, int]] = field(default_factory=dict)

    def checkpoint(self, stage: str) -> None:
        self.memory.append({"stage": stage, "peak_rss_mib": round(peak_rss_mib(), 1)})


def run(opts: RunOptions) -> dict[str, Any]:
    """Run the benchmark and write ``<out>/<name>.json``; return the results."""
    state = Run(opts)
    started = datetime.now(UTC).isoformat(timespec="seconds")
    t0 = time.perf_counter()
    corpus = load_corpus(opts.data_dir)
    state.checkpoint("corpus loaded")
    spec = BenchSpec(
        per_kind=opts.per_kind,
        n_negatives=opts.n_negatives,
        index_size=opts.index_size,
        seed=opts.seed,
        part=opts.part,
        hard_per_kind=opts.n_negatives if opts.hard_per_kind is None else opts.hard_per_kind,
        n_same_event=opts.n_same_event,
    )
    split = draw_split(corpus, spec)
    del corpus
    extra_articles, extra_cases, mrpc_left_out = _mrpc_negatives(opts)
    split.indexed.extend(extra_articles)
    extra_cases += heavy_rewrites(opts.part, {a.id for a in split.indexed})
    log.info("index %d articles; %d negatives held out", len(split.indexed), len(split.negatives))
    results: dict[str, Any] = {
        "name": opts.name,
        "command": opts.command,
        "semantic": opts.semantic,
        "started": started,
        "machine": machine_info(),
        "options": {k: str(v) if isinstance(v, Path) else v for k, v in asdict(opts).items()},
        "crossings": [],
        "mrpc_negatives": mrpc_left_out,
    }
    opts.work_dir.mkdir(parents=True, exist_ok=True)
    for i, detector in enumerate(opts.thesauri):
        results["crossings"].append(
            run_crossing(state, split, spec, detector, main=i == 0, results=results,
                         extra_cases=extra_cases)
        )
    if opts.baselines and opts.mrpc:
        results.setdefault("mrpc", {}).update(
            {s.name: run_mrpc(state, s) for s in (MinHashLSH(), BM25())}
        )
    results["memory"] = state.memory
    results["errors"] = state.errors
    results["total_s"] = time.perf_counter() - t0
    write_results(results, opts.out_dir / f"{opts.name}.json")
    return results


def _mrpc_negatives(opts: RunOptions) -> tuple[list, list[Case], dict[str, int]]:
    """MRPC's grouped non-paraphrase negatives: training file for dev, test file otherwise; and
    how many non-paraphrase pairs the file has and how many were left out as reuse."""
    name = mrpc.MRPC_TRAIN if opts.part == "dev" else mrpc.MRPC_TEST
    path = opts.data_dir / name
    if not opts.mrpc_groups or not path.exists():
        return [], [], {}
    pairs = mrpc.read_pairs(path)
    negative = [p for p in pairs if p.label == 0]
    counts = {"non_paraphrase_pairs": len(negative),
              "left_out_sharing_an_8gram": sum(mrpc.reuses(p) for p in negative)}
    return (*mrpc.grouped_negatives(pairs, limit=opts.mrpc_groups), counts)


def run_crossing(
    state: Run, split, spec: BenchSpec, detector: str, *, main: bool, results: dict[str, Any],
    extra_cases: Sequence[Case] = (),
) -> dict[str, Any]:
    """One detector thesaurus against suspects spun with the other; the main one adds speed and MRPC."""
    opts = state.opts
    kinds = KINDS if main else ("verbatim", *SPINNER_KINDS)
    spinner = other_thesaurus(detector)
    cases, note = make_cases(split, opts.data_dir, with_spinner(spec, spinner, kinds))
    cases = [*cases, *extra_cases]
    write_cases(opts.work_dir / f"cases-{detector}-detector.jsonl", cases)
    kinds = (*kinds, *dict.fromkeys(c.obfuscation for c in extra_cases if c.derived))
    crossing: dict[str, Any] = {"detector": detector, "spinner": spinner, "kinds": list(kinds)}
    crossing["split"] = split_meta(split, spec, note)
    ours = Unspin(opts.work_dir / f"index-{detector}", thesaurus=detector, semantic=opts.semantic)
    systems = {"unspin": evaluate_ours(state, ours, split.indexed, cases, detector)}
    crossing["calibration_points"] = systems["unspin"].pop("calibration_points")
    crossing["calibration"] = systems["unspin"].pop("calibration")
    if main:
        results["speed"] = measure_speed(state, ours, cases, systems["unspin"])
        if opts.mrpc:
            mrpc_index = Unspin(opts.work_dir / "index-mrpc", thesaurus=detector,
                                semantic=opts.semantic)
            results["mrpc"] = {"unspin": run_mrpc(state, mrpc_index)}
    ours.close()
    if opts.baselines:
        systems.update(evaluate_trivial(state, split.indexed, cases, detector))
        systems.update(evaluate_baselines(state, split.indexed, cases, detector))
    crossing["systems"] = systems
    return crossing


def evaluate_ours(
    state: Run, ours: Unspin, indexed, cases: list[Case], detector: str
) -> dict[str, Any]:
    """Build unspin's index and run every case."""
    log.info("%s (%s): building the index", ours.name, detector)
    start = time.perf_counter()
    added = ours.build(indexed)
    build_s = time.perf_counter() - start
    state.checkpoint(f"{ours.name} index built ({detector})")
    getattr(ours, "warm_up", lambda: None)()
    preds = predict_all(state, ours, cases)
    state.checkpoint(f"{ours.name} checks done ({detector})")
    write_predictions(
        state.opts.work_dir / f"predictions-{detector}-detector-{ours.name}.jsonl", preds.values()
    )
    scored = {"build": _build_stats(added, build_s), **score_system(cases, preds)}
    scored["calibration_points"] = calib.points(cases, preds)
    scored["calibration"] = calib.report(cases, preds)
    return scored


def evaluate_trivial(state: Run, indexed, cases: list[Case], detector: str) -> dict[str, Any]:
    """The trivial detector at its floor (the dev-fitted one when given), its floor refitted on
    these cases (used only from a dev run), and, when the floor was fitted, the same predictions
    at the fixed floor ``MIN_NGRAMS`` as ``trivial-fixed``."""
    floor = state.opts.trivial_floor or MIN_NGRAMS
    trivial = Trivial(state.opts.work_dir / f"index-trivial-{detector}", thesaurus=detector,
                      min_ngrams=floor)
    log.info("trivial (%s): building the index", detector)
    start = time.perf_counter()
    added = trivial.build(indexed)
    build = _build_stats(added, time.perf_counter() - start)
    state.checkpoint(f"trivial index built ({detector})")
    preds = predict_all(state, trivial, cases)
    state.checkpoint(f"trivial checks done ({detector})")
    write_predictions(
        state.opts.work_dir / f"predictions-{detector}-detector-trivial.jsonl", preds.values())
    scores = [((preds[c.id].score or 0.0), c.derived) for c in cases]
    out = {"trivial": {"build": build, **score_system(cases, preds), "floor": floor,
                       "fitted_floor": fit_floor(scores)}}
    if floor != MIN_NGRAMS:
        fixed = {c.id: trivial.at_floor(preds[c.id], c.suspect, MIN_NGRAMS) for c in cases}
        out["trivial-fixed"] = {"build": build, **score_system(cases, fixed), "floor": MIN_NGRAMS}
    trivial.close()
    return out


def evaluate_baselines(state: Run, indexed, cases: list[Case], detector: str) -> dict[str, Any]:
    if not state.baselines:
        for system in (MinHashLSH(), BM25(threshold=state.opts.bm25_threshold)):
            log.info("%s: building", system.name)
            start = time.perf_counter()
            added = system.build(indexed)
            state.baselines[system.name] = (system, time.perf_counter() - start, added)
            state.checkpoint(f"{system.name} built")
    out = {}
    for name, (system, build_s, added) in state.baselines.items():
        preds = predict_all(state, system, cases)
        path = state.opts.work_dir / f"predictions-{detector}-detector-{name}.jsonl"
        write_predictions(path, preds.values())
        out[name] = {"build": _build_stats(added, build_s), **score_system(cases, preds)}
        if name == "bm25":
            scores = [(preds[c.id].score or 0.0, c.derived) for c in cases]
            out[name]["threshold"] = system.threshold
            out[name]["fitted_threshold"] = fit_threshold(scores)  # used only from a dev run
    return out


def evaluate_benchset(system, articles, cases: list[Case]) -> dict[str, Any]:
    """Build ``system`` over ``articles``, run every case and score it (for the CI slice)."""
    start = time.perf_counter()
    added = system.build(articles)
    build = _build_stats(added, time.perf_counter() - start)
    getattr(system, "warm_up", lambda: None)()
    preds = predict_all(Run(RunOptions(Path("."), Path("."))), system, cases)
    return {"build": build, **score_system(cases, preds)}


def predict_all(state: Run, system, cases: list[Case]) -> dict[str, Prediction]:
    preds: dict[str, Prediction] = {}
    for n, case in enumerate(cases, 1):
        try:
            preds[case.id] = system.predict(case.id, case.suspect)
        except Exception as exc:  # an engine bug must not end the run: count it, report it
            state.errors.append({"system": system.name, "case": case.id, "error": repr(exc)[:300]})
            preds[case.id] = Prediction(
                case.id, [], "not_derived" if getattr(system, "has_verdict", True) else None
            )
        if n % 100 == 0:
            log.info("%s: %d/%d suspects", system.name, n, len(cases))
    return preds


def measure_speed(
    state: Run, ours: Unspin, cases: list[Case], scored: dict[str, Any]
) -> dict[str, Any]:
    texts = [c.suspect for c in cases][: state.opts.speed_suspects]
    tokenised = tokenise_seconds([c.suspect for c in cases])
    one_core = scored["latency"]
    speed: dict[str, Any] = {
        "build_articles_per_s": scored["build"]["articles_per_s"],
        "check": one_core,
        "tokenise": tokenised,
        "check_over_tokenise": one_core["total_s"] / tokenised["seconds"]
        if tokenised["seconds"]
        else None,
    }
    if state.opts.workers > 1:
        log.info("throughput on %d processes", state.opts.workers)
        speed["pool"] = pool_throughput(ours.index_dir, texts, state.opts.workers)
    speed["index_bytes"] = _dir_bytes(ours.index_dir)
    return speed


def run_mrpc(state: Run, system) -> dict[str, Any]:
    pairs = mrpc.read_pairs(state.opts.data_dir / mrpc.MRPC_TEST)
    start = time.perf_counter()
    added = system.build(mrpc.sentences(pairs))
    build_s = time.perf_counter() - start
    getattr(system, "warm_up", lambda: None)()
    result = mrpc.evaluate(system, pairs)
    system.close()
    return {"build": _build_stats(added, build_s), **result}


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            models = [
                line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")
            ]
        info["cpu"] = models[0] if models else platform.processor()
        with open("/proc/meminfo", encoding="utf-8") as handle:
            info["memory_gib"] = round(int(handle.readline().split()[1]) / 2**20, 1)
    except OSError:
        info["cpu"] = platform.processor()
    try:
        info["git_commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        info["git_commit"] = None
    return info


def write_results(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def _build_stats(added: int, seconds: float) -> dict[str, Any]:
    return {
        "articles": added,
        "seconds": seconds,
        "articles_per_s": added / seconds if seconds else None,
    }


def _dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in Path(path).rglob("*") if p.is_file())


__all__ = ["RunOptions", "run", "evaluate_benchset"]
