"""SHACL shapes generated from the graph (never written by hand), in SHACL Core; pyshacl is the reference.

Missing ≠ failing. SHACL takes a result's severity from its shape, so each measure has two shapes:
<shape/4.3-2> (Violation: the facts contradict a condition → ineligible) and <shape/4.3-2/missing>
(sh:severity sh:Info: the facts needed are absent → needs_info). Every condition ("check") adds one
constraint node to each, and that node says which check it decides (pf:decides), so a result maps back:

    threshold 超过X / X以上   [sh:path pfn:rdExpense ; sh:minExclusive X | sh:minInclusive X]    missing: sh:minCount 1
              低于X / X以下   sh:maxExclusive X | sh:maxInclusive X
    flag                      [sh:path pff:… ; sh:in (true)]                                    missing: sh:minCount 1
    industry                  [sh:path pf:industry ; sh:in (<gbt4754/M> …)]                     missing: sh:minCount 1
    text / role               —                                                                missing: sh:hasValue <condition> | "运营机构"
    qualification (any of Q…) node shape: sh:not REFUTED                                        missing: sh:or (HOLDS REFUTED)
        HOLDS   = sh:or  ([sh:property [sh:path pfq:Q ; sh:minCount 1 ; sh:in (wanted statuses)]] …)
        REFUTED = sh:and ([sh:property [sh:path pfq:Q ; sh:minCount 1 ; sh:in (other statuses)]] …)

Qualification checks span several properties, so they are node shapes of their own (<shape/4.3-2/c1>,
<shape/4.3-2/missing/c1>, dcterms:isPartOf the measure's shape). Every constraint node carries a Chinese
sh:message naming the clause and the condition; measure shapes link to the measure and quote the citation.
reasoner.fast compiles exactly these shapes to SPARQL.

Entry points: `shapes_graph(policy, *, config)`, `check_iris(measure, config)`, `validate_shacl(data, policy, …)`
→ {(enterprise IRI, check IRI): "failing"|"missing"}.
"""
from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, RDFS, SH, XSD

from kg_builder.rdf import PlainStore

from .config import ReasonerConfig
from .explain import condition_label
from .vocab import PF, concept_iri, fact_property

STATUSES = ("new", "renewed", "held", "none")
_SHAPES: dict[int, tuple] = {}


def shape_iri(measure: dict, config: ReasonerConfig) -> URIRef:
    return URIRef(f"{config.shape_base}{measure['key']}")


def check_iris(measure: dict, config: ReasonerConfig = ReasonerConfig()) -> list[str]:
    """The checks of a measure: its conditions, plus the role check when it pays a named body (运营机构…)."""
    out = [c["iri"] for c in measure["conditions"]]
    return out + [measure["iri"] + "#role"] if measure["beneficiary"] in config.role_beneficiaries else out


def _list(g: Graph, items) -> BNode:
    head = BNode()
    Collection(g, head, list(items))
    return head


def _property(g: Graph, node, path: str, **constraints) -> None:
    g.add((node, SH.path, URIRef(path)))
    for name, value in constraints.items():
        g.add((node, SH[name], _list(g, value) if name == "in" else value))


def _qualification_parts(g: Graph, c: dict) -> tuple[BNode, BNode]:
    """(HOLDS, REFUTED) node shapes of a qualification condition."""
    want = c.get("status")
    ok = [want] if want else ["new", "renewed", "held"]
    bad = ["none"] + ([s for s in ("new", "renewed") if s != want] if want else [])
    parts = []
    for statuses, combine in ((ok, SH["or"]), (bad, SH["and"])):
        members = []
        for q in c["concepts"]:
            member, prop = BNode(), BNode()
            g.add((member, SH.property, prop))
            _property(g, prop, fact_property("qualification", q), minCount=Literal(1),
                      **{"in": [Literal(s) for s in statuses]})
            members.append(member)
        shape = BNode()
        g.add((shape, combine, _list(g, members)))
        parts.append(shape)
    return parts[0], parts[1]


def _simple(c: dict | None, measure: dict) -> tuple[tuple[str, dict] | None, tuple[str, dict]]:
    """(failing, missing) property-shape specs (path, constraints) for a non-qualification check."""
    present = {"minCount": Literal(1)}
    if c is None:  # the role check
        return None, (str(PF.role), {"hasValue": Literal(measure["beneficiary"])})
    if c["kind"] == "threshold" and c.get("quantity"):
        bound = {"gt": "minExclusive", "ge": "minInclusive", "lt": "maxExclusive", "le": "maxInclusive"}[c["op"]]
        path = fact_property("quantity", c["quantity"])
        return (path, {bound: Literal(c["value"], datatype=XSD.decimal)}), (path, present)
    if c["kind"] == "flag" and c.get("concepts"):
        path = fact_property("flag", c["concepts"][0])
        return (path, {"in": [Literal(True)]}), (path, present)
    if c["kind"] == "industry":
        allowed = [URIRef(concept_iri("industry", i)) for i in c["concepts"]]
        return (str(PF.industry), {"in": allowed}), (str(PF.industry), present)
    return None, (str(PF.confirms), {"hasValue": URIRef(c["iri"])})  # text: the enterprise must confirm it


def _constraint(g: Graph, node: URIRef, check: str, message: str, info: bool) -> None:
    """Severity is per shape in SHACL (a property shape's own, not its parent's), so each node says it."""
    if info:
        g.add((node, SH.severity, SH.Info))
    g.add((node, PF.decides, URIRef(check)))
    g.add((node, SH.message, Literal(message, lang="zh")))


def add_shape(g: Graph, measure: dict, config: ReasonerConfig) -> None:
    shape = shape_iri(measure, config)
    info = URIRef(f"{shape}/missing")
    for s, label in ((shape, ""), (info, "：缺少的信息")):
        g.add((s, RDF.type, SH.NodeShape))
        g.add((s, SH.targetClass, PF.Enterprise))
        g.add((s, RDFS.label, Literal(f"{measure['label']} 措施 {measure['key']}{label}", lang="zh")))
        g.add((s, RDFS.seeAlso, URIRef(measure["iri"])))
    g.add((info, SH.severity, SH.Info))
    g.add((shape, RDFS.comment, Literal(measure["citation"]["quote"], lang="zh")))
    conds = {c["iri"]: c for c in measure["conditions"]}
    for n, check in enumerate(check_iris(measure, config), 1):
        c = conds.get(check)
        what = condition_label(c, measure)
        fail_msg = f"{measure['label']}：不满足条件“{what}”"
        miss_msg = f"{measure['label']}：缺少判断“{what}”所需的信息"
        if c is not None and c["kind"] == "qualification":
            holds, refuted = _qualification_parts(g, c)
            for owner, node, msg in ((shape, URIRef(f"{shape}/c{n}"), fail_msg), (info, URIRef(f"{info}/c{n}"), miss_msg)):
                g.add((node, RDF.type, SH.NodeShape))
                g.add((node, SH.targetClass, PF.Enterprise))
                g.add((node, DCTERMS.isPartOf, owner))
                if owner == info:
                    g.add((node, SH["or"], _list(g, [holds, refuted])))
                else:
                    g.add((node, SH["not"], refuted))
                _constraint(g, node, check, msg, owner == info)
            continue
        failing, missing = _simple(c, measure)
        for owner, spec, node, msg in ((shape, failing, URIRef(f"{shape}/c{n}"), fail_msg),
                                       (info, missing, URIRef(f"{info}/c{n}"), miss_msg)):
            if spec is not None:
                g.add((owner, SH.property, node))
                _property(g, node, spec[0], **spec[1])
                _constraint(g, node, check, msg, owner == info)


def shapes_graph(policy, *, config: ReasonerConfig = ReasonerConfig()) -> Graph:
    """All measure shapes of a policy (cached per policy object; do not mutate the result)."""
    hit = _SHAPES.get(id(policy))
    if hit and hit[0] is policy and hit[1] == config:
        return hit[2]
    g = Graph(store=PlainStore())  # rdflib's plain store, counted (kg_builder.rdf): a third faster to build
    g.bind("sh", SH), g.bind("pf", PF._NS), g.bind("dcterms", DCTERMS)
    for m in policy.measures:
        add_shape(g, m, config)
    _SHAPES[id(policy)] = (policy, config, g)
    return g


def validate_shacl(data: Graph, policy, *, config: ReasonerConfig = ReasonerConfig(), shapes: Graph | None = None) -> dict:
    """Run pyshacl (the reference engine) and read its report back into {(focus, check): outcome}."""
    shapes = shapes if shapes is not None else shapes_graph(policy, config=config)
    from pyshacl import validate  # the reference engine, imported only when used

    _, report, _ = validate(data, shacl_graph=shapes, allow_warnings=True)
    out = {}
    for r in report.subjects(RDF.type, SH.ValidationResult):
        check = shapes.value(report.value(r, SH.sourceShape), PF.decides)
        if check is None:
            continue  # a nested shape's own result; the constraint node that owns it reports too
        outcome = "failing" if report.value(r, SH.resultSeverity) == SH.Violation else "missing"
        key = (str(report.value(r, SH.focusNode)), str(check))
        if out.get(key) != "failing":
            out[key] = outcome
    return out
