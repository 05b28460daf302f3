"""Where a scan's CPU goes, stage by stage, on the first pages of a crawl.

    python benchmarks/scan_profile.py --work /tmp/scan-bench --pages 2000       # results/scan_profile.json
    python benchmarks/scan_profile.py --work /tmp/scan-bench --pages 500 --cprofile 25

Runs the stages of ``ScanStage`` one after the other on each page of the crawl's first WARC
files (made by ``scan_bench.py prepare``) and sums each stage's process CPU time: reading the
WARC record (gzip, warcio, payload), decoding the bytes, extracting the text (trafilatura, the
scan's settings), normalising and tokenising the text, fingerprinting it, the screen's count of
shared n-grams (``ScreenTable.best``), and the full check of the pages that pass the screen. ``--extract-modes`` also times the other extraction mode
on the same payloads and says how often its text differs. ``--cprofile N`` prints the N costliest
functions of a plain ``ScanStage`` run over the same pages instead.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LEGACY_MIN_NGRAMS = 45  # the floor fitted with the legacy screen
RESULTS = ROOT / "benchmarks" / "results"


def payloads(files: list[str], pages: int, times: dict[str, float]) -> Iterator[tuple[Any, bytes]]:
    """(record, payload) of the first ``pages`` HTML responses; reading time goes to ``warc``."""
    from unspin.ingest.warc import _records

    left = pages
    for path in files:
        with open(path, "rb") as f:
            size = Path(path).stat().st_size
            records = _records(f, size, 10_000_000)
            while left > 0:
                cpu = time.process_time()
                try:
                    number, record, payload = next(records)
                except (StopIteration, Exception):  # the cut file ends in a damaged record
                    times["warc"] += time.process_time() - cpu
                    break
                times["warc"] += time.process_time() - cpu
                if payload is not None:
                    left -= 1
                    yield record, payload
        if left <= 0:
            return


def stages(args: argparse.Namespace) -> dict[str, Any]:
    import numpy as np

    from unspin import Index
    from unspin.analysis import analyze
    from unspin.check import check
    from unspin.errors import BadInputError
    from unspin.fingerprint import fingerprints
    from unspin.ingest.decode import decode_bytes
    from unspin.ingest.html import html_article, sniff_charset
    from unspin.normalize import normalize
    from unspin.scan.screen import MAX_DF, MIN_NGRAMS, NGRAM_KINDS, ScreenTable
    from unspin.tokens import tokenize

    work = Path(args.work)
    files = sorted(str(p) for p in (work / "crawl").glob("*.warc.gz"))
    times = dict.fromkeys(("warc", "decode", "extract", "analyze", "fingerprint", "lookup",
                           "check"), 0.0)
    n = passed = bad = 0
    differ = 0
    other_cpu = 0.0
    index = Index.open(work / "index", readonly=True)
    table = ScreenTable(index)
    fast = (not args.legacy) if args.fast is None else args.fast  # the scan's own by default
    legacy_df = max(20, int(0.02 * max(len(index), 1)))

    def timed(stage: str, fn: Any, *a: Any, **kw: Any) -> Any:
        cpu = time.process_time()
        try:
            return fn(*a, **kw)
        finally:
            times[stage] += time.process_time() - cpu

    for _record, payload in payloads(files, args.pages, times):
        n += 1
        try:
            html, _ = timed("decode", decode_bytes, payload, path="p",
                            declared=sniff_charset(payload))
            article = timed("extract", html_article, html, article_id="a", path="p", metadata={},
                            with_metadata=False, fast=fast)
        except BadInputError:
            bad += 1
            continue
        if args.extract_modes:
            cpu = time.process_time()
            try:
                other = html_article(html, article_id="a", path="p", metadata={},
                                     with_metadata=False, fast=not fast).text
            except BadInputError:
                other = ""
            other_cpu += time.process_time() - cpu
            differ += other != article.text
        if args.legacy:  # the screen as it was: full analysis, the index's general lookup
            tokens = timed("analyze", analyze, article.text).tokens
            hashes = timed("fingerprint", fingerprints, tokens, index.config, NGRAM_KINDS)
            found = timed("lookup", index.storage.lookup, hashes, legacy_df)
            best = int(np.bincount(found.rows).max()) if len(found.rows) else 0
        else:
            tokens = timed("analyze", lambda t: tokenize(normalize(t).text), article.text)
            hashes = timed("fingerprint", fingerprints, tokens, index.config, NGRAM_KINDS)
            best = timed("lookup", table.best, hashes, MAX_DF)
        if best >= (LEGACY_MIN_NGRAMS if args.legacy else MIN_NGRAMS):
            passed += 1
            timed("check", check, article.text, index)
    index.close()
    total = sum(times.values())
    out: dict[str, Any] = {
        "screen": "legacy" if args.legacy else "now",
        "pages": n, "bad": bad, "passed_screen": passed, "fast_extraction": fast,
        "cpu_s": {k: round(v, 3) for k, v in times.items()},
        "ms_per_page": {k: round(1000 * v / max(n, 1), 3) for k, v in times.items()},
        "share": {k: round(v / total, 3) for k, v in times.items()},
        "pages_per_cpu_s": round(n / total, 1),
    }
    if args.extract_modes:
        out["other_mode"] = {"fast": not fast, "ms_per_page": round(1000 * other_cpu / max(n, 1), 3),
                             "pages_whose_text_differs": differ}
    return out


def compare_extraction(paths: list[str]) -> dict[str, Any]:
    """trafilatura's default and fast modes on real HTML files: time and how the texts differ."""
    from unspin.errors import BadInputError
    from unspin.ingest.decode import decode_bytes
    from unspin.ingest.html import html_article, sniff_charset

    cpu = {True: 0.0, False: 0.0}
    same = empty_fast_only = empty_default_only = both_empty = 0
    overlaps: list[float] = []
    length_ratio: list[float] = []
    for path in paths:
        data = Path(path).read_bytes()
        try:
            html, _ = decode_bytes(data, path=path, declared=sniff_charset(data))
        except BadInputError:
            continue
        texts = {}
        for fast in (False, True):
            started = time.process_time()
            try:
                texts[fast] = html_article(html, article_id="a", path=path, metadata={},
                                           with_metadata=False, fast=fast).text
            except BadInputError:
                texts[fast] = ""
            cpu[fast] += time.process_time() - started
        a, b = texts[False], texts[True]
        if not a and not b:
            both_empty += 1
            continue
        if not b:
            empty_fast_only += 1
        elif not a:
            empty_default_only += 1
        same += a == b
        wa, wb = a.split(), b.split()
        if wa and wb:
            sa, sb = set(wa), set(wb)
            overlaps.append(len(sa & sb) / len(sa | sb))
            length_ratio.append(len(wb) / len(wa))
    n = len(paths)

    def q(v: list[float], p: float) -> float:
        v = sorted(v)
        return round(v[min(len(v) - 1, int(p * len(v)))], 3) if v else 0.0

    return {"files": n, "ms_per_page_default": round(1000 * cpu[False] / max(n, 1), 3),
            "ms_per_page_fast": round(1000 * cpu[True] / max(n, 1), 3),
            "identical_text": same, "no_text_either": both_empty,
            "text_only_in_default": empty_fast_only, "text_only_in_fast": empty_default_only,
            "word_set_jaccard_p5_p50": [q(overlaps, 0.05), q(overlaps, 0.5)],
            "fast_words_over_default_p5_p50_p95": [q(length_ratio, 0.05), q(length_ratio, 0.5),
                                                   q(length_ratio, 0.95)]}


def real_html(roots: list[str], per_root: int) -> list[str]:
    """Up to ``per_root`` HTML files of at least 8 KB under each root, in a fixed random order."""
    import random

    out = []
    for root in roots:
        found = sorted(str(p) for p in Path(root).rglob("*.htm*")
                       if p.is_file() and p.stat().st_size >= 8192)
        random.Random(root).shuffle(found)
        out += found[:per_root]
    return out


def profile(args: argparse.Namespace) -> None:
    from unspin.scan.plan import make_plan
    from unspin.scan.shard import ScanSettings, ScanStage

    work = Path(args.work)
    files = sorted(str(p) for p in (work / "crawl").glob("*.warc.gz"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "shards").mkdir(exist_ok=True)
    shards = make_plan(files[: max(1, args.pages // 1000)], min(args.pages, 1000), {}).shards
    stage = ScanStage(ScanSettings(str(work / "index"), str(out)))
    prof = cProfile.Profile()
    prof.enable()
    for shard in shards[: max(1, args.pages // min(args.pages, 1000))]:
        stage(shard)
    prof.disable()
    buffer = io.StringIO()
    pstats.Stats(prof, stream=buffer).sort_stats("cumulative").print_stats(args.cprofile)
    print(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--work", required=True)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--fast", type=int, choices=(0, 1), default=None,
                        help="extraction mode to time (default: the scan's own)")
    parser.add_argument("--extract-modes", action="store_true",
                        help="also time the other extraction mode and compare the texts")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N")
    parser.add_argument("--real-html", nargs="*", default=None, metavar="DIR",
                        help="compare the extraction modes on HTML files under these folders")
    parser.add_argument("--per-root", type=int, default=150)
    parser.add_argument("--out", default="/tmp/scan-profile-out")
    parser.add_argument("--legacy", action="store_true",
                        help="the screen as it was before this profile: default extraction, full "
                             "analysis, the index's lookup with a 2%% document-frequency cap")
    parser.add_argument("--save", action="store_true", help="write results/scan_profile.json")
    args = parser.parse_args()
    if args.fast is not None:
        args.fast = bool(args.fast)
    if args.cprofile:
        profile(args)
        return
    if args.real_html is not None:
        result = compare_extraction(real_html(args.real_html, args.per_root))
        print(json.dumps(result, indent=1))
        if args.save:
            RESULTS.mkdir(parents=True, exist_ok=True)
            (RESULTS / "scan_extract_modes.json").write_text(json.dumps(result, indent=1))
        return
    result = stages(args)
    if args.save:  # both screens on the same pages, in the same run
        legacy = stages(argparse.Namespace(**{**vars(args), "legacy": True}))
        result = {"now": result, "before": legacy}
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / "scan_profile.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
