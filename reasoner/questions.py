"""The next question worth asking: the missing facts of a report, ranked by the money they could unlock.

A fact *alone decides* a measure when it is the only thing the measure still lacks (its one missing check, or
the one quantity its estimate needs). `unlocks_yuan` sums, over those measures, the amount at stake: the
estimate the facts known give, else the cap, else the largest sum the measure names; `affects_yuan` sums it
over every measure the fact is missing for. Questions are plain sentences built from the dictionary's labels
(zh, en) or the condition's own text, never written per clause.

Entry points: `next_questions(report, policy, profile, *, config)` → list of dicts, best first;
`apply_answer(profile, question, answer)` → Profile with the answer ("yes" / "no" / a number) as a fact.
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation

from kg_builder.lexicon import load_lexicon

from .awards import compute
from .config import ReasonerConfig
from .conditiontext import condition_parts
from .explain import missing_field
from .profile import Profile

STATUS_Q = {"new": ("本年度新认定的", "newly certified this year as "),
            "renewed": ("本年度复审通过的", "renewed this year as ")}
UNIT_Q = {"CNY": ("万元", "RMB 10,000"), "year": ("年", "years"), "m2": ("平方米", "m²"), "day": ("天", "days"),
          "month": ("个月", "months"), "person": ("人", "people")}


def _concept(cid: str, config: ReasonerConfig):
    try:
        return load_lexicon(config.lexicon_path).concept(cid)
    except KeyError:
        return None


def _labels(field: str, config) -> tuple[str, str]:
    found = [_concept(x, config) for x in field.split("|")]
    return ("或".join(c.zh if c else x for c, x in zip(found, field.split("|"))),
            " or ".join(c.en if c else x for c, x in zip(found, field.split("|"))))


def _stake(measure: dict, profile: Profile, config) -> Decimal:
    """What a measure could pay: the estimate from the facts known, else its cap, else the largest sum it names."""
    award = compute(measure, profile, config)
    if award.estimate is not None:
        return award.estimate
    if award.cap is not None:
        return award.cap
    sums = [a["value"] for a in measure["amounts"] if a["kind"] in ("fixed", "max_per_item", "max_per_event",
                                                                     "max_per_investee", "max_annual", "max_total")]
    return max(sums, default=Decimal(0))


def _missing(result: dict, measure: dict, profile: Profile, config) -> list[tuple[tuple, dict | None]]:
    """(key, condition) of each missing check of a result: ("field", id) or ("condition", iri)."""
    fields, out = set(result["missing_fields"]), []
    if result["status"] == "needs_info":
        for c in measure["conditions"]:
            f = missing_field(c)
            if f == "confirmed":
                if c["iri"] not in profile.confirmed and measure["id"] not in profile.confirmed \
                        and measure["key"] not in profile.confirmed:
                    out.append((("condition", c["iri"]), c))
            elif f in fields:
                out.append((("field", f), c))
        if "roles" in fields:
            out.append((("role", measure["beneficiary"]), None))
    elif result["status"] == "eligible" and result["estimate_yuan"] is None:
        out += [(("field", f), None) for f in result["missing_fields"] if _concept(f, config)]
    return list({k: (k, c) for k, c in out}.values())


def next_questions(report: dict, policy, profile: Profile, *, config: ReasonerConfig = ReasonerConfig(),
                   limit: int | None = 10) -> list[dict]:
    table: dict = {}
    for r in report["results"]:
        if r["status"] == "ineligible" or r.get("forgone"):
            continue
        measure = policy.by_id[r["measure"]]
        missing = _missing(r, measure, profile, config)
        if not missing:
            continue
        stake = _stake(measure, profile, config)
        for key, c in missing:
            q = table.setdefault(key, {"key": key, "condition": c, "measure": measure, "unlocks": Decimal(0),
                                       "affects": Decimal(0), "clauses": []})
            q["affects"] += stake
            if len(missing) == 1:
                q["unlocks"] += stake
            q["clauses"].append({"measure": r["measure"], "clause": r["clause"], "label": r["label"],
                                 "stake_yuan": stake, "alone": len(missing) == 1})
    ranked = sorted(table.values(), key=lambda q: (-q["unlocks"], -q["affects"], q["clauses"][0]["measure"]))
    return [_question(q, config) for q in ranked if q["affects"] > 0][:limit]


def _question(q: dict, config) -> dict:
    kind, ref = q["key"]
    c, out = q["condition"], {}
    if kind == "condition":
        m = q["measure"]
        said = c["text"] if condition_parts(c["text"], config).content else m["citation"]["quote"][:80]
        out = {"condition": ref, "answer": "yes_no",
               "question": f"贵单位是否符合{m['label']}的条件：“{said}”？",
               "question_en": f"Does your enterprise meet the condition of {m['label']}: “{said}”?"}
    elif kind == "role":
        out = {"field": "roles", "role": ref, "answer": "yes_no", "question": f"贵单位是否为{ref}？",
               "question_en": f"Is your organisation the {ref} (the body this measure pays)?"}
    elif ref == "industry":
        options = sorted((c or {}).get("concepts") or [])
        out = {"field": "industry", "answer": "choice", "options": options,
               "question": "贵单位属于哪个行业（国民经济行业分类门类）？",
               "question_en": "Which industry (GB/T 4754 section) is your enterprise in?"}
    else:
        zh, en = _labels(ref, config)
        concept = _concept(ref.split("|")[0], config)
        scheme = concept.scheme if concept else "flag"
        if scheme == "quantity":
            unit_zh, unit_en = UNIT_Q.get(concept.unit or "CNY", (concept.unit or "", concept.unit or ""))
            out = {"field": ref, "answer": "number", "unit": unit_zh,
                   "question": f"贵单位{'' if zh.startswith(('获得', '已', '新增')) else '的'}{zh}是多少（{unit_zh}）？", "question_en": f"What is your {en} (in {unit_en})?"}
        elif scheme == "qualification":
            status = (c or {}).get("status")
            pre_zh, pre_en = STATUS_Q.get(status, ("", ""))
            out = {"field": ref, "answer": "yes_no", "status": status,
                   "question": f"贵单位是否为{pre_zh}{zh}？",
                   "question_en": f"Is your enterprise {pre_en}{_article(en)}{en}?"}
        else:
            out = {"field": ref, "answer": "yes_no", "question": f"贵单位是否{zh}？",
                   "question_en": f"Is this true of your enterprise: {en}?"}
    return out | {"unlocks_yuan": q["unlocks"], "affects_yuan": q["affects"], "clauses": q["clauses"]}


def _article(word: str) -> str:
    return "an " if word[:1].lower() in "aeiou" else "a "


UNIT_FACTOR = {"万元": Decimal(10000)}


def apply_answer(profile: Profile, question: dict, answer) -> Profile:
    """The profile with an answer to `question`: "yes"/"no" (or True/False), or a number in the question's unit.
    A "no" to a text condition or to "new this year" changes nothing (neither is refuted by a yes/no fact);
    the caller stops asking it."""
    yes = answer is True or str(answer).strip().lower() in ("yes", "y", "是", "true", "1")
    if question["answer"] == "number":
        try:
            value = Decimal(str(answer).replace(",", "")) * UNIT_FACTOR.get(question.get("unit", ""), Decimal(1))
        except InvalidOperation:
            raise ValueError(f"not a number: {answer!r}") from None
        return replace(profile, quantities={**profile.quantities, question["field"]: value})
    if "condition" in question:
        return replace(profile, confirmed=(*profile.confirmed, question["condition"])) if yes else profile
    if question.get("field") == "roles":
        return replace(profile, roles=tuple(dict.fromkeys((*profile.roles, question["role"])))) if yes else profile
    if question.get("field") == "industry":
        return replace(profile, industry=str(answer))
    field = question["field"]
    concept = field.split("|")[0]
    if question.get("status"):  # "not new this year" does not say the title is not held
        return replace(profile, qualifications={**profile.qualifications, concept: question["status"]}) if yes \
            else profile
    if _is_qualification(concept):
        cids = [concept] if yes else field.split("|")
        return replace(profile, qualifications={**profile.qualifications,
                                                **{cid: "held" if yes else "none" for cid in cids}})
    return replace(profile, flags={**profile.flags, concept: yes})


def _is_qualification(cid: str, config: ReasonerConfig = ReasonerConfig()) -> bool:
    concept = _concept(cid, config)
    return bool(concept and concept.scheme == "qualification")
