"""The enterprise-profile vocabulary as OWL + SHACL, generated from the dictionary (kg_builder lexicon):
one datatype property per qualification, quantity and flag, each linked to its SKOS concept.

ontology/profile.ttl is this module's output, committed so readers and other tools can use it; a test
keeps it in sync. Regenerate with `python -m reasoner.profile_ontology > ontology/profile.ttl`.
The shape pf:EnterpriseShape states what a well-formed profile is (value types, one value per fact,
amounts ≥ 0, statuses from the list); `policykg check` reads profiles through the JSON Schema of
reasoner.schema, which says the same for JSON.
"""
from __future__ import annotations

import sys

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, XSD

from kg_builder.lexicon import load_lexicon

from .config import ReasonerConfig
from .schema import corpus_concepts, vocabulary
from .vocab import PF, PREFIXES, concept_iri, fact_property

STATUSES = ("new", "renewed", "held", "none")
STATUS_NOTE = "new = 本年度新认定/新培育; renewed = 本年度复审通过; held = 持有（未说明年度）; none = 不具备"
UNITS = {"CNY": "元 (CNY)", "year": "年 (years)", "m2": "平方米 (m²)", "day": "天 (days)", "month": "月 (months)",
         "person": "人 (people)"}
BASE = "https://w3id.org/policykg/profile"


def _label(g: Graph, node, zh: str, en: str) -> None:
    g.add((node, RDFS.label, Literal(zh, lang="zh")))
    g.add((node, RDFS.label, Literal(en, lang="en")))


def _fixed_terms(g: Graph) -> None:
    onto = URIRef(BASE)
    g.add((onto, RDF.type, OWL.Ontology))
    _label(g, onto, "policykg 企业画像词汇", "policykg enterprise profile vocabulary")
    g.add((onto, DCTERMS.description, Literal(
        "Facts an enterprise states about itself, one property per concept of the policykg dictionary. "
        "An absent fact is unknown, never false or zero.", lang="en")))
    g.add((onto, RDFS.seeAlso, URIRef("https://w3id.org/policykg/ont")))
    g.add((PF.Enterprise, RDF.type, OWL.Class))
    _label(g, PF.Enterprise, "企业（申请主体）", "enterprise (applicant)")
    g.add((PF.FactProperty, RDF.type, OWL.Class))
    _label(g, PF.FactProperty, "画像事实属性", "profile fact property")
    for prop, kind, rng, zh, en in (
            (PF.concept, OWL.AnnotationProperty, None, "对应概念", "concept reported"),
            (PF.unit, OWL.AnnotationProperty, None, "单位", "unit"),
            (PF.industry, OWL.ObjectProperty, None, "所属行业（GB/T 4754门类）", "industry (GB/T 4754 section)"),
            (PF.role, OWL.DatatypeProperty, XSD.string, "申请身份（如运营机构）", "role claimed (e.g. operator)"),
            (PF.confirms, OWL.ObjectProperty, None, "确认满足的文字条件", "text condition confirmed"),
            (PF.decides, OWL.AnnotationProperty, None, "判定的条件", "condition decided (shapes)")):
        g.add((prop, RDF.type, kind))
        _label(g, prop, zh, en)
        if kind != OWL.AnnotationProperty:
            g.add((prop, RDFS.domain, PF.Enterprise))
        if rng is not None:
            g.add((prop, RDFS.range, rng))


def _list(g: Graph, items) -> BNode:
    head = BNode()
    Collection(g, head, list(items))
    return head


def profile_ontology(config: ReasonerConfig = ReasonerConfig(), minted: tuple = ()) -> Graph:
    """The vocabulary of the dictionary, plus the `minted` concepts of a corpus (open vocabulary)."""
    lex = load_lexicon(config.lexicon_path)
    concepts = vocabulary(config, tuple(minted))
    g = Graph()
    for prefix, ns in {**PREFIXES, "owl": str(OWL), "sh": str(SH), "dcterms": str(DCTERMS),
                       "skos": "http://www.w3.org/2004/02/skos/core#"}.items():
        g.bind(prefix, ns)
    _fixed_terms(g)
    shape = URIRef(str(PF.Enterprise) + "Shape")
    g.add((shape, RDF.type, SH.NodeShape))
    g.add((shape, SH.targetClass, PF.Enterprise))
    _label(g, shape, "企业画像格式", "well-formed enterprise profile")
    for scheme, rng in (("qualification", XSD.string), ("quantity", XSD.decimal), ("flag", XSD.boolean)):
        for c in (c for c in concepts if c.scheme == scheme):
            prop = URIRef(fact_property(scheme, c.id))
            g.add((prop, RDF.type, OWL.DatatypeProperty))
            g.add((prop, RDF.type, PF.FactProperty))
            if scheme != "quantity":  # a quantity may have one value per unit (展会, 被投企业) for per-unit caps
                g.add((prop, RDF.type, OWL.FunctionalProperty))
            g.add((prop, RDFS.domain, PF.Enterprise))
            g.add((prop, RDFS.range, rng))
            g.add((prop, PF.concept, URIRef(concept_iri(scheme, c.id))))
            _label(g, prop, c.zh, c.en)
            spec = BNode()
            g.add((shape, SH.property, spec))
            g.add((spec, SH.path, prop))
            g.add((spec, SH.datatype, rng))
            if scheme != "quantity":
                g.add((spec, SH.maxCount, Literal(1)))
            if scheme == "qualification":
                g.add((prop, RDFS.comment, Literal(STATUS_NOTE)))
                g.add((spec, SH["in"], _list(g, [Literal(s) for s in STATUSES])))
            elif scheme == "quantity":
                g.add((prop, PF.unit, Literal(UNITS.get(c.unit or "CNY", c.unit))))
                g.add((spec, SH.minInclusive, Literal(0, datatype=XSD.decimal)))
    industry = BNode()
    g.add((shape, SH.property, industry))
    g.add((industry, SH.path, PF.industry))
    g.add((industry, SH.maxCount, Literal(1)))
    g.add((industry, SH["in"], _list(g, [URIRef(concept_iri("industry", c.id)) for c in lex.of("industry")])))
    return g


def main(argv: list[str] | None = None) -> None:
    """`python -m reasoner.profile_ontology > ontology/profile.ttl`; `--corpus FILE` adds that text's minted concepts."""
    minted = corpus_concepts(argv)
    sys.stdout.write("# Generated by `python -m reasoner.profile_ontology` from kg_builder/resources/lexicon.yaml"
                     + (" and the concepts minted from a corpus" if minted else "") + ". Do not edit.\n")
    sys.stdout.write(profile_ontology(minted=minted).serialize(format="turtle"))


if __name__ == "__main__":
    main()
