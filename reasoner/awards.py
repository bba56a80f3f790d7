"""Award arithmetic in exact Decimal yuan.

1. A formula: a fixed sum; ratio × base ("采购合同金额的10%"); matching ratio × municipal funds ("1:0.5");
   a rate × the quantities its units name ("2元/平方米/天" × floorArea × periodDays, units mapped in the
   dictionary's `rate_units`).
2. Per-unit caps (单项/单个展会/每投资1家企业) apply to each unit: a base given as several values (one per
   event, investee or project) is computed and capped value by value, then summed; one value is one unit.
3. Overall caps (年度/总额) apply to the sum. The estimate is the result, `bound` the cap that cut it.
Only a cap and no formula ("不超过500万元") → the estimate is unknown and the cap is shown. A period limit
("贴息不超过3年") is reported, the estimate being for one year.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from kg_builder.lexicon import load_lexicon

from .config import ReasonerConfig
from .explain import money, zh

PER_UNIT = ("max_per_item", "max_per_event", "max_per_investee")
OVERALL = ("max_annual", "max_total")
CAPS = PER_UNIT + OVERALL
CAP_ZH = {"max_total": "总额上限", "max_annual": "年度上限", "max_per_item": "单项上限",
          "max_per_event": "单个展会/单次上限", "max_per_investee": "每投资1家企业上限"}


@dataclass
class Award:
    estimate: Decimal | None = None
    cap: Decimal | None = None  # the most that could be paid for the units known
    bound: str | None = None  # the cap kind that cut the estimate
    arithmetic: str = ""
    needs: list[tuple[str, str]] = field(default_factory=list)  # (name, profile field) the formula lacks
    period_years: Decimal | None = None


def _n(value: Decimal) -> str:
    """6000000.0 → 6000000, 3E+6 → 3000000: exact, without exponent or trailing zeros."""
    return format(value.normalize(), "f")


def _units(value) -> list[Decimal]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


@lru_cache(maxsize=4)
def _rate_units(lexicon_path) -> dict:
    return load_lexicon(lexicon_path).data.get("rate_units", {})


def _rate_bases(amount: dict, config: ReasonerConfig) -> list[str | None]:
    words = (amount.get("unit") or "").split("/")[1:]  # "元/平方米/天" → 平方米, 天
    table = _rate_units(config.lexicon_path)
    return [table.get(w) for w in words]


def _base(measure: dict, profile, config: ReasonerConfig):
    """(per-unit base values | None, factor, description, needs) of the measure's formula. In the description
    {v} stands for one unit's base value."""
    for a in measure["amounts"]:
        if a["kind"] == "fixed":
            return [Decimal(1)], a["value"], f"定额 {money(a['value'])}", []  # no {v}: shown as is
        if a["kind"] in ("ratio", "match_ratio"):
            base = a.get("base_quantity")
            name = zh(base) if base else "计算基数"
            if base is None or base not in profile.quantities:
                return None, a["value"], f"比例 {_n(a['value'])} × {name}（未知）", [(name, base or "base")]
            return _units(profile.quantities[base]), a["value"], f"{_n(a['value'])} × {name} {{v}}", []
        if a["kind"] == "rate":
            bases = _rate_bases(a, config)
            lacking = [b for b in bases if b is None or b not in profile.quantities]
            names = " × ".join(zh(b) if b else "?" for b in bases)
            if lacking or not bases:
                return None, a["value"], f"{_n(a['value'])}{a.get('unit') or ''} × {names}（未知）", \
                    [(zh(b) if b else (a.get("unit") or "计量单位"), b or "base") for b in lacking or [None]]
            product = Decimal(1)
            for b in bases:
                product *= sum(_units(profile.quantities[b]), Decimal(0))
            return [product], a["value"], f"{_n(a['value'])}{a.get('unit')} × ({names} = {{v}})", []
    return None, None, "", []


def compute(measure: dict, profile, config: ReasonerConfig = ReasonerConfig()) -> Award:
    amounts = measure["amounts"]
    per_unit = min(((a["value"], a["kind"]) for a in amounts if a["kind"] in PER_UNIT), default=None)
    overall = min(((a["value"], a["kind"]) for a in amounts if a["kind"] in OVERALL), default=None)
    years = next((a["value"] for a in amounts if a["kind"] == "max_years"), None)
    period = f"；期限不超过{money(years, 'year')}，估算为一年的金额" if years is not None else ""
    units, factor, text, needs = _base(measure, profile, config)
    n = len(units) if units else 1
    caps = [c for c in (overall, (per_unit[0] * n, per_unit[1]) if per_unit else None) if c]
    cap = min(caps)[0] if caps else None
    if units is None:
        shown = f"上限 {money(cap)}" if cap is not None else "无上限"
        return Award(None, cap, None, (text + "；" if text else "无计算公式；") + shown + period, needs, years)
    steps, bound, total = [], None, Decimal(0)
    for v in units:
        value = factor * v
        step = text.replace("{v}", _n(v)) + f" = {_n(value)}" if "{v}" in text else text
        if per_unit and value > per_unit[0]:
            value, bound = per_unit[0], per_unit[1]
            step += f"，受{CAP_ZH[per_unit[1]]} {money(per_unit[0])} 限制 → {_n(value)}"
        steps.append(step)
        total += value
    arithmetic = "；".join(steps) + (f"；合计 {_n(total)}" if n > 1 else "")
    if overall and total > overall[0]:
        total, bound = overall[0], overall[1]
        arithmetic += f"；受{CAP_ZH[overall[1]]} {money(overall[0])} 限制 → {_n(total)}"
    elif caps and bound is None:
        arithmetic += "；未超过上限"
    return Award(total, cap, bound, arithmetic + period, [], years)
