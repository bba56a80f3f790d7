"""The measures and rules of a policy graph, read with SPARQL into plain objects the reasoner uses.

`load_policy(graph, *, config)` → Policy (cached per graph object, and on disk for a graph from
kg_builder.cache.cached_build). Condition IRIs are kept so shapes,
confirmations and audit records can point at them. The quantity a ratio applies to is the graph's
`pk:baseQuantity` (kg_builder reads it from the words after 按照/按); the reasoner does not guess one.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

from kg_builder.cache import graph_key
from kg_builder.oxstore import select
from kg_builder.views import PREFIXES, measures_json, minted_concepts

from .config import ReasonerConfig, memo_derived

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
    concepts: tuple = ()  # concepts minted from the text (kg_builder.mint), read from the graph


_CACHE: dict[int, tuple[Graph, int, Policy]] = {}


def load_policy(graph: Graph, *, config: ReasonerConfig = ReasonerConfig()) -> Policy:
    hit = _CACHE.get(id(graph))
    if hit and hit[0] is graph and hit[1] == len(graph):
        return hit[2]
    policy = memo_derived(graph_key(graph), "policy", lambda: _read(graph))  # on disk for cached graphs
    policy.cache_key = graph_key(graph)  # what the compiled checks are cached under (reasoner.fast)
    from kg_builder.mint import register
    for c in policy.concepts:  # a policy read back from the disk cache: its minted concepts known here too
        register(c.scheme, c.id, c.zh, c.unit)
    _CACHE[id(graph)] = (graph, len(graph), policy)
    return policy


def _read(graph: Graph) -> Policy:
    row = select(graph, DOCS)[0]
    doc_iri = str(row.doc)
    doc_id = doc_iri.rstrip("/").rsplit("/", 1)[-1]
    measures = measures_json(graph, doc_id)
    iris = {f"{r.clauseId}-{r.idx}": str(r.m) for r in select(graph, MEASURE_IRIS)}
    conds = {(f"{r.clauseId}-{r.idx}", int(r.s), int(r.e)): str(r.c) for r in select(graph, CONDITION_IRIS)}
    for m in measures:
        key = m["id"].split("/", 1)[1]
        m["key"], m["iri"] = key, iris[key]
        for c in m["conditions"]:
            c["iri"] = conds[(key, c["citation"]["start"], c["citation"]["end"])]
    policy = Policy(doc_id, doc_iri, measures, _rule(graph, doc_id), str(row.text) if row.text else None,
                    concepts=tuple(minted_concepts(graph)))
    policy.by_id = {m["id"]: m for m in measures} | {m["key"]: m for m in measures}
    return policy


def _rule(graph: Graph, doc_id: str) -> dict | None:
    for r in sorted(select(graph, RULES), key=lambda r: (int(r.s), str(r.r))):  # the first in the text
        return {"iri": str(r.r), "clause": str(r.clauseId), "label": str(r.label),
                "citation": {"document": doc_id, "start": int(r.s), "end": int(r.e), "quote": str(r.x)}}
    return None


@dataclass(frozen=True)
class ConditionVocabulary:
    """What a policy's conditions ask about: qualification, flag and industry ids, and each quantity's thresholds."""
    qualifications: tuple[str, ...]
    thresholds: dict  # quantity id -> sorted threshold values
    flags: tuple[str, ...]
    industries: tuple[str, ...]


def condition_vocabulary(policy: Policy) -> ConditionVocabulary:
    quals, quants, flags, inds = set(), {}, set(), set()
    for m in policy.measures:
        for c in m["conditions"]:
            if c["kind"] == "qualification":
                quals.update(c["concepts"])
            elif c["kind"] == "threshold" and c.get("quantity"):
                quants.setdefault(c["quantity"], set()).add(c["value"])
            elif c["kind"] == "flag" and c.get("concepts"):
                flags.update(c["concepts"])
            elif c["kind"] == "industry":
                inds.update(c["concepts"])
    return ConditionVocabulary(tuple(sorted(quals)), {k: sorted(v) for k, v in sorted(quants.items())},
                               tuple(sorted(flags)), tuple(sorted(inds)))
