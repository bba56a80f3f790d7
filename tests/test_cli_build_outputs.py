"""`policykg build --out DIR` writes what a legal office or an auditor needs to check the checks."""
from decimal import Decimal

import pyoxigraph as ox
from rdflib import Graph

from conftest import XICHENG
from policykg.cli import main
from reasoner.fast import run_embedded
from reasoner.model import load_policy
from reasoner.profile import Profile
from reasoner.rdfprofile import to_ntriples


def test_build_writes_graph_shapes_and_runnable_query(tmp_path, capsys, xicheng):
    assert main(["build", "--corpus", str(XICHENG), "--out", str(tmp_path)]) == 0
    doc = xicheng.doc_id
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{doc}.{ext}" for ext in ("ttl", "jsonld", "shapes.ttl", "checks.rq"))
    assert len(Graph().parse(tmp_path / f"{doc}.shapes.ttl")) > 100
    policy = load_policy(xicheng.graph)
    profiles = {"https://example.org/a": Profile(qualifications={"HighTechEnterprise": "new"},
                                                  quantities={"rdExpense": Decimal("10000000")})}
    store = ox.Store()
    store.load(to_ntriples(profiles, policy).encode(), format=ox.RdfFormat.N_TRIPLES)
    rows = list(store.query((tmp_path / f"{doc}.checks.rq").read_text(encoding="utf-8")))
    legend = [line.split()[3:5] for line in (tmp_path / f"{doc}.checks.rq").read_text(encoding="utf-8").splitlines()
              if line.startswith("# ?k ")]
    from_file = {(r[0].value, legend[int(k)][0]): legend[int(k)][1] for r in rows for k in r[1].value.split()}
    expected = run_embedded(profiles, policy)
    assert {k for k, v in from_file.items() if v == "failing"} == {k for k, v in expected.items() if v == "failing"}
    assert set(from_file) == set(expected)
