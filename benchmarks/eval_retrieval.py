"""Top-1, top-3 and MRR of BM25 alone, dense alone and the fusions, on the dev set and our own set.

    python benchmarks/eval_retrieval.py [--model NAME] [--weights 0.3,0.5,0.7] [--misses]
"""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import yaml

from kg_builder.build import build_source
from kg_builder.config import DEFAULT_CORPUS
from qa_app.retrieval import RESOURCES, RetrievalConfig, all_scores, build_index

DEV = Path(__file__).resolve().parents[1] / "tests/data/devset" / "questions.json"  # copy of ../shared/dev (test_devset_copy)
EXTRA = RESOURCES / "questions_extra.yaml"


def load_sets() -> dict[str, list[dict]]:
    sets = {}
    if DEV.exists():
        sets["dev"] = json.loads(DEV.read_text(encoding="utf-8"))
    sets["extra"] = yaml.safe_load(EXTRA.read_text(encoding="utf-8"))
    return sets


def first_hit(scores: np.ndarray, clauses: list[str], expect: list[str]) -> int | None:
    """1-based rank of the first expected clause, or None."""
    for rank, i in enumerate(np.argsort(-scores, kind="stable"), 1):
        if clauses[i] in expect:
            return rank
    return None


def evaluate(cases: list[dict], index) -> tuple[dict[str, dict[str, float]], dict[str, list]]:
    clauses = [p.clause for p in index.passages]
    ranks: dict[str, list] = {}
    for case in cases:
        for method, scores in all_scores(case["q"], index=index).items():
            ranks.setdefault(method, []).append(first_hit(scores, clauses, case["expect"]))
    table = {m: dict(top1=np.mean([r == 1 for r in rs]), top3=np.mean([bool(r and r <= 3) for r in rs]),
                     mrr=np.mean([1 / r if r else 0 for r in rs])) for m, rs in ranks.items()}
    return table, ranks


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    ap.add_argument("--weights", default="0.5")
    ap.add_argument("--misses", action="store_true", help="list questions whose expected clause is not top 1")
    args = ap.parse_args()
    r = build_source(DEFAULT_CORPUS)
    base = build_index(r.text, r.extraction.structure, document=r.doc_id, config=RetrievalConfig(model=args.model))
    print(f"model: {base.encoder.name}")
    for name, cases in load_sets().items():
        for w in [float(x) for x in args.weights.split(",")]:
            index = replace(base, config=replace(base.config, dense_weight=w))
            table, ranks = evaluate(cases, index)
            print(f"\n{name} ({len(cases)} questions), weighted uses dense_weight={w}")
            print(f"{'method':10} {'top1':>6} {'top3':>6} {'MRR':>6}")
            for method, row in table.items():
                print(f"{method:10} {row['top1']:6.3f} {row['top3']:6.3f} {row['mrr']:6.3f}")
        if args.misses:
            for case, *rs in zip(cases, *ranks.values()):
                if any(x != 1 for x in rs):
                    print("  ", dict(zip(ranks, rs)), case["expect"], case["q"])


if __name__ == "__main__":
    main()
