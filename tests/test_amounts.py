"""Amounts as real texts write them: per-object rates and what they count, capped rates and ratios, matching of
higher-level funds, paired ladders, schedules over years, USD kept, no fixed amount / no cap.

Data-driven cases on the real Nansha policies (tests/data/amounts/*.yaml, each naming its clause) pin the amounts
of a measure and compute its award from the measure (reasoner.awards); short sentences written in other words than
those texts show the parser reads the mechanism, not the words."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, assert_amounts_match, concept_id
from kg_builder.build import build_graph, build_source
from kg_builder.config import BuildConfig
from kg_builder.views import measures_json
from reasoner.awards import compute
from reasoner.profile import Profile

DATA = Path(__file__).parent / "data"
CASES = [c for f in sorted((DATA / "amounts").glob("*.yaml")) for c in yaml.safe_load(f.read_text(encoding="utf-8"))]


def _path(name: str) -> Path:
    for folder in (ROOT / "corpus", DATA / "policies", DATA / "eligibility" / "texts"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(name)


@pytest.fixture(scope="module")
def measures(tmp_path_factory):
    reviews, cache = tmp_path_factory.mktemp("reviews"), {}

    def get(name: str) -> dict[str, dict]:
        if name not in cache:
            result = build_source(_path(name), config=BuildConfig(review_dir=reviews))
            cache[name] = {m["id"].split("/", 1)[1]: m for m in measures_json(result.graph, result.doc_id)}
        return cache[name]
    return get


def _profile(facts: dict) -> Profile:
    def value(v):
        return tuple(Decimal(str(x)) for x in v) if isinstance(v, list) else Decimal(str(v))
    return Profile(quantities={concept_id(k): value(v) for k, v in facts.items()})


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_amounts_of_the_clause(case, measures):
    m = measures(case["text"])[case["measure"]]
    assert_amounts_match(m["amounts"], case["amounts"])
    if "thresholds" in case:
        got = [(c["op"], Decimal(str(c["value"])), c["unit"]) for c in m["conditions"] if c["kind"] == "threshold"]
        assert got == [(t["op"], Decimal(t["value"]), t["unit"]) for t in case["thresholds"]]


@pytest.mark.parametrize("case", [c for c in CASES if "award" in c], ids=[c["name"] for c in CASES if "award" in c])
def test_award_of_the_clause(case, measures):
    exp = case["award"]
    award = compute(measures(case["text"])[case["measure"]], _profile(exp["facts"]))
    for key, got in (("estimate", award.estimate), ("cap", award.cap)):
        if key in exp:
            assert got == (None if exp[key] is None else Decimal(str(exp[key]))), award
    if "bound" in exp:
        assert award.bound == exp["bound"], award
    if "arithmetic_contains" in exp:
        assert exp["arithmetic_contains"] in award.arithmetic, award.arithmetic


def _amounts(sentence: str) -> list[dict]:
    """The amounts of the measures of a one-article text."""
    result = build_graph(f"测试办法\n\n第一条 {sentence}\n", config=BuildConfig(apply_reviews=False))
    return [a for m in measures_json(result.graph, result.doc_id) for a in m["amounts"]]


def _kinds(sentence: str) -> list[tuple]:
    return [(a["kind"], Decimal(str(a["value"])) if a["value"] is not None else None,
             (a.get("per") or {}).get("quantity"), a.get("unit"), a.get("currency")) for a in _amounts(sentence)]


# Sentences in other words than the corpus: the mechanism, not the words.
@pytest.mark.parametrize("sentence, want", [
    # rate per counted object: the count is a dictionary quantity where the object is common
    ("对获得国家授权的发明专利的企业，按每件1万元给予资助。", ("rate", "10000", "inventionPatentCount", "元/件", "CNY")),
    ("对新增的集装箱吞吐量，每标箱奖励30元。", ("rate", "30", "teuCount", "元/标箱", "CNY")),
    ("对组织境外培训的机构，按照500元/人次给予补贴。", ("rate", "500", "personTimes", "元/人次", "CNY")),
    ("对购买新能源公交车的企业，每辆补贴2万元。", ("rate", "20000", "vehicleCount", "元/辆", "CNY")),
    ("对土地集约利用的项目，每亩奖励5万元。", ("rate", "50000", "landAreaMu", "元/亩", "CNY")),
    ("对邮轮靠泊本港的企业，每挂靠一次奖励5万元。", ("rate", "50000", "portCallCount", "元/次", "CNY")),
    # a count the dictionary does not know is minted from the words after 每
    ("对会展企业，每举办一场国际展会给予10万元补贴。", ("rate", "100000", "mint:举办国际展会", "元/场", "CNY")),
    # a capped rate caps each counted object
    ("对租用研发场地的企业，按每平方米每月最高15元给予补贴。", ("max_rate", "15", "floorArea", "元/平方米/月", None)),
    # 最高给予 is a cap, never a fixed sum
    ("对新认定的总部企业，最高给予800万元奖励。", ("max_total", "8000000", None, None, "CNY")),
    # a capped ratio
    ("对技术改造项目，给予不超过设备投资额5%的补助。", ("max_ratio", "0.05", None, None, None)),
    # matching of higher-level funds, however written
    ("对获得国家部委专项支持的项目，按照国家下达资金1:0.5给予配套。", ("match_ratio", "0.5", None, None, None)),
    ("对获得省级资金扶持的企业，按上级资金的30%给予配套支持。", ("match_ratio", "0.3", None, None, None)),
    # no fixed amount / no cap
    ("对特别重大的招商项目，采取一企一策方式支持。", ("negotiated", None, None, None, None)),
    ("每年安排1000万元专项资金，对评选出的优秀企业给予奖励。", ("negotiated", None, None, None, None)),  # a pool
    ("对经评审认定的服务机构，给予10-50万元的奖励。", ("negotiated", None, None, None, None)),  # a range, then max 50万
    # period limits and caps written after the number
    ("对入驻的企业，连续两年给予房租50%的补贴。", ("max_years", "2", None, None, None)),
    ("对新增贷款贴息，贴息金额以200万元为上限。", ("max_total", "2000000", None, None, "CNY")),
    # a per-object cap: each ship, not the total
    ("对船舶更新改造的企业，按改造费用的10%给予补贴，单船补贴不超过20万元。", ("ratio", "0.1", None, None, None)),
])
def test_amount_kind_of_a_sentence(sentence, want):
    kind, value, per, unit, currency = want
    got = _kinds(sentence)
    assert got, sentence
    a = got[0]
    assert (a[0], a[1]) == (kind, Decimal(value) if value else None), got
    if per:
        assert a[2] == concept_id(per), got
    if unit:
        assert a[3] == unit, got
    if currency:
        assert a[4] == currency, got


def test_match_base_is_the_level_named():
    """'按上级资金的30%配套' with 获得省级资金 in the conditions → the provincial funds received."""
    [a] = [a for a in _amounts("对获得省级资金扶持的企业，按上级资金的30%给予配套支持。") if a["kind"] == "match_ratio"]
    assert a["base_quantity"] == "provincialFunds"


def test_percent_threshold_is_a_condition_not_an_amount():
    """'出口额同比增长15%以上的，给予20万元': 15% is a growth threshold (a minted rate quantity), the award 20万元."""
    result = build_graph("测试办法\n\n第一条 对出口额同比增长15%以上的企业，给予20万元奖励。\n",
                         config=BuildConfig(apply_reviews=False))
    [m] = measures_json(result.graph, result.doc_id)
    assert [(a["kind"], a["value"]) for a in m["amounts"]] == [("fixed", Decimal(200000))]
    [t] = [c for c in m["conditions"] if c["kind"] == "threshold"]
    assert (t["op"], t["value"], t["unit"]) == ("ge", Decimal("0.15"), "ratio")
    assert t["quantity"] == concept_id("mint:出口额同比增长")


def test_position_paired_percent_ladder():
    """'增长达到10%、16%、22%、28%以上的，分别按照…的10%、20%、30%、40%' → one measure per level, threshold i ↔ ratio i."""
    result = build_graph("测试办法\n\n第一条 对年度销售额同比增长达到10%、16%、22%、28%以上的企业，分别按照其年度对我区经济贡献的"
                         "10%、20%、30%、40%予以奖励。\n", config=BuildConfig(apply_reviews=False))
    measures = measures_json(result.graph, result.doc_id)
    levels = [([c["value"] for c in m["conditions"] if c["kind"] == "threshold"], [a["value"] for a in m["amounts"]])
              for m in measures]
    pairs = (("0.1", "0.1"), ("0.16", "0.2"), ("0.22", "0.3"), ("0.28", "0.4"))
    assert levels == [([Decimal(t)], [Decimal(r)]) for t, r in pairs]
    # each level shows the whole ladder (`tiers`): threshold i ↔ amount i
    assert [(t["threshold"]["value"], t["amounts"][0]["value"]) for t in measures[0]["tiers"]] == \
        [(Decimal(t), Decimal(r)) for t, r in pairs]
    assert all(m["tiers"] == measures[0]["tiers"] for m in measures)


def test_schedule_in_other_words():
    """'第一年…给予50%，第二至三年…给予25%' is a schedule: years 1 and 2-3."""
    [a] = _amounts("对新落户企业，第一年按其地方财力贡献的50%给予奖励，第二至三年按其地方财力贡献的25%给予奖励。")
    assert [(s["years"], s["value"]) for s in a["schedule"]] == [([1, 1], Decimal("0.5")), ([2, 3], Decimal("0.25"))]


def test_usd_amounts_stay_usd():
    """A threshold in 美元 keeps its currency; nothing is converted in code."""
    result = build_graph("测试办法\n\n第一条 对实际利用外资超过3000万美元的项目，给予100万元奖励。\n",
                         config=BuildConfig(apply_reviews=False))
    [m] = measures_json(result.graph, result.doc_id)
    [t] = [c for c in m["conditions"] if c["kind"] == "threshold"]
    assert (t["value"], t["unit"]) == (Decimal(30000000), "USD")


def test_profile_converts_usd_only_with_the_users_rate():
    """'年营业收入100万美元' converts to yuan with the profile's own exchange_rates; without one it is refused."""
    from kg_builder.errors import PolicyInputError
    from reasoner.profile import profile_from_dict
    p = profile_from_dict({"quantities": {"revenue": {"value": 100, "unit": "万美元"}}, "exchange_rates": {"USD": 7.1}})
    assert p.quantities["revenue"] == Decimal("7100000")
    with pytest.raises(PolicyInputError, match="exchange_rates.USD"):
        profile_from_dict({"quantities": {"revenue": {"value": 100, "unit": "万美元"}}})


def test_award_in_usd_needs_the_users_rate():
    """A fixed sum the text states in 美元 is estimated in yuan only with the rate the profile gives."""
    result = build_graph("测试办法\n\n第一条 对新设立的外资研发中心，给予10万美元奖励。\n", config=BuildConfig(apply_reviews=False))
    [m] = measures_json(result.graph, result.doc_id)
    assert [(a["kind"], a["value"], a["currency"]) for a in m["amounts"]] == [("fixed", Decimal(100000), "USD")]
    assert compute(m, Profile()).estimate is None
    assert "exchange_rates.USD" in [f for _, f in compute(m, Profile()).needs]
    assert compute(m, Profile(exchange_rates={"USD": Decimal("7.1")})).estimate == Decimal("710000")


def test_answers_show_amounts_without_a_number():
    """The app's answer text names 一事一议 / 上不封顶 by their words and a rate with what it is paid per."""
    from qa_app.answer import amount_text
    cite = {"quote": "根据具体情况研究确定"}
    assert amount_text({"kind": "negotiated", "value": None, "citation": cite}) == "无固定金额（根据具体情况研究确定）"
    assert amount_text({"kind": "rate", "value": Decimal(3000), "unit": "元/辆", "citation": cite}) == "单价 3000元/辆"
    assert amount_text({"kind": "fixed", "value": Decimal(100000), "currency": "USD", "citation": cite}) == "定额 100000 USD"


def test_award_range_and_per_ship_cap():
    """'给予10-50万元的奖励': no fixed amount, at most 50万元; '单船补贴不超过20万元' caps each ship."""
    kinds = [(k, v) for k, v, *_ in _kinds("对经评审认定的服务机构，给予10-50万元的奖励。")]
    assert kinds == [("negotiated", None), ("max_total", Decimal(500000))]
    kinds = [(k, v) for k, v, *_ in _kinds("对船舶更新改造的企业，按改造费用的10%给予补贴，单船补贴不超过20万元。")]
    assert kinds == [("ratio", Decimal("0.1")), ("max_per_item", Decimal(200000))]


def test_a_ceiling_before_a_ratio_on_another_number_does_not_cap_it():
    """'不超过2000万元的企业按研发费用的30%': 不超过 binds 2000万元, the ratio stays a ratio."""
    kinds = [(k, v) for k, v, *_ in _kinds("年营业收入不超过2000万元的企业按研发费用的30%给予补贴。")]
    assert ("ratio", Decimal("0.3")) in kinds and not any(k == "max_ratio" for k, _ in kinds)
