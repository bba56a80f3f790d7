"""The measures and rules of a policy graph, read with SPARQL into plain objects the reasoner uses.

`load_policy(graph, *, config)` → Policy (cached per graph object). Condition IRIs are kept so shapes,
confirmations and audit records can point at them. A ratio amount whose base quantity the graph does not
record is given one from the words just before it ("按照合同额的万分之一" → the quantity named 合同额,
preferring a quantity the measure's own threshold uses); `base_inferred` says so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph

from kg_builder.lexicon import load_lexicon
from kg_builder.views import PREFIXES, measures_json

from .config import ReasonerConfig

DOCS = PREFIXES + "SELECT DISTINCT ?doc ?text WHERE { ?m a pk:Measure ; pk:citation/oa:hasSource ?doc . " \
                  "OPTIONAL { ?doc pk:sourceText ?text } }"
CONDITION_IRIS = PREFIXES + """SELECT ?clauseId ?idx ?c ?s ?e WHERE { ?m a pk:Measure ; pk:inClause/pk:clauseId ?clauseId ;
  pk:measureIndex ?idx ; pk:hasCondition ?c . ?c pk:citation/oa:hasSelector ?p . ?p oa:start ?s ; oa:end ?e . }"""
MEASURE_IRIS = PREFIXES + "SELECT ?m ?clauseId ?idx WHERE { ?m a pk:Measure ; pk:inClause/pk:clauseId ?clauseId ; pk:measureIndex ?idx }"
RULES = PREFIXES + """SELECT ?r ?clauseId ?label ?s ?e ?x WHERE { ?r a pk:NoDuplicationRule ; pk:inClause ?cl .
  ?cl pk:clauseId ?clauseId ; rdfs:label ?label . """ + "?r pk:citation/oa:hasSelector ?p, ?q . ?p oa:start ?s ; oa:end ?e . ?q oa:exact ?x . }"


@dataclass
class Policy:
    doc_id: str
    doc_iri: str
    measures: list[dict]
    rule: dict | None
    text: str | None = None
    by_id: dict = field(default_factory=dict)


_CACHE: dict[int, tuple[Graph, int, Policy]] = {}


def load_policy(graph: Graph, *, config: ReasonerConfig = ReasonerConfig()) -> Policy:
    hit = _CACHE.get(id(graph))
    if hit and hit[0] is graph and hit[1] == len(graph):
        return hit[2]
    policy = _read(graph, config)
    _CACHE[id(graph)] = (graph, len(graph), policy)
    return policy


def _read(graph: Graph, config: ReasonerConfig) -> Policy:
    row = next(iter(graph.query(DOCS)))
    doc_iri = str(row.doc)
    doc_id = doc_iri.rstrip("/").rsplit("/", 1)[-1]
    measures = measures_json(graph, doc_id)
    iris = {f"{r.clauseId}-{r.idx}": str(r.m) for r in graph.query(MEASURE_IRIS)}
    conds = {(f"{r.clauseId}-{r.idx}", int(r.s), int(r.e)): str(r.c) for r in graph.query(CONDITION_IRIS)}
    lex = load_lexicon(config.lexicon_path)
    for m in measures:
        key = m["id"].split("/", 1)[1]
        m["key"], m["iri"] = key, iris[key]
        for c in m["conditions"]:
            c["iri"] = conds[(key, c["citation"]["start"], c["citation"]["end"])]
        for a in m["amounts"]:
            if a["kind"] in ("ratio", "match_ratio") and not a.get("base_quantity"):
                _infer_base(m, a, lex)
    policy = Policy(doc_id, doc_iri, measures, _rule(graph, doc_id), str(row.text) if row.text else None)
    policy.by_id = {m["id"]: m for m in measures} | {m["key"]: m for m in measures}
    return policy


def _infer_base(measure: dict, amount: dict, lex) -> None:
    quote, offset = measure["citation"]["quote"], amount["citation"]["start"] - measure["citation"]["start"]
    head = quote[:offset]
    window = head[head.rfind("按"):] if "按" in head else ""
    own = {c.get("quantity") for c in measure["conditions"]}
    best = None
    for c in lex.of("quantity"):
        for term in [c.zh, *lex.data_terms(c.id), *c.short]:
            at = window.rfind(term) if term else -1
            if at >= 0:
                rank = (at + len(term), c.id in own, len(term))
                best = max(best or (rank, c.id), (rank, c.id))
    if best:
        amount["base_quantity"], amount["base_inferred"] = best[1], True


def _rule(graph: Graph, doc_id: str) -> dict | None:
    for r in graph.query(RULES):
        return {"iri": str(r.r), "clause": str(r.clauseId), "label": str(r.label),
                "citation": {"document": doc_id, "start": int(r.s), "end": int(r.e), "quote": str(r.x)}}
    return None
