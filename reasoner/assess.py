"""Entry point: `assess(profile, graph, *, same_project=(), as_of=None, engine="oxigraph", config)` → dict.

Outcomes per measure come from the compiled checks (reasoner.fast, default), pyshacl (engine="shacl") or
the checks compiled to SQL on DuckDB/Spark (engine="duckdb"|"spark", reasoner.columnar); all read the same shapes. Then reasons, missing facts, award estimates and the no-duplication rule.
`as_of` is checked against the policy's in-force dates (reasoner.validity): on a day the policy is not in
force the report says so (report["policy"]["in_force"] is False, every eligible result carries the note);
statuses and estimates are still shown, so a service centre can see what the text would have given.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from urllib.parse import quote

from rdflib import Graph

from .awards import compute
from .config import ReasonerConfig
from .explain import failing_reason, missing_fact, missing_field
from .model import load_policy
from .profile import Profile
from .rdfprofile import to_rdflib
from .shapes import check_iris
from .validity import policy_validity


def enterprise_iri(profile: Profile, config: ReasonerConfig = ReasonerConfig()) -> str:
    """The profile's IRI; its id is percent-encoded, so any id (spaces, Chinese, /) makes a valid IRI."""
    return config.enterprise_base + quote(profile.id, safe="")


def outcomes_for(profiles: dict, policy, *, engine: str, config: ReasonerConfig) -> dict:
    if engine == "shacl":
        from .shapes import validate_shacl
        return validate_shacl(to_rdflib(profiles, policy), policy, config=config)
    if engine in ("duckdb", "spark"):  # the same shapes compiled to SQL (reasoner.columnar)
        from .tabular import engine_outcomes
        return engine_outcomes(profiles, policy, engine=engine, config=config)
    from .fast import run_embedded
    return run_embedded(profiles, policy, config=config)


_CHECKS: dict[int, tuple] = {}


def _checks(measure: dict, config: ReasonerConfig) -> list[tuple[str, dict | None]]:
    """(check IRI, condition or None for the role check), computed once per measure object."""
    hit = _CHECKS.get(id(measure))
    if hit is None or hit[0] is not measure or hit[1] != config:
        conds = {c["iri"]: c for c in measure["conditions"]}
        hit = _CHECKS[id(measure)] = (measure, config, [(i, conds.get(i)) for i in check_iris(measure, config)])
    return hit[2]


def decide(measure: dict, outcomes: dict, subject: str, profile: Profile, config: ReasonerConfig) -> dict:
    reasons, missing, fields, status = [], [], [], "eligible"
    for check, cond in _checks(measure, config):
        outcome = outcomes.get((subject, check))
        if outcome == "failing":
            status = "ineligible"
            reasons.append(failing_reason(cond, measure, profile))
        elif outcome == "missing":
            missing.append(missing_fact(cond, measure, profile))
            fields.append(missing_field(cond))
    if status == "eligible" and missing:
        status = "needs_info"
    award = compute(measure, profile, config)
    if status == "eligible":
        reasons.append(f"{measure['label']}：条件均满足；{award.arithmetic}")
        missing += [f"估算金额需要：{name}" for name, _ in award.needs]
        fields += [field for _, field in award.needs]
    return {"clause": measure["clause"], "measure": measure["id"], "label": measure["label"], "status": status,
            "estimate_yuan": award.estimate if status == "eligible" else None,
            "cap_yuan": award.cap, "cap_bound": award.bound if status == "eligible" else None,
            "arithmetic": award.arithmetic, "period_years": award.period_years,
            "no_fixed_amount": any(a["kind"] in ("negotiated", "by_reference") for a in measure["amounts"]),  # 一事一议
            "no_cap": any(a["kind"] == "uncapped" for a in measure["amounts"]),  # 上不封顶
            "by_reference": next((a["citation"]["quote"] for a in measure["amounts"] if a["kind"] == "by_reference"),
                                 None),  # the other policy that decides the amount, as quoted
            "reasons": reasons, "missing": missing,
            "missing_fields": list(dict.fromkeys(fields)),
            "citation": measure["citation"]} | _evidence(measure, profile)


def _evidence(measure: dict, profile: Profile) -> dict:
    """What the description said of this measure's conditions (free-text profiles read with reasoner.evidence)."""
    if not profile.evidence:
        return {}
    return {"evidence": [e for e in profile.evidence if e["measure"] == measure["id"]]}


def _no_duplication(results: list[dict], groups, rule: dict | None) -> list[dict]:
    forgone = []
    index = {r["measure"]: r for r in results} | {r["measure"].split("/", 1)[1]: r for r in results}
    for group in groups:
        chosen = [index[m] for m in group if m in index and index[m]["status"] == "eligible"]
        chosen.sort(key=lambda r: r["estimate_yuan"] if r["estimate_yuan"] is not None else Decimal(-1), reverse=True)
        for r in chosen[1:]:
            r["forgone"] = True
            note = f"与{chosen[0]['label']}（{chosen[0]['measure']}）属同一项目，按从高不重复原则不计入合计"
            if rule:
                note += f"；依据{rule['label']}：“{rule['citation']['quote']}”"
            r["reasons"].append(note)
            forgone.append({"measure": r["measure"], "kept": chosen[0]["measure"], "rule": rule})
    return forgone


def _level_key(measure: dict):
    """(clause, quantity, other conditions) for a measure that is one level of a tiered clause
    (首次突破1亿元、5亿元、10亿元的，分别给予…), with its threshold value; None otherwise. A ladder the extractor
    marked (`tiers`: threshold i ↔ amount i, other conditions shared) is grouped by its levels, ordered by threshold."""
    tiers = measure.get("tiers")
    if tiers and len({t["threshold"]["quantity"] for t in tiers}) == 1:
        own = next(t for t in tiers if t["measure"] == measure["id"])
        return ("tiers", tuple(t["measure"] for t in tiers)), own["threshold"]["value"]
    limits = [c for c in measure["conditions"] if c["kind"] == "threshold"]
    if len(limits) != 1:
        return None
    rest = tuple(sorted((c["kind"], tuple(c.get("concepts") or ()), c.get("status") or "")
                        for c in measure["conditions"] if c["kind"] not in ("threshold", "text")))
    return (measure["clause"], limits[0].get("quantity"), rest), limits[0]["value"]


def way_groups(measures: list[dict]) -> list[list[str]]:
    """Measures of one sentence that pay the same amounts: alternative ways to qualify for one award ('营业收入
    5000万元以上或交易额在100亿元以上的…'), paid once whichever ways the enterprise meets (ids, in order)."""
    groups: dict = {}
    for m in measures:
        if m["amounts"]:
            pay = tuple((a["kind"], str(a["value"]), a["citation"]["start"]) for a in m["amounts"])
            groups.setdefault((m["clause"], m["citation"]["start"], m["citation"]["end"], pay), []).append(m["id"])
    return [g for g in groups.values() if len(g) > 1]


def _ways(results: list[dict], policy) -> list[dict]:
    index = {r["measure"]: r for r in results}
    forgone = []
    for ways in way_groups(policy.measures):
        met = [index[w] for w in ways if w in index and index[w]["status"] == "eligible"]
        met.sort(key=lambda r: r["estimate_yuan"] if r["estimate_yuan"] is not None else Decimal(-1), reverse=True)
        for r in met[1:]:
            r["forgone"] = True
            r["reasons"].append(f"与{met[0]['label']}（{met[0]['measure']}）是同一奖励的不同条件，只计一次")
            forgone.append({"measure": r["measure"], "kept": met[0]["measure"], "rule": None, "basis": "alternatives"})
    return forgone


def _levels(results: list[dict], policy) -> list[dict]:
    """Levels of one tiered clause are alternatives: only the highest level reached counts toward the total."""
    groups: dict = {}
    for r in results:
        found = _level_key(policy.by_id[r["measure"]])
        if found:
            groups.setdefault(found[0], []).append((found[1], r))
    forgone = []
    for levels in groups.values():
        reached = sorted(((v, r) for v, r in levels if r["status"] == "eligible" and not r.get("forgone")),
                         key=lambda x: x[0])  # two levels at one threshold: the one listed last counts
        if len({v for v, _ in levels}) < 2 or len(reached) < 2:
            continue
        top = reached[-1][1]
        for _, r in reached[:-1]:
            r["forgone"] = True
            r["reasons"].append(f"{r['label']}分档给予，已达更高一档（{top['measure']}），本档不计入合计")
            forgone.append({"measure": r["measure"], "kept": top["measure"], "rule": None, "basis": "levels"})
    return forgone


def assess(profile: Profile, graph: Graph, *, same_project=(), as_of: date | None = None, engine: str = "oxigraph",
           config: ReasonerConfig = ReasonerConfig(), outcomes: dict | None = None, subject: str | None = None) -> dict:
    policy = load_policy(graph, config=config)
    subject = subject or enterprise_iri(profile, config)
    if outcomes is None:
        outcomes = outcomes_for({subject: profile}, policy, engine=engine, config=config)
    results = [decide(m, outcomes, subject, profile, config) for m in policy.measures]
    forgone = _ways(results, policy) + _levels(results, policy) + _no_duplication(results, same_project, policy.rule)
    counted = [r["estimate_yuan"] for r in results
               if r["status"] == "eligible" and r["estimate_yuan"] is not None and not r.get("forgone")]
    joint = _joint_caps(results, policy)
    counted += [-j["reduction_yuan"] for j in joint]
    validity = policy_validity(graph, policy.doc_iri, as_of)
    if validity["in_force"] is False:
        for r in results:
            if r["status"] == "eligible":
                r["reasons"].append(validity["note"])
    return {"profile": profile.facts(), "as_of": as_of.isoformat() if as_of else None,
            "same_project": [list(g) for g in same_project], "policy": validity,
            "results": results,
            "forgone": forgone, "joint_caps": joint, "total_estimate_yuan": sum(counted, Decimal(0)) if counted else None}


def _joint_caps(results: list[dict], policy) -> list[dict]:
    """One cap written once for several measures ("分别给予200万元、150万元，年度支持金额不超过300万元": the same
    text span in each measure) limits their sum: the total is reduced by the excess, each result says so."""
    groups: dict = {}
    for r in results:
        if r["status"] != "eligible" or r["estimate_yuan"] is None or r.get("forgone"):
            continue
        for a in policy.by_id[r["measure"]]["amounts"]:
            if a["kind"] in ("max_annual", "max_total"):
                key = (r["clause"], a["kind"], a["citation"]["start"], a["citation"]["end"])
                groups.setdefault(key, (a, []))[1].append(r)
    out = []
    for (clause, kind, _, _), (cap, rows) in groups.items():
        total = sum((r["estimate_yuan"] for r in rows), Decimal(0))
        if len(rows) < 2 or total <= cap["value"]:
            continue
        note = (f"{rows[0]['label']}各项合计{format(total.normalize(), 'f')}元，超过共同上限“{cap['citation']['quote']}”，"
                f"合计按{format(cap['value'].normalize(), 'f')}元计")
        for r in rows:
            r["reasons"].append(note)
        out.append({"clause": clause, "kind": kind, "cap_yuan": cap["value"], "sum_yuan": total,
                    "reduction_yuan": total - cap["value"], "measures": [r["measure"] for r in rows],
                    "citation": cap["citation"]})
    return out


def eligible_by_clause(report: dict) -> dict:
    """Clause → estimate of its eligible measure(s) (the highest when several), as the dev set states them."""
    out: dict = {}
    for r in report["results"]:
        if r["status"] == "eligible":
            prev = out.get(r["clause"])
            out[r["clause"]] = r["estimate_yuan"] if prev is None else max(prev, r["estimate_yuan"] or prev)
    return out
