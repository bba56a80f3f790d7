"""Whole batch path of `policykg check enterprises.csv --out results.csv`: CSV parsing, compiled checks over
chunks, per-enterprise decisions and awards, results CSV. Baseline in the same run: the same profiles
through `assess` one at a time (the path a loop over single profiles would take), on the first --baseline rows.

Usage: python benchmarks/bench_batch.py [--rows 100000] [--baseline 500]
"""
from __future__ import annotations

import argparse
import csv
import io
import resource
import time

from bench_check import synthetic
from kg_builder.build import build_source
from kg_builder.config import DEFAULT_CORPUS
from reasoner.assess import assess
from reasoner.batch import SUMMARY_FIELDS, assess_many, summary_row
from reasoner.csvprofile import profiles_from_csv
from reasoner.model import load_policy


def to_csv(profiles: dict) -> str:
    cols = sorted({k for p in profiles.values() for k in (*p.qualifications, *p.quantities, *p.flags)})
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["id", "industry", *cols])
    for i, p in enumerate(profiles.values()):
        facts = {**p.qualifications, **p.quantities, **{k: str(v).lower() for k, v in p.flags.items()}}
        w.writerow([f"e{i}", p.industry or "", *(facts.get(c, "") for c in cols)])
    return out.getvalue()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100000)
    ap.add_argument("--baseline", type=int, default=500)
    args = ap.parse_args()
    graph = build_source(DEFAULT_CORPUS).graph
    text = to_csv(synthetic(load_policy(graph), args.rows))
    t = time.perf_counter()
    sink = io.StringIO()
    writer = csv.DictWriter(sink, fieldnames=SUMMARY_FIELDS)
    for key, item in assess_many(profiles_from_csv(text, source="bench.csv"), graph):
        writer.writerow(summary_row(key, item))
    batch = time.perf_counter() - t
    rows = list(profiles_from_csv(text, source="bench.csv"))[:args.baseline]
    t = time.perf_counter()
    for _, p in rows:
        assess(p, graph)
    one_by_one = (time.perf_counter() - t) / len(rows) * args.rows
    print(f"rows {args.rows}: batch {batch:.1f} s ({args.rows / batch:.0f} rows/s); one at a time "
          f"{one_by_one:.0f} s (extrapolated from {len(rows)}); ratio {one_by_one / batch:.1f}×; "
          f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
