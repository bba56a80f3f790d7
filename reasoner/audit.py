"""A decision as PROV-O Turtle: decision → measure → citation span → input facts (with their text spans)
→ arithmetic → sha256 of corpus text, graph (canonical N-Triples) and shapes, so it can be replayed.
Entry points: `audit_turtle(report, graph, *, corpus_text, config)`; `replay(turtle, graph, *, corpus_text,
config)` re-runs the recorded decision on the recorded facts and lists every difference (empty: reproduced)."""
from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import PROV, RDF, RDFS, XSD

from .config import ReasonerConfig
from .model import load_policy
from .shapes import shape_iri, shapes_graph

OA = Namespace("http://www.w3.org/ns/oa#")
PKA = Namespace("https://w3id.org/policykg/audit#")


def graph_sha256(graph: Graph) -> str:
    lines = sorted(to_canonical_graph(graph).serialize(format="nt").splitlines())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _entity(g: Graph, iri: URIRef, label: str, sha: str) -> URIRef:
    g.add((iri, RDF.type, PROV.Entity))
    g.add((iri, RDFS.label, Literal(label)))
    g.add((iri, PKA.sha256, Literal(sha)))
    return iri


def audit_turtle(report: dict, graph: Graph, *, corpus_text: str | None = None,
                 config: ReasonerConfig = ReasonerConfig()) -> str:
    policy = load_policy(graph, config=config)
    g = Graph()
    g.bind("prov", PROV), g.bind("oa", OA), g.bind("pka", PKA)
    run = URIRef(f"urn:sha256:{_sha(json.dumps(report, default=str, ensure_ascii=False, sort_keys=True))}")
    g.add((run, RDF.type, PROV.Activity))
    text = corpus_text or policy.text or ""
    inputs = [_entity(g, URIRef(f"{run}#corpus"), "policy text", _sha(text)),
              _entity(g, URIRef(f"{run}#graph"), "policy graph (canonical N-Triples)", graph_sha256(graph)),
              _entity(g, URIRef(f"{run}#shapes"), "eligibility shapes", graph_sha256(shapes_graph(policy, config=config))),
              _facts(g, run, report["profile"])]
    for i in inputs:
        g.add((run, PROV.used, i))
    g.add((run, PKA.request, Literal(json.dumps({"as_of": report.get("as_of"),
                                                  "same_project": report.get("same_project", [])}))))
    for r in report["results"]:
        _decision(g, run, r, policy.by_id[r["measure"]], inputs[-1], config)
    return g.serialize(format="turtle")


def _facts(g: Graph, run: URIRef, facts: dict) -> URIRef:
    node = URIRef(f"{run}#profile")
    g.add((node, RDF.type, PROV.Entity))
    g.add((node, PKA.facts, Literal(json.dumps(facts, default=str, ensure_ascii=False, sort_keys=True))))
    for s in facts.get("read_from_text", []):
        span = BNode()
        g.add((node, PROV.wasDerivedFrom, span))
        g.add((span, PKA.fact, Literal(s["fact"])))
        g.add((span, OA.start, Literal(s["start"])))
        g.add((span, OA.end, Literal(s["end"])))
        g.add((span, OA.exact, Literal(s["quote"])))
    return node


def _decision(g: Graph, run: URIRef, r: dict, measure: dict, facts: URIRef, config: ReasonerConfig) -> None:
    d = URIRef(f"{run}#{measure['key']}")
    g.add((d, RDF.type, PROV.Entity))
    g.add((d, PROV.wasGeneratedBy, run))
    g.add((d, PROV.wasDerivedFrom, URIRef(measure["iri"])))
    g.add((d, PROV.wasDerivedFrom, facts))
    g.add((d, PKA.shape, shape_iri(measure, config)))
    g.add((d, PKA.status, Literal(r["status"])))
    g.add((d, PKA.arithmetic, Literal(r["arithmetic"], lang="zh")))
    if r["estimate_yuan"] is not None:
        g.add((d, PKA.estimateYuan, Literal(format(r["estimate_yuan"], "f"), datatype=XSD.decimal)))
    cite = BNode()
    g.add((d, PKA.citation, cite))
    for p, v in ((OA.start, r["citation"]["start"]), (OA.end, r["citation"]["end"]), (OA.exact, r["citation"]["quote"])):
        g.add((cite, p, Literal(v)))
    for reason in r["reasons"] + r["missing"]:
        g.add((d, RDFS.comment, Literal(reason, lang="zh")))


def _profile_back(facts: dict):
    """The recorded facts (amounts were written as strings) → a Profile again."""
    from decimal import Decimal

    from .profile import profile_from_dict
    from dataclasses import replace
    data = {k: v for k, v in facts.items() if k not in ("read_from_text", "evidence") and v not in (None, [], {})}
    data["quantities"] = {k: [Decimal(x) for x in v] if isinstance(v, list) else Decimal(v)
                          for k, v in facts.get("quantities", {}).items()}
    # what a free-text description said of each condition (reasoner.evidence) is part of the decision too
    return replace(profile_from_dict(data, source="audit record"), evidence=tuple(facts.get("evidence") or ()))


def replay(turtle: str, graph: Graph, *, corpus_text: str | None = None,
           config: ReasonerConfig = ReasonerConfig()) -> list[str]:
    """Differences between a recorded decision and the same request run again now (empty list: reproduced)."""
    from datetime import date

    from .assess import assess
    rec = Graph().parse(data=turtle, format="turtle")
    run = next(rec.subjects(RDF.type, PROV.Activity))
    policy = load_policy(graph, config=config)
    diffs = []
    for part, now in (("corpus", _sha(corpus_text or policy.text or "")), ("graph", graph_sha256(graph)),
                      ("shapes", graph_sha256(shapes_graph(policy, config=config)))):
        was = str(rec.value(URIRef(f"{run}#{part}"), PKA.sha256))
        if was != now:
            diffs.append(f"{part}: sha256 {was[:12]}… recorded, {now[:12]}… now")
    request = json.loads(str(rec.value(run, PKA.request)))
    facts = json.loads(str(rec.value(URIRef(f"{run}#profile"), PKA.facts)))
    report = assess(_profile_back(facts), graph, config=config,
                    as_of=date.fromisoformat(request["as_of"]) if request["as_of"] else None,
                    same_project=[tuple(g) for g in request["same_project"]])
    for r in report["results"]:
        d = URIRef(f"{run}#{policy.by_id[r['measure']]['key']}")
        status, est = rec.value(d, PKA.status), rec.value(d, PKA.estimateYuan)
        if status is None:
            diffs.append(f"{r['measure']}: not in the record")
            continue
        now_est = None if r["estimate_yuan"] is None else format(r["estimate_yuan"], "f")
        was_est = None if est is None else str(est)
        if str(status) != r["status"] or (was_est and Decimal(was_est)) != (now_est and Decimal(now_est)):
            diffs.append(f"{r['measure']}: recorded {status} {was_est}, now {r['status']} {now_est}")
    return diffs
