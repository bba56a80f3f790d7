"""Numbers as written in Chinese policy text, parsed to exact Decimals."""
from __future__ import annotations

import re
from decimal import Decimal

import cn2an

CN_DIGITS = "〇零一二两三四五六七八九十百千点"
NUM = rf"(?:\d+(?:\.\d+)?|[{CN_DIGITS}]+)"
MULTIPLIERS = {"": Decimal(1), "千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
MONEY_RE = re.compile(rf"(?P<num>{NUM})\s*(?P<mult>亿|万|千)?\s*元")
PERCENT_RE = re.compile(
    rf"(?P<pct>\d+(?:\.\d+)?)\s*[%％]|百分之(?P<cnpct>{NUM})|(?P<den>千|万)分之(?P<frac>{NUM})"
)
MATCH_RATIO_RE = re.compile(r"(?P<a>\d+(?:\.\d+)?)\s*[:：]\s*(?P<b>\d+(?:\.\d+)?)")
DURATION_RE = re.compile(rf"(?P<num>{NUM})\s*(?:个)?(?P<unit>年|月|天)")


def parse_number(token: str) -> Decimal:
    """'1000' -> 1000, '三十' -> 30, '1.5' -> 1.5; raises ValueError otherwise."""
    token = token.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        return Decimal(token)
    return Decimal(str(cn2an.cn2an(token.replace("两", "二"), "smart")))


def money_value(num: str, mult: str | None) -> Decimal:
    return parse_number(num) * MULTIPLIERS[mult or ""]


def percent_value(m: re.Match) -> Decimal:
    """Fraction for '10%' (0.1), '百分之三十' (0.3), '万分之一' (0.0001)."""
    if m.group("pct"):
        return Decimal(m.group("pct")) / 100
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
