"""Load benchmark of ``unspin serve`` on loopback (a script, not a test).

1. Builds (or reuses) the benchmark's reference index: BBC News + Reuters-21578 as the benchmark
   reads them (``unspin.bench.corpus.load_corpus``), or the first ``--articles`` of them.
2. Makes the suspects: ``--suspects`` indexed articles drawn at random, spun at 30% with the Moby
   thesaurus (the benchmark's spinner), half of them cut to their first half.
3. Measures the CLI's one-core throughput on them in this run: ``unspin check --json
   --no-tortured --no-learn`` over the suspect files, less the start-up time (a one-suspect run).
4. Starts ``unspin serve --workers W`` and, for 1, 8 and 32 concurrent clients (each with its own
   keep-alive connection), POSTs the suspects to ``/api/check`` (``tortured=false``, the same work
   as the CLI run) for ``--seconds`` each, recording latencies, errors and the server's resident
   memory (all its processes) once a second, and its CPU time (user + system, all processes).

"Per core" is given two ways: requests/s divided by the server's processes (wall clock; on a
shared machine it moves with everyone else's load), and requests per CPU-second the server used,
set against the CLI's suspects per CPU-second (robust to other load, so the one the target reads).

Writes ``benchmarks/results/web_load.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
UNSPIN = [sys.executable, "-m", "unspin"]


def build_index(path: Path, data: Path, limit: int) -> int:
    from unspin import Index
    from unspin.bench.corpus import load_corpus

    if (path / "unspin.sqlite").exists():
        with Index.open(path, readonly=True) as index:
            return len(index)
    articles = load_corpus(data)
    if limit:
        articles = articles[:limit]
    with Index.create(path) as index:
        index.add(articles, workers=2)
        return len(index)


def make_suspects(index_dir: Path, n: int, seed: int) -> list[str]:
    from unspin import Index
    from unspin.bench.spinner import Spinner
    from unspin.bench.thesauri import spinner_synonyms

    rng = random.Random(seed)
    synonyms, _ = spinner_synonyms("moby")
    spinner = Spinner(synonyms)
    with Index.open(index_dir, readonly=True) as index:
        ids = list(index.storage.ids())
        texts: list[str] = []
        for aid in rng.sample(ids, n):
            article = index.get(aid)
            assert article is not None
            text = spinner.spin(article.text, 0.3, rng).text
            texts.append(text[: len(text) // 2] if len(texts) % 2 else text)
    return texts


def cli_throughput(index_dir: Path, texts: list[str], repeat: int = 2) -> dict[str, float]:
    """Suspects per second of one ``unspin check`` process pinned to one core.

    Start-up (imports, models, the first check's caches) is taken out by difference: a run over
    the suspects ``repeat`` times less a run over the first tenth of them once."""
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, text in enumerate(texts * repeat):
            p = Path(tmp) / f"s{i:05d}.txt"
            p.write_text(text, encoding="utf-8")
            paths.append(str(p))
        base = ["taskset", "-c", "0", *UNSPIN, "check", "--json", "--no-tortured", "--no-learn",
                "-q", "--index", str(index_dir)]
        env = {**os.environ, "OMP_NUM_THREADS": "1"}
        small = paths[: max(1, len(texts) // 10)]
        timings, cpu = {}, {}
        for name, chosen in (("small", small), ("all", paths)):
            t0, c0 = time.perf_counter(), children_cpu_s()
            subprocess.run([*base, *chosen], check=True, stdout=subprocess.DEVNULL, env=env)
            timings[name] = time.perf_counter() - t0
            cpu[name] = children_cpu_s() - c0
    work = max(timings["all"] - timings["small"], 1e-9)
    n = len(paths) - len(small)
    cpu_work = max(cpu["all"] - cpu["small"], 1e-9)
    return {"suspects": n, "seconds": work, "small_run_s": timings["small"],
            "all_run_s": timings["all"], "per_s": n / work, "cpu_s": cpu_work,
            "per_cpu_s": n / cpu_work}


def children_cpu_s() -> float:
    """CPU seconds (user + system) of this process's finished children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its live descendants."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in tree_pids(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            continue
    return total


def tree_pids(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def tree_rss_mib(pid: int) -> float:
    """Resident memory of ``pid`` and its descendants, MiB (from /proc)."""
    total = 0.0
    for p in tree_pids(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return total


class Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[tuple[float, float]] = []
        self.stop = threading.Event()
        self.t0 = time.monotonic()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append((round(time.monotonic() - self.t0, 1), round(tree_rss_mib(self.pid), 1)))
            self.stop.wait(1.0)


def client(port: int, texts: list[str], until: float, rng: random.Random,
           out: list[tuple[float, int]]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    while time.monotonic() < until:
        body = urllib.parse.urlencode({"text": rng.choice(texts), "tortured": "false"})
        t0 = time.perf_counter()
        try:
            conn.request("POST", "/api/check", body=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
            resp = conn.getresponse()
            resp.read()
            status = resp.status
        except (OSError, http.client.HTTPException):
            status = -1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        out.append((time.perf_counter() - t0, status))
    conn.close()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 \
        else values[0]


def load_phase(port: int, texts: list[str], clients: int, seconds: float) -> dict[str, Any]:
    results: list[list[tuple[float, int]]] = [[] for _ in range(clients)]
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(port, texts, until, random.Random(i), results[i]))
               for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    flat = [r for rs in results for r in rs]
    ok = [lat * 1000 for lat, status in flat if status == 200]
    return {"clients": clients, "requests": len(flat), "ok": len(ok),
            "errors": len(flat) - len(ok), "wall_s": round(wall, 2),
            "per_s": round(len(ok) / wall, 2), "p50_ms": round(pct(ok, 50), 1),
            "p95_ms": round(pct(ok, 95), 1), "p99_ms": round(pct(ok, 99), 1)}


def wait_up(port: int, proc: subprocess.Popen[bytes]) -> None:
    for _ in range(600):
        if proc.poll() is not None:
            raise SystemExit("unspin serve exited")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/index")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("unspin serve did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--index", default="/tmp/unspin-web-load-index")
    parser.add_argument("--articles", type=int, default=0, help="0 = the whole corpus")
    parser.add_argument("--suspects", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per server process")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "web_load.json"))
    args = parser.parse_args()

    index_dir = Path(args.index)
    t0 = time.perf_counter()
    n_articles = build_index(index_dir, Path(args.data), args.articles)
    print(f"index: {n_articles} articles ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    texts = make_suspects(index_dir, args.suspects, args.seed)
    cli = cli_throughput(index_dir, texts)
    print(f"CLI, one core: {cli['per_s']:.1f} suspects/s", file=sys.stderr)

    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen([*UNSPIN, "serve", "--index", str(index_dir), "--port", str(args.port),
                             "--workers", str(args.workers), "--threads", str(args.threads)],
                            env=env)
    phases = []
    try:
        wait_up(args.port, proc)
        sampler = Sampler(proc.pid)
        sampler.start()
        load_phase(args.port, texts, 2 * args.workers, 5.0)  # warm every worker
        for clients in (int(c) for c in args.clients.split(",")):
            start = len(sampler.samples)
            cpu0 = tree_cpu_s(proc.pid)
            phase = load_phase(args.port, texts, clients, args.seconds)
            phase["server_cpu_s"] = round(tree_cpu_s(proc.pid) - cpu0, 2)
            phase["per_cpu_s"] = round(phase["ok"] / max(phase["server_cpu_s"], 1e-9), 2)
            phase["per_cpu_s_vs_cli"] = round(phase["per_cpu_s"] / cli["per_cpu_s"], 3)
            rss = [m for _, m in sampler.samples[start:]] or [tree_rss_mib(proc.pid)]
            phase["rss_mib_start"], phase["rss_mib_end"], phase["rss_mib_max"] = rss[0], rss[-1], max(rss)
            phase["per_s_per_core"] = round(phase["per_s"] / args.workers, 2)
            phase["vs_cli_one_core"] = round(phase["per_s_per_core"] / cli["per_s"], 3)
            phases.append(phase)
            print(json.dumps(phase), file=sys.stderr)
        sampler.stop.set()
        sampler.join()
    finally:
        proc.terminate()
        proc.wait(30)
    out = {"index_articles": n_articles, "suspects": len(texts), "seconds_per_phase": args.seconds,
           "workers": args.workers, "threads": args.threads, "cpus": os.cpu_count(), "cli": cli,
           "phases": phases, "rss_samples": sampler.samples}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(out, indent=1), encoding="utf-8")
    print("| clients | requests/s | per core (wall) | vs CLI | per server CPU-second | vs CLI "
          "| p50 ms | p95 ms | p99 ms | errors | server RSS MiB (start → end, max) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for p in phases:
        print(f"| {p['clients']} | {p['per_s']} | {p['per_s_per_core']} | {p['vs_cli_one_core']:.0%} "
              f"| {p['per_cpu_s']} | {p['per_cpu_s_vs_cli']:.0%} "
              f"| {p['p50_ms']} | {p['p95_ms']} | {p['p99_ms']} | {p['errors']} "
              f"| {p['rss_mib_start']:.0f} → {p['rss_mib_end']:.0f}, {p['rss_mib_max']:.0f} |")
    print(f"\nCLI, one core: {cli['per_s']:.1f} suspects/s (wall), {cli['per_cpu_s']:.1f} per "
          f"CPU-second, over {cli['suspects']} suspects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
