"""Profiles as RDF triples in the pf: vocabulary, for rdflib (pyshacl) and pyoxigraph alike."""
from __future__ import annotations

from decimal import Decimal

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .patterns import SCHEME
from .profile import Profile
from .vocab import PF


def _concept(scheme: str, cid: str) -> str:
    return f"{SCHEME}{'gbt4754' if scheme == 'industry' else scheme}/{cid}"


def confirmed_iris(profile: Profile, policy) -> list[str]:
    """Confirmed entries may name a condition IRI or a whole measure (all its text conditions)."""
    out = []
    for ref in profile.confirmed:
        m = policy.by_id.get(ref) if policy else None
        out += [c["iri"] for c in m["conditions"] if c["kind"] == "text"] if m else [ref]
    return out


def triples(profile: Profile, subject: str, policy=None):
    """Yield (s, p, o) as python values: str IRIs, ('bnode', n), or literals (str/Decimal/bool)."""
    yield subject, str(RDF.type), ("iri", str(PF.Enterprise))
    for n, (prop, scheme, facts) in enumerate((
            (PF.hasQualification, "qualification", profile.qualifications),
            (PF.hasQuantity, "quantity", profile.quantities), (PF.hasFlag, "flag", profile.flags))):
        for k, (cid, value) in enumerate(sorted(facts.items())):
            node = ("bnode", f"{n}_{k}")
            yield subject, str(prop), node
            yield node, str(PF.concept), ("iri", _concept(scheme, cid))
            yield node, str(PF.status if scheme == "qualification" else PF.value), value
    if profile.industry:
        yield subject, str(PF.industry), ("iri", _concept("industry", profile.industry))
    for r in profile.roles:
        yield subject, str(PF.role), r
    for c in confirmed_iris(profile, policy):
        yield subject, str(PF.confirms), ("iri", c)


def _rdflib_term(v, prefix: str):
    if isinstance(v, tuple):
        return BNode(prefix + v[1]) if v[0] == "bnode" else URIRef(v[1])
    if isinstance(v, Decimal):
        return Literal(v, datatype=XSD.decimal)
    return Literal(v)


def to_rdflib(profiles: dict[str, Profile], policy=None, graph: Graph | None = None) -> Graph:
    g = graph if graph is not None else Graph()
    for i, (iri, p) in enumerate(profiles.items()):
        for s, pr, o in triples(p, iri, policy):
            g.add((URIRef(s) if isinstance(s, str) else _rdflib_term(s, f"e{i}_"), URIRef(pr), _rdflib_term(o, f"e{i}_")))
    return g


def _ox_term(v, prefix: str):
    if isinstance(v, tuple):
        return ox.BlankNode(prefix + v[1]) if v[0] == "bnode" else ox.NamedNode(v[1])
    if isinstance(v, bool):
        return ox.Literal("true" if v else "false", datatype=ox.NamedNode(str(XSD.boolean)))
    if isinstance(v, Decimal):
        return ox.Literal(format(v, "f"), datatype=ox.NamedNode(str(XSD.decimal)))
    return ox.Literal(v)


def to_quads(profiles: dict[str, Profile], policy=None, graph_name=None):
    gname = graph_name or ox.DefaultGraph()
    for i, (iri, p) in enumerate(profiles.items()):
        for s, pr, o in triples(p, iri, policy):
            subj = ox.NamedNode(s) if isinstance(s, str) else _ox_term(s, f"e{i}_")
            yield ox.Quad(subj, ox.NamedNode(pr), _ox_term(o, f"e{i}_"), gname)


def to_ntriples(profiles: dict[str, Profile], policy=None) -> str:
    return "".join(f"{q.subject} {q.predicate} {q.object} .\n" for q in to_quads(profiles, policy))
