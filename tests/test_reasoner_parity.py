"""The fast path (pyoxigraph, and an `oxigraph serve` process) gives pyshacl's outcomes."""
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, SH

from kg_builder.build import build_source
from kg_builder.config import DEFAULT_CORPUS
from reasoner.fast import UnsupportedShape, compile_shapes, run_embedded, run_endpoint
from reasoner.model import condition_vocabulary, load_policy
from reasoner.profile import Profile
from reasoner.rdfprofile import to_ntriples, to_rdflib
from reasoner.shapes import shapes_graph, validate_shacl

STATUSES = ["new", "renewed", "held", "none"]


def _vocabulary(policy):
    """Concepts, thresholds and allowed values the policy's conditions use, so random profiles hit them."""
    v = condition_vocabulary(policy)
    near = {q: sorted({x for t in values for x in (t, t - Decimal("0.01"), t + Decimal("0.01"))} | {Decimal(0)})
            for q, values in v.thresholds.items()}
    return list(v.qualifications), near, list(v.flags), sorted({"A", *v.industries})


def _profiles(policy):
    quals, quants, flags, inds = _vocabulary(policy)
    roles = sorted({m["beneficiary"] for m in policy.measures})
    texts = [c["iri"] for m in policy.measures for c in m["conditions"] if c["kind"] == "text"]
    return st.builds(
        lambda q, n, f, ind, r, conf: Profile(qualifications=q, quantities=n, flags=f, industry=ind, roles=tuple(r),
                                              confirmed=tuple(conf)),
        st.dictionaries(st.sampled_from(quals), st.sampled_from(STATUSES), max_size=4),
        st.sampled_from(list(quants)).flatmap(
            lambda k: st.dictionaries(st.just(k), st.sampled_from(quants[k]), max_size=1)),
        st.dictionaries(st.sampled_from(flags), st.booleans(), max_size=4),
        st.sampled_from([None, *inds]),
        st.lists(st.sampled_from(roles), max_size=2, unique=True),
        st.lists(st.sampled_from(texts), max_size=3, unique=True))


@pytest.fixture(scope="module")
def policy():
    return load_policy(build_source(DEFAULT_CORPUS).graph)


@pytest.fixture(scope="module")
def shapes(policy):
    return shapes_graph(policy)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_fast_equals_pyshacl(policy, shapes, data):
    batch = data.draw(st.lists(_profiles(policy), min_size=1, max_size=8))
    extra = data.draw(st.lists(_profiles(policy), min_size=1, max_size=1))  # a second threshold quantity
    batch = [Profile(qualifications=p.qualifications, quantities={**p.quantities, **e.quantities}, flags=p.flags,
                     industry=p.industry, roles=p.roles, confirmed=p.confirmed) for p, e in zip(batch, extra * len(batch))]
    profiles = {f"https://example.org/e{i}": p for i, p in enumerate(batch)}
    fast = run_embedded(profiles, policy)
    assert fast == validate_shacl(to_rdflib(profiles, policy), policy, shapes=shapes)


def test_every_outcome_kind_occurs_in_parity_data(policy):
    """Guard for the property test: the generated vocabulary reaches failing and missing on every check kind."""
    quals, quants, flags, inds = _vocabulary(policy)
    assert quals and quants and flags and len(inds) > 1
    q, (n, vals) = quals[0], next(iter(quants.items()))
    outcomes = run_embedded({"https://example.org/x": Profile(qualifications={q: "none"}, quantities={n: vals[0]},
                                                               flags={flags[0]: False})}, policy)
    assert set(outcomes.values()) == {"failing", "missing"}


def test_compiler_refuses_what_it_cannot_translate(shapes):
    g = Graph()
    g += shapes
    node = next(iter(g.subjects(SH.minCount, None)))
    g.add((node, SH.pattern, Literal("^a")))
    with pytest.raises(UnsupportedShape, match="pattern"):
        compile_shapes(g)


def test_shapes_are_readable_and_cite(policy, shapes):
    m = policy.by_id["3.1-1"]
    shape = URIRef("https://w3id.org/policykg/shape/3.1-1")
    assert (shape, RDFS.seeAlso, URIRef(m["iri"])) in shapes
    assert str(shapes.value(shape, RDFS.comment)) == m["citation"]["quote"]
    bounds = [o for p in shapes.objects(shape, SH.property) for o in shapes.objects(p, SH.minExclusive)]
    threshold = next(c for c in m["conditions"] if c["kind"] == "threshold")
    assert [b.toPython() for b in bounds] == [threshold["value"]]
    messages = [str(o) for p in shapes.objects(shape, SH.property) for o in shapes.objects(p, SH.message)]
    assert all(msg.startswith(m["label"]) for msg in messages) and messages


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph() -> str | None:
    local = Path(sys.executable).parent / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


@pytest.mark.server
@pytest.mark.skipif(_oxigraph() is None, reason="oxigraph server binary not installed")
def test_server_runs_the_same_query(policy, tmp_path):
    data = {f"https://example.org/s{i}": p for i, p in enumerate([
        Profile(qualifications={"LittleGiant": "new"}),
        Profile(quantities={"rdExpense": Decimal(10000000)}, industry="M"),
        Profile(qualifications={"HighTechEnterprise": "held"}, quantities={"rdExpense": Decimal(20000000)},
                flags={"rdRatioAboveTarget": True})])}
    port = _free_port()
    proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base)
        req = urllib.request.Request(f"{base}/store?default", data=to_ntriples(data, policy).encode(),
                                     headers={"Content-Type": "application/n-triples"}, method="POST")
        urllib.request.urlopen(req, timeout=10).close()
        served = run_endpoint(f"{base}/query", policy)
        assert served == run_embedded(data, policy)
        assert {"failing", "missing"} <= set(served.values())
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait(base: str, seconds: float = 10) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"oxigraph did not answer on {base}")


def test_upper_bounds_agree_with_pyshacl():
    """Ceilings (以下 → sh:maxInclusive, 低于 → sh:maxExclusive) compile to the same outcomes as pyshacl's."""
    text = Path(__file__).parent / "data" / "eligibility" / "texts" / "upper_bounds.txt"
    pol = load_policy(build_source(text).graph)
    data = {f"https://example.org/u{i}": Profile(quantities={"revenue": Decimal(r), "floorArea": Decimal(a)})
            for i, (r, a) in enumerate([(20000000, 500), (20000001, 499), (19999999, "499.99"), (0, 0)])}
    fast = run_embedded(data, pol)
    assert fast == validate_shacl(to_rdflib(data, pol), pol)
    assert "failing" in fast.values()
