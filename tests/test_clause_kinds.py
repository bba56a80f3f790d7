"""Which clauses give measures and how a clause's applicant requirements are read, on a made-up policy of the
genre (tests/data/clauses/made_up_policy.txt: none of the Nansha texts' words) and on the real texts.

- an applicability article gives each requirement with its own predicate as a condition of its own, the subject
  (…的软件企业) another, an exclusion ((外商独资企业除外)) a negated one;
- clauses that grant nothing (definitions, commitments and clawback, no-duplication, validity and
  interpretation) give no measure; the no-duplication rule stays a rule;
- an amount another policy sets (按照…相关政策给予扶持) is an amount of kind by_reference: no fixed sum, the
  result names the policy as quoted;
- an article's lead-in that grants binds its items' measures with its conditions;
- the payee is the body the text pays (the holder of the cap, 每家机构…), or a person (划入个人账户), not always
  the enterprise; matching with no ratio (区给予配套奖励) has no fixed amount.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from kg_builder.build import build_source
from kg_builder.views import measures_json
from reasoner.assess import assess
from reasoner.profile import Profile

ROOT = Path(__file__).resolve().parents[1]
MADE_UP = ROOT / "tests" / "data" / "clauses" / "made_up_policy.txt"


@pytest.fixture(scope="module")
def made_up():
    build = build_source(MADE_UP)
    return build, measures_json(build.graph, build.doc_id)


def test_only_granting_clauses_give_measures(made_up):
    build, measures = made_up
    assert sorted({m["clause"] for m in measures}) == ["2", "3.1", "3.2", "7", "8", "9"]
    assert [r.kind for r in build.extraction.rules] == ["no_duplication"]


def test_applicability_requirements_are_conditions_of_their_own(made_up):
    _, measures = made_up
    for m in measures:
        stated = [(c["citation"]["quote"], bool(c.get("negated"))) for c in m["conditions"] if c.get("stated_in") == "1"]
        assert stated == [("注册地在本区", False), ("具备独立法人资格", False), ("拥有健全的会计制度", False),
                          ("无重大违法记录", False), ("软件企业", False), ("外商独资企业除外", True)], m["id"]


def test_an_amount_set_by_another_policy_is_by_reference(made_up):
    build, measures = made_up
    m = next(m for m in measures if m["clause"] == "2")
    assert [(a["kind"], a["value"], a["citation"]["quote"]) for a in m["amounts"]] == \
        [("by_reference", None, "按照市级软件产业相关政策")]
    assert any(c["citation"]["quote"].startswith("年度软件业务收入超过5亿元") for c in m["conditions"])  # 之一: one
    r = next(r for r in assess(Profile(confirmed=("1", "2")), build.graph)["results"] if r["clause"] == "2")
    assert r["no_fixed_amount"] is True and r["estimate_yuan"] is None
    assert r["by_reference"] == "按照市级软件产业相关政策"


def test_a_granting_lead_in_binds_its_items(made_up):
    _, measures = made_up
    for clause in ("3.1", "3.2"):
        m = next(m for m in measures if m["clause"] == clause)
        assert any(c["kind"] == "threshold" and c["op"] == "gt" and Decimal(str(c["value"])) == Decimal("10000000")
                   for c in m["conditions"]), clause


@pytest.mark.parametrize("doc,clause,quote", [
    ("nansha_hangyun_wuliu_2017", "2", "按总部型企业的相关政策"),
    ("nansha_xianjin_zhizao_jianzhu_2017", "12", "可享受南沙相关优惠政策"),
    ("xicheng_measures_draft", "9", "依据《西城区吸引高层次人才专项计划实施办法（试行）》"),
])
def test_real_texts_by_reference(doc, clause, quote):
    build = build_source(ROOT / "corpus" / f"{doc}.txt")
    m = next(m for m in measures_json(build.graph, build.doc_id) if m["clause"] == clause)
    assert [(a["kind"], a["citation"]["quote"]) for a in m["amounts"]] == [("by_reference", quote)]


@pytest.mark.parametrize("clause,payee", [("7", "机构"), ("9", "人才"), ("3.1", "企业")])
def test_the_payee_is_who_the_text_pays(made_up, clause, payee):
    _, measures = made_up
    assert [m["beneficiary"] for m in measures if m["clause"] == clause] == [payee]


def test_matching_without_a_ratio_has_no_fixed_amount(made_up):
    _, measures = made_up
    m = next(m for m in measures if m["clause"] == "8")
    assert [(a["kind"], a["citation"]["quote"]) for a in m["amounts"]] == [("negotiated", "给予配套奖励")]
