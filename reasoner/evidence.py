"""Conditions met with evidence: for each condition of each measure, what a self-description says of it.

A condition is `met`, `not_met` (stated as not met), `weak` (a clause says part of it: needs_info names it) or
`unstated`, with the span of the description that says it beside the condition's citation.
- Structured conditions (qualification, threshold, flag, industry of the dictionary; the role a measure pays)
  are judged from the facts reasoner.textprofile read, with those facts' spans.
- Conditions written in words (text conditions, minted concepts, dictionary flags the description does not
  name) are compared clause by clause (reasoner.conditiontext); counts in words (引进了三家企业) go to the
  quantity a measure counts when its label holds the same verb and thing.
Precision first: only `met` changes the profile (confirms a text condition, sets a flag or qualification).

Entry points: `with_evidence(profile, text, policy, *, config, similarity)` → Profile with `evidence`;
`with_library_evidence(profile, text, policies, ...)` the same over several policies (a corpus folder).
`similarity(clauses, conditions)` → matrix of cosine similarities (the e5 encoder; None: words only).
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from kg_builder.lexicon import load_lexicon
from kg_builder.mint import is_minted

from .conditiontext import (Clause, Similarity, clauses, condition_parts, judge, plain, remember_parts,
                            similarities, strongest)
from .config import ReasonerConfig, memo_derived
from .profile import Profile

STATES = ("met", "not_met", "weak", "unstated")


def _worded(c: dict, profile: Profile) -> bool:
    """Conditions compared with the description's words: text ones, minted concepts, and dictionary flags or
    qualifications without a status that the description did not name."""
    if c["kind"] == "text":
        return True
    if c["kind"] in ("flag", "qualification") and c.get("concepts"):
        if any(is_minted(x) for x in c["concepts"]):
            return True
        known = profile.flags if c["kind"] == "flag" else profile.qualifications
        return c["kind"] == "flag" and not any(x in known for x in c["concepts"])
    return False


def with_evidence(profile: Profile, text: str, policy, *, config: ReasonerConfig = ReasonerConfig(),
                  similarity: Similarity | None = None) -> Profile:
    masks = [(s["start"], s["end"]) for s in profile.sources if s["fact"].startswith("qualifications.")]
    parts = clauses(text, masks, config)
    todo = [(m, c) for m in policy.measures for c in m["conditions"] if _worded(c, profile)]
    conds = _condition_parts(policy, [c["text"] for _, c in todo], config)
    sims = similarities(parts, conds, similarity, config)
    evidence, confirmed = [], list(profile.confirmed)
    quals, flags = dict(profile.qualifications), dict(profile.flags)
    for m, c in todo:
        cond = conds[c["text"]]
        judged = [judge(cond, cl, sims.get((i, c["text"])), config) + (sims.get((i, c["text"])), cl)
                  for i, cl in enumerate(parts)]
        if not judged:
            continue
        state, coverage, how, sim, cl = strongest(judged)
        if state == "unstated":
            continue
        evidence.append(_record(m, c, state, cl, coverage, how, sim))
        if state == "met" and c["kind"] == "text":
            confirmed.append(c["iri"])
        elif state in ("met", "not_met") and c["kind"] == "flag":
            flags.setdefault(c["concepts"][0], state == "met")
        elif state in ("met", "not_met") and c["kind"] == "qualification" and len(c["concepts"]) == 1:
            quals.setdefault(c["concepts"][0], (c.get("status") if _status_said(cl, c, profile) else "held")
                             if state == "met" else "none")
    quantities = dict(profile.quantities)
    evidence += _counts(profile, policy, quantities, config)
    profile = replace(profile, confirmed=tuple(dict.fromkeys(confirmed)), flags=flags, qualifications=quals,
                      quantities=quantities, evidence=tuple(evidence))
    evidence += structured_evidence(profile, policy, config)
    return replace(profile, evidence=tuple(evidence))


_SEEDED: set = set()  # (policy cache key, config) whose condition parts were read from disk in this process


def _condition_parts(policy, texts: list[str], config: ReasonerConfig) -> dict:
    """condition_parts of each text (jieba cuts and tags: ~5 ms each); for a cached policy, the parts of all its
    conditions written in words are kept on disk beside it (reasoner.config.memo_derived) and read once."""
    key = getattr(policy, "cache_key", None)
    if key is not None and (key, config) not in _SEEDED:
        every = list(dict.fromkeys(c["text"] for m in policy.measures for c in m["conditions"]
                                   if c["kind"] in ("text", "flag", "qualification")))
        remember_parts(memo_derived(key, "conditionparts", lambda: {t: condition_parts(t, config) for t in every},
                                    config=config), config)
        _SEEDED.add((key, config))
    return {t: condition_parts(t, config) for t in texts}


def with_library_evidence(profile: Profile, text: str, policies, *, config: ReasonerConfig = ReasonerConfig(),
                          similarity: Similarity | None = None) -> Profile:
    """`with_evidence` against each policy in turn (what one policy's conditions confirm carries to the next);
    the evidence of every document is kept."""
    found = []
    for policy in policies:
        profile = with_evidence(profile, text, policy, config=config, similarity=similarity)
        found += list(profile.evidence)
    return replace(profile, evidence=tuple(found))


def _counts(profile: Profile, policy, quantities: dict, config) -> list[dict]:
    """A count the description states ("引进了三家企业") given to the quantity a measure counts, when that
    quantity's label holds the same verb and thing (引进企业数量); the count's span is the evidence."""
    counts = [s for s in profile.sources if s["fact"] == "count"]
    lex, out = load_lexicon(config.lexicon_path), []
    for m in policy.measures if counts else ():
        used = [(c.get("quantity"), c) for c in m["conditions"] if c["kind"] == "threshold"]
        used += [(a.get("base_quantity"), None) for a in m["amounts"]]
        for cid, c in used:
            if not cid or (cid in profile.quantities):
                continue
            try:
                label = plain(lex.concept(cid).zh)
            except KeyError:
                continue
            hit = next((s for s in counts if s["verb"] in label and (s["what"] in label or label.endswith(s["what"][-2:]))), None)
            if hit is None:
                continue
            quantities.setdefault(cid, hit["value"])
            out.append({"measure": m["id"], "condition": (c or {}).get("iri"), "condition_text": (c or {}).get("text", label),
                        "kind": "count", "citation": (c or m)["citation"], "state": "met" if c is None else
                        _structured_state(c, replace(profile, quantities=quantities))[0], "how": "count", "coverage": 1.0,
                        "span": _span(hit["start"], hit["end"], hit["quote"])})
    return out


def _status_said(cl: Clause, c: dict, profile: Profile) -> bool:
    """The clause holds a status word (新认定, 今年新被评为…) matching the condition's status."""
    return bool(c.get("status")) and any(s.get("status") and s["value"] == c["status"] and cl.start <= s["start"] < cl.end
                                         for s in profile.sources)


def _span(start: int, end: int, quote: str) -> dict:
    return {"start": start, "end": end, "quote": quote}


def _record(m: dict, c: dict, state: str, cl, coverage: float, how: str, sim) -> dict:
    out = {"measure": m["id"], "condition": c.get("iri"), "condition_text": c["text"], "kind": c["kind"],
           "citation": c["citation"], "state": state, "how": how, "coverage": round(coverage, 3)}
    if sim is not None:
        out["similarity"] = round(sim, 4)
    if cl is not None:
        out["span"] = _span(cl.start, cl.end, cl.text)
    return out


def _values(v) -> list[Decimal]:
    return list(v) if isinstance(v, (list, tuple)) else [v]


def _structured_state(c: dict, profile: Profile) -> tuple[str, str | None]:
    """(state, the profile fact it rests on) of a dictionary condition, from the facts read."""
    kind = c["kind"]
    if kind == "qualification":
        held = [profile.qualifications.get(q) for q in c["concepts"] if q in profile.qualifications]
        if not held:
            return "unstated", None
        ok = [c["status"]] if c.get("status") else ["new", "renewed", "held"]
        if any(h in ok for h in held):
            return "met", "qualifications"
        return ("weak" if "held" in held else "not_met"), "qualifications"
    if kind == "threshold" and c.get("quantity") in profile.quantities:
        test = {"gt": Decimal.__gt__, "ge": Decimal.__ge__, "lt": Decimal.__lt__, "le": Decimal.__le__}[c["op"]]
        ok = all(test(Decimal(v), Decimal(str(c["value"]))) for v in _values(profile.quantities[c["quantity"]]))
        return ("met" if ok else "not_met"), "quantities"
    if kind == "flag" and c.get("concepts") and c["concepts"][0] in profile.flags:
        return ("met" if profile.flags[c["concepts"][0]] else "not_met"), "flags"
    if kind == "industry" and profile.industry:
        return ("met" if profile.industry in c["concepts"] else "not_met"), "industry"
    return "unstated", None


def structured_evidence(profile: Profile, policy, config: ReasonerConfig = ReasonerConfig()) -> list[dict]:
    """Dictionary conditions and role checks with the span of the fact read from the description."""
    out = []
    done = {(e["measure"], e["condition"]) for e in profile.evidence}
    for m in policy.measures:
        for c in m["conditions"]:
            if c["kind"] == "text" or any(is_minted(x) for x in c.get("concepts") or ()) or \
                    (m["id"], c.get("iri")) in done:
                continue
            state, section = _structured_state(c, profile)
            if state == "unstated":
                continue
            keys = {f"{section}.{x}" for x in (c.get("concepts") or [c.get("quantity")])} | {section}
            src = next((s for s in profile.sources if s["fact"] in keys), None)
            rec = _record(m, c, state, None, 1.0, "dictionary", None)
            if src:
                rec["span"] = _span(src["start"], src["end"], src["quote"])
            out.append(rec)
        if m["beneficiary"] in config.role_beneficiaries and m["beneficiary"] in profile.roles:
            src = next((s for s in profile.sources if s["fact"] == "roles" and s["value"] == m["beneficiary"]), None)
            rec = {"measure": m["id"], "condition": m["iri"] + "#role", "condition_text": f"申请主体为{m['beneficiary']}",
                   "kind": "role", "citation": m["citation"], "state": "met", "how": "dictionary", "coverage": 1.0}
            if src:
                rec["span"] = _span(src["start"], src["end"], src["quote"])
            out.append(rec)
    return out
