"""Questions that describe the asker's enterprise also run the eligibility check."""
from __future__ import annotations

import pytest

from kg_builder.config import DEFAULT_CORPUS
from qa_app.answer import ask, describes_enterprise, load_index

ROUTING = [
    ("我们是今年新认定的国家高新技术企业，年度研发费用1500万元，能申请哪些？", True),
    ("我司是专精特新小巨人企业，可以申请什么", True),
    ("本公司去年获得了北京市科学技术奖", True),
    ("We are a newly certified high-tech enterprise with R&D spending of 15 million yuan", True),
    ("Our company has a PCT patent application, what can we get?", True),
    ("公司刚评上高企，能领多少钱？", False),
    ("并购贷款的利息能补吗", False),
    ("Is there support for exhibition fees?", False),
    ("我们", False),
    ("我们是否可以申请贴息？", False),
]


@pytest.mark.parametrize("question, expected", ROUTING)
def test_routing(question, expected):
    assert describes_enterprise(question) is expected


def test_self_description_fills_eligibility():
    index = load_index(DEFAULT_CORPUS)
    out = ask(ROUTING[0][0], index=index, k=3)
    assert out["answers"] and (out["eligibility"] is not None or "eligibility check" in out["note"])
    if out["eligibility"] is not None:
        eligible = {r["clause"] for r in out["eligibility"]["results"] if r["status"] == "eligible"}
        assert "4.1" in eligible


def test_plain_question_has_no_eligibility():
    out = ask("并购贷款的利息能补吗", index=load_index(DEFAULT_CORPUS), k=3)
    assert out["eligibility"] is None and "note" not in out
