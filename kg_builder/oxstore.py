"""A built rdflib graph in pyoxigraph (Rust): written as Turtle or JSON-LD, and queried with SPARQL.

rdflib stays the graph the pipeline builds and the tests compare; pyoxigraph writes it (rdflib's writers took most
of `policykg build` on large texts: 1,000 articles ~15 s Turtle, ~25 s JSON-LD; pyoxigraph under 1 s each) and
answers the read-back queries (kg_builder.views, reasoner.model: rdflib's SPARQL engine took ~15 s for them at
1,000 articles). The copy goes through N-Triples written here straight from the graph's triples, so every term
(IRIs, language tags, datatypes, long literals) is carried over exactly. Turtle keeps the prefixes of the
vocabularies the graph uses; JSON-LD is written expanded (full IRIs), subjects grouped and sorted.

Entry points: `triples(graph)` (sorted pyoxigraph triples), `write(graph, path, fmt)`, `select(graph, query)`
(SPARQL SELECT rows with Python values, as rdflib's `toPython` gives them). Each is cached per graph object while
the graph keeps its size.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory

_CACHE: dict[int, tuple[Graph, int, dict]] = {}
_KEEP = 4
FORMATS = {"turtle": ox.RdfFormat.TURTLE, "json-ld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES}
XSD = "http://www.w3.org/2001/XMLSchema#"
# pyoxigraph's own escaping of a literal (its str()): sorting our lines sorts as its terms would sort
_ESCAPE = str.maketrans({**{c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F)},
                         0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"})


def _entry(graph: Graph) -> dict:
    hit = _CACHE.get(id(graph))
    if hit and hit[0] is graph and hit[1] == len(graph):
        return hit[2]
    while len(_CACHE) >= _KEEP:
        _CACHE.pop(next(iter(_CACHE)))
    entry: dict = {}
    _CACHE[id(graph)] = (graph, len(graph), entry)
    return entry


def _grouped(graph: Graph):
    """(subject, predicate, objects) of `graph`; read from the store's index when it is GraphWriter's plain store
    (kg_builder.rdf.PlainStore), else triple by triple."""
    store = graph.store
    if isinstance(store, SimpleMemory) and type(graph) is Graph:
        return ((s, p, objects) for s, po in store._SimpleMemory__spo.items() for p, objects in po.items())
    return ((s, p, (o,)) for s, p, o in graph.triples((None, None, None)))


def ntriples(graph: Graph) -> bytes:
    """`graph` as N-Triples, one line per triple, lines sorted (= sorted by subject, predicate, object)."""
    names: dict = {}

    def iri(t) -> str:
        out = names.get(t)
        if out is None:
            out = names[t] = f"_:{t}" if isinstance(t, BNode) else f"<{t}>"
        return out

    def literal(t: Literal) -> str:
        text = '"' + str(t).translate(_ESCAPE) + '"'
        if t.language:
            return f"{text}@{t.language}"
        if t.datatype is not None and str(t.datatype) != XSD + "string":
            return f"{text}^^{iri(t.datatype)}"
        return text

    lines = []
    for s, p, objects in _grouped(graph):
        head = f"{iri(s)} {iri(p)} "
        lines += [f"{head}{literal(o) if isinstance(o, Literal) else iri(o)} .\n" for o in objects]
    lines.sort()
    return "".join(lines).encode("utf-8")


def _nt(graph: Graph, entry: dict) -> bytes:
    if "nt" not in entry:
        entry["nt"] = ntriples(graph)
    return entry["nt"]


def triples(graph: Graph) -> list:
    """pyoxigraph triples equal to `graph`'s, sorted by subject, predicate, object (cached per graph)."""
    entry = _entry(graph)
    if "triples" not in entry:
        entry["triples"] = [q.triple for q in ox.parse(_nt(graph, entry), format=ox.RdfFormat.N_TRIPLES)]
    return entry["triples"]


def store(graph: Graph) -> ox.Store:
    """An in-memory pyoxigraph store holding `graph` (cached per graph)."""
    entry = _entry(graph)
    if "store" not in entry:
        s = ox.Store()
        s.bulk_load(_nt(graph, entry), format=ox.RdfFormat.N_TRIPLES)
        entry["store"] = s
    return entry["store"]


def write(graph: Graph, path: Path | str, fmt: str) -> None:
    """Write `graph` as Turtle or JSON-LD (subjects grouped, sorted; prefixes of the vocabularies it uses)."""
    ordered = triples(graph)
    used = {t.predicate.value for t in ordered} | {t.object.value for t in ordered if isinstance(t.object, ox.NamedNode)
                                                   and t.predicate.value.endswith("#type")}
    prefixes = {p: str(ns) for p, ns in graph.namespaces() if p and any(u.startswith(str(ns)) for u in used)}
    ox.serialize(ordered, str(path), FORMATS[fmt], prefixes=prefixes if fmt == "turtle" else None)


class Row(dict):
    """A result row: `row.var` or `row["var"]`, None when unbound (as rdflib's rows)."""
    __slots__ = ()

    def __getattr__(self, name):
        return self.get(name)


_INTEGERS = {XSD + t for t in ("integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
                                "negativeInteger", "int", "long", "short", "byte", "unsignedInt", "unsignedLong",
                                "unsignedShort", "unsignedByte")}


def value(term):
    """A pyoxigraph term as rdflib's `toPython()` gives it for the datatypes the graph uses: IRIs and blank nodes
    as rdflib terms, integers int, xsd:decimal Decimal, booleans bool, doubles float, dates date, other
    literals their text (a str)."""
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        try:
            if dt in _INTEGERS:
                return int(term.value)
            if dt == XSD + "decimal":
                return Decimal(term.value)
            if dt == XSD + "boolean":
                return term.value in ("true", "1")
            if dt in (XSD + "double", XSD + "float"):
                return float(term.value)
            if dt == XSD + "date":
                return date.fromisoformat(term.value)
        except ValueError:
            return term.value  # an ill-typed literal: rdflib keeps its text too
        return term.value
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    return None if term is None else BNode(term.value)


def select(graph: Graph, query: str) -> list[Row]:
    """Rows of a SPARQL SELECT over `graph`, run by pyoxigraph, values converted by `value`."""
    solutions = store(graph).query(query)
    names = [v.value for v in solutions.variables]
    return [Row(zip(names, map(value, s))) for s in solutions]
