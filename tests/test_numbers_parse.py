"""Money, ratios and durations as written in policy text and in profiles (Chinese or English), as exact Decimals."""
import re
from decimal import Decimal

import pytest

from kg_builder.lexicon import alternation
from kg_builder.nlp import amounts
from kg_builder.numbers import (EN_DURATION_RE, MATCH_RATIO_RE, MONEY_RE, PERCENT_RE, article_number, match_ratio_value,
                                money_value, parse_number, percent_value)


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


# English amounts: 1 billion = 10亿, "ten thousand" = 万; a bare number, k/m or 万 names yuan only beside a currency.
EN_MONEY = [
    ("15 million yuan", "15000000"), ("RMB 15 million", "15000000"), ("CNY 15,000,000", "15000000"),
    ("15,000,000 yuan", "15000000"), ("1.5 million", "1500000"), ("20 mn yuan", "20000000"), ("500k yuan", "500000"),
    ("200 million", "200000000"), ("2 billion", "2000000000"), ("1 billion yuan", "1000000000"),
    ("1,500 ten thousand yuan", "15000000"), ("2 hundred million yuan", "200000000"), ("RMB15m", "15000000"),
    ("¥500k", "500000"), ("twenty-five million yuan", "25000000"), ("one hundred and twenty million", "120000000"),
    ("RMB 1500万", "15000000"), ("10 million yuan", "10000000"), ("9.9999 million yuan", "9999900"),
    ("USD 2 million", None), ("2 million US dollars", None), ("$3 million", None), ("1500万", None),
    ("15,000,000", None), ("500 m2", None), ("one of them", None),
]


@pytest.mark.parametrize("text,yuan", EN_MONEY, ids=[t for t, _ in EN_MONEY])
def test_english_money(text, yuan):
    got = [(text[s:e], v) for s, e, v in amounts(text)]
    assert got == ([] if yuan is None else [(text, Decimal(yuan))])


@pytest.mark.parametrize("text,quote,yuan", [
    ("研发费用15,000,000元", "15,000,000元", "15000000"),  # not '000元'
    ("in 2023 RMB 15 million", "RMB 15 million", "15000000"),  # the currency belongs to the number after it
    ("1500万元", "1500万元", "15000000"),
])
def test_overlapping_readings_first_longest_wins(text, quote, yuan):
    assert [(text[s:e], v) for s, e, v in amounts(text)] == [(quote, Decimal(yuan))]


@pytest.mark.parametrize("text,number,unit", [
    ("held for 2 years", "2", "years"), ("a two-year holding", "2", "year"), ("18 months", "18", "months"),
    ("twenty-one days", "21", "days"),
])
def test_english_duration(text, number, unit):
    m = EN_DURATION_RE.search(text)
    assert (parse_number(m["num"]), m["unit"]) == (Decimal(number), unit)


@pytest.mark.parametrize("token", ["five five", "hundred", "twenty twenty"])
def test_english_number_words_that_are_no_number(token):
    with pytest.raises(ValueError):
        parse_number(token)


@pytest.mark.parametrize("words,text,found", [
    (["new"], "renewal news", []), (["new"], "a New enterprise", ["New"]),
    (["high-tech enterprise"], "a high tech  enterprise", ["high tech  enterprise"]),
    (["高企"], "我们是高企", ["高企"]), (["R&D"], "R&D2 and R&D", ["R&D"]),
])
def test_english_terms_match_whole_words(words, text, found):
    assert re.findall(alternation(words), text, re.I) == found
