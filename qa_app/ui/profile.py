"""The profile form, generated from the profile vocabulary: the concepts the graph's conditions and
award bases use, with their labels and units from the lexicon and help text quoted from the clauses."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from kg_builder.numbers import cell_amount
from reasoner.awards import PER_UNIT

STATUSES = ("held", "new", "renewed")  # qualification held / newly granted this year / renewed this year
PER_UNIT_EXAMPLE = "2000万;500万"


@dataclass
class Field:
    id: str
    scheme: str  # qualification | quantity | flag | industry
    zh: str
    en: str
    unit: str | None = None
    help: list[str] = field(default_factory=list)  # "第十条（一）：…quote…"
    per_unit: bool = False  # the base of an award capped per unit (单个展会, 每投资1家企业): one value per unit

    def label(self, lang: str) -> str:
        unit = {"CNY": "元", "year": "年"}.get(self.unit or "", self.unit or "")
        name = self.en if lang == "en" else self.zh
        return f"{name}（{unit}）" if unit else name

    def hint(self) -> str:
        """Help text: the clauses that use the field, after how to give one value per unit where that applies."""
        units = [f"每个单位（如每个展会、每家被投企业）填一个值，以分号分隔，如 {PER_UNIT_EXAMPLE}"] if self.per_unit else []
        return "；".join(units + self.help)


def lexicon():
    from kg_builder.config import BuildConfig
    from kg_builder.lexicon import load_lexicon
    return load_lexicon(BuildConfig().lexicon_path)


def profile_fields(measures: list[dict], lex) -> list[Field]:
    """One field per concept some condition or award base uses, in the order the text first uses them."""
    fields: dict[str, Field] = {}

    def add(cid: str, m: dict, quote: str, per_unit: bool = False):
        c = lex.concepts.get(cid)
        if c is None:
            return
        f = fields.setdefault(cid, Field(cid, c.scheme, c.zh, c.en, c.unit))
        f.per_unit |= per_unit
        note = f"{m['label']}：{quote}"
        if note not in f.help and len(f.help) < 3:
            f.help.append(note)

    for m in measures:
        for cond in m["conditions"]:
            for cid in [cond.get("quantity"), *cond.get("concepts", [])]:
                if cid:
                    add(cid, m, cond["citation"]["quote"])
        capped_per_unit = any(a["kind"] in PER_UNIT for a in m["amounts"])
        for a in m["amounts"]:
            if a.get("base_quantity"):
                add(a["base_quantity"], m, a["citation"]["quote"], capped_per_unit)
    order = {"qualification": 0, "quantity": 1, "flag": 2, "industry": 3}
    return sorted(fields.values(), key=lambda f: order.get(f.scheme, 9))


SECTIONS = {"qualification": "qualifications", "quantity": "quantities", "flag": "flags"}


def profile_from_values(values: dict, fields: list[Field]) -> dict:
    """Form values (keyed by concept id) → a profile dict in the shape of reasoner.schema
    ({"qualifications", "quantities", "flags", "industry"}). Empty inputs are unknown, not zero.
    Raises ValueError naming the field for a malformed or negative amount."""
    flat = _flat(values, fields)
    profile: dict = {"qualifications": {}, "quantities": {}, "flags": {}}
    by_id = {f.id: f for f in fields}
    for key, value in flat.items():
        if key == "industry":
            profile["industry"] = value
        else:
            profile[SECTIONS[by_id[key].scheme]][key] = value
    return profile


def _flat(values: dict, fields: list[Field]) -> dict:
    profile: dict = {}
    by_id = {f.id: f for f in fields}
    for key, value in values.items():
        f = by_id.get(key)
        if f is None and key != "industry":
            raise ValueError(f"unknown profile field {key!r}")
        if value in (None, "", False, "—"):
            continue
        if f is not None and f.scheme not in SECTIONS:
            continue  # industry concepts are chosen through the one "industry" field
        if f is not None and f.scheme == "quantity":
            profile[key] = _amounts(value, f)
        elif f is not None and f.scheme == "qualification":
            value = "held" if _yes(value) is True else value
            if value not in STATUSES:
                raise ValueError(f"{f.zh}: status must be one of {', '.join(STATUSES)}")
            profile[key] = value
        elif f is not None and f.scheme == "flag":
            if _yes(value) is None:
                raise ValueError(f"{f.zh}：{value!r} 应为 是/否")
            profile[key] = _yes(value)
        else:
            profile[key] = value
    return profile


def _yes(value):
    if isinstance(value, bool):
        return value
    return {"true": True, "是": True, "1": True, "yes": True, "false": False, "否": False, "0": False, "no": False}.get(
        str(value).strip().lower())


UNITS_SEP = re.compile(r"[;；]")


def _amounts(value, f: Field) -> Decimal | list[Decimal]:
    """One amount, or for a per-unit field one amount per unit separated by semicolons ("2000万;500万")."""
    parts = [p for p in UNITS_SEP.split(str(value)) if p.strip()]
    if len(parts) > 1 and not f.per_unit:
        raise ValueError(f"{f.zh}：只能填一个数值（分号分隔的多个值只用于按单位封顶的金额）")
    values = [_amount(p, f) for p in parts or [value]]
    return values if len(values) > 1 else values[0]


def _amount(value, f: Field) -> Decimal:
    """'12,000,000' or '1200万' (元, 万, 亿 for money) → Decimal; names the field when it is not a number ≥ 0."""
    try:
        d = cell_amount(value, money=f.unit == "CNY")
    except ValueError:
        raise ValueError(f"{f.zh}：{value!r} 不是数字") from None
    if d < 0:
        raise ValueError(f"{f.zh}：金额不能为负数")
    return d
