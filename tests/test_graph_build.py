"""The graph: isomorphic across builds, conforms to the structure shapes, vocabulary declared."""
from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF

from conftest import ROOT, XICHENG
from kg_builder.build import build_source
from kg_builder.validate import validate_structure
from kg_builder.vocab import OA, PK


def test_identical_input_gives_isomorphic_graph(xicheng):
    assert isomorphic(xicheng.graph, build_source(XICHENG).graph)


def test_graph_conforms_to_structure_shapes(xicheng):
    conforms, problems = validate_structure(xicheng.graph)
    assert conforms, problems[:3]


def test_a_tampered_quote_is_reported(xicheng):
    g = Graph()
    g += xicheng.graph
    quote = next(q for q in g.subjects(RDF.type, OA.TextQuoteSelector) if "/measure/4.1-1/citation" in str(q))
    g.set((quote, OA.exact, Literal("对新培育的企业给予300万元奖励")))
    conforms, problems = validate_structure(g)
    assert not conforms
    assert any("引文与原文" in p.message and "4.1-1" in p.focus for p in problems)


def test_every_project_term_is_declared_in_the_ontology():
    onto = Graph().parse(ROOT / "ontology" / "policykg.ttl")
    declared = {str(s) for s in onto.subjects(RDF.type, None)}
    terms = [str(getattr(PK, name)) for name in PK.__annotations__]
    assert [t for t in terms if t not in declared] == []


def test_closed_namespace_refuses_typos():
    import pytest
    with pytest.raises(AttributeError):
        PK.hasAmounts  # noqa: B018
