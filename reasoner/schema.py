"""JSON Schema of a profile, generated from the dictionary's concepts (ids are the field names), plus the
concepts a corpus minted from its text (open vocabulary: kg_builder.mint), which a profile may also name by
their Chinese label ("年度销售额").

`profile_schema(config, minted)` returns the schema; `validate_profile(data, *, source, config)` raises one
`PolicyInputError` naming the first bad field (all problems are listed in its message); `resolve_labels(data)`
turns label keys into concept ids. `python -m reasoner.schema [--corpus FILE]` prints the schema (the
committed ontology/profile.schema.json is the dictionary's; with --corpus, that text's vocabulary)."""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import jsonschema

from kg_builder.errors import PolicyInputError
from kg_builder.lexicon import load_lexicon

from .config import ReasonerConfig

UNIT_FACTORS = {"CNY": Decimal(1), "元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000),
                "year": Decimal(1), "年": Decimal(1), "m2": Decimal(1), "平方米": Decimal(1), "day": Decimal(1),
                "天": Decimal(1), "month": Decimal(1), "月": Decimal(1), "person": Decimal(1), "人": Decimal(1)}
# Amounts in another currency (the text's 美元) are in that currency; a profile converts only with the exchange
# rate it gives itself (`exchange_rates`: yuan per unit), never with a rate in code.
CURRENCY_UNITS = {"USD": {"USD": Decimal(1), "美元": Decimal(1), "万美元": Decimal(10000), "亿美元": Decimal(100000000)}}
UNIT_CURRENCY = {u: cur for cur, units in CURRENCY_UNITS.items() for u in units} | {u: "CNY" for u in ("CNY", "元", "万元", "亿元")}
UNITS = {"CNY": ["CNY", "元", "万元", "亿元", *CURRENCY_UNITS["USD"]],
         "USD": [*CURRENCY_UNITS["USD"], "CNY", "元", "万元", "亿元"], "year": ["year", "年"], "m2": ["m2", "平方米"], "day": ["day", "天"],
         "month": ["month", "月"], "person": ["person", "人"]}
STATUS = {"enum": ["new", "renewed", "held", "none", True, False]}


def _amount(unit: str) -> dict:
    number = {"type": "number", "minimum": 0}
    with_unit = {"type": "object", "additionalProperties": False, "required": ["value", "unit"],
                 "properties": {"value": number, "unit": {"enum": UNITS.get(unit, [unit])}}}
    one = {"oneOf": [number, with_unit]}
    per_unit = {"type": "array", "minItems": 1, "items": one,
                "description": "one value per unit (展会, 被投企业, 项目) for per-unit caps"}
    return {"oneOf": [number, with_unit, per_unit], "description": f"unit: {unit}"}


def _closed(props: dict) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": props}


def _minted() -> tuple:
    from kg_builder.mint import registered
    return tuple(sorted(registered(), key=lambda c: c.id))


def vocabulary(config: ReasonerConfig = ReasonerConfig(), minted: tuple | None = None) -> list:
    """Dictionary concepts plus the minted ones (default: every concept minted or read back in this process)."""
    lex = load_lexicon(config.lexicon_path)
    return [*lex.concepts.values(), *(_minted() if minted is None else minted)]


def resolve_labels(data: dict, config: ReasonerConfig = ReasonerConfig()) -> dict:
    """{"quantities": {"年度销售额": …}} → {"quantities": {"x_…": …}}: a fact may be named by its concept's label."""
    from kg_builder.mint import minted_id, normalise
    by_label, ids = _labels(config, _minted())

    def named(scheme: str, k) -> str:  # '外贸集装箱吞吐量' names the concept minted as '年度外贸集装箱吞吐量'
        found = by_label.get((scheme, normalise(str(k))))
        return found or (minted_id(scheme, str(k)) if minted_id(scheme, str(k)) in ids else k)
    out = dict(data)
    for key, scheme in (("qualifications", "qualification"), ("quantities", "quantity"), ("flags", "flag")):
        facts = data.get(key)
        if isinstance(facts, dict):
            out[key] = {named(scheme, k): v for k, v in facts.items()}
    return out


@lru_cache(maxsize=16)
def _labels(config: ReasonerConfig, minted: tuple) -> tuple[dict, set]:
    """({(scheme, normalised label): concept id}, every concept id) of the vocabulary."""
    from kg_builder.mint import normalise
    by_label: dict = {}
    for c in vocabulary(config, minted):
        by_label.setdefault((c.scheme, normalise(c.zh)), c.id)
    return by_label, {c.id for c in vocabulary(config, minted)}


def profile_schema(config: ReasonerConfig = ReasonerConfig(), minted: tuple = ()) -> dict:
    """The dictionary's schema, plus the `minted` concepts (e.g. `minted_concepts(graph)` of a corpus)."""
    return _schema(config, tuple(minted))


@lru_cache(maxsize=16)
def _schema(config: ReasonerConfig, minted: tuple) -> dict:
    ids = lambda scheme: [c for c in vocabulary(config, minted) if c.scheme == scheme]  # noqa: E731
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "policykg enterprise profile", "type": "object", "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "qualifications": _closed({c.id: {**STATUS, "description": c.zh} for c in ids("qualification")}),
            "quantities": _closed({c.id: {**_amount(c.unit or "CNY"), "title": c.zh} for c in ids("quantity")}),
            "flags": _closed({c.id: {"type": "boolean", "description": c.zh} for c in ids("flag")}),
            "industry": {"enum": [c.id for c in ids("industry")] + [None]},
            "roles": {"type": "array", "items": {"type": "string"}},
            "confirmed": {"type": "array", "items": {"type": "string"}},
            "exchange_rates": {"type": "object", "propertyNames": {"enum": sorted(CURRENCY_UNITS)},
                               "additionalProperties": {"type": "number", "exclusiveMinimum": 0},
                               "description": "yuan per unit of a currency, e.g. {\"USD\": 7.1}: the user's rate"},
        },
    }


@lru_cache(maxsize=16)
def _validator(config: ReasonerConfig, minted: tuple):
    return jsonschema.Draft202012Validator(profile_schema(config, minted))


def _where(err: jsonschema.ValidationError) -> str:
    path = ".".join(str(p) for p in err.absolute_path)
    if err.validator == "additionalProperties":
        extra = sorted(set(err.instance) - set(err.schema.get("properties", {})))
        return ".".join(filter(None, [path, extra[0] if extra else ""]))
    return path or "<root>"


def _problem(err: jsonschema.ValidationError) -> str:
    if err.validator == "additionalProperties":
        return "unknown field"
    if err.validator == "oneOf":  # amounts: say which of the two readings failed
        sub = min(err.context, key=lambda e: len(e.absolute_path), default=None) if err.context else None
        if isinstance(err.instance, (int, float, Decimal)) and not isinstance(err.instance, bool) and err.instance < 0:
            return f"negative amount {err.instance}"
        if isinstance(err.instance, dict) and "unit" in err.instance:
            return f"wrong unit {err.instance['unit']!r} ({err.schema.get('description', '')})"
        return f"not a number: {err.instance!r}" if sub else err.message
    return err.message


def validate_profile(data: dict, *, source: str, config: ReasonerConfig = ReasonerConfig()) -> None:
    validator = _validator(config, _minted())
    errors = sorted(_errors(validator, _jsonable(data)), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        first = errors[0]
        rest = "; ".join(f"{_where(e)}: {_problem(e)}" for e in errors[1:])
        raise PolicyInputError(source, _problem(first) + (f" (also {rest})" if rest else ""), where=_where(first),
                               expected=_expected(first))


GROUPS = ("qualifications", "quantities", "flags")
_FIELD_ERRORS: dict = {}


def _errors(validator, data) -> list:
    """validator.iter_errors(data), with each known fact's errors computed once per (validator, field, value):
    the schema's fact fields are independent, so a registry's thousands of rows cost one validation per
    distinct cell. Anything else (unknown fields, a group that is not an object) is validated whole."""
    props = validator.schema["properties"]
    groups = [data.get(g) for g in GROUPS] if isinstance(data, dict) else None
    if groups is None or set(data) - set(props) or any(
            x is not None and (not isinstance(x, dict) or set(x) - set(props[g]["properties"]))
            for g, x in zip(GROUPS, groups)):
        return list(validator.iter_errors(data))
    if len(_FIELD_ERRORS) > 100000:
        _FIELD_ERRORS.clear()
    out = []
    fields = [(None, k, v) for k, v in data.items() if k not in GROUPS and not (k == "id" and isinstance(v, str))]
    for g, k, v in fields + [(g, k, v) for g, facts in zip(GROUPS, groups) for k, v in (facts or {}).items()]:
        key = (id(validator), g, k, type(v).__name__, repr(v))
        if key not in _FIELD_ERRORS:
            _FIELD_ERRORS[key] = list(validator.iter_errors({k: v} if g is None else {g: {k: v}}))
        out += _FIELD_ERRORS[key]
    return out


def _expected(err) -> str | None:
    if err.validator == "additionalProperties":
        return "one of " + ", ".join(sorted(err.schema.get("properties", {})))[:300]
    if err.validator == "oneOf":
        return "a number ≥ 0, or {value, unit} with " + err.schema.get("description", "")
    return None


def _jsonable(obj):
    """Decimals (from parse_float=Decimal) become numbers jsonschema understands, without losing the check."""
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, Decimal):  # integral values stay ints so messages repeat what the user wrote (-3, not -3.0)
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    return obj


def corpus_concepts(argv: list[str] | None) -> tuple:
    """`--corpus FILE`: build the text and return the concepts its graph minted; none without the flag."""
    import argparse
    parser = argparse.ArgumentParser(description="print the profile vocabulary (dictionary + a corpus' minted concepts)")
    parser.add_argument("--corpus", help="policy text whose minted concepts are added")
    args = parser.parse_args(argv)
    if not args.corpus:
        return ()
    from kg_builder.build import build_source
    from kg_builder.views import minted_concepts
    return tuple(minted_concepts(build_source(args.corpus).graph))


def main(argv: list[str] | None = None) -> None:
    """`python -m reasoner.schema > ontology/profile.schema.json` (committed; a test keeps it in sync);
    `python -m reasoner.schema --corpus FILE`: the schema for that text (dictionary + minted concepts)."""
    import json
    import sys
    sys.stdout.write(json.dumps(profile_schema(minted=corpus_concepts(argv)), ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
