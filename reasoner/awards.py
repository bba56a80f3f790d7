"""Award arithmetic in exact Decimal yuan: a formula (fixed sum, ratio × base, matching ratio × funds),
then the smallest applicable cap. Per-event and per-investee caps apply per unit; one unit is assumed.
Only a cap and no formula ("不超过500万元") → the estimate is unknown and the cap is shown."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .explain import money, zh

CAPS = ("max_total", "max_annual", "max_per_item", "max_per_event", "max_per_investee")
CAP_ZH = {"max_total": "总额上限", "max_annual": "年度上限", "max_per_item": "单项上限",
          "max_per_event": "单个展会/单次上限", "max_per_investee": "每投资1家企业上限"}


@dataclass
class Award:
    estimate: Decimal | None = None
    cap: Decimal | None = None
    bound: str | None = None  # the cap kind that bound the estimate
    arithmetic: str = ""
    needs: list[tuple[str, str]] = field(default_factory=list)  # (name, profile field) the formula lacks


def _formula(measure: dict, profile) -> tuple[Decimal | None, str, list[str]]:
    for a in measure["amounts"]:
        if a["kind"] == "fixed":
            return a["value"], f"定额 {money(a['value'])}", []
        if a["kind"] in ("ratio", "match_ratio"):
            base = a.get("base_quantity")
            if base is None or base not in profile.quantities:
                return None, f"比例 {a['value']} × {zh(base) if base else a.get('base') or '基数'}（未知）", \
                    [(zh(base), base) if base else ("计算基数", "base")]
            value = profile.quantities[base]
            product = a["value"] * value
            return product, f"{a['value']} × {zh(base)} {value} = {product}", []
    return None, "", []


def compute(measure: dict, profile) -> Award:
    caps = [(a["value"], a["kind"]) for a in measure["amounts"] if a["kind"] in CAPS]
    base, text, needs = _formula(measure, profile)
    cap = min(caps)[0] if caps else None
    if base is None:
        return Award(None, cap, None, (text + "；" if text else "无计算公式；") +
                     (f"上限 {money(cap)}" if cap is not None else "无上限"), needs)
    binding = [c for c in sorted(caps) if c[0] < base]
    if not binding:
        return Award(base, cap, None, f"{text}；未超过上限" if caps else text)
    value, kind = binding[0]
    return Award(value, cap, kind, f"{text}；受{CAP_ZH[kind]} {money(value)} 限制 → {value}")
