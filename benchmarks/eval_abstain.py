"""Precision and recall of abstention ("本库政策未涉及") on tests/data/abstain/questions.yaml, and a grid over the
thresholds of qa_app.abstain, over one index of every document of the corpus folder (what `ask --corpus corpus` uses).

    python benchmarks/eval_abstain.py [--corpus corpus] [--grid] [--misses]

Precision: of the questions we abstain on, the share that are out of scope. Recall: of the out-of-scope
questions, the share we abstain on. The in-scope dev questions (tests/data/devset) must never abstain.
"""
from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import replace
from pathlib import Path

import yaml

from qa_app.abstain import abstain_reason, corpus_text_of
from qa_app.retrieval import RESOURCES, ClauseIndex, RetrievalConfig, all_scores

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "tests/data/abstain/questions.yaml"
DEV = ROOT / "tests/data/devset/questions.json"


def corpus_index(corpus: Path, config: RetrievalConfig = RetrievalConfig()) -> tuple[ClauseIndex, object]:
    """The index `ask` uses for a corpus folder or file (every document, guides included) and its graph."""
    from qa_app.answer import load_index

    index = load_index(corpus, config)
    return index, index.extras.get("graph")


def load_cases() -> tuple[list[dict], list[dict], list[dict]]:
    data = yaml.safe_load(SET.read_text(encoding="utf-8"))
    dev = json.loads(DEV.read_text(encoding="utf-8"))
    extra = yaml.safe_load((RESOURCES / "questions_extra.yaml").read_text(encoding="utf-8"))
    return data["in_scope"], data["out_of_scope"], dev + extra


def score_cases(index: ClauseIndex, cases: list[dict], *, bm25_only: bool = False) -> list[dict]:
    out = []
    for c in cases:
        scores = all_scores(c["q"], index=index)
        if bm25_only:
            scores = {"bm25": scores["bm25"]}
        out.append({**c, "scores": scores})
    return out


def measure(scored_in: list[dict], scored_out: list[dict], config, corpus_text: str) -> dict:
    """Precision/recall of abstention; `wrong` lists in-scope questions abstained on and out-of-scope ones answered."""
    abst_in = [c for c in scored_in if abstain_reason(c["q"], c["scores"], config, corpus_text)]
    abst_out = [c for c in scored_out if abstain_reason(c["q"], c["scores"], config, corpus_text)]
    n = len(abst_in) + len(abst_out)
    return {"precision": len(abst_out) / n if n else 1.0, "recall": len(abst_out) / len(scored_out) if scored_out else 1.0,
            "abstained_in_scope": [c["q"] for c in abst_in],
            "answered_out_of_scope": [c["q"] for c in scored_out if c not in abst_out]}


def grid(scored_in, scored_out, config, corpus_text) -> list[tuple]:
    """(in-scope abstained, -out-of-scope abstained, thresholds…), best first: no in-scope abstention, then recall."""
    rows = []
    for bhi, dhi, dlo, blo in itertools.product((2.3, 2.7, 3.1, 3.9), (0.9, 0.905, 0.91), (0.86, 0.87, 0.88),
                                                (1.0, 1.35, 1.75, 2.3)):
        cfg = replace(config, abstain_bm25_high=bhi, abstain_dense_high=dhi, abstain_dense_low=dlo, abstain_bm25=blo)
        m = measure(scored_in, scored_out, cfg, corpus_text)
        rows.append((len(m["abstained_in_scope"]), -round(m["recall"] * len(scored_out)), bhi, dhi, dlo, blo))
    return sorted(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--grid", action="store_true", help="precision/recall over a grid of thresholds")
    ap.add_argument("--misses", action="store_true", help="list the questions decided wrongly")
    args = ap.parse_args()
    config = RetrievalConfig()
    index, graph = corpus_index(args.corpus, config)
    text = corpus_text_of(graph)
    ins, outs, dev = load_cases()
    scored_in, scored_out, scored_dev = (score_cases(index, c) for c in (ins, outs, dev))
    print(f"{len(ins)} in-scope, {len(outs)} out-of-scope ({sum(1 for c in outs if c.get('hard'))} hard), "
          f"{len(dev)} dev in-scope; {len(index.passages)} clauses in {args.corpus}")
    for name, (si, so, cfg) in {"hybrid (default)": (scored_in, scored_out, config),
                                "BM25 only": ([{**c, "scores": {"bm25": c["scores"]["bm25"]}} for c in scored_in],
                                              [{**c, "scores": {"bm25": c["scores"]["bm25"]}} for c in scored_out],
                                              config)}.items():
        m = measure(si, so, cfg, text)
        print(f"{name}: precision {m['precision']:.3f}  recall {m['recall']:.3f}  "
              f"in-scope abstained {len(m['abstained_in_scope'])}/{len(si)}")
        if args.misses:
            print("  abstained, in scope:", m["abstained_in_scope"])
            print("  answered, out of scope:", m["answered_out_of_scope"])
    d = measure(scored_dev, [], config, text)
    print(f"dev + own retrieval sets: {len(d['abstained_in_scope'])}/{len(dev)} abstained {d['abstained_in_scope']}")
    if args.grid:
        for row in grid(scored_in + scored_dev, scored_out, config, text)[:15]:
            print("in-scope abstained %d, out-of-scope abstained %d: bm25_high %.2f dense_high %.3f dense_low %.3f "
                  "bm25 %.2f" % (row[0], -row[1], *row[2:]))
        for t in (1.0, 1.35, 1.75, 2.1, 2.5):
            cfg = replace(config, abstain_bm25_only=t)
            strip = lambda cs: [{**c, "scores": {"bm25": c["scores"]["bm25"]}} for c in cs]  # noqa: E731
            m = measure(strip(scored_in + scored_dev), strip(scored_out), cfg, text)
            print(f"BM25 only {t}: precision {m['precision']:.3f} recall {m['recall']:.3f}")


if __name__ == "__main__":
    main()
