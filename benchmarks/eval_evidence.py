"""Condition matching on the labelled pairs (tests/data/evidence/pairs.yaml) and exact eligible sets on the
labelled self-descriptions (tests/data/evidence/descriptions.yaml); calibrates the e5 paraphrase threshold.

Run: .venv/bin/python -m benchmarks.eval_evidence [--no-e5]   (prints a Markdown block for RESULTS.md)
Calibration: among pairs covered in part (words alone leave them weak), the threshold is set just above the
highest e5 similarity of a pair not labelled met, so paraphrase adds no false "met" on the set (precision first).
"""
from __future__ import annotations

import argparse
import sys
import time
from decimal import Decimal
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data" / "evidence"


def pairs(name: str = "pairs.yaml") -> list[dict]:
    out = []
    for entry in yaml.safe_load((DATA / name).read_text(encoding="utf-8")):
        for label in ("met", "not_met", "unstated"):
            out += [{"doc": entry["doc"], "condition": entry["condition"], "clause": c, "label": label}
                    for c in entry.get(label) or []]
    return out


def judge_pairs(items, similarity=None, threshold=None):
    from reasoner.conditiontext import judge_text
    return [judge_text(p["clause"], p["condition"], similarity=similarity, threshold=threshold) for p in items]


def scores(items, judged, state: str) -> dict:
    tp = sum(j[0] == state and p["label"] == state for p, j in zip(items, judged))
    fp = sum(j[0] == state and p["label"] != state for p, j in zip(items, judged))
    fn = sum(j[0] != state and p["label"] == state for p, j in zip(items, judged))
    return {"tp": tp, "fp": fp, "fn": fn, "precision": tp / (tp + fp) if tp + fp else 1.0,
            "recall": tp / (tp + fn) if tp + fn else 1.0}


def calibrate(items, judged) -> float | None:
    """Just above the highest similarity of a partly covered pair not labelled met."""
    sims = [j[3] for p, j in zip(items, judged) if j[3] is not None and p["label"] != "met"]
    return round(max(sims) + 0.0005, 4) if sims else None


def descriptions(name: str = "descriptions.yaml") -> list[dict]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def check_descriptions(cases, similarity=None) -> list[tuple[dict, dict, dict]]:
    """(case, expected {clause: estimate}, got {clause: estimate}) per description."""
    from kg_builder.build import build_source
    from reasoner.assess import assess, eligible_by_clause
    from reasoner.evidence import with_evidence
    from reasoner.model import load_policy
    from reasoner.textprofile import profile_from_text
    out, built = [], {}
    for case in cases:
        doc = case.get("doc", "xicheng_measures_draft")
        if doc not in built:
            path = ROOT / "corpus" / f"{doc}.txt"
            built[doc] = build_source(path if path.exists() else ROOT / "tests" / "data" / "policies" / f"{doc}.txt")
        graph = built[doc].graph
        profile = with_evidence(profile_from_text(case["text"]), case["text"], load_policy(graph), similarity=similarity)
        got = {k: v for k, v in eligible_by_clause(assess(profile, graph)).items()}
        want = {str(k): (Decimal(str(v)) if v is not None else None) for k, v in (case.get("eligible") or {}).items()}
        out.append((case, want, got))
    return out


def set_scores(results) -> dict:
    exact = sum(w == g for _, w, g in results)
    tp = sum(len(set(w) & set(g)) for _, w, g in results)
    fp = sum(len(set(g) - set(w)) for _, w, g in results)
    return {"n": len(results), "exact": exact, "accuracy": exact / len(results) if results else 1.0,
            "eligible_tp": tp, "eligible_fp": fp, "precision": tp / (tp + fp) if tp + fp else 1.0,
            "english_or_mixed": sum(bool(c.get("english")) for c, _, _ in results)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-e5", action="store_true", help="words only (no paraphrase similarity)")
    args = ap.parse_args(argv)
    similarity = None
    if not args.no_e5:
        from qa_app.encoder import paraphrase_similarity
        similarity = paraphrase_similarity()
    for suffix in ("", "_heldout"):
        report(suffix, similarity)
    return 0


def report(suffix: str, similarity) -> None:
    items = pairs(f"pairs{suffix}.yaml")
    t0 = time.perf_counter()
    words_only = judge_pairs(items)
    calibrated = None
    if similarity:
        raw = judge_pairs(items, similarity, threshold=2.0)
        calibrated = calibrate(items, raw) if not suffix else None
        judged = judge_pairs(items, similarity)
    else:
        judged = words_only
    elapsed = time.perf_counter() - t0
    docs = len({p["doc"] for p in items})
    print(f"## pairs{suffix}: {len(items)} over {docs} documents "
          f"(met {sum(p['label'] == 'met' for p in items)}, not_met {sum(p['label'] == 'not_met' for p in items)}, "
          f"unstated {sum(p['label'] == 'unstated' for p in items)}); {elapsed:.1f} s")
    for name, js in (("words only", words_only), ("words + e5", judged)):
        m, n = scores(items, js, "met"), scores(items, js, "not_met")
        print(f"| {name} | met P {m['precision']:.3f} R {m['recall']:.3f} (tp {m['tp']}, fp {m['fp']}, fn {m['fn']}) "
              f"| not_met P {n['precision']:.3f} R {n['recall']:.3f} (tp {n['tp']}, fp {n['fp']}, fn {n['fn']}) |")
    if calibrated is not None:
        print(f"calibrated paraphrase threshold (highest non-met partial pair + 0.0005): {calibrated}")
    for p, j in zip(items, judged):
        if (j[0] == "met") != (p["label"] == "met") or (j[0] == "not_met") != (p["label"] == "not_met"):
            print(f"  miss: {p['label']:8} got {j[0]:8} ({j[2]}, cov {j[1]:.2f}, sim {j[3]}) {p['condition']} <- {p['clause']}")
    results = check_descriptions(descriptions(f"descriptions{suffix}.yaml"), similarity)
    s = set_scores(results)
    print(f"descriptions{suffix}: {s['n']} ({s['english_or_mixed']} English or mixed): exact-set accuracy "
          f"{s['accuracy']:.3f} ({s['exact']}/{s['n']}), eligible precision {s['precision']:.3f} "
          f"(tp {s['eligible_tp']}, fp {s['eligible_fp']})")
    for case, want, got in results:
        if want != got:
            print(f"  {case['text'][:50]}: want {want} got {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
