"""Profiles as RDF in the profile vocabulary (reasoner.vocab): rdflib graphs for pyshacl, N-Triples for
Oxigraph (embedded bulk load or a server's Graph Store endpoint)."""
from __future__ import annotations

import re
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .profile import Profile
from .vocab import PF, concept_iri, fact_property


def confirmed_iris(profile: Profile, policy) -> list[str]:
    """Confirmed entries may name a condition IRI, a whole measure (all its text conditions) or the clause id of
    an applicability article ("1": what 第一条 requires of every applicant, in every measure)."""
    out = []
    for ref in profile.confirmed:
        m = policy.by_id.get(ref) if policy else None
        stated = [c["iri"] for x in policy.measures for c in x["conditions"] if c.get("stated_in") == ref] \
            if policy and not m else []
        if m:
            out += [c["iri"] for c in m["conditions"] if c["kind"] == "text"]
        elif stated:  # an applicability article ("1"): its requirements, stated once, bind every measure
            out += stated
        elif re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", ref):  # a condition IRI; a measure of another document is skipped
            out.append(ref)
    return out


def triples(profile: Profile, subject: str, policy=None):
    """Yield (subject, predicate, object): IRIs as str, objects as ("iri", str) or str/Decimal/bool literals."""
    yield subject, str(RDF.type), ("iri", str(PF.Enterprise))
    for scheme, facts in (("qualification", profile.qualifications), ("quantity", profile.quantities),
                          ("flag", profile.flags)):
        for cid, value in sorted(facts.items()):
            for v in value if isinstance(value, tuple) else (value,):  # one value per unit
                yield subject, fact_property(scheme, cid), v
    if profile.industry:
        yield subject, str(PF.industry), ("iri", str(concept_iri("industry", profile.industry)))
    for r in profile.roles:
        yield subject, str(PF.role), r
    for c in confirmed_iris(profile, policy):
        yield subject, str(PF.confirms), ("iri", c)


def _rdflib_term(v):
    if isinstance(v, tuple):
        return URIRef(v[1])
    if isinstance(v, Decimal):
        return Literal(v, datatype=XSD.decimal)
    return Literal(v)


def to_rdflib(profiles: dict[str, Profile], policy=None, graph: Graph | None = None) -> Graph:
    g = graph if graph is not None else Graph()
    for iri, p in profiles.items():
        for s, pr, o in triples(p, iri, policy):
            g.add((URIRef(s), URIRef(pr), _rdflib_term(o)))
    return g


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _nt_object(v) -> str:
    if isinstance(v, tuple):
        return _nt_iri(v[1])
    if isinstance(v, bool):
        return f'"{"true" if v else "false"}"^^<{XSD.boolean}>'
    if isinstance(v, Decimal):
        return f'"{format(v, "f")}"^^<{XSD.decimal}>'
    return '"' + str(v).translate(_ESCAPES) + '"'


def _nt_iri(iri: str) -> str:
    if any(ch in iri for ch in '<>" {}|\\^`\n'):
        raise ValueError(f"not an IRI: {iri!r}")
    return f"<{iri}>"


def to_ntriples(profiles: dict[str, Profile], policy=None) -> str:
    """N-Triples text (string formatting is several times faster than building pyoxigraph terms one by one)."""
    out = []
    for iri, profile in profiles.items():
        subject = _nt_iri(iri)
        out += [f"{subject} <{p}> {_nt_object(o)} .\n" for _, p, o in triples(profile, iri, policy)]
    return "".join(out)
