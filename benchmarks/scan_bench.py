"""Crawl-screening benchmark: build a crawl of WARC files, fit the screen's floor, time the scans.

    python benchmarks/scan_bench.py prepare --data ../shared/data --work /tmp/scan-bench --pages 10000
    python benchmarks/scan_bench.py fit --work /tmp/scan-bench        # results/scan_fit.json
    python benchmarks/scan_bench.py run --work /tmp/scan-bench        # results/scan.json + .md

``prepare`` indexes ``--index-size`` BBC and Reuters articles (the benchmark's split, seed 0) and
writes a crawl of ``--pages`` pages as WARC.gz files: 2% copies of indexed articles made with the
benchmark generator (every obfuscation kind), the rest articles that are not in the index and share
no passage with any indexed article (the benchmark's overlap rule), cycled under other URLs when
the crawl needs more pages than there are such articles, plus pages with no text (scripts only) and
records whose payload is not a page (binary bytes) and a WARC file cut short. The generator's
cases are split: the first ``--dev-per-kind`` of each kind, with the split's 300 same-subject
negatives, form the development set on which ``fit`` chooses the screen's floor; the crawl holds
only the other cases.

``run`` scans the crawl with ``local`` 2 workers, and with ``local`` 1 worker and ``ray`` 2 workers
(on the first ``--subset-files`` files when given; each from scratch),
and, on the first ``--baseline-files`` files, with the screen off and on (the screen's speed-up,
measured in the same run). It reports pages/s, pages/s per worker, peak RSS per worker, and recall
and false-positive rate of the derived pages against the generator's truth.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
KB = 1024


# -- prepare ---------------------------------------------------------------------------------
def prepare(args: argparse.Namespace) -> None:
    from unspin import Index
    from unspin.bench.corpus import load_corpus
    from unspin.bench.dataset import TORTURED_FILE
    from unspin.bench.generator import KINDS, Ingredients, generate
    from unspin.bench.spinner import Spinner
    from unspin.bench.thesauri import spinner_synonyms
    from unspin.bench.tortured import TorturedPhrases

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    corpus = load_corpus(Path(args.data))
    split = _split(corpus, args)
    synonyms, _ = spinner_synonyms("moby")
    ingredients = Ingredients(
        spinner=Spinner(synonyms, first_n=10),
        tortured=TorturedPhrases.from_csv(Path(args.data) / TORTURED_FILE),
        titles=[a.title for a in split["sources"] if a.title],
        hosts=split["hosts"],
    )
    # development cases and crawl copies come from different sources; a crawl source is copied
    # several times (other kinds, other random draws), as a popular story is on the web
    n_dev = args.dev_per_kind * len(KINDS)
    dev = list(generate(split["sources"][:n_dev], ingredients, per_kind=args.dev_per_kind, seed=0))
    test_sources = split["sources"][n_dev:]
    n_copies = round(0.02 * args.pages)
    test: list = []
    for draw in range(1, 1000):
        if len(test) >= n_copies:
            break
        shift = (draw - 1) * 7 % len(test_sources)
        rotated = test_sources[shift:] + test_sources[:shift]
        made = generate(rotated, ingredients, per_kind=args.test_per_kind, seed=draw)
        test += [replace(c, id=f"{c.id}-draw{draw}") for c in made]
    random.Random("scan-bench-copies").shuffle(test)
    test = test[:n_copies]
    _write_jsonl(work / "dev.jsonl", [
        *({"id": c.id, "kind": c.obfuscation, "text": c.suspect, "source": c.source_id,
           "source_ranges": [list(p.source_range) for p in c.passages]} for c in dev),
        *({"id": f"negative/{a.id}", "kind": "negative", "text": a.text, "source": None}
          for a in split["dev_negatives"])])
    clean = split["crawl_negatives"]
    truth = _write_crawl(work / "crawl", test, clean, args)
    truth["clean_articles"] = len(clean)
    truth["left_out_sharing_text"] = split["sharing"]
    (work / "truth.json").write_text(json.dumps(truth))

    index_dir = work / "index"
    if not index_dir.exists():
        started = time.perf_counter()
        with Index.create(index_dir) as index:
            index.add(split["indexed"], workers=2)
        print(f"indexed {len(split['indexed'])} articles in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)


def _split(corpus: list, args: argparse.Namespace) -> dict[str, Any]:
    """Sources (indexed), partial-copy hosts, development negatives and crawl negatives (held out).

    Every held-out article and every source shares no passage with any other article of the
    corpus (the benchmark's overlap rule), so a page called derived that is not a copy is a
    false positive, not a re-issued wire story.
    """
    from unspin.bench.generator import KINDS
    from unspin.bench.sampling import MAX_OVERLAP, MAX_SHARED, is_prose, max_overlap

    pool = sorted(corpus, key=lambda a: a.id)
    random.Random("scan-bench-split").shuffle(pool)
    overlap = max_overlap(pool, pool)
    clean = [a for a in pool if overlap[a.id][0] <= MAX_OVERLAP and overlap[a.id][1] < MAX_SHARED
             and len(a.text) >= 300]
    prose = [a for a in clean if is_prose(a)]
    n_sources = (args.dev_per_kind + args.test_per_kind) * len(KINDS)
    sources, hosts = prose[:n_sources], prose[n_sources : n_sources + 20]
    taken = {a.id for a in sources + hosts}
    rest_clean = [a for a in clean if a.id not in taken]
    dev_negatives = rest_clean[:300]
    held = {a.id for a in hosts + dev_negatives}
    fill = [a for a in pool if a.id not in taken and a.id not in held]
    indexed = sources + fill[: args.index_size - len(sources)]
    indexed_ids = {a.id for a in indexed}
    crawl_negatives = [a for a in rest_clean[300:] if a.id not in indexed_ids]
    print(f"{len(clean)} of {len(pool)} articles share no passage; {len(crawl_negatives)} "
          "clean unindexed articles for the crawl", file=sys.stderr)
    return {"sources": sources, "hosts": hosts, "dev_negatives": dev_negatives,
            "indexed": indexed, "crawl_negatives": crawl_negatives,
            "sharing": len(pool) - len(clean)}


def _write_jsonl(path: Path, rows: Any) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")


def _page(title: str, text: str) -> bytes:
    import html

    paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    nav = "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/about'>About</a></nav>"
    return (f"<!doctype html><html><head><title>{html.escape(title)}</title></head><body>{nav}"
            f"<article><h1>{html.escape(title)}</h1>{paras}</article>"
            "<footer>Copyright. All rights reserved.</footer></body></html>").encode()


def _write_crawl(root: Path, copies: list, clean: list, args: argparse.Namespace) -> dict[str, Any]:
    """WARC.gz files of ``--pages-per-file`` pages; the truth of every copy page."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random("scan-bench")
    root.mkdir(parents=True, exist_ok=True)
    n_empty, n_binary = max(1, args.pages // 200), max(1, args.pages // 500)
    n_clean = args.pages - len(copies) - n_empty - n_binary
    pages: list[tuple[str, str, Any]] = []  # (kind, url, payload or case)
    copy_hosts = [f"copier{i}.example" for i in range(20)]
    for c in copies:
        host = copy_hosts[min(int(rng.paretovariate(1.2)) - 1, 19)]
        pages.append(("copy", f"https://{host}/{c.id}", c))
    for i in range(n_clean):
        a = clean[i % len(clean)]
        pages.append(("clean", f"https://site{rng.randrange(500)}.example/{i}", a))
    pages += [("empty", f"https://empty.example/{i}", None) for i in range(n_empty)]
    pages += [("binary", f"https://binary.example/{i}", None) for i in range(n_binary)]
    rng.shuffle(pages)
    truth: dict[str, Any] = {"copies": {}, "pages": len(pages), "clean_pages": n_clean,
                             "empty_pages": n_empty, "binary_pages": n_binary}
    per_file = args.pages_per_file
    for f_no in range(0, len(pages), per_file):
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        for kind, url, item in pages[f_no : f_no + per_file]:
            if kind == "copy":
                body = _page(f"Story {item.id}", item.suspect)
                truth["copies"][url] = {"kind": item.obfuscation, "source": item.source_id}
            elif kind == "clean":
                body = _page(item.title, item.text)
            elif kind == "empty":
                body = b"<!doctype html><html><body><script>var a=1;</script><div></div></body></html>"
            else:
                body = bytes(rng.randrange(256) for _ in range(2000))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
        data = buffer.getvalue()
        name = root / f"crawl-{f_no // per_file:05d}.warc.gz"
        name.write_bytes(data)
    last = sorted(root.glob("*.warc.gz"))[-1]  # a download cut short: its last record is lost
    last.write_bytes(last.read_bytes()[:-200])
    truth["cut_file"] = last.name
    return truth


# -- fit ---------------------------------------------------------------------------------------
def fit(args: argparse.Namespace) -> None:
    """Choose the screen's floor: the n-grams of a two-sentence copy, from the development copies.

    ``check`` needs about two copied sentences to call a long page derived (a lone sentence counts
    half), so a page whose best candidate shares fewer n-grams than two copied sentences bring is
    not worth aligning. For each development copy found by ``check``: its best candidate's shared
    n-grams per copied source sentence; the floor is twice the 5th percentile of that rate.
    """
    from unspin import Index, check
    from unspin.bench.text import sentence_spans
    from unspin.scan.screen import ScreenTable, best_ngrams

    work = Path(args.work)
    rows = [json.loads(line) for line in open(work / "dev.jsonl", encoding="utf-8")]
    out = []
    with Index.open(work / "index", readonly=True) as index:
        table = ScreenTable(index)
        for row in rows:
            result = check(row["text"], index)
            found = result.derived and (row["source"] is None or
                                        result.sources[0].id == row["source"])
            sentences = 0
            if row["source"] is not None:
                source = index.get(row["source"])
                spans = sentence_spans(source.text) if source else []
                sentences = sum(any(a < e and s < b for a, b in row["source_ranges"])
                                for s, e in spans)
            out.append({"kind": row["kind"], "ngrams": best_ngrams(row["text"], index, table),
                        "sentences": sentences, "derived": result.derived, "found": found})
    copies = [r for r in out if r["kind"] != "negative" and r["found"]]
    negatives = [r for r in out if r["kind"] == "negative"]
    rates = sorted(r["ngrams"] / max(r["sentences"], 1) for r in copies)
    floor = int(2 * rates[int(0.05 * len(rates))])
    report = {
        "floor": floor,
        "rule": "2 x the 5th percentile of shared n-grams per copied sentence, dev copies found",
        "ngrams_per_copied_sentence": _quantiles(rates, (5, 50, 95)),
        "dev_copies": sum(r["kind"] != "negative" for r in out),
        "dev_copies_found_by_check": len(copies),
        "dev_copies_below_floor": sum(r["ngrams"] < floor for r in copies),
        "dev_negatives": len(negatives),
        "dev_negatives_screened_out": sum(r["ngrams"] < floor for r in negatives),
        "dev_negatives_called_derived_by_check": sum(r["derived"] for r in negatives),
        "curve": {f: {"copies_kept": sum(r["ngrams"] >= f for r in copies),
                      "negatives_screened_out": sum(r["ngrams"] < f for r in negatives)}
                  for f in (4, 8, 12, 16, 20, 25, 30, 40, 60, 100)},
        "least_copy_ngrams_by_kind": {k: min(r["ngrams"] for r in copies if r["kind"] == k)
                                      for k in sorted({r["kind"] for r in copies})},
        "negative_ngrams_quantiles": _quantiles([r["ngrams"] for r in negatives], (50, 90, 99)),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scan_fit.json").write_text(json.dumps(report, indent=1))
    print(json.dumps(report, indent=1))


def _quantiles(values: list[Any], qs: tuple[int, ...]) -> dict[str, float]:
    v = sorted(values)
    return {f"p{q}": round(v[min(len(v) - 1, int(q / 100 * len(v)))], 2) for q in qs} if v else {}


# -- run ---------------------------------------------------------------------------------------
class PeakRss:
    """Polls the peak RSS (VmHWM) of this process's descendants, and its own."""

    def __init__(self) -> None:
        self.peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> PeakRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.wait(0.5):
            for pid, kb in _descendant_hwm(os.getpid()).items():
                self.peaks[pid] = max(self.peaks.get(pid, 0), kb)

    def worker_peaks_mb(self, min_mb: float = 150) -> list[float]:
        """Peaks of processes that held an index (over ``min_mb``), leaving Ray's daemons out."""
        return sorted(round(kb / KB, 1) for pid, kb in self.peaks.items()
                      if pid != os.getpid() and kb / KB >= min_mb)


def _descendant_hwm(root: int) -> dict[int, int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    family = {root}
    changed = True
    while changed:
        changed = False
        for pid, ppid in parents.items():
            if ppid in family and pid not in family:
                family.add(pid)
                changed = True
    out = {}
    for pid in family:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    out[pid] = int(line.split()[1])
        except OSError:
            continue
    return out


def _own_hwm_mb() -> float:
    return _descendant_hwm(os.getpid()).get(os.getpid(), 0) / KB


def run_scan(work: Path, name: str, inputs: list[str], **kwargs: Any) -> dict[str, Any]:
    from unspin import scan

    out = work / f"out-{name}"
    with PeakRss() as rss:
        started = time.perf_counter()
        summary = scan(inputs, index=work / "index", out=out, restart=True, **kwargs)
        wall = time.perf_counter() - started
    workers = kwargs.get("workers", 1)
    pages = summary["pages"]["read"] + summary["pages"]["bad"]
    cpu = sum(json.loads(p.read_text())["cpu_seconds"] for p in (out / "shards").glob("*.done.json"))
    peaks = rss.worker_peaks_mb() if workers > 1 else [round(_own_hwm_mb(), 1)]
    return {"name": name, "executor": kwargs.get("executor", "local"), "workers": workers,
            "wall_s": round(wall, 1), "pages": pages, "pages_per_s": round(pages / wall, 1),
            "pages_per_s_per_worker": round(pages / wall / workers, 1),
            "pages_per_cpu_s": round(pages / cpu, 1),
            "peak_rss_mb_per_worker": peaks, "summary_pages": summary["pages"],
            "out": str(out)}


def quality(out: Path, truth: dict[str, Any]) -> dict[str, Any]:
    """Recall (right source first) and false-positive rate of the derived pages."""
    derived: dict[str, str] = {}
    for path in sorted((out / "shards").glob("*.jsonl")):
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            if r["verdict"] == "derived":
                derived[r["url"]] = r["sources"][0]["id"]
    copies = truth["copies"]
    by_kind: dict[str, list[int]] = {}
    for url, t in copies.items():
        by_kind.setdefault(t["kind"], []).append(int(derived.get(url) == t["source"]))
    false = [u for u in derived if u not in copies]
    return {
        "copies": len(copies),
        "recall": round(sum(derived.get(u) == t["source"] for u, t in copies.items())
                        / len(copies), 4),
        "recall_any_source": round(sum(u in derived for u in copies) / len(copies), 4),
        "recall_by_kind": {k: round(sum(v) / len(v), 3) for k, v in sorted(by_kind.items())},
        "clean_pages": truth["clean_pages"],
        "false_positives": len(false),
        "fpr": round(len(false) / truth["clean_pages"], 5),
    }


def extract_only(files: list[str]) -> dict[str, Any]:
    """Reading and text extraction alone (one process): the floor under any scan's cost."""
    from unspin.config import IngestConfig
    from unspin.scan.plan import make_plan
    from unspin.scan.shard import shard_items

    started, cpu = time.perf_counter(), time.process_time()
    shards = make_plan(files, 500).shards
    pages = sum(1 for s in shards for _ in shard_items(s, IngestConfig(metadata=False, fast_html=True)))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {"name": "extract-only", "executor": "none", "workers": 1, "wall_s": round(wall, 1),
            "pages": pages, "pages_per_s": round(pages / wall, 1),
            "pages_per_s_per_worker": round(pages / wall, 1), "pages_per_cpu_s": round(pages / cpu, 1),
            "peak_rss_mb_per_worker": [round(_own_hwm_mb(), 1)]}


def _truth_of(files: list[str], truth: dict[str, Any]) -> dict[str, Any]:
    """The truth restricted to the pages of ``files`` (their URLs read from the WARC headers)."""
    from warcio.archiveiterator import ArchiveIterator

    urls: list[str] = []
    for path in files:
        with open(path, "rb") as f:
            try:
                for record in ArchiveIterator(f):
                    if record.rec_type == "response":
                        urls.append(record.rec_headers.get_header("WARC-Target-URI"))
            except Exception:  # the cut file's last record
                pass
    return {"copies": {u: truth["copies"][u] for u in urls if u in truth["copies"]},
            "clean_pages": sum(u.startswith("https://site") for u in urls)}


def _same_results(outs: list[Path]) -> bool:
    """The same result lines in every shard that all the runs did (same plan, same shard ids)."""
    names = set.intersection(*({p.name for p in (o / "shards").glob("*.jsonl")} for o in outs))

    def lines(out: Path) -> list[str]:
        return sorted(line for n in names for line in (out / "shards" / n).read_text().splitlines())

    return bool(names) and all(lines(o) == lines(outs[0]) for o in outs[1:])


def run(args: argparse.Namespace) -> None:
    from unspin.scan import ScreenConfig

    work = Path(args.work)
    load_at_start = os.getloadavg()
    truth = json.loads((work / "truth.json").read_text())
    files = sorted(str(p) for p in (work / "crawl").glob("*.warc.gz"))
    base = files[: args.baseline_files]
    runs = []
    for screen in (0, None):  # the screen's speed-up, on the same files in the same run
        cfg = ScreenConfig() if screen is None else ScreenConfig(min_ngrams=screen)
        runs.append(run_scan(work, f"baseline-screen-{'on' if screen is None else 'off'}", base,
                             screen_config=cfg, shard_records=args.shard_records))
    runs.append(extract_only(base))
    # local with 2 workers reads the whole crawl; local with 1 and ray with 2 the first
    # --subset-files files (all when 0): on a shared machine three passes over 50,000 pages
    # would take hours of wall clock
    subset = files[: args.subset_files] if args.subset_files else files
    sub_truth = _truth_of(subset, truth) if args.subset_files else truth
    configs = [("local", 2, files, truth), ("local", 1, subset, sub_truth),
               ("ray", 2, subset, sub_truth)]
    for executor, workers, inputs, known in configs:
        r = run_scan(work, f"{executor}-{workers}", inputs, executor=executor, workers=workers,
                     shard_records=args.shard_records)
        r["files"] = len(inputs)
        r["quality"] = quality(Path(r["out"]), known)
        runs.append(r)
        print(json.dumps(r), file=sys.stderr)
    same = _same_results([Path(r["out"]) for r in runs[3:]])
    result = {"crawl": {k: v for k, v in truth.items() if k != "copies"},
              "copies": len(truth["copies"]), "cpus": os.cpu_count(),
              "load_average_at_start": load_at_start, "load_average_at_end": os.getloadavg(), "runs": runs,
              "identical_results_across_executors_on_shared_shards": same,
              "screen_speedup": round(runs[0]["wall_s"] / runs[1]["wall_s"], 2)}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scan.json").write_text(json.dumps(result, indent=1))
    (RESULTS / "scan.md").write_text(markdown(result))
    print(markdown(result))


def markdown(result: dict[str, Any]) -> str:
    lines = ["| run | pages | wall s | pages/s | pages/s per worker | pages per CPU-second "
             "| peak RSS per worker (MB) | recall | FPR |", "|---|---|---|---|---|---|---|---|---|"]
    for r in result["runs"]:
        q = r.get("quality", {})
        lines.append(f"| {r['name']} | {r['pages']:,} | {r['wall_s']} | {r['pages_per_s']} | "
                     f"{r['pages_per_s_per_worker']} | {r['pages_per_cpu_s']} | "
                     f"{round(statistics.median(r['peak_rss_mb_per_worker'] or [0]))} | "
                     f"{q.get('recall', '')} | {q.get('fpr', '')} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    p.add_argument("--work", required=True)
    p.add_argument("--pages", type=int, default=50_000)
    p.add_argument("--pages-per-file", type=int, default=1000)
    p.add_argument("--index-size", type=int, default=8000)
    p.add_argument("--dev-per-kind", type=int, default=8)
    p.add_argument("--test-per-kind", type=int, default=12)
    f = sub.add_parser("fit")
    f.add_argument("--work", required=True)
    r = sub.add_parser("run")
    r.add_argument("--work", required=True)
    r.add_argument("--baseline-files", type=int, default=1)
    r.add_argument("--shard-records", type=int, default=500)
    r.add_argument("--subset-files", type=int, default=0,
                   help="local 1 worker and ray read only the first N files (0: all)")
    args = parser.parse_args()
    {"prepare": prepare, "fit": fit, "run": run}[args.step](args)


if __name__ == "__main__":
    main()
