"""Fast path (pyoxigraph) vs pyshacl on synthetic enterprises; single-profile latency; peak memory.

Usage: python benchmarks/bench_check.py [--sizes 1000 10000 100000] [--shacl-max 1000]
"""
from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
from decimal import Decimal

from kg_builder.build import build_source
from kg_builder.config import DEFAULT_CORPUS
from reasoner.assess import assess
from reasoner.fast import run_embedded
from reasoner.model import load_policy
from reasoner.profile import Profile
from reasoner.rdfprofile import to_rdflib
from reasoner.shapes import shapes_graph, validate_shacl

QUALS = ["HighTechEnterprise", "LittleGiant", "PotentialUnicorn", "ForeignRDCenter", "BeijingSRDI"]
QUANTS = ["rdExpense", "techContractTurnover", "investmentAmount", "municipalFunds", "interestPaid"]
FLAGS = ["rdRatioAboveTarget", "techContractRegistered", "mergerByBankLoan"]


def synthetic(n: int, seed: int = 7) -> dict:
    rnd = random.Random(seed)
    out = {}
    for i in range(n):
        out[f"https://example.org/e{i}"] = Profile(
            qualifications={q: rnd.choice(["new", "renewed", "held", "none"]) for q in rnd.sample(QUALS, 2)},
            quantities={q: Decimal(rnd.randrange(0, 300)) * 100000 for q in rnd.sample(QUANTS, 2)},
            flags={f: rnd.random() < 0.6 for f in rnd.sample(FLAGS, 2)}, industry=rnd.choice(["I", "M", "C", None]))
    return out


def timed(fn):
    t = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000, 100000])
    ap.add_argument("--shacl-max", type=int, default=100)
    args = ap.parse_args()
    graph = build_source(DEFAULT_CORPUS).graph
    policy, shapes = load_policy(graph), None
    shapes = shapes_graph(policy)
    print(f"{'enterprises':>11} {'fast s':>8} {'pyshacl s':>10} {'ratio':>7} identical")
    for n in args.sizes:
        data = synthetic(n)
        fast, tf = timed(lambda: run_embedded(data, policy))
        if n <= args.shacl_max:
            ref, ts = timed(lambda: validate_shacl(to_rdflib(data, policy), policy, shapes=shapes))
            print(f"{n:>11} {tf:>8.2f} {ts:>10.2f} {ts / tf:>7.1f} {fast == ref}")
        else:
            print(f"{n:>11} {tf:>8.2f} {'—':>10} {'—':>7} —")
    one = next(iter(synthetic(1).values()))
    for _ in range(5):
        assess(one, graph)
    lat = sorted(timed(lambda: assess(one, graph))[1] * 1000 for _ in range(100))
    print(f"single profile warm: p50 {statistics.median(lat):.1f} ms, p95 {lat[94]:.1f} ms")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
