"""Model load time and warm per-question latency (p50/p95) of `qa_app.answer.ask`.

    python benchmarks/bench_ask.py [--model NAME] [--repeat 3]
Questions: the dev set and qa_app/resources/questions_extra.yaml; self-descriptions (which also
run the eligibility check) are timed separately.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from benchmarks.eval_retrieval import load_sets
from kg_builder.build import build_source
from kg_builder.config import DEFAULT_CORPUS
from qa_app.answer import ask, describes_enterprise, index_from_build
from qa_app.retrieval import RetrievalConfig

SELF_DESCRIPTIONS = ["我们是今年新认定的国家高新技术企业，年度研发费用1500万元，能申请哪些？",
                     "我司是国家级专精特新小巨人企业，能申请什么？"]


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, (time.perf_counter() - t) * 1000


def latencies(questions: list[str], index, repeat: int) -> np.ndarray:
    ask(questions[0], index=index)  # warm-up
    return np.array([timed(lambda: ask(q, index=index))[1] for _ in range(repeat) for q in questions])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    result, build_ms = timed(lambda: build_source(DEFAULT_CORPUS))
    from qa_app.encoder import load_encoder
    encoder, load_ms = timed(lambda: load_encoder(args.model))
    index, index_ms = timed(lambda: index_from_build(result, config=RetrievalConfig(model=args.model),
                                                     encoder=encoder))
    print(f"build graph {build_ms:.0f} ms; load encoder {encoder.name} {load_ms:.0f} ms; "
          f"index (embeddings cached) {index_ms:.0f} ms")
    plain = [c["q"] for cases in load_sets().values() for c in cases if not describes_enterprise(c["q"])]
    for name, qs in (("retrieval only", plain), ("with eligibility", SELF_DESCRIPTIONS)):
        ms = latencies(qs, index, args.repeat)
        print(f"{name:17} n={len(ms):4}  p50 {np.percentile(ms, 50):6.1f} ms  p95 {np.percentile(ms, 95):6.1f} ms")


if __name__ == "__main__":
    main()
