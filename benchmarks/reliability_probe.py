"""Reliability probes behind RELIABILITY.md: cost per MB, crash tests, hostile files, damaged indexes.

    nice -n 10 .venv/bin/python benchmarks/reliability_probe.py --out benchmarks/results
    (--quick: fewer sizes and kills, for a smoke run)

Each probe runs the real ``unspin`` command in a child process (``python -m unspin``), on copies
made in a temporary directory. Writes ``reliability.json`` and ``reliability.md`` to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SAMPLE = ROOT / "examples" / "corpus" / "reuters-sample.jsonl"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def _articles() -> list[dict[str, str]]:
    bbc = DATA / "bbc-news" / "bbc.jsonl"
    src = bbc if bbc.exists() else SAMPLE
    with open(src, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def unspin(*args: str, stdin: str | None = None, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "unspin", *args], capture_output=True, text=True,
                          env=ENV, timeout=timeout, input=stdin)


# -- cost per MB ---------------------------------------------------------------------------------
_MEASURE = """
import resource, sys, time
from unspin.cli import main
t = time.perf_counter()
rc = main(sys.argv[1:])
print("PROBE", rc, time.perf_counter() - t,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def measured(*args: str) -> tuple[int, float, float]:
    """(exit status, seconds, peak MB) of one CLI run in a fresh process."""
    proc = subprocess.run([sys.executable, "-c", _MEASURE, *args], capture_output=True, text=True,
                          env=ENV, timeout=1800)
    line = next(x for x in proc.stderr.splitlines() if x.startswith("PROBE"))
    _, rc, secs, kb = line.split()
    return int(rc), float(secs), int(kb) / 1024


def cost_per_mb(work: Path, index: Path, sizes: list[float], arts: list[dict[str, str]]) -> list[dict[str, Any]]:
    """check / tortured / index build on suspects of growing size: a copy of indexed articles
    (much to align) and articles the index does not hold (little to align)."""
    rows = []
    held = "\n\n".join(a["text"] for a in arts[:300])
    unheld = "\n\n".join(a["text"] for a in arts[-400:])
    for mb in sizes:
        n = int(mb * 1_000_000)
        for kind, body in (("copied", held), ("unrelated", unheld)):
            text = (body * (n // len(body) + 1))[:n]
            path = work / f"{kind}-{mb}.txt"
            path.write_text(text, encoding="utf-8")
            limit = str(n + 1)
            for verb, args in (
                ("check", ["check", str(path), "--index", str(index), "--no-learn", "--json",
                           "--no-tortured", "--max-suspect-chars", limit]),
                ("tortured", ["tortured", str(path), "--json", "--max-suspect-chars", limit]),
            ):
                if verb == "tortured" and kind == "copied":
                    continue  # no index involved: one kind of text is enough
                rc, secs, peak = measured(*args)
                rows.append({"verb": verb, "kind": kind, "mb": mb, "rc": rc, "seconds": round(secs, 2),
                             "peak_mb": round(peak)})
                print(rows[-1], flush=True)
    return rows


def build_cost(work: Path, arts: list[dict[str, str]], counts: list[int]) -> list[dict[str, Any]]:
    rows = []
    for n in counts:
        corpus = work / f"build-{n}.jsonl"
        with open(corpus, "w", encoding="utf-8") as fh:
            for a in arts[:n]:
                fh.write(json.dumps({"id": a.get("id", ""), "text": a["text"]}) + "\n")
        mb = corpus.stat().st_size / 1e6
        rc, secs, peak = measured("index", "build", str(corpus), "--index", str(work / f"bi-{n}"),
                                  "-q")
        rows.append({"verb": "index build", "articles": n, "mb": round(mb, 2), "rc": rc,
                     "seconds": round(secs, 2), "peak_mb": round(peak)})
        print(rows[-1], flush=True)
    return rows


# -- crash tests -----------------------------------------------------------------------------------
def _verdict(index: Path) -> tuple[str, list[str]]:
    proc = unspin("index", "verify", "--index", str(index))
    if proc.returncode == 0:
        return "whole", []
    lines = proc.stderr.strip().splitlines()
    if "no unspin index here" in proc.stderr:
        return "none", lines
    return ("repairable" if all("index repair" in x for x in lines) else "rebuild"), lines


def crash_build(work: Path, corpus: Path, runs: int, rnd: random.Random) -> list[dict[str, Any]]:
    """kill -9 ``index build`` at a random moment (adding to an index that holds half the corpus),
    then verify; then build again and verify."""
    start = time.perf_counter()
    base = work / "crash-base"
    half = work / "half.jsonl"
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    half.write_text("".join(lines[: len(lines) // 2]), encoding="utf-8")
    assert unspin("index", "build", str(half), "--index", str(base), "-q").returncode == 0
    t0 = time.perf_counter()
    full = work / "crash-full"
    assert unspin("index", "build", str(corpus), "--index", str(full), "-q").returncode == 0
    full_secs = time.perf_counter() - t0
    rows = []
    for i in range(runs):
        idx = work / f"crash-{i}"
        shutil.copytree(base, idx)
        delay = rnd.uniform(0.3, 1.0) * full_secs
        proc = subprocess.Popen([sys.executable, "-m", "unspin", "index", "build", str(corpus),
                                 "--index", str(idx), "-q"], env=ENV, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        state, lines_ = _verdict(idx)
        count = json.loads(unspin("index", "info", "--index", str(idx), "--json").stdout or "{}")
        again = unspin("index", "build", str(corpus), "--index", str(idx), "-q")
        if again.returncode != 0 and state == "repairable":
            unspin("index", "repair", "--index", str(idx))
            again = unspin("index", "build", str(corpus), "--index", str(idx), "-q")
        after, _ = _verdict(idx)
        rows.append({"run": i, "kill_after_s": round(delay, 2), "killed": killed, "state": state,
                     "problems": lines_[:2], "articles": count.get("articles"),
                     "rerun_rc": again.returncode, "after_rerun": after})
        print(rows[-1], flush=True)
        shutil.rmtree(idx, ignore_errors=True)
    print(f"crash_build: {time.perf_counter() - start:.0f} s", flush=True)
    return rows


def crash_learn(work: Path, index: Path, runs: int, rnd: random.Random) -> list[dict[str, Any]]:
    """kill -9 ``learn`` at a random moment, then verify the index and run learn again."""
    suspects = sorted((ROOT / "examples" / "suspects").glob("*.txt"))
    assert unspin("check", *map(str, suspects), "--index", str(index), "-q").returncode in (0, 1)
    t0 = time.perf_counter()
    probe = work / "learn-timing"
    shutil.copytree(index, probe)
    unspin("learn", "--index", str(probe), "--min-count", "1")
    learn_secs = time.perf_counter() - t0
    rows = []
    for i in range(runs):
        idx = work / f"learn-{i}"
        shutil.copytree(index, idx)
        delay = rnd.uniform(0.05, learn_secs)
        proc = subprocess.Popen([sys.executable, "-m", "unspin", "learn", "--index", str(idx),
                                 "--min-count", "1"], env=ENV, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        killed = proc.poll() is None
        if killed:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        state, lines_ = _verdict(idx)
        again = unspin("learn", "--index", str(idx), "--min-count", "1")
        rows.append({"run": i, "kill_after_s": round(delay, 2), "killed": killed, "state": state,
                     "problems": lines_[:2], "rerun_rc": again.returncode})
        print(rows[-1], flush=True)
        shutil.rmtree(idx, ignore_errors=True)
    return rows


# -- damaged indexes ---------------------------------------------------------------------------------
def _garbage_sqlite(idx: Path) -> None:
    db = idx / "unspin.sqlite"
    with open(db, "r+b") as fh:
        fh.seek(db.stat().st_size // 2 // 4096 * 4096)
        fh.write(random.Random(1).randbytes(65536))


def _edit_meta(idx: Path, key: str, fn: Any) -> None:
    import sqlite3

    conn = sqlite3.connect(idx / "unspin.sqlite")
    (value,) = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    conn.execute("UPDATE meta SET value = ? WHERE key = ?", (fn(value), key))
    conn.commit()
    conn.close()


def _truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


DAMAGE = {
    "64 KB of garbage in the middle of unspin.sqlite": _garbage_sqlite,
    "manifest config not valid JSON": lambda i: _edit_meta(i, "config", lambda v: v[:-5]),
    "hash_seed changed in the manifest": lambda i: _edit_meta(
        i, "config", lambda v: json.dumps(json.loads(v) | {"hash_seed": 1}, sort_keys=True)),
    "sentences.usearch truncated": lambda i: _truncate(i / "sentences.usearch"),
    "posting segment truncated": lambda i: _truncate(max(i.glob("seg-*.npy"),
                                                         key=lambda p: p.stat().st_size)),
    "posting segment deleted": lambda i: [p.unlink() for p in i.glob("seg-*.npy")],
    "sentences.usearch.json deleted": lambda i: (i / "sentences.usearch.json").unlink(),
}


def damaged(work: Path, index: Path, corpus: Path) -> list[dict[str, Any]]:
    first = json.loads(corpus.read_text(encoding="utf-8").splitlines()[0])["text"]
    suspect = work / "suspect.txt"  # a light edit of an indexed article
    suspect.write_text("Also read: our top stories.\n\n" + first.replace(" said", " stated"),
                       encoding="utf-8")
    rows = []
    for name, damage in DAMAGE.items():
        idx = work / "damaged"
        shutil.rmtree(idx, ignore_errors=True)
        shutil.copytree(index, idx)
        damage(idx)
        outcome: dict[str, Any] = {"damage": name}
        for verb, args in (("info", ["index", "info", "--index", str(idx)]),
                           ("check", ["check", str(suspect), "--index", str(idx), "--no-learn"]),
                           ("verify", ["index", "verify", "--index", str(idx)]),
                           ("build", ["index", "build", str(corpus), "--index", str(idx), "-q"])):
            proc = unspin(*args)
            err = [x for x in proc.stderr.splitlines() if not x.startswith(("checked", "indexed"))]
            outcome[verb] = {"rc": proc.returncode, "stderr_lines": len(err),
                             "traceback": "Traceback" in proc.stderr, "first": err[0] if err else ""}
        fix = "repair" if "index repair" in outcome["verify"]["first"] else "rebuild"
        proc = (unspin("index", "repair", "--index", str(idx)) if fix == "repair" else
                unspin("index", "build", "--rebuild", str(corpus), "--index", str(idx), "-q"))
        after = unspin("check", str(suspect), "--index", str(idx), "--no-learn", "--json")
        verdict = json.loads(after.stdout)["verdict"] if after.returncode == 0 else "failed"
        outcome |= {"fix": fix, "fix_rc": proc.returncode, "verify_after": _verdict(idx)[0],
                    "check_after": verdict}
        rows.append(outcome)
        print(name, {k: (v["rc"], v["stderr_lines"]) if isinstance(v, dict) else v
                     for k, v in outcome.items()}, flush=True)
    return rows


# -- hostile input -----------------------------------------------------------------------------------
def hostile(work: Path, index: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    folder = ROOT / "tests" / "data" / "hostile"
    for verb, args in (("index build", ["index", "build", str(folder), "--index",
                                        str(work / "hostile-index")]),
                       ("check", ["check", str(folder), "--index", str(index), "--no-learn"]),
                       ("check --json", ["check", str(folder), "--index", str(index), "--json",
                                         "--no-learn"]),
                       ("tortured", ["tortured", str(folder)]),
                       ("restore", ["restore", str(folder)])):
        t = time.perf_counter()
        proc = unspin(*args)
        both = proc.stdout + proc.stderr
        out[verb] = {"rc": proc.returncode, "seconds": round(time.perf_counter() - t, 1),
                     "raw_escapes": sum(both.count(c) for c in ("\x1b", "\x9b", "\u202e")),
                     "traceback": "Traceback" in both, "stderr_lines": len(proc.stderr.splitlines())}
        print(verb, out[verb], flush=True)
    bad = work / "bad.jsonl"
    bad.write_text("{not json\n" * 10_000 + json.dumps({"id": "ok", "text": "The harbour reopened "
                   "on Monday after the storm, officials said."}) + "\n")
    proc = unspin("index", "build", str(bad), "--index", str(work / "bad-index"))
    out["10,000 bad JSON lines"] = {"rc": proc.returncode,
                                    "stderr_lines": len(proc.stderr.splitlines())}
    loop = work / "loop"
    loop.mkdir()
    for k, a in enumerate(_articles()[:3]):
        (loop / f"{k}.txt").write_text(a["text"], encoding="utf-8")
    os.symlink(loop / "l2.txt", loop / "l1.txt")
    os.symlink(loop / "l1.txt", loop / "l2.txt")
    os.symlink(loop / "gone.txt", loop / "dangling.txt")
    proc = unspin("index", "build", str(loop), "--index", str(work / "loop-index"), "--semantic", "off")
    info = json.loads(unspin("index", "info", "--index", str(work / "loop-index"), "--json").stdout)
    out["symlink loop + dangling link + 3 good files"] = {
        "rc": proc.returncode, "indexed": info["articles"],
        "reasons": [x.split(": ", 2)[-1][:60] for x in proc.stderr.splitlines()[:2]]}
    empty = work / "empty"
    empty.mkdir()
    proc = unspin("index", "build", str(empty), "--index", str(work / "e-index"))
    out["empty directory"] = {"rc": proc.returncode, "index_created": (work / "e-index").exists(),
                              "message": proc.stderr.splitlines()[0][:120]}
    proc = unspin("index", "build", str(work / "absent.jsonl"), "--index", str(work / "m-index"))
    out["missing input"] = {"rc": proc.returncode, "index_created": (work / "m-index").exists()}
    print(out, flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results"))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--kills", type=int, default=8, help="kill -9 runs of build and of learn")
    ap.add_argument("--only", default="", help="comma-separated sections to run again, keeping "
                    "the others' results (crash_build, crash_learn, cost, build_cost, damaged, hostile)")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    only = {x for x in args.only.split(",") if x}
    rnd = random.Random(args.seed)
    arts = _articles()
    results: dict[str, Any] = {"python": sys.version.split()[0], "cpus": os.cpu_count()}
    if only and (out / "reliability.json").exists():
        results = json.loads((out / "reliability.json").read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="unspin-reliability-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus.jsonl"
        with open(corpus, "w", encoding="utf-8") as fh:
            for a in arts[: 300 if args.quick else 600]:
                fh.write(json.dumps({"id": a.get("id", ""), "text": a["text"]}) + "\n")
        index = work / "index"
        assert unspin("index", "build", str(corpus), "--index", str(index), "-q").returncode == 0
        kills = 3 if args.quick else args.kills
        sizes = [0.25, 0.5] if args.quick else [0.25, 0.5, 1.0]
        steps = {  # each section's results are written as soon as it ends
            "crash_build": lambda: crash_build(work, corpus, kills, rnd),
            "crash_learn": lambda: crash_learn(work, index, kills, rnd),
            "cost": lambda: cost_per_mb(work, index, sizes, arts),
            "build_cost": lambda: build_cost(work, arts, [250, 500] if args.quick else [500, 1000]),
            "damaged": lambda: damaged(work, index, corpus),
            "hostile": lambda: hostile(work, index),
        }
        for name, step in steps.items():
            if only and name not in only:
                continue
            results[name] = step()
            (out / "reliability.json").write_text(json.dumps(results, indent=1) + "\n",
                                                  encoding="utf-8")
            (out / "reliability.md").write_text(summary(results), encoding="utf-8")
    print(summary(results))


def summary(r: dict[str, Any]) -> str:
    lines = ["# Reliability probe results", "", "## Cost by suspect size", "",
             "| verb | suspect | MB | s | peak MB |", "|---|---|---|---|---|"]
    for row in r.get("cost", []):
        lines.append(f"| {row['verb']} | {row['kind']} | {row['mb']} | {row['seconds']} | {row['peak_mb']} |")
    for row in r.get("build_cost", []):
        lines.append(f"| index build | {row['articles']} articles | {row['mb']} | {row['seconds']} | "
                     f"{row['peak_mb']} |")
    for verb in ("check", "tortured"):
        for kind in ("copied", "unrelated"):
            rows = [x for x in r.get("cost", []) if x["verb"] == verb and x["kind"] == kind]
            if len(rows) >= 2:
                a, b = rows[0], rows[-1]
                per = (b["seconds"] - a["seconds"]) / (b["mb"] - a["mb"])
                mem = (b["peak_mb"] - a["peak_mb"]) / (b["mb"] - a["mb"])
                lines.append(f"\n{verb}, {kind}: {per:.1f} s and {mem:.0f} MB per extra MB")
    lines += ["", "## Crash tests (kill -9 at a random moment)", ""]
    for name in ("crash_build", "crash_learn"):
        rows = r.get(name, [])
        states = {s: sum(x["state"] == s for x in rows) for s in {x["state"] for x in rows}}
        killed = sum(x["killed"] for x in rows)
        reruns = sum(x["rerun_rc"] == 0 for x in rows)
        lines.append(f"- {name}: {len(rows)} runs, {killed} killed mid-run; after the kill: {states}; "
                     f"rerun succeeded {reruns}/{len(rows)}"
                     + (f"; whole after rerun {sum(x['after_rerun'] == 'whole' for x in rows)}/{len(rows)}"
                        if name == "crash_build" else ""))
    lines += ["", "## Damaged indexes", "", "| damage | info | check | verify | build | fix | "
              "whole after fix | check after |", "|---|---|---|---|---|---|---|---|"]
    for row in r.get("damaged", []):
        cells = [f"rc {row[v]['rc']}, {row[v]['stderr_lines']} line(s)"
                 + (", TRACEBACK" if row[v]["traceback"] else "") for v in ("info", "check", "verify", "build")]
        lines.append(f"| {row['damage']} | " + " | ".join(cells)
                     + f" | {row['fix']} (rc {row['fix_rc']}) | {row['verify_after']} | {row['check_after']} |")
    lines += ["", "## Hostile input", ""]
    for name, row in r.get("hostile", {}).items():
        lines.append(f"- {name}: {json.dumps(row, ensure_ascii=True)}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
