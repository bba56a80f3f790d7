"""Eligibility checks: fast path (shapes compiled to SPARQL, pyoxigraph) against pyshacl, the reference.

For each size, the fast path and pyshacl each run in a fresh subprocess (so peak memory is per engine and
size); pyshacl validates the same enterprises in chunks of --chunk (validation is per focus node, and one
report graph for 100,000 enterprises would not fit). Outcomes are compared by a digest of the sorted
{(enterprise, check): outcome} map. Then single-profile latency of `assess` (warm, p50/p95).

Usage: python benchmarks/bench_check.py [--sizes 1000 10000 100000] [--shacl-max 100000] [--chunk 1000]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from decimal import Decimal

from kg_builder.build import build_source
from kg_builder.config import DEFAULT_CORPUS
from reasoner.model import condition_vocabulary, load_policy
from reasoner.profile import Profile

STATUSES = ["new", "renewed", "held", "none"]


def synthetic(policy, n: int, seed: int = 7) -> dict:
    """n profiles using the concepts the policy's conditions name, amounts spread around its thresholds."""
    v = condition_vocabulary(policy)
    quals, quants, flags = v.qualifications, v.thresholds, v.flags
    inds, names = sorted({"A", "C", *v.industries}), sorted(v.thresholds)
    rnd = random.Random(seed)
    out = {}
    for i in range(n):
        amounts = {}
        for q in rnd.sample(names, min(2, len(names))):
            amounts[q] = (rnd.choice(quants[q]) * Decimal(rnd.choice(["0.5", "1", "1.5", "3"]))).quantize(Decimal(1))
        out[f"https://example.org/e{i}"] = Profile(
            qualifications={q: rnd.choice(STATUSES) for q in rnd.sample(quals, min(2, len(quals)))},
            quantities=amounts, flags={f: rnd.random() < 0.6 for f in rnd.sample(flags, min(2, len(flags)))},
            industry=rnd.choice([None, *inds]))
    return out


def digest(outcomes: dict) -> str:
    h = hashlib.sha256()
    for (e, check), outcome in sorted(outcomes.items()):
        h.update(f"{e}\t{check}\t{outcome}\n".encode())
    return h.hexdigest()[:16]


def worker(engine: str, n: int, chunk: int) -> None:
    policy = load_policy(build_source(DEFAULT_CORPUS).graph)
    data = synthetic(policy, n)
    if engine == "fast":
        from reasoner.fast import compile_checks, run_embedded
        compile_checks(policy)  # compiling is per policy, not per run
        t = time.perf_counter()
        out = run_embedded(data, policy)
    else:
        from reasoner.rdfprofile import to_rdflib
        from reasoner.shapes import shapes_graph, validate_shacl
        shapes = shapes_graph(policy)
        items, out = list(data.items()), {}
        t = time.perf_counter()
        for i in range(0, n, chunk):
            out.update(validate_shacl(to_rdflib(dict(items[i:i + chunk]), policy), policy, shapes=shapes))
    seconds = time.perf_counter() - t
    print(json.dumps({"seconds": seconds, "digest": digest(out), "results": len(out),
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def run_worker(engine: str, n: int, chunk: int) -> dict:
    cmd = [sys.executable, __file__, "--worker", engine, "--sizes", str(n), "--chunk", str(chunk)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def latency(runs: int = 200) -> tuple[float, float]:
    from reasoner.assess import assess
    graph = build_source(DEFAULT_CORPUS).graph
    one = next(iter(synthetic(load_policy(graph), 1).values()))
    for _ in range(5):
        assess(one, graph)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        assess(one, graph)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * runs) - 1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--shacl-max", type=int, default=100000, help="largest size pyshacl is run on")
    ap.add_argument("--chunk", type=int, default=1000)
    ap.add_argument("--worker", choices=["fast", "shacl"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        return worker(args.worker, args.sizes[0], args.chunk)
    print(f"{'enterprises':>11} {'fast s':>8} {'fast MB':>8} {'pyshacl s':>10} {'pyshacl MB':>10} {'ratio':>7} identical",
          flush=True)
    for n in args.sizes:
        fast = run_worker("fast", n, args.chunk)
        if n <= args.shacl_max:
            ref = run_worker("shacl", n, args.chunk)
            same = fast["digest"] == ref["digest"] and fast["results"] == ref["results"]
            print(f"{n:>11} {fast['seconds']:>8.2f} {fast['rss_mb']:>8.0f} {ref['seconds']:>10.1f} "
                  f"{ref['rss_mb']:>10.0f} {ref['seconds'] / fast['seconds']:>7.0f} {same}", flush=True)
        else:
            print(f"{n:>11} {fast['seconds']:>8.2f} {fast['rss_mb']:>8.0f} {'—':>10} {'—':>10} {'—':>7} —", flush=True)
    p50, p95 = latency()
    print(f"single profile (assess, warm): p50 {p50:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
