"""Answers quote the source verbatim at their offsets and state only graph values."""
from __future__ import annotations

import pytest

from kg_builder.config import DEFAULT_CORPUS
from qa_app.answer import ask, load_index, yuan, amount_text
from decimal import Decimal

QUESTIONS = ["公司刚评上高企，能领多少钱？", "并购贷款的利息能补吗", "Is there support for exhibition fees?",
             "工作居住证办理和落户服务", "同时符合西城区其他政策时怎么处理", "PCT"]


@pytest.fixture(scope="module")
def index():
    return load_index(DEFAULT_CORPUS)


@pytest.mark.parametrize("q", QUESTIONS)
def test_every_quote_is_the_source_at_its_offsets(q, index):
    out = ask(q, index=index, k=5)
    assert len(out["answers"]) == 5
    for a in out["answers"]:
        c = a["citation"]
        assert a["quote"] == c["quote"] == index.text[c["start"]:c["end"]]
        assert c["document"] == "xicheng_measures_draft" and a["answer"].startswith(a["label"] + "：")


@pytest.mark.parametrize("clause, parts", [
    ("4.1", ["给予30万元奖励", "定额 30万元", "定额 5万元"]),
    ("6.3", ["比例 30%", "年度上限 300万元", "年限上限 3年"]),
    ("9", ["给予综合资助"]),  # a measure without amounts: its quoted sentence alone
])
def test_answer_composed_from_graph_values(clause, parts, index):
    p = next(p for p in index.passages if p.clause == clause)
    from qa_app.answer import compose_answer
    text = compose_answer(p, index=index)
    assert all(part in text for part in parts), text


@pytest.mark.parametrize("amount, shown", [
    ({"kind": "fixed", "value": Decimal("3E+5")}, "定额 30万元"),
    ({"kind": "max_total", "value": Decimal("2.5E+7")}, "上限 2500万元"),
    ({"kind": "ratio", "value": Decimal("0.0001")}, "比例 0.01%"),
    ({"kind": "match_ratio", "value": Decimal("0.5")}, "配套比例 1:0.5"),
    ({"kind": "fixed", "value": Decimal("123.5")}, "定额 123.5元"),
])
def test_amount_text(amount, shown):
    assert amount_text(amount) == shown


def test_every_clause_cites_its_body_exactly(index):
    from qa_app.answer import answer_of
    assert len(index.passages) == 39  # the Xicheng text: 35 items, 第九条, 3 附则 items
    for p in index.passages:
        a = answer_of(p, 0.0, index=index)
        c = a["citation"]
        assert a["quote"] == index.text[c["start"]:c["end"]] == a["quote"].strip() != ""
        assert p.start <= c["start"] < c["end"] <= p.end


@pytest.mark.parametrize("question,low", [("今天天气怎么样", True), ("推荐一家好吃的餐厅", True),
                                          ("孵化器支持资金上限", False), ("国家高新技术企业第一次认定能拿多少", False)])
def test_off_topic_questions_are_flagged(question, low, index):
    result = ask(question, index=index)
    assert result.get("low_confidence", False) is low
    assert ("可能不相关" in result.get("note", "")) is low
