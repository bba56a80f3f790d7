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

CITE = "?{v} pk:citation/oa:hasSelector ?{v}P, ?{v}Q . ?{v}P oa:start ?{v}S ; oa:end ?{v}E . ?{v}Q oa:exact ?{v}X ."

MEASURES = PREFIXES + """
SELECT ?m ?doc ?clauseId ?label ?idx ?ben ?benefit ?art ?item ?mS ?mE ?mX ?origin WHERE {
  ?m a pk:Measure ; pk:inClause ?clause ; pk:measureIndex ?idx ; pk:beneficiary ?ben ; pk:benefitType ?benefit ;
     pk:origin ?origin ; pk:citation/oa:hasSource ?doc .
  ?clause pk:clauseId ?clauseId ; rdfs:label ?label .
  OPTIONAL { ?clause eli:is_part_of ?parent . ?parent a pk:Article ; eli:number ?art . ?clause eli:number ?item . }
  OPTIONAL { ?clause a pk:Article ; eli:number ?art . }
  """ + CITE.format(v="m") + """
} ORDER BY ?m"""

CONDITIONS = PREFIXES + """
SELECT ?m ?c ?type ?text ?status ?q ?op ?value ?unit ?concept ?origin ?cS ?cE ?cX ?cDoc WHERE {
  ?m pk:hasCondition ?c . ?c a ?type ; pk:conditionText ?text ; pk:origin ?origin .
  FILTER(?type IN (pk:QualificationCondition, pk:ThresholdCondition, pk:FlagCondition, pk:IndustryCondition, pk:TextCondition))
  OPTIONAL { ?c pk:qualificationStatus ?status }
  OPTIONAL { ?c pk:onQuantity/skos:notation ?q }
  OPTIONAL { ?c pk:operator ?op ; pk:thresholdValue ?value ; pk:unit ?unit }
  OPTIONAL { ?c (pk:anyOfQualification|pk:anyOfIndustry|pk:requiresFact)/skos:notation ?concept }
  OPTIONAL { ?c pk:citation/oa:hasSource ?cDoc }
  """ + CITE.format(v="c") + """
} ORDER BY ?c ?concept"""

AMOUNTS = PREFIXES + """
SELECT ?m ?a ?kind ?value ?base ?baseText ?unit ?origin ?aS ?aE ?aX WHERE {
  ?m pk:hasAmount ?a . ?a pk:amountKind ?kindIri ; schema:value ?value ; pk:origin ?origin .
  BIND(STRAFTER(STR(?kindIri), "#") AS ?kind)
  OPTIONAL { ?a pk:baseQuantity/skos:notation ?base }
  OPTIONAL { ?a pk:baseText ?baseText }
  OPTIONAL { ?a pk:unit ?unit }
  """ + CITE.format(v="a") + """
} ORDER BY ?a"""

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
    """One object per measure, in the shape `policykg measures --json` prints."""
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
    return [out[k] for k in sorted(out, key=_sort_key)]


def _attach_conditions(graph: Graph, out: dict, doc_id: str) -> None:
    seen: dict[str, dict] = {}
    for r in graph.query(CONDITIONS):
        key = str(r.c)
        if key not in seen:
            c = {"kind": CONDITION_KIND[str(r.type).rsplit("#", 1)[1]], "text": str(r.text), "origin": str(r.origin),
                 "citation": {"document": doc_of(r.cDoc, doc_id), "start": int(r.cS), "end": int(r.cE),
                              "quote": str(r.cX)}}
            for name, term in (("status", r.status), ("quantity", r.q), ("op", r.op), ("value", r.value), ("unit", r.unit)):
                if term is not None:
                    c[name] = _py(term)
            if c["kind"] == "threshold":
                c["inclusive"] = c.get("op") in ("ge", "le")
            seen[key] = c
            out[str(r.m)]["conditions"].append(c)
        if r.concept is not None:
            seen[key].setdefault("concepts", []).append(str(r.concept))
    for m in out.values():
        m["conditions"].sort(key=lambda c: (c["citation"]["document"] != doc_id, c["citation"]["start"]))


def _attach_amounts(graph: Graph, out: dict, doc_id: str) -> None:
    rows = sorted(graph.query(AMOUNTS), key=lambda r: _sort_key(str(r.a)))
    for r in rows:
        a = {"kind": str(r.kind), "value": _py(r.value), "origin": str(r.origin),
             "citation": {"document": doc_id, "start": int(r.aS), "end": int(r.aE), "quote": str(r.aX)}}
        if str(r.kind) in ("ratio", "match_ratio"):
            a["base"] = str(r.baseText or r.base or "")
            if r.base is not None:
                a["base_quantity"] = str(r.base)
        if r.unit is not None and str(r.kind) in ("rate", "max_years"):
            a["unit"] = str(r.unit)
        out[str(r.m)]["amounts"].append(a)
