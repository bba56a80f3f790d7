"""Thresholds as texts write them: counts (TEU, 人次, 台…), areas in 万平方米, （含）, bands 'A(含)至B', listed counts
paired with listed awards. Sentence cases in tests/data/thresholds/sentences.yaml, each in words other than the
corpus: the mechanism, not the six texts' words."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from kg_builder.build import build_graph
from kg_builder.config import BuildConfig
from kg_builder.views import measures_json

CASES = yaml.safe_load((Path(__file__).parent / "data" / "thresholds" / "sentences.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_thresholds_of_a_sentence(case):
    result = build_graph(f"测试办法\n\n第一条 {case['sentence']}\n", config=BuildConfig(apply_reviews=False))
    measures = measures_json(result.graph, result.doc_id)
    assert len(measures) == len(case["measures"]), [m["citation"]["quote"] for m in measures]
    for m, want in zip(measures, case["measures"]):
        got = [[c["op"], Decimal(str(c["value"])), c["unit"]] for c in m["conditions"] if c["kind"] == "threshold"]
        assert got == [[op, Decimal(v), unit] for op, v, unit in want["thresholds"]], m["conditions"]
        if "amounts" in want:
            assert [[a["kind"], None if a["value"] is None else Decimal(str(a["value"]))] for a in m["amounts"]] == \
                [[k, None if v is None else Decimal(v)] for k, v in want["amounts"]]
        quantities = {c["quantity"] for c in m["conditions"] if c["kind"] == "threshold"}
        assert len(quantities) <= 1, "both ends of a band, and listed levels, are on one quantity"
    if len(measures) > 1 and case["measures"][0]["thresholds"]:
        assert all(m.get("tiers") for m in measures), "a paired ladder carries its tiers"
        assert len({t["threshold"]["quantity"] for t in measures[0]["tiers"]}) == 1, "every level is on one quantity"


def _measures(text: str) -> list[dict]:
    result = build_graph(text, config=BuildConfig(apply_reviews=False))
    return measures_json(result.graph, result.doc_id)


def _thresholds(m: dict) -> list[tuple]:
    return [(c["op"], Decimal(str(c["value"]))) for c in m["conditions"] if c["kind"] == "threshold"]


def test_article_lead_in_binds_its_items():
    """'第一条 对…年度主营业务收入超过2000万元的企业给予扶持。（一）… （二）…': the lead-in's threshold and its other
    requirement are conditions of each item's measure, cited to the lead-in."""
    text = ("测试办法\n\n第一条 对在本区登记注册，年度主营业务收入超过2000万元的制造业企业给予扶持。\n"
            "（一）新建生产线的，给予30万元奖励。\n（二）开展技术改造的，给予20万元奖励。\n")
    measures = _measures(text)
    assert [m["clause"] for m in measures] == ["1.1", "1.2"]
    for m in measures:
        assert ("gt", Decimal(20000000)) in _thresholds(m), m["conditions"]
        quotes = [c["citation"]["quote"] for c in m["conditions"]]
        assert any("在本区登记注册" in q for q in quotes), quotes
        assert all(text[c["citation"]["start"]:c["citation"]["end"]] == c["citation"]["quote"] for c in m["conditions"])


def test_purpose_lead_in_adds_nothing():
    text = "测试办法\n\n第一条 鼓励企业加大研发投入。\n（一）对研发费用超过100万元的企业，给予10万元奖励。\n"
    [m] = _measures(text)
    assert _thresholds(m) == [("gt", Decimal(1000000))]
    assert not any("鼓励" in c["citation"]["quote"] for c in m["conditions"])


def test_heading_binds_its_sub_items_and_a_new_line_ends_a_rule():
    """'1.对国有企业：\\n(1)…奖励…\\n(2)…' then '2.对民营企业：…': each heading binds the sub-items under it; a line that
    opens a listed element ends the rule before it even without 。 or ；."""
    text = ("测试办法\n\n第一条 对新设立的企业，根据注册资本给予奖励。\n1.对国有企业:\n(1)注册资本1亿元(含)至5亿元的，奖励100万元\n"
            "(2)注册资本5亿元(含)以上的，奖励200万元\n2.对民营企业：\n(1)注册资本5000万元(含)以上的，奖励150万元。\n")
    measures = [m for m in _measures(text) if m["amounts"]]
    assert [[a["value"] for a in m["amounts"]] for m in measures] == [[Decimal(1000000)], [Decimal(2000000)], [Decimal(1500000)]]
    heads = [[c["citation"]["quote"] for c in m["conditions"] if c["kind"] == "text"] for m in measures]
    assert all("新设立的企业" in h for h in heads), heads
    assert ["国有企业" in h for h in heads] == [True, True, False], heads
    assert ["民营企业" in h for h in heads] == [False, False, True], heads
    assert _thresholds(measures[0]) == [("ge", Decimal(100000000)), ("lt", Decimal(500000000))]


def test_rules_after_a_requirement_sentence_keep_its_requirements():
    """'对…超过500台的经销商给予奖励。其中，…每台给予100元': the 其中 rules pay the same applicants."""
    text = "测试办法\n\n第一条 对年度销售新能源汽车超过500台的经销商给予奖励。其中，每台给予100元奖励。\n"
    measures = _measures(text)
    rated = [m for m in measures if m["amounts"]]
    assert rated and all(("gt", Decimal(500)) in _thresholds(m) for m in rated)


def test_one_quantity_written_with_and_without_its_period():
    """'完成年度集装箱吞吐量达到…' and '年度实现集装箱吞吐量超过…' name one quantity (完成 and 实现 are light verbs, a leading
    年度 does not make another concept), and a profile may name it either way."""
    from reasoner.schema import resolve_labels
    text = ("测试办法\n\n第一条 对完成年度集装箱吞吐量达到50万TEU的码头，给予100万元奖励。\n"
            "第二条 对年度实现集装箱吞吐量超过20万TEU的码头，给予30万元奖励。\n")
    measures = _measures(text)
    quantities = {c["quantity"] for m in measures for c in m["conditions"] if c["kind"] == "threshold"}
    assert len(quantities) == 1, quantities
    [q] = quantities
    assert resolve_labels({"quantities": {"集装箱吞吐量": 1}})["quantities"] == {q: 1}
    assert resolve_labels({"quantities": {"年度集装箱吞吐量": 1}})["quantities"] == {q: 1}


def test_or_alternatives_are_ways_to_one_award_paid_once():
    """'年销售额达到2亿元以上或出口额达到5000万元以上的，且…': either threshold qualifies (one measure per way, never
    both required), and an enterprise meeting both is paid once."""
    from reasoner.assess import assess
    from reasoner.profile import Profile
    text = ("测试办法\n\n第一条 对年度销售额达到2亿元以上，或出口额达到5000万元以上，且研发费用超过500万元的企业，给予80万元奖励。\n")
    result = build_graph(text, config=BuildConfig(apply_reviews=False))
    measures = measures_json(result.graph, result.doc_id)
    ways = [sorted(v for _, v in _thresholds(m)) for m in measures]
    assert ways == [[Decimal(5000000), Decimal(200000000)], [Decimal(5000000), Decimal(50000000)]], ways
    assert not any(m.get("tiers") for m in measures)
    q = {Decimal(200000000): None, Decimal(50000000): None}
    for m in measures:
        for c in m["conditions"]:
            if c["kind"] == "threshold" and c["value"] in q:
                q[c["value"]] = c["quantity"]
    rd = next(c["quantity"] for c in measures[0]["conditions"] if c["kind"] == "threshold" and c["value"] == Decimal(5000000))
    only_export = Profile(quantities={q[Decimal(200000000)]: Decimal(1), q[Decimal(50000000)]: Decimal(60000000), rd: Decimal(6000000)})
    report = assess(only_export, result.graph)
    assert [r["status"] for r in report["results"]] == ["ineligible", "eligible"]
    both = Profile(quantities={q[Decimal(200000000)]: Decimal(300000000), q[Decimal(50000000)]: Decimal(60000000), rd: Decimal(6000000)})
    report = assess(both, result.graph)
    assert [r["status"] for r in report["results"]] == ["eligible", "eligible"]
    assert report["total_estimate_yuan"] == Decimal(800000)


def test_levels_written_with_and_without_in_district_are_one_ladder():
    """'在我区纳税总额达到300万元的，奖励50万元；纳税总额达到500万元的，奖励100万元': one quantity, the highest level paid."""
    from reasoner.assess import assess
    from reasoner.profile import Profile
    text = "测试办法\n\n第一条 对新设企业，在我区纳税总额达到300万元的，奖励50万元；纳税总额达到500万元的，奖励100万元。\n"
    result = build_graph(text, config=BuildConfig(apply_reviews=False))
    measures = [m for m in measures_json(result.graph, result.doc_id) if m["amounts"]]
    [q] = {c["quantity"] for m in measures for c in m["conditions"] if c["kind"] == "threshold"}
    report = assess(Profile(quantities={q: Decimal(6000000)}, confirmed=tuple(m["id"] for m in measures)), result.graph)
    assert report["total_estimate_yuan"] == Decimal(1000000), [(r["status"], r.get("forgone")) for r in report["results"]]
