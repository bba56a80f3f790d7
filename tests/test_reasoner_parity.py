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

from kg_builder.build import build_source
from kg_builder.config import DEFAULT_CORPUS
from reasoner.fast import run_embedded, run_endpoint
from reasoner.model import load_policy
from reasoner.profile import Profile
from reasoner.rdfprofile import to_ntriples, to_rdflib
from reasoner.shapes import shapes_graph, validate_shacl

QUALS = ["HighTechEnterprise", "LittleGiant", "PotentialUnicorn", "ForeignRDCenter", "Incubator"]
QUANTS = ["rdExpense", "techContractTurnover", "investmentAmount", "holdingPeriod", "municipalFunds"]
FLAGS = ["rdRatioAboveTarget", "techContractRegistered", "mergerByBankLoan", "fundRegisteredAMAC"]
AMOUNT = st.sampled_from([0, 9999900, 10000000, 10000100, 50000000, 200000000, 1]).map(Decimal)

profiles = st.builds(
    lambda q, n, f, ind: Profile(qualifications=q, quantities=n, flags=f, industry=ind),
    st.dictionaries(st.sampled_from(QUALS), st.sampled_from(["new", "renewed", "held", "none"]), max_size=3),
    st.dictionaries(st.sampled_from(QUANTS), AMOUNT, max_size=3),
    st.dictionaries(st.sampled_from(FLAGS), st.booleans(), max_size=3),
    st.sampled_from([None, "I", "M", "C"]))


@pytest.fixture(scope="module")
def policy():
    return load_policy(build_source(DEFAULT_CORPUS).graph)


@pytest.fixture(scope="module")
def shapes(policy):
    return shapes_graph(policy)


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(profiles, min_size=2, max_size=4))
def test_fast_equals_pyshacl(policy, shapes, batch):
    data = {f"https://example.org/e{i}": p for i, p in enumerate(batch)}
    assert run_embedded(data, policy) == validate_shacl(to_rdflib(data, policy), policy, shapes=shapes)


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
        assert run_endpoint(f"{base}/query", policy) == run_embedded(data, policy)
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
