"""A period cap (max_years) is in years whatever unit the text writes it in."""
from __future__ import annotations

from decimal import Decimal

import pytest

from kg_builder.build import build_graph
from kg_builder.config import BuildConfig
from kg_builder.views import measures_json


@pytest.mark.parametrize("sentence, years, quote", [
    ("对企业新引进的博士研究生，每人每月给予2000元生活补贴，最长不超过36个月。", "3", "不超过36个月"),
    ("对新引进企业租赁自用厂房的，按实际租金的50%给予补贴，补贴期限为18个月。", "1.5", "补贴期限为18个月"),
    ("对新引进企业租赁自用厂房的，按实际租金的50%给予补贴，每年最高不超过100万元，补贴期限不超过3年。", "3", "不超过3年"),
])
def test_period_cap_in_years(sentence, years, quote):
    result = build_graph(f"测试办法\n\n第一条 {sentence}\n", config=BuildConfig(apply_reviews=False))
    [m] = measures_json(result.graph, result.doc_id)
    [a] = [a for a in m["amounts"] if a["kind"] == "max_years"]
    assert (Decimal(str(a["value"])), a["citation"]["quote"]) == (Decimal(years), quote)
