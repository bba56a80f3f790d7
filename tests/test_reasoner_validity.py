"""The day of the check against the policy's in-force dates; drafts say they are drafts."""
from datetime import date

import pytest

from kg_builder.build import build_graph
from kg_builder.corpus import no_longer_in_force
from reasoner.assess import assess
from reasoner.profile import Profile

TEXT = "第一条 为支持企业发展，制定本措施。\n第二条 对国家高新技术企业给予10万元奖励。\n第三条 本措施自2025年3月1日起施行，有效期5年。\n"
HTE = Profile(qualifications={"HighTechEnterprise": "held"})


@pytest.fixture(scope="module")
def graph():
    meta = {"title": "测试措施", "status": "正式文本", "date_in_force": "2025-03-01", "validity": "有效期5年"}
    return build_graph(TEXT, doc_id="validity_test", meta=meta).graph


@pytest.mark.parametrize("day,in_force", [(date(2025, 2, 28), False), (date(2025, 3, 1), True),
                                          (date(2030, 2, 28), True), (date(2030, 3, 1), False), (None, None)])
def test_in_force_on_the_day(graph, day, in_force):
    report = assess(HTE, graph, as_of=day)
    policy, result = report["policy"], next(r for r in report["results"] if r["clause"] == "2")
    assert policy["in_force"] is in_force and result["status"] == "eligible"
    assert policy["date_no_longer_in_force"] == "2030-03-01"
    assert (in_force is False) == any("不在政策有效期内" in s for s in result["reasons"])


def test_draft_is_flagged_and_undated_is_unknown(xicheng):
    report = assess(HTE, xicheng.graph, as_of=date(2026, 11, 27))
    assert report["policy"]["in_force"] is None and "征求意见稿" in report["policy"]["note"]
    assert "生效日期未知" in report["policy"]["note"]


@pytest.mark.parametrize("meta,expected", [
    ({"date_in_force": "2024-02-29", "validity": "有效期四年"}, date(2028, 2, 29)),
    ({"date_in_force": "2024-02-29", "validity": "有效期3年"}, date(2027, 2, 28)),
    ({"date_in_force": None, "validity": "有效期5年"}, None),
    ({"date_no_longer_in_force": "2031-01-01"}, "2031-01-01"),
])
def test_end_date_from_validity(meta, expected):
    assert no_longer_in_force(meta) == expected


@pytest.mark.parametrize("status,draft", [("试行", False), ("暂行", False), ("征求意见稿", True), ("送审稿", True)])
def test_only_drafts_are_flagged(status, draft):
    graph = build_graph(TEXT, doc_id=f"status_{status}", meta={"status": status}).graph
    note = assess(HTE, graph)["policy"]["note"]
    assert (note is not None and status in note) is draft
