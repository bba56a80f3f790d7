"""Profile vocabulary: how enterprise facts look in RDF, for SHACL and SPARQL alike.

One property per dictionary concept, so every check is a single triple pattern on the enterprise
(linear in the number of enterprises on any SPARQL engine):

    <enterprise/e1> a pf:Enterprise ;
        pfq:HighTechEnterprise "new" ;          # new | renewed | held | none
        pfn:rdExpense 15000000.0 ;              # xsd:decimal, yuan or years
        pff:rdRatioAboveTarget true ;           # xsd:boolean
        pf:industry <scheme/gbt4754/M> ; pf:role "运营机构" ; pf:confirms <…/condition/1> .

The properties are declared in ontology/profile.ttl, generated from the dictionary by reasoner.profile_ontology.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from kg_builder.vocab import concept_iri  # noqa: F401  (re-exported: concept IRIs of the dictionary)

PF_NS = "https://w3id.org/policykg/profile#"
# scheme of the dictionary → namespace of its fact properties
FACT_NS = {"qualification": "https://w3id.org/policykg/profile/qualification#",
           "quantity": "https://w3id.org/policykg/profile/quantity#",
           "flag": "https://w3id.org/policykg/profile/flag#"}
PREFIXES = {"pf": PF_NS, "pfq": FACT_NS["qualification"], "pfn": FACT_NS["quantity"], "pff": FACT_NS["flag"]}


class PF(DefinedNamespace):
    _NS = Namespace(PF_NS)
    _fail = True
    Enterprise: URIRef
    FactProperty: URIRef
    concept: URIRef  # a fact property → the SKOS concept of the dictionary it reports
    unit: URIRef
    industry: URIRef
    role: URIRef
    confirms: URIRef
    decides: URIRef  # a shape or constraint node → the condition (check) whose outcome it reports


def fact_property(scheme: str, cid: str) -> str:
    """IRI of the property that states concept `cid` of `scheme` (qualification | quantity | flag)."""
    return FACT_NS[scheme] + cid


def split_fact_property(iri: str) -> tuple[str, str] | None:
    """(scheme, concept id) of a fact property IRI, or None if it is not one."""
    for scheme, ns in FACT_NS.items():
        if iri.startswith(ns):
            return scheme, iri[len(ns):]
    return None
