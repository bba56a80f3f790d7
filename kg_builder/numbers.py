"""Numbers as written in Chinese policy text and in Chinese or English profiles, parsed to exact Decimals."""
from __future__ import annotations

import re
from decimal import Decimal

from .lexicon import alternation

CN_DIGITS = "〇零一二两三四五六七八九十百千点"
NUM = rf"(?:\d+(?:\.\d+)?|[{CN_DIGITS}]+)"
EN_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())} | {w: 10 * i for i, w in enumerate(
        "twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)} | {"hundred": 100}
# 1 billion = 10亿 and ten thousand = 万. k/m (and 千/万/亿 in English text) make money only beside a currency.
MULTIPLIERS = {"": Decimal(1), "千": Decimal(1000), "万": Decimal(10_000), "千万": Decimal(10_000_000),
               "亿": Decimal(100_000_000),
               "thousand": Decimal(1000), "ten thousand": Decimal(10_000), "million": Decimal(10**6),
               "hundred million": Decimal(10**8), "billion": Decimal(10**9), "mn": Decimal(10**6),
               "mln": Decimal(10**6), "bn": Decimal(10**9), "k": Decimal(1000), "m": Decimal(10**6)}
NEEDS_CURRENCY = ("", "k", "m", "千", "万", "千万", "亿")
CURRENCIES = {"元": "CNY", "yuan": "CNY", "rmb": "CNY", "cny": "CNY", "renminbi": "CNY", "¥": "CNY", "￥": "CNY",
              "usd": "USD", "us$": "USD", "$": "USD", "dollar": "USD", "dollars": "USD", "us dollars": "USD",
              "eur": "EUR", "€": "EUR", "euro": "EUR", "euros": "EUR", "hkd": "HKD", "hk$": "HKD",
              "gbp": "GBP", "£": "GBP", "pounds": "GBP", "jpy": "JPY", "yen": "JPY"}
_WORD = alternation(EN_NUMBER_WORDS)
EN_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:{_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}))*)"
EN_MONEY_RE = re.compile(
    rf"(?:(?P<cur1>{alternation(CURRENCIES, numeric=True)})\s*)?(?P<num>{EN_NUM})"
    rf"(?:\s*(?P<mult>{alternation([m for m in MULTIPLIERS if m], numeric=True)}))?"
    rf"(?:\s*(?P<cur2>{alternation(CURRENCIES, numeric=True)})(?!\s*\d))?", re.I)
EN_DURATION_RE = re.compile(rf"(?P<num>{EN_NUM})\s*-?\s*(?P<unit>years?|yrs?|months?|days?)(?![A-Za-z])", re.I)
MONEY_RE = re.compile(rf"(?P<num>{NUM})\s*(?P<mult>千万|亿|万|千)?\s*(?:元(?:\s*人民币)?|人民币)")  # 1千万人民币, 1亿元人民币
# Amounts in a foreign currency stay in it ('500万美元' is USD 5,000,000, never converted here).
FOREIGN_MONEY_RE = re.compile(rf"(?P<num>{NUM})\s*(?P<mult>千万|亿|万|千)?\s*(?P<cur>美元|港元|港币|欧元|英镑)")
FOREIGN_CURRENCY = {"美元": "USD", "港元": "HKD", "港币": "HKD", "欧元": "EUR", "英镑": "GBP"}
PERCENT_RE = re.compile(
    rf"(?P<pct>\d+(?:\.\d+)?)\s*[%％]|(?P<permille>\d+(?:\.\d+)?)\s*‰|百分之(?P<cnpct>{NUM})|(?P<den>千|万)分之(?P<frac>{NUM})"
)
MATCH_RATIO_RE = re.compile(r"(?P<a>\d+(?:\.\d+)?)\s*[:：]\s*(?P<b>\d+(?:\.\d+)?)")
DURATION_RE = re.compile(rf"(?P<num>{NUM})\s*(?:个)?(?P<unit>年|月|天)")


def parse_number(token: str) -> Decimal:
    """'1000' -> 1000, '三十' -> 30, '1.5' -> 1.5, '15,000' -> 15000, 'twenty-five' -> 25; else ValueError."""
    token = token.strip()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", token):
        return Decimal(token.replace(",", ""))
    if re.match(r"[A-Za-z]", token):
        return _english_number(token)
    import cn2an  # ~0.2 s to import: only when a number is written in Chinese
    return Decimal(str(cn2an.cn2an(token.replace("两", "二"), "smart")))


def _english_number(token: str) -> Decimal:
    """'twenty-five' -> 25, 'two hundred and five' -> 205; larger numbers are written with a multiplier."""
    values = [EN_NUMBER_WORDS[w] for w in re.split(r"[\s-]+", token.lower()) if w != "and"]
    hundreds = 0
    if values[1:2] == [100] and 0 < values[0] < 10:
        hundreds, values = values[0] * 100, values[2:]
    compound = len(values) == 2 and values[0] >= 20 and 0 < values[1] < 10  # twenty-five
    if not (compound or (len(values) <= 1 and 100 not in values)) or (not values and not hundreds):
        raise ValueError(f"not a number: {token!r}")
    return Decimal(hundreds + sum(values))


def money_value(num: str, mult: str | None) -> Decimal:
    return parse_number(num) * MULTIPLIERS[re.sub(r"[\s-]+", " ", (mult or "").lower())]


def en_money_value(m: re.Match) -> Decimal | None:
    """Yuan for an EN_MONEY_RE match; None for another currency, or a bare number that names no amount."""
    currencies = {CURRENCIES[re.sub(r"[\s-]+", " ", c.lower())] for c in (m["cur1"], m["cur2"]) if c}
    mult = re.sub(r"[\s-]+", " ", (m["mult"] or "").lower())
    if currencies - {"CNY"} or (not currencies and mult in NEEDS_CURRENCY):
        return None
    try:
        return money_value(m["num"], mult)
    except ValueError:
        return None


def percent_value(m: re.Match) -> Decimal:
    """Fraction for '10%' (0.1), '1‰' (0.001), '百分之三十' (0.3), '万分之一' (0.0001)."""
    if m.group("pct"):
        return Decimal(m.group("pct")) / 100
    if m.group("permille"):
        return Decimal(m.group("permille")) / 1000
    if m.group("cnpct"):
        return parse_number(m.group("cnpct")) / 100
    denominator = Decimal(1000) if m.group("den") == "千" else Decimal(10_000)
    return parse_number(m.group("frac")) / denominator


def match_ratio_value(m: re.Match) -> Decimal:
    """'1:0.5' -> 0.5: district yuan per yuan of the base."""
    return Decimal(m.group("b")) / Decimal(m.group("a"))


def article_number(token: str) -> int:
    """'十二' -> 12, '1 0' -> 10 (spaced digits), '12' -> 12."""
    compact = re.sub(r"\s+", "", token)
    return int(parse_number(compact))


CELL_MONEY_RE = re.compile(rf"(?P<num>{NUM})\s*(?P<mult>千|万|亿)?\s*元?")


def cell_amount(text: str, *, money: bool) -> Decimal:
    """An amount typed in a form or spreadsheet cell: '12,000,000', '1200万', '1.5亿元', '三十万' (money) or a
    plain number. Raises ValueError when it is not a number; the sign is kept for the caller to judge."""
    raw = str(text).replace(",", "").replace("，", "").strip()
    sign, body = (-1, raw[1:].strip()) if raw.startswith("-") else (1, raw)
    m = CELL_MONEY_RE.fullmatch(body) if money else None
    try:
        value = money_value(m["num"], m["mult"]) if m else Decimal(body)
    except Exception as err:  # InvalidOperation, cn2an's ValueError
        raise ValueError(f"not a number: {text!r}") from err
    if not value.is_finite():
        raise ValueError(f"not a number: {text!r}")
    return sign * value
