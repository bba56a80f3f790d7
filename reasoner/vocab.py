"""Profile vocabulary (closed namespace): how enterprise facts look in RDF, for SHACL and SPARQL alike.

    <enterprise/e1> a pf:Enterprise ;
        pf:hasQualification [ pf:concept <scheme/qualification/HighTechEnterprise> ; pf:status "new" ] ;
        pf:hasQuantity [ pf:concept <scheme/quantity/rdExpense> ; pf:value 15000000.0 ] ;
        pf:hasFlag [ pf:concept <scheme/flag/rdRatioAboveTarget> ; pf:value true ] ;
        pf:industry <scheme/gbt4754/M> ; pf:role "运营机构" ; pf:confirms <…/condition/1> .
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

PF_NS = "https://w3id.org/policykg/profile#"


class PF(DefinedNamespace):
    _NS = Namespace(PF_NS)
    _fail = True
    Enterprise: URIRef
    hasQualification: URIRef
    hasQuantity: URIRef
    hasFlag: URIRef
    concept: URIRef
    status: URIRef
    value: URIRef
    industry: URIRef
    role: URIRef
    confirms: URIRef
