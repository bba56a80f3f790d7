"""Read measures back out of the graph with SPARQL (the graph, not Python objects, is the record)."""
from __future__ import annotations

from decimal import Decimal

from rdflib import Graph

PREFIXES = """
PREFIX pk: <https://w3id.org/policykg/ont#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
"""

# Patterns are written so that rdflib's planner starts from the measure's own clause: a lone
# `?parent a pk:Article` inside OPTIONAL would be evaluated first, scanning every article per measure (quadratic).
CITE = "?{v} pk:citation/oa:hasSelector ?{v}P, ?{v}Q . ?{v}P oa:start ?{v}S ; oa:end ?{v}E . ?{v}Q oa:exact ?{v}X ."

MEASURES = PREFIXES + """
SELECT ?m ?doc ?clauseId ?label ?idx ?ben ?benefit ?art ?item ?mS ?mE ?mX ?origin WHERE {
  ?m a pk:Measure ; pk:inClause ?clause ; pk:measureIndex ?idx ; pk:beneficiary ?ben ; pk:benefitType ?benefit ;
     pk:origin ?origin ; pk:citation/oa:hasSource ?doc .
  ?clause pk:clauseId ?clauseId ; rdfs:label ?label .
  OPTIONAL { ?clause eli:is_part_of ?parent ; eli:number ?item . ?parent a ?parentType ; eli:number ?art .
             FILTER(?parentType = pk:Article) }
  OPTIONAL { ?clause a pk:Article ; eli:number ?art . }
  """ + CITE.format(v="m") + """
} ORDER BY ?m"""

CONDITIONS = PREFIXES + """
SELECT ?m ?c ?type ?text ?status ?q ?qLabel ?from ?op ?value ?unit ?concept ?origin ?neg ?cS ?cE ?cX ?cDoc WHERE {
  ?m pk:hasCondition ?c . ?c a ?type ; pk:conditionText ?text ; pk:origin ?origin .
  FILTER(?type IN (pk:QualificationCondition, pk:ThresholdCondition, pk:FlagCondition, pk:IndustryCondition, pk:TextCondition))
  OPTIONAL { ?c pk:qualificationStatus ?status }
  OPTIONAL { ?c pk:onQuantity ?qIri . ?qIri skos:notation ?q . OPTIONAL { ?qIri skos:prefLabel ?qLabel FILTER(lang(?qLabel) = "zh") } }
  OPTIONAL { ?c pk:statedIn/pk:clauseId ?from }
  OPTIONAL { ?c pk:negated ?neg }
  OPTIONAL { ?c pk:operator ?op ; pk:thresholdValue ?value ; pk:unit ?unit }
  OPTIONAL { ?c (pk:anyOfQualification|pk:anyOfIndustry|pk:requiresFact)/skos:notation ?concept }
  OPTIONAL { ?c pk:citation/oa:hasSource ?cDoc }
  """ + CITE.format(v="c") + """
} ORDER BY ?c ?concept"""

AMOUNTS = PREFIXES + """
SELECT ?m ?a ?kind ?value ?base ?baseText ?unit ?currency ?per ?perText ?origin ?aS ?aE ?aX WHERE {
  ?m pk:hasAmount ?a . ?a pk:amountKind ?kindIri ; pk:origin ?origin .
  BIND(STRAFTER(STR(?kindIri), "#") AS ?kind)
  OPTIONAL { ?a schema:value ?value }
  OPTIONAL { ?a pk:baseQuantity/skos:notation ?base }
  OPTIONAL { ?a pk:baseText ?baseText }
  OPTIONAL { ?a pk:unit ?unit }
  OPTIONAL { ?a schema:currency ?currency }
  OPTIONAL { ?a pk:perQuantity ?per . OPTIONAL { ?a pk:perText ?perText } }
  """ + CITE.format(v="a") + """
} ORDER BY ?a"""

STEPS = PREFIXES + """
SELECT ?a ?st ?first ?last ?value ?stS ?stE ?stX WHERE {
  ?a pk:scheduleStep ?st . ?st pk:firstYear ?first ; pk:lastYear ?last ; schema:value ?value .
  """ + CITE.format(v="st") + """
} ORDER BY ?a ?first"""

CONDITION_KIND = {"QualificationCondition": "qualification", "ThresholdCondition": "threshold",
                  "FlagCondition": "flag", "IndustryCondition": "industry", "TextCondition": "text"}


def _py(term):
    if term is None:
        return None
    value = term.toPython()
    return Decimal(value).normalize() if isinstance(value, Decimal) else value


def _sort_key(iri: str):
    """…/measure/10.2-1/amount/3 sorts by its numbers, so 10.2 follows 9 and amount 10 follows 9."""
    import re
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", iri)]


def doc_of(iri, default: str) -> str:
    """The document id of a document IRI (its last path segment)."""
    return str(iri).rstrip("/").rsplit("/", 1)[-1] if iri is not None else default


def measures_json(graph: Graph, doc_id: str) -> list[dict]:
    """One object per measure, in the shape `policykg measures --json` prints (read once per graph from
    kg_builder.cache.cached_build and kept beside it; a fresh copy on every call)."""
    from .cache import memo
    return memo(graph, f"measures.{doc_id}", lambda: _measures_json(graph, doc_id))


def _measures_json(graph: Graph, doc_id: str) -> list[dict]:
    out: dict[str, dict] = {}
    for r in graph.query(MEASURES):
        art, item = _py(r.art), _py(r.item)
        key = str(r.m)
        out[key] = {"id": f"{doc_id}/{r.clauseId}-{r.idx}", "document": doc_id, "article": int(art) if art is not None else None,
                    "item": int(item) if item is not None else None, "label": str(r.label),
                    "clause": str(r.clauseId), "beneficiary": str(r.ben), "benefit": str(r.benefit),
                    "origin": str(r.origin), "conditions": [], "amounts": [],
                    "citation": {"document": doc_id, "start": int(r.mS), "end": int(r.mE), "quote": str(r.mX)}}
    _attach_conditions(graph, out, doc_id)
    _attach_amounts(graph, out, doc_id)
    for m in out.values():  # the measure's schedule over years, where one of its amounts is paid year by year
        plan = next((a["schedule"] for a in m["amounts"] if a.get("schedule")), None)
        if plan:
            m["schedule"] = plan
    ordered = [out[k] for k in sorted(out, key=_sort_key)]
    _attach_tiers(ordered)
    return ordered


def _attach_tiers(measures: list[dict]) -> None:
    """A ladder that pairs two lists ('达到1亿元、3亿元、5亿元的，分别给予50万元、100万元、200万元') is one measure per
    level from one sentence; each level carries `tiers`: every level's threshold and amounts, in order."""
    groups: dict = {}
    for m in measures:
        groups.setdefault((m["clause"], m["citation"]["start"], m["citation"]["end"]), []).append(m)
    for levels in groups.values():
        limits = [[c for c in m["conditions"] if c["kind"] == "threshold"] for m in levels]
        if len(levels) < 2 or not all(limits):
            continue
        def cited(c):
            return (c["citation"]["start"], c["citation"]["end"])
        shared = set.intersection(*({cited(c) for c in ls} for ls in limits))
        own = [[c for c in ls if cited(c) not in shared] for ls in limits]
        if not all(len(o) == 1 for o in own):
            continue
        if len({tuple((a["kind"], a["value"]) for a in m["amounts"]) for m in levels}) == 1:
            continue  # one award, several ways to qualify ('…以上或…以上的'): not a ladder
        steps = [o[0] for o in own]
        tiers = [{"measure": m["id"], "threshold": {k: t.get(k) for k in ("quantity", "op", "value", "unit")},
                  "amounts": [{"kind": a["kind"], "value": a["value"]} for a in m["amounts"]]}
                 for m, t in zip(levels, steps)]
        for m in levels:
            m["tiers"] = tiers


def _attach_conditions(graph: Graph, out: dict, doc_id: str) -> None:
    seen: dict[str, dict] = {}
    for r in graph.query(CONDITIONS):
        key = str(r.c)
        if key not in seen:
            c = {"kind": CONDITION_KIND[str(r.type).rsplit("#", 1)[1]], "text": str(r.text), "origin": str(r.origin),
                 "citation": {"document": doc_of(r.cDoc, doc_id), "start": int(r.cS), "end": int(r.cE),
                              "quote": str(r.cX)}}
            for name, term in (("status", r.status), ("quantity", r.q), ("quantity_label", r.qLabel), ("op", r.op),
                               ("value", r.value), ("unit", r.unit), ("stated_in", r["from"])):
                if term is not None:
                    c[name] = _py(term)
            if c["kind"] == "threshold":
                c["inclusive"] = c.get("op") in ("ge", "le")
            if r.neg is not None and r.neg.toPython() is True:
                c["negated"] = True  # an exclusion: the applicant must not be what it names
            seen[key] = c
            out[str(r.m)]["conditions"].append(c)
        if r.concept is not None:
            seen[key].setdefault("concepts", []).append(str(r.concept))
    for m in out.values():
        m["conditions"].sort(key=lambda c: (c["citation"]["document"] != doc_id, c["citation"]["start"]))


def _attach_amounts(graph: Graph, out: dict, doc_id: str) -> None:
    rows = sorted(graph.query(AMOUNTS), key=lambda r: _sort_key(str(r.a)))
    steps: dict[str, list] = {}
    for r in graph.query(STEPS):
        steps.setdefault(str(r.a), []).append(
            {"years": [int(r.first), int(r.last)], "value": _py(r.value),
             "citation": {"document": doc_id, "start": int(r.stS), "end": int(r.stE), "quote": str(r.stX)}})
    for r in rows:
        a = {"kind": str(r.kind), "value": _py(r.value), "origin": str(r.origin),
             "citation": {"document": doc_id, "start": int(r.aS), "end": int(r.aE), "quote": str(r.aX)}}
        if str(r.kind) in ("ratio", "match_ratio", "max_ratio"):
            a["base"] = str(r.baseText or r.base or "")
            if r.base is not None:
                a["base_quantity"] = str(r.base)
        if r.unit is not None:  # rate, max_rate, a per-object max_per_item (元/艘), max_years
            a["unit"] = str(r.unit)
        if r.currency is not None:
            a["currency"] = str(r.currency)
        if r.per is not None:
            a["per"] = {"quantity": str(r.per).rstrip("/").rsplit("/", 1)[-1], "label": str(r.perText or "")}
        if str(r.a) in steps:
            a["schedule"] = sorted(steps[str(r.a)], key=lambda s: s["years"])
        out[str(r.m)]["amounts"].append(a)


MINTED = PREFIXES + """
SELECT ?iri ?id ?label ?unit ?type WHERE {
  ?iri pk:minted true ; skos:notation ?id ; skos:prefLabel ?label ; a ?type .
  FILTER(lang(?label) = "zh" && ?type IN (pk:Quantity, pk:Qualification, pk:Flag))
  OPTIONAL { ?iri pk:unit ?unit }
} ORDER BY ?id"""
SCHEME = {"Quantity": "quantity", "Qualification": "qualification", "Flag": "flag"}


def minted_concepts(graph: Graph) -> list:
    """The concepts a graph minted from its text (open vocabulary), as lexicon Concepts, registered so that
    `Lexicon.concept(id)` finds them in this process too (a graph read back from Turtle carries them)."""
    from .mint import register
    out = []
    for r in graph.query(MINTED):
        out.append(register(SCHEME[str(r.type).rsplit("#", 1)[1]], str(r.id), str(r.label),
                            str(r.unit) if r.unit is not None else None))
    return out
