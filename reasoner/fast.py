"""Fast path: the shapes' checks compiled into one SPARQL SELECT, run by pyoxigraph (embedded, default)
or unchanged by any SPARQL 1.1 endpoint (e.g. `oxigraph serve`). Outcomes equal reasoner.shapes'.

Each UNION branch is `where(expr)` from reasoner.patterns with `$this` renamed `?this`; it repeats the
`?this a pf:Enterprise` pattern because SPARQL evaluates a UNION branch on its own.
Entry points: `compile_query(policy, *, config)`, `run_embedded(profiles, policy, *, config)`,
`run_endpoint(url, policy, *, config)`.
"""
from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pyoxigraph as ox

from .config import ReasonerConfig
from .patterns import checks, where
from .rdfprofile import to_quads

_QUERIES: dict[int, tuple[object, str]] = {}


def compile_query(policy, *, config: ReasonerConfig = ReasonerConfig()) -> str:
    hit = _QUERIES.get(id(policy))
    if hit and hit[0] is policy:
        return hit[1]
    branches = []
    for m in policy.measures:
        for check, failing, missing in checks(m, config.role_beneficiaries):
            for outcome, expr in (("failing", failing), ("missing", missing)):
                if expr != "false":
                    body = where(expr).replace("$this", "?this")
                    branches.append(f'{{ {body} BIND(<{check}> AS ?check) BIND("{outcome}" AS ?outcome) }}')
    query = "SELECT ?this ?check ?outcome WHERE {\n" + "\nUNION ".join(branches) + "\n}"
    _QUERIES[id(policy)] = (policy, query)
    return query


def _collect(rows) -> dict:
    out = {}
    for this, check, outcome in rows:
        if out.get((this, check)) != "failing":
            out[(this, check)] = outcome
    return out


def run_store(store: ox.Store, policy, *, config: ReasonerConfig = ReasonerConfig()) -> dict:
    rows = store.query(compile_query(policy, config=config))
    return _collect((s["this"].value, s["check"].value, s["outcome"].value) for s in rows)


def run_embedded(profiles: dict, policy, *, config: ReasonerConfig = ReasonerConfig()) -> dict:
    """profiles: {enterprise IRI: Profile} → {(IRI, check IRI): "failing"|"missing"}."""
    store = ox.Store()
    store.bulk_extend(to_quads(profiles, policy)) if hasattr(store, "bulk_extend") else store.extend(to_quads(profiles, policy))
    return run_store(store, policy, config=config)


def run_endpoint(url: str, policy, *, config: ReasonerConfig = ReasonerConfig(), timeout: float = 60) -> dict:
    """The same query over HTTP (SPARQL 1.1 Protocol, JSON results)."""
    body = urllib.parse.urlencode({"query": compile_query(policy, config=config)}).encode()
    req = urllib.request.Request(url, data=body, headers={"Accept": "application/sparql-results+json",
                                                          "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        data = json.load(resp)
    return _collect((b["this"]["value"], b["check"]["value"], b["outcome"]["value"]) for b in data["results"]["bindings"])
