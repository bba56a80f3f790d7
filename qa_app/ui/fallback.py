"""Stand-ins used only while reasoner.assess / qa_app.retrieval are not importable. They read the same
measures_json view and return the same JSON shapes, so pages do not change when the real modules land."""
from __future__ import annotations

from decimal import Decimal

CAPS = ("max_per_item", "max_per_event", "max_per_investee", "max_annual", "max_total")


def assess(profile: dict, measures: list[dict], lex, *, same_project=()) -> dict:
    """`profile` in reasoner.schema's shape; `same_project` a list of groups of measure ids."""
    from .profile import base_quantity
    flat = {**profile.get("qualifications", {}), **profile.get("quantities", {}), **profile.get("flags", {})}
    if profile.get("industry"):
        flat["industry"] = profile["industry"]
    results = [_measure(m, flat, lex, base_quantity) for m in measures]
    out = {"profile": profile, "results": results}
    for group in same_project:
        no_duplication(out, group)
    return no_duplication(out, ()) if not same_project else out


def _measure(m: dict, profile: dict, lex, base_of) -> dict:
    unmet, missing, reasons = [], [], []
    for c in m["conditions"]:
        state, why = _condition(c, profile, lex)
        {"unmet": unmet, "missing": missing, "met": reasons}.get(state, []).append(why)
    status = "ineligible" if unmet else "needs_info" if missing else "eligible"
    estimate, cap = _award(m, profile, lex, base_of, missing)
    if status == "eligible" and missing:
        status = "needs_info"
    return {"clause": m["clause"], "measure": m["id"], "label": m["label"], "status": status,
            "estimate_yuan": estimate if status == "eligible" else None, "cap_yuan": cap,
            "reasons": reasons + unmet, "missing": missing, "citation": m["citation"],
            "structured": any(c["kind"] != "text" for c in m["conditions"])}


def _condition(c: dict, profile: dict, lex) -> tuple[str, str]:
    kind, concepts = c["kind"], c.get("concepts", [])
    name = lambda cid: lex.concepts[cid].zh if cid in lex.concepts else cid  # noqa: E731
    if kind == "qualification":
        held = [q for q in concepts if q in profile]
        if not held:
            return "unmet", f"未持有：{'、'.join(map(name, concepts))}"
        if c.get("status") and profile[held[0]] not in (c["status"],):
            return "unmet", f"{name(held[0])}须为{'新认定' if c['status'] == 'new' else '复审通过'}"
        return "met", f"持有{name(held[0])}"
    if kind == "threshold":
        q = c["quantity"]
        if q not in profile:
            return "missing", f"缺少{name(q)}"
        v, limit = Decimal(str(profile[q])), Decimal(str(c["value"]))
        ok = {"gt": v > limit, "ge": v >= limit, "lt": v < limit, "le": v <= limit}[c["op"]]
        gap = limit - v
        return ("met", f"{name(q)}满足“{c['text']}”") if ok else \
            ("unmet", f"{name(q)}还差{gap:,.0f}元" if c.get("unit") == "CNY" and gap > 0 else f"{name(q)}不满足“{c['text']}”")
    if kind == "flag":
        cid = concepts[0] if concepts else ""
        if cid not in profile:
            return "missing", f"请确认：{name(cid)}"
        return ("met", name(cid)) if profile[cid] else ("unmet", f"不满足：{name(cid)}")
    if kind == "industry":
        if "industry" not in profile:
            return "missing", "缺少所属行业"
        return ("met", "行业符合") if profile["industry"] in concepts else ("unmet", "行业不符")
    return "missing", f"请核实条件：{c['text']}"


def _award(m, profile, lex, base_of, missing) -> tuple[Decimal | None, Decimal | None]:
    estimate = None
    for a in m["amounts"]:
        if a["kind"] == "fixed":
            estimate = Decimal(a["value"])
        elif a["kind"] in ("ratio", "match_ratio"):
            q = base_of(a, m, lex)
            if q in profile:
                estimate = Decimal(a["value"]) * Decimal(str(profile[q]))
            elif q:
                missing.append(f"缺少{lex.concepts[q].zh}")
    caps = [Decimal(a["value"]) for a in m["amounts"] if a["kind"] in CAPS]
    cap = min(caps) if caps else None
    if estimate is not None and cap is not None:
        estimate = min(estimate, cap)
    return (estimate.quantize(Decimal(1)) if estimate is not None else None), cap


def no_duplication(result: dict, same_project) -> dict:
    """附则（二）: of the measures marked as one project, only the highest estimate counts."""
    marked = [r for r in result["results"] if r["measure"] in set(same_project) and r["estimate_yuan"] is not None]
    keep = max(marked, key=lambda r: r["estimate_yuan"], default=None)
    result.setdefault("forgone", [])
    for r in marked:
        if r is not keep:
            r["forgone"] = True
            r["reasons"] = r["reasons"] + ["同一项目不重复支持，按最高金额计（附则）"]
            result["forgone"].append({"measure": r["measure"], "kept": keep["measure"], "rule": None})
    counted = [r["estimate_yuan"] for r in result["results"]
               if r["status"] == "eligible" and r["estimate_yuan"] is not None and not r.get("forgone")]
    result["total_estimate_yuan"] = sum(counted, Decimal(0)) if counted else None
    return result


def ask(question: str, chunks: list[dict], *, k: int = 3) -> dict:
    """Character-bigram overlap between the question and each clause text; a crude stand-in for retrieval."""
    grams = {question[i:i + 2] for i in range(len(question) - 1)} | set(question)
    scored = []
    for ch in chunks:
        text = ch["text"]
        score = sum(2 if len(g) == 2 else 0.2 for g in grams if g in text) / (1 + len(grams))
        scored.append((score, ch))
    scored.sort(key=lambda s: -s[0])
    return {"question": question, "eligibility": None,
            "answers": [{**ch["answer"], "score": round(s, 3)} for s, ch in scored[:k] if s > 0]}
