"""The corpus folder as one library: time to build every document (policies, guides, links, union graph) and
to answer a question over all documents (BM25 + dense, embeddings cached), with the library's size.

    .venv/bin/python benchmarks/bench_library.py [--rounds 3]
"""
from __future__ import annotations

import argparse
import statistics
import time

from kg_builder.config import DEFAULT_LIBRARY
from kg_builder.library import build_library


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    times = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        lib = build_library(DEFAULT_LIBRARY)
        times.append(time.perf_counter() - t)
    kinds = [d.kind for d in lib.documents.values()]
    print(f"documents: {len(kinds)} ({kinds.count('guide')} guides); triples: {len(lib.graph)}; "
          f"guide links: {sum(len(v) for v in lib.links.values())}")
    print(f"build_library: first {times[0]:.2f} s, median of the rest "
          f"{statistics.median(times[1:] or times):.2f} s")
    from qa_app.answer import ask, index_from_library
    t = time.perf_counter()
    index = index_from_library(lib)
    print(f"index over {len(index.passages)} clauses: {time.perf_counter() - t:.2f} s (embeddings cached after the first)")
    qs = ["航运企业租金补贴", "孵化器支持资金上限", "技改后奖补办事指南的申请时间", "总部企业办公用房租金补贴"]
    lat = []
    for q in qs * 5:
        t = time.perf_counter()
        ask(q, index=index, k=3)
        lat.append(time.perf_counter() - t)
    lat.sort()
    print(f"ask over the library: p50 {lat[len(lat) // 2] * 1000:.0f} ms, p95 {lat[int(len(lat) * 0.95) - 1] * 1000:.0f} ms")


if __name__ == "__main__":
    main()
