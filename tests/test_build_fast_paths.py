"""The fast paths of `policykg build` give what the slow ones gave: the read-back SPARQL run by pyoxigraph equals
rdflib's, the N-Triples written straight from the graph are its triples, the counting store counts, the
memoised Turtle writer writes rdflib's bytes, and a file a forked child cannot write is reported."""
from __future__ import annotations

import json
import os

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from conftest import ROOT, XICHENG
from kg_builder import oxstore, views
from kg_builder.build import build_graph, build_source
from kg_builder.cache import in_child, write_behind
from kg_builder.errors import PolicyInputError
from kg_builder.qnames import use_known_prefixes, write_turtle
from kg_builder.rdf import PlainStore
from kg_builder.samples import make_large_policy

TEXTS = [XICHENG, ROOT / "corpus" / "nansha_shangmao_2017.txt", ROOT / "tests/data/policies/talent_incubator.txt"]


def _rdflib_select(graph, query):
    """The read-back as it ran before: rdflib's SPARQL engine, values by `toPython()`."""
    return [oxstore.Row({str(v): (row[v].toPython() if isinstance(row[v], Literal) else row[v]) for v in row.labels})
            for row in graph.query(query)]


def _dump(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@pytest.fixture(scope="module")
def builds():
    return [build_source(p) for p in TEXTS] + [build_graph(make_large_policy(25), doc_id="sample25")]


def test_readback_in_pyoxigraph_equals_rdflib(builds, monkeypatch):
    fast = [_dump(views._measures_json(b.graph, b.doc_id)) for b in builds]
    monkeypatch.setattr(views, "select", _rdflib_select)
    slow = [_dump(views._measures_json(b.graph, b.doc_id)) for b in builds]
    assert all(json.loads(f) for f in fast)  # every text has measures
    assert fast == slow


def test_ntriples_are_the_graph(builds):
    for b in builds:
        ours = {str(t) for t in ox.parse(oxstore.ntriples(b.graph), format=ox.RdfFormat.N_TRIPLES)}
        rdflibs = {str(t) for t in ox.parse(b.graph.serialize(format="nt", encoding="utf-8"),
                                            format=ox.RdfFormat.N_TRIPLES)}
        assert ours == rdflibs and len(ours) == len(b.graph)


def test_literals_with_escapes_survive():
    g = Graph(store=PlainStore())
    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    texts = ['引号"与\\反斜杠', "换行\n回车\r制表\t", "\x00\x1f\x7f", "第一条（一）"]
    for t in texts:
        g.add((s, p, Literal(t)))
    g.add((s, p, Literal("zh", lang="zh")))
    g.add((s, p, Literal(3)))
    parsed = [q.triple.object for q in ox.parse(oxstore.ntriples(g), format=ox.RdfFormat.N_TRIPLES)]
    assert sorted(o.value for o in parsed) == sorted([*texts, "zh", "3"])
    assert [str(o) for o in parsed] == sorted(str(o) for o in parsed)  # lines sort as pyoxigraph's terms


def test_plain_store_counts():
    g = Graph(store=PlainStore())
    s, p = URIRef("https://example.org/s"), URIRef("https://example.org/p")
    for n in (1, 2, 2, 3):
        g.add((s, p, Literal(n)))
    assert len(g) == 3
    g.remove((s, p, Literal(2)))
    assert len(g) == 2 == sum(1 for _ in g)


def test_write_turtle_is_rdflibs(tmp_path):
    from reasoner.model import load_policy
    from reasoner.shapes import shapes_graph
    graph = build_source(XICHENG).graph
    for g in (graph, use_known_prefixes(shapes_graph(load_policy(graph)))):
        write_turtle(g, tmp_path / "fast.ttl")
        g.serialize(tmp_path / "rdflib.ttl", format="turtle")
        assert (tmp_path / "fast.ttl").read_bytes() == (tmp_path / "rdflib.ttl").read_bytes()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here: files are written in place")
def test_a_child_that_cannot_write_is_reported(tmp_path):
    ok = tmp_path / "ok.txt"
    with write_behind():
        in_child(lambda: ok.write_text("done"), str(ok))
    assert ok.read_text() == "done"
    bad = tmp_path / "missing" / "x.txt"
    with pytest.raises(PolicyInputError, match="cannot write"):
        with write_behind():
            in_child(lambda: bad.write_text("x"), str(bad))
