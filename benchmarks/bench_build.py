"""Build time of the Xicheng graph (warm, excluding interpreter start) and parser throughput on a large
synthetic policy. Prints ratios against a baseline measured in the same run (a plain line split of the
same text), so numbers compare across machines.

    .venv/bin/python benchmarks/bench_build.py [--rounds 5] [--articles 2000]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from kg_builder.build import build_source
from kg_builder.outline import parse_structure

ROOT = Path(__file__).resolve().parents[1]


def timed(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def large_policy(n: int) -> str:
    try:
        from kg_builder.samples import make_large_policy
        return make_large_policy(n)
    except ImportError:  # fall back to repeating the Xicheng articles with new numbers
        import cn2an
        body = (ROOT / "corpus/xicheng_measures_draft.txt").read_text(encoding="utf-8")
        art = body[body.index("第三条"):body.index("第四条")].split("\n", 1)[1]
        return "\n".join(f"第{cn2an.an2cn(i)}条 第{i}项措施\n{art}" for i in range(1, n + 1))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--articles", type=int, default=2000)
    args = ap.parse_args()
    corpus = ROOT / "corpus/xicheng_measures_draft.txt"
    cold = timed(lambda: build_source(corpus), 1)[0]
    warm = timed(lambda: build_source(corpus), args.rounds)
    text = large_policy(args.articles)
    lines = text.count("\n") + 1
    parse = statistics.median(timed(lambda: parse_structure(text), 3))
    baseline = statistics.median(timed(lambda: [ln.strip() for ln in text.splitlines()], 3))
    print(f"xicheng build: cold {cold:.3f} s (first call: spaCy/jieba load), warm median {statistics.median(warm):.3f} s "
          f"(min {min(warm):.3f}, max {max(warm):.3f}, {args.rounds} rounds)")
    print(f"parser: {lines} lines in {parse:.3f} s = {lines / parse:,.0f} lines/s; "
          f"plain line split {baseline:.4f} s; ratio parser/split = {parse / baseline:.0f}x")


if __name__ == "__main__":
    main()
