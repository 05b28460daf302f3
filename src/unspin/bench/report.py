"""Markdown tables for BENCHMARKS.md from a results JSON: ours next to each baseline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from unspin.bench.records import NEGATIVE

THESAURUS_NAMES = {"wordnet": "WordNet", "moby": "Moby"}
BASELINE_NAMES = {"minhash-lsh": "MinHash LSH", "bm25": "BM25", "trivial": "trivial",
                  "trivial-fixed": "trivial, fixed floor"}


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
        f"- split: {first.get('part', 'all')} (seed {first.get('seed', '?')})",
        f"- index: {first.get('indexed', '?')} articles ({by_pub}); held out: "
        f"{first.get('negatives', '?')} negatives, {first.get('same_event', 0)} same-event "
        f"stories, {first.get('hosts', '?')} partial hosts; "
        f"skipped as near-duplicates: {sum(first.get('skipped', {}).values())}"
        + _skipped(first.get("skipped", {}), results.get("mrpc_negatives", {})),
        "",
    ]
    return "\n".join(lines)


def _skipped(skipped: dict[str, int], mrpc: dict[str, int]) -> str:
    """Each role's skipped count, and the MRPC pairs left out as reuse (a shared word 8-gram)."""
    parts = [f"{n} {role.split(':')[0]}" for role, n in sorted(skipped.items())]
    if mrpc:
        parts.append(f"{mrpc.get('left_out_sharing_an_8gram', 0)} of "
                     f"{mrpc.get('non_paraphrase_pairs', 0)} MRPC non-paraphrase pairs")
    return f" ({', '.join(parts)})" if parts else ""


NEGATIVE_KINDS = {
    NEGATIVE: "same-subject articles (held out)",
    "neg-quote": "+ one quotation of an indexed article",
    "neg-statement": "+ one statement sentence of an indexed article",
    "neg-list": "+ one list of names of an indexed article",
    "neg-table": "+ one table of figures of an indexed article",
    "neg-same-event": "Reuters same-event story (twin indexed)",
    "neg-mrpc": "MRPC non-paraphrases, 4 sentences (source indexed)",
}


def _crossing(crossing: dict[str, Any]) -> str:
    det, spin = THESAURUS_NAMES[crossing["detector"]], THESAURUS_NAMES[crossing["spinner"]]
    systems = crossing["systems"]
    names = ["unspin", *[n for n in ("trivial", "minhash-lsh", "bm25") if n in systems],
             *[n for n in systems if n not in ("unspin", "trivial", "minhash-lsh", "bm25")]]
    ours = systems.get("unspin", {})
    headers = ["obfuscation", "n"]
    for name in names:
        label = BASELINE_NAMES.get(name, name)
        headers += [f"{label} R@1 [95% CI]", f"{label} derived"]
    headers += ["unspin plagdet", "trivial plagdet"]
    rows = []
    for group in [*crossing["kinds"], "positives"]:
        g = _group(ours, group)
        if g is None:
            continue
        row: list[Any] = [_label(group), g["n"]]
        for name in names:
            b = _group(systems[name], group) or {}
            row += [_rate_ci(b.get("recall@1"), b.get("recall@1_ci")), _derived(b, group)]
        for name in ("unspin", "trivial"):
            pd = (_group(systems.get(name, {}), group) or {}).get("plagdet") or {}
            row.append(_num(pd.get("plagdet")))
        rows.append(row)
    title = f"### Detector thesaurus {det}, suspects spun with {spin}"
    note = (
        "R@1: share of derived suspects whose true source is ranked first, with its 95% Wilson "
        "interval. derived: share called derived (verdict recall). plagdet: character level on "
        "both sides. The trivial detector and MinHash pair the whole suspect with the whole source; "
        "BM25 has a verdict only with a threshold fitted on the dev split."
        + _trivial_floor(systems, crossing.get("split", {}).get("part", "all"))
    )
    return "\n".join([title, "", note, "", table(headers, rows), "", _negatives(systems, names),
                      "", _verdicts(systems), ""])


def _trivial_floor(systems: dict[str, Any], part: str = "all") -> str:
    """A sentence on the trivial detector's floor (shared sampled n-grams), where the run has it.
    The floor refitted on the run's own cases is shown only for a dev run: on the test split it
    would be a threshold fitted on test."""
    trivial = systems.get("trivial", {})
    if "floor" not in trivial:
        return ""
    fixed = systems.get("trivial-fixed", {}).get("floor")
    refitted = (f"; refitted on this run's cases: {trivial.get('fitted_floor')}"
                if part == "dev" else "")
    return (f" The trivial detector's floor: {trivial['floor']} shared indexed n-grams"
            + (f" (fitted on the dev split; the fixed floor {fixed} beside it)" if fixed else "")
            + refitted + ".")


def _negatives(systems: dict[str, Any], names: list[str]) -> str:
    """False-positive rate of every kind of negative, each system, with Wilson intervals."""
    ours = systems.get("unspin", {})
    kinds = [k for k in NEGATIVE_KINDS if k in ours.get("per_kind", {})]
    headers = ["negatives", "n", *[f"{BASELINE_NAMES.get(n, n)} FPR [95% CI]" for n in names]]
    rows = []
    for kind in [*kinds, "negatives"]:
        g = _group(ours, kind)
        if g is None:
            continue
        row: list[Any] = [NEGATIVE_KINDS.get(kind, "**all negatives**"), g["n"]]
        for name in names:
            v = (_group(systems[name], kind) or {}).get("verdict")
            row.append(_rate_ci(v["fpr"], v.get("fpr_ci"), v["fp"]) if v else "–")
        rows.append(row)
    return table(headers, rows)


def _rate_ci(rate: float | None, ci: Sequence[float] | None, count: int | None = None) -> str:
    if rate is None:
        return "–"
    text = f"{100 * rate:.1f}%" if count is None else f"{count} = {100 * rate:.1f}%"
    return text if not ci else f"{text} [{100 * ci[0]:.1f}, {100 * ci[1]:.1f}]"


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
                _rate_ci(v["recall"], v.get("recall_ci")),
                _rate_ci(v["fpr"], v.get("fpr_ci")),
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
    if group in ("overall", "positives", "negatives"):
        return system.get(group)
    return system.get("per_kind", {}).get(group)


def _derived(g: dict[str, Any], group: str) -> str:
    v = g.get("verdict")
    if not v:
        return "–"
    return _pct(v["fpr"]) if group == NEGATIVE or group.startswith("neg-") else _pct(v["recall"])


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
