"""Award arithmetic in exact Decimal yuan.

1. A formula: a fixed sum; ratio × base ("采购合同金额的10%"); matching ratio × municipal funds ("1:0.5");
   a rate × the quantities its units name ("2元/平方米/天" × floorArea × periodDays, units mapped in the
   dictionary's `rate_units`).
2. Per-unit caps (单项/单个展会/每投资1家企业) apply to each unit: a base given as several values (one per
   event, investee or project) is computed and capped value by value, then summed; one value is one unit.
3. Overall caps (年度/总额) apply to the sum, and so do caps that depend on the facts: a capped rate
   ('每月每平方米最高30元' × area × months; '每新增一条航线最高300万元' × routes) and a capped ratio ('最高给予…40%').
   The estimate is the result, `bound` the cap that cut it.
4. A rate multiplies the count it is paid per (`per`: patents, standards, TEU, vehicles …, a profile quantity),
   a schedule over years ('前三年95%，后两年50%') is estimated for its first year and shown in the arithmetic;
   'no fixed amount' (一事一议, 研究确定) and 'no cap' (上不封顶) are stated, never left blank.
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
          "max_per_event": "单个展会/单次上限", "max_per_investee": "每投资1家企业上限",
          "max_rate": "按单价计的上限", "max_ratio": "按比例计的上限"}


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


def _rate_bases(amount: dict, config: ReasonerConfig) -> list[tuple[str | None, str]]:
    """(quantity id, name) of each factor of a rate: what it is paid per (`per`, else its first unit word) and
    the periods its other unit words name ("元/平方米/天" → floorArea, periodDays; "元/件" → the patents counted)."""
    words = (amount.get("unit") or "").split("/")[1:]
    table = _rate_units(config.lexicon_path)
    out = [(table.get(w), zh(table[w]) if w in table else w) for w in words]
    if amount.get("per"):
        out[:1] = [(amount["per"]["quantity"], amount["per"].get("label") or zh(amount["per"]["quantity"]))]
    return out


def _product(factors, profile) -> tuple[Decimal | None, str, list[tuple[str, str]]]:
    """The product of the profile's values of `factors`, its description, and the factors it lacks."""
    lacking = [(name, q or "base") for q, name in factors if q is None or q not in profile.quantities]
    names = " × ".join(name for _, name in factors)
    if lacking or not factors:
        return None, names, lacking or [("计量单位", "base")]
    product = Decimal(1)
    for q, _ in factors:
        product *= sum(_units(profile.quantities[q]), Decimal(0))
    return product, names, []


def _ratio_base(a: dict, profile):
    base = a.get("base_quantity")
    name = zh(base) if base and not base.startswith("x_") else (a.get("base") or base or "计量基数")
    if base is None or base not in profile.quantities:
        return None, name, [(name, base or "base")]
    return _units(profile.quantities[base]), name, []


def _schedule(a: dict) -> str:
    """'第1-3年 0.95；第4-5年 0.5（估算为第1年）'."""
    steps = "；".join(f"第{s['years'][0]}" + (f"-{s['years'][1]}" if s["years"][1] != s["years"][0] else "")
                     + f"年 {_n(s['value'])}" for s in a["schedule"])
    return f"分年度：{steps}（估算为第{a['schedule'][0]['years'][0]}年）"


def _base(measure: dict, profile, config: ReasonerConfig):
    """(per-unit base values | None, factor, description, needs) of the measure's formula. In the description
    {v} stands for one unit's base value."""
    for a in measure["amounts"]:
        if a["kind"] == "fixed" and a.get("currency", "CNY") != "CNY":  # never a rate in code: the user gives one
            cur, rate = a["currency"], getattr(profile, "exchange_rates", {}).get(a["currency"])
            if rate is None:
                return None, a["value"], f"定额 {_n(a['value'])} {cur}（折算人民币需汇率）", [(f"{cur}汇率", f"exchange_rates.{cur}")]
            return [rate], a["value"], f"定额 {_n(a['value'])} {cur} × 汇率 {{v}}（用户提供）", []
        if a["kind"] == "fixed":
            return [Decimal(1)], a["value"], f"定额 {money(a['value'])}", []  # no {v}: shown as is
        if a["kind"] in ("ratio", "match_ratio"):
            units, name, needs = _ratio_base(a, profile)
            plan = "；" + _schedule(a) if a.get("schedule") else ""
            if units is None:
                return None, a["value"], f"比例 {_n(a['value'])} × {name}（未知）{plan}", needs
            return units, a["value"], f"{_n(a['value'])} × {name} {{v}}{plan}", []
        if a["kind"] == "rate":
            product, names, needs = _product(_rate_bases(a, config), profile)
            if product is None:
                return None, a["value"], f"{_n(a['value'])}{a.get('unit') or ''} × {names}（未知）", needs
            return [product], a["value"], f"{_n(a['value'])}{a.get('unit')} × ({names} = {{v}})", []
    return None, None, "", []


def _ceilings(measure: dict, profile, config: ReasonerConfig) -> list[tuple[Decimal, str, str]]:
    """Caps that depend on the profile: a capped rate ('每月每平方米最高30元' × area × months, '每条航线最高300万元' ×
    routes) and a capped ratio ('最高给予…经济贡献40%') → (cap, kind, description) where the facts are known."""
    out = []
    for a in measure["amounts"]:
        if a["kind"] == "max_rate":
            product, names, _ = _product(_rate_bases(a, config), profile)
            if product is not None:
                out.append((a["value"] * product, "max_rate", f"{_n(a['value'])}{a.get('unit')} × {names} {_n(product)}"))
        elif a["kind"] == "max_ratio":
            units, name, _ = _ratio_base(a, profile)
            if units is not None:
                base = sum(units, Decimal(0))
                out.append((a["value"] * base, "max_ratio", f"{_n(a['value'])} × {name} {_n(base)}"))
    return out


def _objects(amounts: list[dict], profile) -> Decimal:
    """How many objects a per-object cap applies to ('每新增一条航线最高300万元' × routes), 1 when unknown."""
    for a in amounts:
        per = (a.get("per") or {}).get("quantity") if a["kind"] in PER_UNIT else None
        if per and per in profile.quantities:
            return sum(_units(profile.quantities[per]), Decimal(0))
    return Decimal(1)


def _open_notes(measure: dict) -> str:
    kinds = {a["kind"]: a for a in measure["amounts"]}
    notes = []
    if "negotiated" in kinds:
        notes.append(f"无固定金额（“{kinds['negotiated']['citation']['quote']}”）")
    if "uncapped" in kinds:
        notes.append(f"无上限（“{kinds['uncapped']['citation']['quote']}”）")
    if "by_reference" in kinds:
        notes.append(f"金额按其他政策确定（“{kinds['by_reference']['citation']['quote']}”）")
    return "；".join(notes)


def compute(measure: dict, profile, config: ReasonerConfig = ReasonerConfig()) -> Award:
    amounts = measure["amounts"]
    per_unit = min(((a["value"], a["kind"]) for a in amounts if a["kind"] in PER_UNIT), default=None)
    overall = min(((a["value"], a["kind"]) for a in amounts if a["kind"] in OVERALL), default=None)
    ceilings = _ceilings(measure, profile, config)
    if ceilings:
        lowest = min(ceilings)
        overall = min(filter(None, [overall, (lowest[0], lowest[1])]))
    years = next((a["value"] for a in amounts if a["kind"] == "max_years"), None)
    period = f"；期限不超过{money(years, 'year')}，估算为一年的金额" if years is not None else ""
    notes = _open_notes(measure)
    period += f"；{notes}" if notes else ""
    units, factor, text, needs = _base(measure, profile, config)
    if units is None and not text and any(a["kind"] in ("max_rate", "max_ratio") for a in amounts):
        a = next(a for a in amounts if a["kind"] in ("max_rate", "max_ratio"))
        known = [c for c in ceilings if c[1] == a["kind"]]
        text = f"上限按{known[0][2]}计" if known else f"上限为{_n(a['value'])}{a.get('unit') or ''} × " + (
            a["per"]["label"] if a.get("per") else a.get("base") or "计量基数") + "（未知）"
        needs = [] if known else ([(a["per"]["label"], a["per"]["quantity"])] if a.get("per") else
                                  [(a.get("base") or "计量基数", a.get("base_quantity") or "base")])
    n = len(units) if units else _objects(amounts, profile)
    caps = [c for c in (overall, (per_unit[0] * n, per_unit[1]) if per_unit else None) if c]
    cap = min(caps)[0] if caps else None
    if units is None:
        if {"negotiated", "by_reference"} & {a["kind"] for a in amounts} and not text:
            return Award(None, cap, None, notes + (f"；上限 {money(cap)}" if cap is not None else ""), [], years)
        shown = f"上限 {money(cap)}" if cap is not None else "" if "uncapped" in {a["kind"] for a in amounts} else "无上限"
        arithmetic = "；".join(p for p in (text or "无计算公式", shown) if p) + period
        return Award(None, cap, None, arithmetic, needs, years)
    steps, bound, total = [], None, Decimal(0)
    for v in units:
        value = factor * v
        step = text.replace("{v}", _n(v)) + f" = {_n(value)}" if "{v}" in text else text
        if per_unit and value > per_unit[0]:
            value, bound = per_unit[0], per_unit[1]
            step += f"，受{CAP_ZH[per_unit[1]]} {money(per_unit[0])} 限制 → {_n(value)}"
        steps.append(step)
        total += value
    arithmetic = "；".join(steps) + (f"；合计 {_n(total)}" if len(units) > 1 else "")
    if overall and total > overall[0]:
        total, bound = overall[0], overall[1]
        arithmetic += f"；受{CAP_ZH[overall[1]]} {money(overall[0])} 限制 → {_n(total)}"
    elif caps and bound is None:
        arithmetic += "；未超过上限"
    return Award(total, cap, bound, arithmetic + period, [], years)
