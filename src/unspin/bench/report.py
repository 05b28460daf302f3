"""Markdown tables for BENCHMARKS.md from a results JSON: ours next to each baseline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from unspin.bench.records import NEGATIVE

THESAURUS_NAMES = {"wordnet": "WordNet", "moby": "Moby"}
BASELINE_NAMES = {"minhash-lsh": "MinHash LSH", "bm25": "BM25"}


def render(results: dict[str, Any], *, plot: str | None = None) -> str:
    parts = [_header(results)]
    for crossing in results.get("crossings", []):
        parts.append(_crossing(crossing))
    if plot:
        parts.append(f"![recall@1 against substitution rate]({plot})\n")
    if "speed" in results:
        parts.append(_speed(results))
    if "mrpc" in results:
        parts.append(_mrpc(results["mrpc"]))
    if results.get("errors"):
        parts.append(
            f"**{len(results['errors'])} suspects raised an error** (see `errors` in the JSON).\n"
        )
    return "\n".join(parts)


def _header(results: dict[str, Any]) -> str:
    m = results.get("machine", {})
    first = (results.get("crossings") or [{}])[0].get("split", {})
    by_pub = ", ".join(
        f"{v} {k}" for k, v in sorted(first.get("indexed_by_publication", {}).items())
    )
    lines = [
        f"## Benchmark run `{results.get('name', '')}`",
        "",
        f"- command: `{results.get('command', '')}`",
        f"- engine semantic mode: {results.get('semantic', 'auto')}",
        f"- started {results.get('started', '')}, took {_num(results.get('total_s'), 0)} s",
        f"- machine: {m.get('cpu', '?')}, {m.get('cpus', '?')} CPUs, {m.get('memory_gib', '?')} GiB, "
        f"Python {m.get('python', '?')}, {m.get('platform', '?')}, commit {m.get('git_commit') or 'none'}",
        f"- index: {first.get('indexed', '?')} articles ({by_pub}); held out: "
        f"{first.get('negatives', '?')} negatives, {first.get('hosts', '?')} partial hosts; "
        f"skipped as near-duplicates: {sum(first.get('skipped', {}).values())}",
        "",
    ]
    return "\n".join(lines)


def _crossing(crossing: dict[str, Any]) -> str:
    det, spin = THESAURUS_NAMES[crossing["detector"]], THESAURUS_NAMES[crossing["spinner"]]
    systems = crossing["systems"]
    ours = systems.get("unspin", {})
    baselines = [n for n in systems if n != "unspin"]
    headers = ["obfuscation", "n", "R@1", "R@5", "derived", "plagdet", "P", "R", "gran"]
    for name in baselines:
        label = BASELINE_NAMES.get(name, name)
        headers += [f"{label} R@1", f"{label} R@5"]
        if name == "minhash-lsh":
            headers.append(f"{label} derived")
    rows = []
    groups = [*crossing["kinds"], NEGATIVE, "positives", "overall"]
    for group in groups:
        g = _group(ours, group)
        if g is None:
            continue
        pd = g.get("plagdet") or {}
        row = [_label(group), g["n"], _pct(g["recall@1"]), _pct(g["recall@5"]), _derived(g, group)]
        row += [_num(pd.get("plagdet")), _num(pd.get("precision")), _num(pd.get("recall"))]
        row += [_num(pd.get("granularity"))]
        for name in baselines:
            b = _group(systems[name], group) or {}
            row += [_pct(b.get("recall@1")), _pct(b.get("recall@5"))]
            if name == "minhash-lsh":
                row.append(_derived(b, group))
        rows.append(row)
    title = f"### Detector thesaurus {det}, suspects spun with {spin}"
    note = (
        "R@k: share of derived suspects whose true source is among the first k. derived: share "
        "called derived (for negatives: the false-positive rate). plagdet, P, R, gran: character "
        "level on both sides, unspin's passages."
    )
    return "\n".join([title, "", note, "", table(headers, rows), "", _verdicts(systems), ""])


def _verdicts(systems: dict[str, Any]) -> str:
    rows = []
    for name, s in systems.items():
        v = s["overall"].get("verdict")
        if v is None:
            continue
        pd = s["overall"].get("plagdet") or {}
        rows.append(
            [
                BASELINE_NAMES.get(name, name),
                _pct(v["precision"]),
                _pct(v["recall"]),
                _pct(v["fpr"]),
                f"{v['tp']}/{v['fp']}/{v['tn']}/{v['fn']}",
                _num(pd.get("plagdet")),
            ]
        )
    headers = [
        "system",
        "verdict precision",
        "verdict recall",
        "FPR",
        "TP/FP/TN/FN",
        "plagdet (all)",
    ]
    return table(headers, rows)


def _speed(results: dict[str, Any]) -> str:
    s = results["speed"]
    check, tok, pool = s["check"], s["tokenise"], s.get("pool") or {}
    main = results["crossings"][0]["systems"]
    rows = [
        [
            "unspin",
            _num(s["build_articles_per_s"], 0),
            _num(check["p50_ms"], 1),
            _num(check["p95_ms"], 1),
            _num(check["per_s"], 1),
            _num(pool.get("per_s"), 1),
            _mib(s.get("index_bytes")),
        ]
    ]
    for name, sysres in main.items():
        if name == "unspin":
            continue
        lat = sysres["latency"]
        rows.append(
            [
                BASELINE_NAMES.get(name, name),
                _num(sysres["build"]["articles_per_s"], 0),
                _num(lat["p50_ms"], 1),
                _num(lat["p95_ms"], 1),
                _num(lat["per_s"], 1),
                "",
                "",
            ]
        )
    headers = [
        "system",
        "build articles/s",
        "check p50 ms",
        "check p95 ms",
        "suspects/s (1 core)",
        f"suspects/s ({pool.get('workers', '-')} processes)",
        "index size",
    ]
    memory = "; ".join(
        f"{m['stage']}: {m['peak_rss_mib']:.0f} MiB" for m in results.get("memory", [])
    )
    lines = [
        "### Speed and memory",
        "",
        table(headers, rows),
        "",
        f"Reading and tokenising the same {tok['suspects']} suspects ({tok['tokeniser']}) takes "
        f"{_num(tok['seconds'], 2)} s; checking them takes {_num(check['total_s'], 2)} s, "
        f"**{_num(s.get('check_over_tokenise'), 1)}x** the tokenise time.",
        "",
        f"Peak resident memory of the benchmark process, by stage: {memory}. "
        f"Peak of one checking worker process: {_num(pool.get('children_peak_rss_mib'), 0)} MiB.",
        "",
    ]
    return "\n".join(lines)


def _mrpc(mrpc: dict[str, Any]) -> str:
    rows = [
        [
            BASELINE_NAMES.get(n, n),
            _pct(r["recall@1"]),
            _pct(r["derived_rate_positives"]),
            _pct(r["fpr"]),
            _num(r["query_s"], 1),
        ]
        for n, r in mrpc.items()
    ]
    any_result: dict[str, Any] = next(iter(mrpc.values()), {})
    headers = ["system", "recall@1", "derived (paraphrases)", "FPR (non-paraphrases)", "query s"]
    return "\n".join(
        [
            f"### MRPC test split ({any_result.get('positives', '?')} paraphrase pairs, "
            f"{any_result.get('negatives', '?')} non-paraphrase pairs)",
            "",
            table(headers, rows),
            "",
        ]
    )


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _group(system: dict[str, Any], group: str) -> dict[str, Any] | None:
    if group in ("overall", "positives"):
        return system.get(group)
    return system.get("per_kind", {}).get(group)


def _derived(g: dict[str, Any], group: str) -> str:
    v = g.get("verdict")
    if not v:
        return "–"
    return _pct(v["fpr"]) if group == NEGATIVE else _pct(v["recall"])


def _label(group: str) -> str:
    return {
        "positives": "**all derived**",
        "overall": "**all suspects**",
        NEGATIVE: "negatives",
    }.get(group, group)


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.1f}%"


def _num(x: float | None, digits: int = 3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def _mib(n: int | None) -> str:
    return "–" if n is None else f"{n / 2**20:.0f} MiB"
