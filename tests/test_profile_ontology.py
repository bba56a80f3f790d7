"""ontology/profile.ttl is what the dictionary generates, and profiles written by the reasoner conform to it."""
from decimal import Decimal

from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.compare import isomorphic

from conftest import ROOT
from reasoner.profile import Profile
from reasoner.profile_ontology import profile_ontology
from reasoner.rdfprofile import to_rdflib
from reasoner.vocab import PF, concept_iri, fact_property, split_fact_property


def test_committed_file_matches_the_dictionary():
    committed = Graph().parse(ROOT / "ontology" / "profile.ttl")
    generated = Graph().parse(data=profile_ontology().serialize(format="turtle"), format="turtle")
    assert isomorphic(committed, generated), "run: python -m reasoner.profile_ontology > ontology/profile.ttl"


def test_every_fact_property_points_at_its_concept():
    g = profile_ontology()
    props = set(g.subjects(RDF.type, PF.FactProperty))
    assert URIRef(fact_property("quantity", "rdExpense")) in props and len(props) > 30
    for prop in props:
        scheme, cid = split_fact_property(str(prop))
        assert g.value(prop, PF.concept) == URIRef(concept_iri(scheme, cid))
        assert {lit.language for lit in g.objects(prop, RDFS.label)} == {"zh", "en"}


def test_reasoner_profiles_conform_and_bad_ones_do_not():
    shapes = profile_ontology()
    good = Profile(qualifications={"HighTechEnterprise": "new"}, quantities={"rdExpense": Decimal("15000000")},
                   flags={"rdRatioAboveTarget": True}, industry="M")
    assert validate(to_rdflib({"https://x/e1": good}), shacl_graph=shapes)[0]
    bad = Profile(qualifications={"HighTechEnterprise": "maybe"}, quantities={"rdExpense": Decimal("-1")})
    conforms, report, _ = validate(to_rdflib({"https://x/e2": bad}), shacl_graph=shapes)
    paths = {str(o) for o in report.objects(None, URIRef("http://www.w3.org/ns/shacl#resultPath"))}
    assert not conforms and paths == {fact_property("qualification", "HighTechEnterprise"),
                                      fact_property("quantity", "rdExpense")}


def test_committed_json_schema_matches_the_dictionary():
    import json

    from reasoner.schema import profile_schema
    committed = json.loads((ROOT / "ontology" / "profile.schema.json").read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(profile_schema())), "run: python -m reasoner.schema > ontology/profile.schema.json"
