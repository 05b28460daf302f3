"""``python -m unspin.bench``: run the benchmark, render its report, or write the CI slice.

python -m unspin.bench run --data /work/shared/data --out benchmarks/results
python -m unspin.bench report benchmarks/results/full.json > BENCHMARKS-run.md
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shlex
import sys
from pathlib import Path

from unspin.bench.generator import KINDS
from unspin.bench.records import write_cases


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    return args.func(args)


def _run(args: argparse.Namespace) -> int:
    from unspin.bench import calib
    from unspin.bench.plot import plot_recall
    from unspin.bench.report import render
    from unspin.bench.runner import RunOptions, run

    thesauri = ("wordnet", "moby") if args.thesaurus == "both" else (args.thesaurus,)
    name = args.name or f"bench-{args.split}-{args.sources or 'all'}-{args.cases_per_kind}"
    threshold, floor = args.bm25_threshold, None
    if args.fit_from:
        dev = json.loads(Path(args.fit_from).read_text("utf-8"))
        threshold, floor = fitted_bm25_threshold(dev), fitted_trivial_floor(dev)
    opts = RunOptions(
        data_dir=Path(args.data),
        out_dir=Path(args.out),
        work_dir=Path(args.work),
        index_size=args.sources,
        per_kind=args.cases_per_kind,
        n_negatives=args.negatives if args.negatives is not None else 3 * args.cases_per_kind,
        thesauri=thesauri,
        baselines=not args.skip_baselines,
        mrpc=not args.skip_mrpc,
        workers=args.workers,
        speed_suspects=args.speed_suspects,
        seed=args.seed,
        name=name,
        semantic=args.semantic,
        part=args.split,
        hard_per_kind=args.hard_per_kind,
        n_same_event=args.same_event,
        mrpc_groups=args.mrpc_groups,
        bm25_threshold=threshold,
        trivial_floor=floor,
        command=" ".join(shlex.quote(a) for a in ["python", "-m", "unspin.bench", *sys.argv[1:]]),
    )
    results = run(opts)
    plot = plot_recall(results, opts.out_dir / f"{name}-recall.png")
    diagram = calib.plot_run(results, opts.out_dir / f"{name}-reliability.png")
    (opts.out_dir / f"{name}.md").write_text(
        render(results, plot=plot.name if plot else None)
        + calib.render(results, plot=diagram.name if diagram else None), encoding="utf-8"
    )
    print(
        f"wrote {opts.out_dir / (name + '.json')}, {name}.md" + (f", {plot.name}" if plot else "")
    )
    return 0


def fitted_bm25_threshold(results: dict) -> float:
    """The BM25 threshold a dev run fitted (its first crossing)."""
    if results.get("options", {}).get("part") != "dev":
        raise SystemExit("--fit-from needs the results of a --split dev run")
    return float(results["crossings"][0]["systems"]["bm25"]["fitted_threshold"])


def fitted_trivial_floor(results: dict) -> int | None:
    """The trivial detector's floor a dev run fitted (its first crossing; None before it had one)."""
    found = results["crossings"][0]["systems"].get("trivial", {}).get("fitted_floor")
    return None if found is None else int(found)


def _report(args: argparse.Namespace) -> int:
    from unspin.bench.report import render

    results = json.loads(Path(args.results).read_text(encoding="utf-8"))
    sys.stdout.write(render(results, plot=args.plot))
    return 0


def _slice(args: argparse.Namespace) -> int:
    from unspin.bench.corpus import load_corpus
    from unspin.bench.dataset import ci_slice

    bench = ci_slice(load_corpus(Path(args.data)), Path(args.data), seed=args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "articles.jsonl", "w", encoding="utf-8") as handle:
        for a in bench.indexed:
            record = {"id": a.id, "title": a.title, "text": a.text, "source": a.source}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    write_cases(out / "cases.jsonl", bench.cases)
    print(f"wrote {len(bench.indexed)} articles and {len(bench.cases)} cases to {out}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m unspin.bench", description=__doc__.splitlines()[0]
    )
    sub = parser.add_subparsers(required=True)

    run = sub.add_parser("run", help="run the benchmark and write JSON, markdown and a plot")
    run.add_argument("--data", default="/work/shared/data", help="shared data directory")
    run.add_argument("--out", default="benchmarks/results", help="where results go")
    run.add_argument("--work", default="benchmarks/work", help="indexes and generated cases")
    run.add_argument("--sources", type=int, default=None, help="index at most N articles")
    run.add_argument(
        "--cases-per-kind", type=int, default=50, help=f"cases per obfuscation ({len(KINDS)} kinds)"
    )
    run.add_argument(
        "--negatives", type=int, default=None, help="held-out negatives (3 x cases per kind)"
    )
    run.add_argument(
        "--thesaurus",
        choices=("wordnet", "moby", "both"),
        default="both",
        help="the detector's thesaurus; suspects are spun with the other one",
    )
    run.add_argument("--skip-baselines", action="store_true", help="run unspin only")
    run.add_argument("--semantic", choices=("auto", "static", "minilm", "off"), default="auto",
                     help="the engine's semantic mode (default: static when installed)")
    run.add_argument("--skip-mrpc", action="store_true", help="leave out the MRPC test")
    run.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="processes for the throughput test (1: skip it)",
    )
    run.add_argument(
        "--speed-suspects", type=int, default=200, help="suspects for the throughput test"
    )
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--split", choices=("dev", "test", "all"), default="test",
                     help="which half of the corpus the cases come from: tune on dev, report test")
    run.add_argument("--hard-per-kind", type=int, default=None,
                     help="inserted-element hard negatives per kind (default: --negatives)")
    run.add_argument("--same-event", type=int, default=150,
                     help="held-out Reuters same-event stories (default: %(default)s)")
    run.add_argument("--mrpc-groups", type=int, default=150,
                     help="grouped MRPC non-paraphrase negatives (default: %(default)s)")
    fit = run.add_mutually_exclusive_group()
    fit.add_argument("--bm25-threshold", type=float, default=None,
                     help="BM25 verdict threshold (score per query token); default: no verdict")
    fit.add_argument("--fit-from", default=None, metavar="DEV_JSON",
                     help="take the BM25 threshold and the trivial detector's floor fitted by "
                          "a --split dev run")
    run.add_argument(
        "--name", default=None,
        help="results file name (default bench-<split>-<sources>-<cases>)"
    )
    run.set_defaults(func=_run)

    report = sub.add_parser("report", help="print the markdown tables of a results JSON")
    report.add_argument("results")
    report.add_argument("--plot", default=None, help="image to link under the tables")
    report.set_defaults(func=_report)

    slice_ = sub.add_parser("slice", help="write the small CI slice (articles.jsonl, cases.jsonl)")
    slice_.add_argument("--data", default="/work/shared/data")
    slice_.add_argument("--out", required=True)
    slice_.add_argument("--seed", type=int, default=0)
    slice_.set_defaults(func=_slice)
    return parser


if __name__ == "__main__":
    raise SystemExit(main())
