"""SHACL shapes generated from the graph: one NodeShape per measure, never written by hand.

Design (missing ≠ failing): every condition becomes two SPARQL-based constraints built from
reasoner.patterns. SHACL takes a result's severity from its shape, so each measure has its shape
<shape/4.3-2> (Violation: the facts contradict a condition) and a companion <shape/4.3-2/missing>
(sh:severity sh:Info: the facts needed are absent → needs_info); constraints are
<shape/4.3-2/c1/failing> and <shape/4.3-2/missing/c1/missing>.
A measure is ineligible if any Violation names it, needs_info if only Info results do, eligible if none.
Text conditions have only a `missing` constraint (the enterprise must confirm them). Each shape links to
its measure (rdfs:seeAlso), clause label and citation quote, and carries a Chinese sh:message.

Entry points: `shapes_graph(policy, *, config)` and `validate_shacl(data_graph, policy, *, config)` →
{(enterprise IRI, check IRI): "failing"|"missing"}.
"""
from __future__ import annotations

from pyshacl import validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from .config import ReasonerConfig
from .explain import condition_label
from .patterns import checks, where
from .vocab import PF



def shape_iri(measure: dict, config: ReasonerConfig) -> URIRef:
    return URIRef(f"{config.shape_base}{measure['key']}")


def _constraint(g: Graph, shape: URIRef, n: int, check: str, outcome: str, expr: str, message: str) -> None:
    node = URIRef(f"{shape}/c{n}/{outcome}")
    g.add((shape, SH.sparql, node))
    g.add((node, RDF.type, SH.SPARQLConstraint))
    g.add((node, SH.select, Literal(f"SELECT $this ?value WHERE {{ {where(expr)} BIND(<{check}> AS ?value) }}")))
    g.add((node, SH.message, Literal(message, lang="zh")))
    g.add((node, RDFS.seeAlso, URIRef(check.split("#")[0])))


def add_shape(g: Graph, measure: dict, config: ReasonerConfig) -> None:
    shape = shape_iri(measure, config)
    g.add((shape, RDF.type, SH.NodeShape))
    g.add((shape, SH.targetClass, PF.Enterprise))
    g.add((shape, RDFS.label, Literal(f"{measure['label']} 措施 {measure['key']}", lang="zh")))
    g.add((shape, RDFS.seeAlso, URIRef(measure["iri"])))
    g.add((shape, RDFS.comment, Literal(measure["citation"]["quote"], lang="zh")))
    info = URIRef(f"{shape}/missing")
    g.add((info, RDF.type, SH.NodeShape))
    g.add((info, SH.targetClass, PF.Enterprise))
    g.add((info, SH.severity, SH.Info))
    g.add((info, RDFS.seeAlso, URIRef(measure["iri"])))
    g.add((info, RDFS.label, Literal(f"{measure['label']} 措施 {measure['key']}：缺少的信息", lang="zh")))
    conds = {c["iri"]: c for c in measure["conditions"]}
    for n, (check, failing, missing) in enumerate(checks(measure, config.role_beneficiaries), 1):
        what = condition_label(conds.get(check), measure)
        if failing != "false":
            _constraint(g, shape, n, check, "failing", failing, f"{measure['label']}：不满足条件“{what}”")
        _constraint(g, info, n, check, "missing", missing, f"{measure['label']}：缺少判断“{what}”所需的信息")


def shapes_graph(policy, *, config: ReasonerConfig = ReasonerConfig()) -> Graph:
    g = Graph()
    g.bind("sh", SH)
    for m in policy.measures:
        add_shape(g, m, config)
    return g


def validate_shacl(data: Graph, policy, *, config: ReasonerConfig = ReasonerConfig(), shapes: Graph | None = None) -> dict:
    """Run pyshacl (the reference engine) and read its report back into {(focus, check): outcome}."""
    _, report, _ = validate(data, shacl_graph=shapes or shapes_graph(policy, config=config), advanced=True,
                            allow_warnings=True)
    out = {}
    for r in report.subjects(RDF.type, SH.ValidationResult):
        outcome = "failing" if report.value(r, SH.resultSeverity) == SH.Violation else "missing"
        key = (str(report.value(r, SH.focusNode)), str(report.value(r, SH.value)))
        if out.get(key) != "failing":
            out[key] = outcome
    return out
