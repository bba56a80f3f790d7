"""An auditor replays a recorded decision: same facts, same graph, same shapes → same outcome; any change shows."""
from decimal import Decimal

from rdflib import Graph, Literal
import rdflib.namespace as ns

from kg_builder.build import build_graph
from reasoner.assess import assess
from reasoner.audit import PKA, audit_turtle, replay
from reasoner.profile import Profile

PROFILE = Profile(id="acme", qualifications={"LittleGiant": "new", "HighTechEnterprise": "new"},
                  quantities={"rdExpense": Decimal("15000000"), "exhibitionFees": (Decimal(20000000), Decimal(1))},
                  flags={"rdRatioAboveTarget": True})


def test_replay_reproduces_the_decision(xicheng):
    report = assess(PROFILE, xicheng.graph, same_project=[("4.3-2", "4.1-1")])
    assert report["forgone"]  # the request matters: without the group the total would differ
    turtle = audit_turtle(report, xicheng.graph, corpus_text=xicheng.text)
    assert replay(turtle, xicheng.graph, corpus_text=xicheng.text) == []


def test_replay_names_what_changed(xicheng):
    report = assess(PROFILE, xicheng.graph)
    turtle = audit_turtle(report, xicheng.graph, corpus_text=xicheng.text)
    rec = Graph().parse(data=turtle, format="turtle")
    decision, est = next(iter(rec.subject_objects(PKA.estimateYuan)))
    rec.set((decision, PKA.estimateYuan, Literal(est.toPython() + 1, datatype=ns.XSD.decimal)))
    diffs = replay(rec.serialize(format="turtle"), xicheng.graph, corpus_text=xicheng.text)
    assert len(diffs) == 1 and "recorded eligible" in diffs[0] and str(decision).rsplit("#", 1)[1] in diffs[0]
    other = build_graph(xicheng.text.replace("年度支持总额不超过30万元", "年度支持总额不超过40万元"),
                        doc_id=xicheng.doc_id).graph
    diffs = replay(turtle, other, corpus_text=xicheng.text)
    assert [d.split(":")[0] for d in diffs] == ["graph", "shapes"]  # shapes quote the changed clause; outcomes same


def test_cli_audit_then_replay(tmp_path, capsys):
    from policykg.cli import main
    audit = tmp_path / "decision.ttl"
    assert main(["check", "--text", "我们是新认定的高企，研发费用1500万元", "--audit", str(audit), "--json",
                 "--doc", "xicheng_measures_draft"]) == 0
    capsys.readouterr()
    assert main(["check", "--replay", str(audit)]) == 0
    assert "reproduced" in capsys.readouterr().err
