"""The structured part of a result card in English: amount, kind of cap, beneficiary, conditions and what is
missing, from the ontology's English labels (amount kinds, ontology/policykg.ttl) and the dictionary's (concepts,
beneficiaries). Quotes and text conditions stay in Chinese, quoted."""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from .resources import ROOT

OPS = {"gt": "above", "ge": "at least", "lt": "below", "le": "at most"}
STATUS_EN = {"new": "newly certified this year", "renewed": "renewed this year"}
STATES_EN = {"met": "stated as met", "not_met": "stated as not met", "weak": "said in part — to confirm",
             "unstated": "not stated"}


@lru_cache(maxsize=1)
def amount_kinds() -> dict[str, str]:
    """skos:notation → English prefLabel of the amount kinds in the ontology."""
    g = Graph().parse(ROOT / "ontology" / "policykg.ttl")
    out = {}
    for s, notation in g.subject_objects(SKOS.notation):
        for label in g.objects(s, SKOS.prefLabel):
            if isinstance(label, Literal) and label.language == "en":
                out[str(notation)] = str(label)
    return out


def yuan_en(value) -> str:
    if value is None:
        return "unknown"
    v = Decimal(str(value))
    return f"RMB {v:,.0f}" + (f" ({(v / 10000).normalize():f} × 10,000)" if v >= 10000 else "")


def _concept(lex, cid: str) -> str:
    try:
        return lex.concept(cid).en
    except KeyError:
        return cid


def beneficiary_en(lex, word: str) -> str:
    return (lex.data.get("beneficiaries_en") or {}).get(word, word)


def condition_en(c: dict, lex) -> str:
    kind = c["kind"]
    if kind == "qualification":
        names = " or ".join(_concept(lex, q) for q in c["concepts"])
        return f"{names}, {STATUS_EN[c['status']]}" if c.get("status") else names
    if kind == "threshold":
        value = c["value"]
        unit = "" if c.get("unit", "CNY") == "CNY" else f" {c.get('unit')}"
        amount = yuan_en(value) if not unit else f"{Decimal(str(value)).normalize():f}{unit}"
        return f"{_concept(lex, c['quantity'])} {OPS[c['op']]} {amount}"
    if kind == "flag" and c.get("concepts"):
        return _concept(lex, c["concepts"][0])
    if kind == "industry":
        return "industry: " + " or ".join(_concept(lex, i) for i in c["concepts"])
    return f"to confirm: “{c['text']}”"


def missing_en(r: dict, measure: dict, lex) -> list[str]:
    out = []
    for f in r.get("missing_fields", []):
        if f == "roles":
            out.append(f"whether the applicant is the {beneficiary_en(lex, measure['beneficiary'])}")
        elif f == "industry":
            out.append("industry section (GB/T 4754)")
        elif f == "confirmed":
            out += [f"to confirm: “{c['text']}”" for c in measure["conditions"] if c["kind"] == "text"]
        else:
            out.append(" or ".join(_concept(lex, x) for x in f.split("|")))
    return out


def card_en(r: dict, measure: dict, lex) -> dict:
    """The card's structured lines in English."""
    kinds = amount_kinds()
    states = {e["condition"]: e["state"] for e in r.get("evidence", [])}
    return {"estimate": yuan_en(r["estimate_yuan"]), "cap": yuan_en(r["cap_yuan"]),
            "cap_kind": kinds.get(r.get("cap_bound") or "", "") or ", ".join(
                kinds.get(a["kind"], a["kind"]) for a in measure["amounts"] if a["kind"].startswith("max_")),
            "beneficiary": beneficiary_en(lex, measure["beneficiary"]),
            "conditions": [condition_en(c, lex) + (f" ({STATES_EN[states[c['iri']]]})" if c.get("iri") in states else "")
                           for c in measure["conditions"]],
            "missing": missing_en(r, measure, lex)}
