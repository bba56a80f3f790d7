"""Fast path: the SHACL shapes of reasoner.shapes compiled to one SPARQL 1.1 SELECT, run by pyoxigraph
(embedded, default) or unchanged by any SPARQL endpoint (e.g. `oxigraph serve`). Outcomes equal pyshacl's.

The compiler covers the SHACL Core subset the shapes use and fails loudly on anything else:
node shapes with sh:property / sh:not / sh:and / sh:or, property shapes with a predicate sh:path and
sh:minCount 1, sh:in, sh:hasValue, sh:minExclusive/minInclusive/maxExclusive/maxInclusive. Each yields a
"violates" FILTER expression over ?this; every property pattern is one triple on the enterprise, so the
cost is linear in the number of enterprises.

The query (run in pieces of BRANCHES constraint nodes) returns one row per enterprise with the numbers of the violated constraint nodes
(GROUP_CONCAT), which keeps the result small for 100,000 enterprises; `CompiledChecks.keys` maps a number
back to (check IRI, "failing"|"missing").
Entry points: `compile_checks(policy, *, config)`, `run_embedded(profiles, policy, *, config)`,
`run_store(store, policy)`, `run_endpoint(url, policy, *, config)`.
"""
from __future__ import annotations

import json
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, RDFS, SH

from .config import ReasonerConfig, memo_derived
from .rdfprofile import to_ntriples
from .shapes import shapes_graph
from .vocab import PF

_BOUNDS = {SH.minExclusive: ">", SH.minInclusive: ">=", SH.maxExclusive: "<", SH.maxInclusive: "<="}
# annotations, and what the caller handles (path, nested property shapes, severity)
_IGNORED = {RDF.type, SH.message, SH.severity, SH.targetClass, SH.path, PF.decides, SH.property, RDFS.label,
            RDFS.seeAlso, RDFS.comment, DCTERMS.isPartOf}


class UnsupportedShape(ValueError):
    """A shape uses SHACL the compiler does not translate (so the fast path would silently differ)."""


@dataclass(frozen=True)
class CompiledChecks:
    query: str
    keys: tuple[tuple[str, str], ...]  # number in ?ks → (check IRI, outcome)
    parts: tuple[str, ...] = ()  # the same SELECT cut into pieces of BRANCHES constraint nodes each

    def queries(self) -> tuple[str, ...]:
        return self.parts or (self.query,)


# Constraint nodes per query run. pyoxigraph's time grows with the square of a UNION's branches (a 391-branch
# policy: 0.23 s for one enterprise; the same checks in pieces of 20: 0.009 s), so the checks run in pieces;
# the rows are merged by `_collect`. The whole query (`query`) is what `policykg build` writes.
BRANCHES = 20


def _select(branches: list[str]) -> str:
    return "SELECT ?this (GROUP_CONCAT(STR(?k)) AS ?ks) WHERE {\n" + "\nUNION ".join(branches) + "\n} GROUP BY ?this"


def _term(node) -> str:
    if isinstance(node, (URIRef, Literal)):
        return node.n3()
    raise UnsupportedShape(f"blank node {node} used as a value")


def _items(g: Graph, head) -> list:
    return list(Collection(g, head))


def _property_violates(g: Graph, prop) -> str:
    path = g.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise UnsupportedShape(f"{prop}: only a single predicate sh:path is compiled")
    p, out = path.n3(), []
    for pred, obj in g.predicate_objects(prop):
        if pred == SH.minCount:
            if int(obj) != 1:
                raise UnsupportedShape(f"{prop}: sh:minCount {obj} (only 1 is compiled)")
            out.append(f"NOT EXISTS {{ ?this {p} ?v }}")
        elif pred == SH.hasValue:
            out.append(f"NOT EXISTS {{ ?this {p} {_term(obj)} }}")
        elif pred == SH["in"]:
            same = " || ".join(f"sameTerm(?v, {_term(x)})" for x in _items(g, obj)) or "false"
            out.append(f"EXISTS {{ ?this {p} ?v FILTER(!({same})) }}")
        elif pred in _BOUNDS:
            out.append(f"EXISTS {{ ?this {p} ?v FILTER(!(?v {_BOUNDS[pred]} {_term(obj)})) }}")
        elif pred not in _IGNORED:
            raise UnsupportedShape(f"{prop}: {pred} is not compiled")
    return " || ".join(out) or "false"


def violates(g: Graph, shape) -> str:
    """SPARQL expression true when ?this violates `shape` (a node or property shape)."""
    if g.value(shape, SH.path) is not None:
        return _property_violates(g, shape)
    out = [f"({_property_violates(g, p)})" for p in g.objects(shape, SH.property)]
    for pred, obj in g.predicate_objects(shape):
        if pred == SH["not"]:
            out.append(f"!({violates(g, obj)})")
        elif pred == SH["and"]:
            out.append(" || ".join(f"({violates(g, s)})" for s in _items(g, obj)) or "false")
        elif pred == SH["or"]:
            out.append("(" + (" && ".join(f"({violates(g, s)})" for s in _items(g, obj)) or "true") + ")")
        elif pred not in _IGNORED:
            raise UnsupportedShape(f"{shape}: {pred} is not compiled")
    return " || ".join(out) or "false"


def _severity(g: Graph, node) -> str:
    return "missing" if g.value(node, SH.severity) == SH.Info else "failing"


def compile_shapes(g: Graph) -> CompiledChecks:
    """One SELECT over all constraint nodes that decide a check (pf:decides), in a stable order."""
    nodes = sorted(g.subjects(PF.decides, None), key=str)
    keys, branches = [], []
    enterprise = URIRef(str(PF.Enterprise)).n3()
    for k, node in enumerate(nodes):
        keys.append((str(g.value(node, PF.decides)), _severity(g, node)))
        branches.append(f"{{ ?this a {enterprise} . FILTER({violates(g, node)}) BIND({k} AS ?k) }}")
    parts = tuple(_select(branches[i:i + BRANCHES]) for i in range(0, len(branches), BRANCHES))
    return CompiledChecks(_select(branches), tuple(keys), parts)


_COMPILED: dict[int, tuple] = {}


def compile_checks(policy, *, config: ReasonerConfig = ReasonerConfig()) -> CompiledChecks:
    hit = _COMPILED.get(id(policy))
    if hit and hit[0] is policy and hit[1] == config:
        return hit[2]
    compiled = memo_derived(getattr(policy, "cache_key", None),  # on disk for a policy read from a cached graph
                            "checks", lambda: compile_shapes(shapes_graph(policy, config=config)), config=config)
    _COMPILED[id(policy)] = (policy, config, compiled)
    return compiled


def _collect(rows, keys) -> dict:
    """rows of (enterprise IRI, "3 17 42") → {(enterprise, check): "failing"|"missing"}; failing wins."""
    out = {}
    for this, ks in rows:
        for k in ks.split():
            check, outcome = keys[int(k)]
            if out.get((this, check)) != "failing":
                out[(this, check)] = outcome
    return out


def run_store(store: ox.Store, policy, *, config: ReasonerConfig = ReasonerConfig()) -> dict:
    compiled = compile_checks(policy, config=config)
    return _collect(((s[0].value, s[1].value) for q in compiled.queries() for s in store.query(q)), compiled.keys)


def run_embedded(profiles: dict, policy, *, config: ReasonerConfig = ReasonerConfig()) -> dict:
    """profiles: {enterprise IRI: Profile} → {(IRI, check IRI): "failing"|"missing"}."""
    store = ox.Store()
    store.bulk_load(to_ntriples(profiles, policy).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return run_store(store, policy, config=config)


def run_endpoint(url: str, policy, *, config: ReasonerConfig = ReasonerConfig(), timeout: float = 60) -> dict:
    """The same query over HTTP (SPARQL 1.1 Protocol, JSON results)."""
    compiled = compile_checks(policy, config=config)
    rows = []
    for query in compiled.queries():
        body = urllib.parse.urlencode({"query": query}).encode()
        req = urllib.request.Request(url, data=body, headers={"Accept": "application/sparql-results+json",
                                                              "Content-Type": "application/x-www-form-urlencoded"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data = json.load(resp)
        rows += [(b["this"]["value"], b["ks"]["value"]) for b in data["results"]["bindings"]]
    return _collect(rows, compiled.keys)
