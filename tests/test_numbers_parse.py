"""Money, ratios and durations as written in policy text, parsed to exact Decimals."""
from decimal import Decimal

import pytest

from kg_builder.numbers import MATCH_RATIO_RE, MONEY_RE, PERCENT_RE, match_ratio_value, money_value, percent_value, article_number


@pytest.mark.parametrize("text,yuan", [
    ("1000万元", "10000000"), ("2亿元", "200000000"), ("30万元", "300000"), ("1.5万元", "15000"),
    ("三十万元", "300000"), ("一千万元", "10000000"), ("5000元", "5000"), ("0.5亿元", "50000000"),
])
def test_money(text, yuan):
    m = MONEY_RE.search(text)
    assert money_value(m["num"], m["mult"]) == Decimal(yuan)


@pytest.mark.parametrize("text,fraction", [
    ("10%", "0.1"), ("30％", "0.3"), ("百分之三十", "0.3"), ("万分之一", "0.0001"), ("千分之五", "0.005"), ("2.5%", "0.025"),
])
def test_ratio(text, fraction):
    assert percent_value(PERCENT_RE.search(text)) == Decimal(fraction)


@pytest.mark.parametrize("text,value", [("1:1", "1"), ("1:0.5", "0.5"), ("1：0.3", "0.3"), ("2:1", "0.5")])
def test_match_ratio(text, value):
    assert match_ratio_value(MATCH_RATIO_RE.search(text)) == Decimal(value)


@pytest.mark.parametrize("token,number", [("十二", 12), ("1 0", 10), ("12", 12), ("二十一", 21), ("一百零一", 101)])
def test_article_numbers(token, number):
    assert article_number(token) == number
