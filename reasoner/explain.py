"""Chinese wording of outcomes: which condition failed and by how much, which fact is missing."""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from kg_builder.lexicon import load_lexicon

from .config import ReasonerConfig

STATUS_ZH = {"new": "新认定", "renewed": "复审通过", "held": "已具备（未说明新认定或复审）", "none": "不具备"}


@lru_cache(maxsize=4)
def _lex(path):
    return load_lexicon(path)


def zh(cid: str, config: ReasonerConfig = ReasonerConfig()) -> str:
    """The Chinese label of a dictionary concept or of one minted from a text (read from its graph)."""
    try:
        return _lex(config.lexicon_path).concept(cid).zh
    except KeyError:
        return cid


UNIT_ZH = {"year": "年", "m2": "平方米", "day": "天", "month": "个月", "person": "人"}


def money(value: Decimal, unit: str = "CNY") -> str:
    """1000万元, 999.99万元, 2亿元, 5000元, 1年 — exact, no rounding."""
    if unit != "CNY":
        return f"{format(value.normalize(), 'f')}{UNIT_ZH.get(unit, unit)}"
    for size, word in ((Decimal(100000000), "亿元"), (Decimal(10000), "万元")):
        if abs(value) >= size:
            return f"{format((value / size).normalize(), 'f')}{word}"
    return f"{format(value.normalize(), 'f')}元"


def condition_label(c: dict | None, measure: dict) -> str:
    return c["text"] if c else f"申请主体为{measure['beneficiary']}"


def failing_reason(c: dict | None, measure: dict, profile) -> str:
    head = f"{measure['label']}："
    if c is None or c["kind"] == "text":
        return head + f"不满足“{condition_label(c, measure)}”"
    if c["kind"] == "threshold" and c.get("quantity"):
        values = profile.quantities[c["quantity"]]
        values = values if isinstance(values, (list, tuple)) else [values]
        worst = max(values) if c["op"] in ("lt", "le") else min(values)  # one value per unit: each must pass
        return head + threshold_gap(c, worst)
    if c["kind"] == "qualification":
        held = {q: profile.qualifications.get(q) for q in c["concepts"]}
        names = "或".join(f"{zh(q)}（{STATUS_ZH.get(s, '未知')}）" for q, s in held.items())
        want = f"须为{STATUS_ZH[c['status']]}的" if c.get("status") else "须具备"
        return head + f"{want}{'或'.join(zh(q) for q in c['concepts'])}，档案为：{names}"
    if c["kind"] == "industry":
        return head + f"所属行业{profile.industry}（{zh(profile.industry)}）不属于" + "、".join(
            f"{i}（{zh(i)}）" for i in c["concepts"])
    return head + f"不满足“{c['text']}”（{zh(c['concepts'][0])}：否）"


def threshold_gap(c: dict, value: Decimal) -> str:
    """研发费用还差200万元（须超过1000万元，现为800万元）; 营业收入超出500万元（须低于2000万元，…）."""
    name, unit, need = c.get("quantity_label") or zh(c["quantity"]), c.get("unit", "CNY"), c["value"]
    word = {"gt": "须超过", "ge": "须达到", "lt": "须低于", "le": "须不超过"}[c["op"]]
    if value == need:
        tail = "不算超过" if c["op"] == "gt" else "不算低于"
        return f"{name}{word}{money(need, unit)}，现为{money(value, unit)}，恰好等于{tail}"
    if c["op"] in ("lt", "le"):
        return f"{name}超出{money(value - need, unit)}（{word}{money(need, unit)}，现为{money(value, unit)}）"
    return f"{name}还差{money(need - value, unit)}（{word}{money(need, unit)}，现为{money(value, unit)}）"


def missing_fact(c: dict | None, measure: dict, profile) -> str:
    if c is None:
        return f"是否为{measure['beneficiary']}"
    kind = c["kind"]
    if kind == "qualification":
        names = "或".join(zh(q) for q in c["concepts"])
        if any(profile.qualifications.get(q) == "held" for q in c["concepts"]) and c.get("status"):
            return f"{names}是否为{STATUS_ZH[c['status']]}"
        return f"是否具备{names}" + (f"（{STATUS_ZH[c['status']]}）" if c.get("status") else "")
    if kind == "threshold" and c.get("quantity"):
        return c.get("quantity_label") or zh(c["quantity"])
    if kind == "flag":
        return f"是否{zh(c['concepts'][0])}" if c.get("concepts") else f"需确认：{c['text']}"
    if kind == "industry":
        return "所属行业（GB/T 4754门类）"
    source = c.get("citation", {}).get("document")
    elsewhere = source and measure.get("document") and source != measure["document"]  # an application guide's
    return f"需确认：{c['text']}" + (f"（见{source}）" if elsewhere else "")


def missing_field(c: dict | None) -> str:
    """The profile field that would decide a check: a concept id, "industry", "roles" or "confirmed"."""
    if c is None:
        return "roles"
    if c["kind"] == "threshold" and c.get("quantity"):
        return c["quantity"]
    if c["kind"] in ("qualification", "flag") and c.get("concepts"):
        return c["concepts"][0] if len(c["concepts"]) == 1 else "|".join(c["concepts"])
    return "industry" if c["kind"] == "industry" else "confirmed"
