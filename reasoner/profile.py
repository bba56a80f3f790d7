"""Enterprise profile: facts keyed by concept id. Anything absent is unknown — never 0, never false.

Entry points: `profile_from_dict(data, *, source, config)` (validated against `schema.profile_schema`),
`profile_from_json(text, *, source, config)`, `profile_from_rdf(text, *, fmt, source, config)`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal, URIRef

from kg_builder.errors import PolicyInputError

from .config import ReasonerConfig
from .schema import CURRENCY_UNITS, UNIT_CURRENCY, UNIT_FACTORS, resolve_labels, validate_profile

CURRENCY_OF = {u: (cur, (CURRENCY_UNITS.get(cur) or {}).get(u) or UNIT_FACTORS[u]) for u, cur in UNIT_CURRENCY.items()}
from .vocab import PF, split_fact_property

STATUSES = ("new", "renewed", "held", "none")


@dataclass(frozen=True)
class Profile:
    qualifications: dict[str, str] = field(default_factory=dict)  # id -> new|renewed|held|none
    # id -> yuan (or years, m², …); a tuple holds one value per unit (展会, 被投企业) for per-unit caps
    quantities: dict[str, Decimal | tuple[Decimal, ...]] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    industry: str | None = None  # GB/T 4754 section letter
    roles: tuple[str, ...] = ()
    confirmed: tuple[str, ...] = ()  # condition IRIs or measure ids the enterprise confirms
    id: str = "enterprise"
    sources: tuple[dict, ...] = ()  # {"fact", "value", "start", "end", "quote"} read from free text
    exchange_rates: dict[str, Decimal] = field(default_factory=dict)  # yuan per USD …, as the user gives it
    evidence: tuple[dict, ...] = ()  # per condition: state and description span (reasoner.evidence)

    def facts(self) -> dict:
        out = {"id": self.id, "qualifications": dict(self.qualifications), "quantities": dict(self.quantities),
               "flags": dict(self.flags), "industry": self.industry, "roles": list(self.roles),
               "confirmed": list(self.confirmed)}
        if self.exchange_rates:
            out["exchange_rates"] = dict(self.exchange_rates)
        if self.sources:
            out["read_from_text"] = list(self.sources)
        if self.evidence:
            out["evidence"] = list(self.evidence)
        return out


def _amount(raw, unit: str | None, convert=None) -> Decimal | tuple[Decimal, ...]:
    if isinstance(raw, list):
        return tuple(_amount(r, unit, convert) for r in raw) if len(raw) > 1 else _amount(raw[0], unit, convert)
    if isinstance(raw, dict):
        raw, unit = raw["value"], raw.get("unit", unit)
    if unit in CURRENCY_OF and convert is not None:
        return convert(Decimal(str(raw)), unit)
    return Decimal(str(raw)) * UNIT_FACTORS.get(unit or "", Decimal(1))


def _converter(data: dict, source: str, config: ReasonerConfig):
    """Amounts in a currency other than the quantity's (万美元 for a yuan quantity, 元 for a USD one) convert with
    the rate the profile gives (`exchange_rates`, yuan per unit); without it the profile is refused, naming the field."""
    from kg_builder.lexicon import load_lexicon
    lex, rates = load_lexicon(config.lexicon_path), {k: Decimal(str(v)) for k, v in data.get("exchange_rates", {}).items()}

    def for_field(key: str):
        try:
            concept = lex.concept(key)  # dictionary or minted
        except KeyError:
            concept = None
        target = (concept.unit if concept else None) or "CNY"

        def convert(value: Decimal, unit: str) -> Decimal:
            cur, factor = CURRENCY_OF[unit]
            if cur == target or target not in ("CNY", *CURRENCY_UNITS):
                return value * factor
            for c in {cur, target} - {"CNY"}:
                if c not in rates:
                    raise PolicyInputError(source, f"an amount in {unit} needs an exchange rate", where=f"quantities.{key}",
                                           expected=f'exchange_rates.{c} (yuan per {c}), e.g. {{"{c}": 7.1}}')
            yuan = value * factor * (rates[cur] if cur != "CNY" else 1)
            return yuan if target == "CNY" else yuan / rates[target]
        return convert
    return for_field


def profile_from_dict(data: dict, *, source: str = "<profile>", config: ReasonerConfig = ReasonerConfig()) -> Profile:
    data = resolve_labels(data, config) if isinstance(data, dict) else data
    validate_profile(data, source=source, config=config)
    quals = {k: ("held" if v is True else "none" if v is False else v) for k, v in data.get("qualifications", {}).items()}
    convert = _converter(data, source, config)
    return Profile(qualifications=quals,
                   quantities={k: _amount(v, None, convert(k)) for k, v in data.get("quantities", {}).items()},
                   exchange_rates={k: Decimal(str(v)) for k, v in data.get("exchange_rates", {}).items()},
                   flags=dict(data.get("flags", {})), industry=data.get("industry"),
                   roles=tuple(data.get("roles", ())), confirmed=tuple(data.get("confirmed", ())),
                   id=str(data.get("id", "enterprise")))


def profile_from_json(text: str, *, source: str = "<json>", config: ReasonerConfig = ReasonerConfig()) -> Profile:
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as err:
        raise PolicyInputError(source, f"not valid JSON ({err.msg})", where=f"{err.lineno}:{err.colno}",
                               expected="a JSON object of profile facts") from err
    if not isinstance(data, dict):
        raise PolicyInputError(source, "the profile is not a JSON object", expected="a JSON object")
    return profile_from_dict(data, source=source, config=config)


def _notation(iri) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def profile_from_rdf(text: str, *, fmt: str = "turtle", source: str = "<rdf>",
                     config: ReasonerConfig = ReasonerConfig()) -> Profile:
    """Read the first pf:Enterprise of a Turtle or JSON-LD document (vocabulary in reasoner.vocab, ontology/profile.ttl)."""
    g = Graph()
    try:
        g.parse(data=text, format=fmt)
    except Exception as err:  # rdflib raises many parser-specific types
        raise PolicyInputError(source, f"cannot parse {fmt} ({err})", expected="a pf:Enterprise description") from err
    ents = sorted(g.subjects(predicate=None, object=PF.Enterprise))
    if not ents:
        raise PolicyInputError(source, "no pf:Enterprise in the document", expected=f"a node of type {PF.Enterprise}")
    return profile_from_dict(_rdf_dict(g, ents[0]), source=source, config=config)


def _rdf_dict(g: Graph, ent: URIRef) -> dict:
    """The enterprise's fact properties (pfq:/pfn:/pff:) as the JSON profile; unknown ones fail validation."""
    data: dict = {"id": _notation(ent), "qualifications": {}, "quantities": {}, "flags": {}}
    key = {"qualification": "qualifications", "quantity": "quantities", "flag": "flags"}
    for pred, obj in g.predicate_objects(ent):
        fact = split_fact_property(str(pred))
        if fact:
            value = obj.toPython() if isinstance(obj, Literal) else str(obj)
            facts = data[key[fact[0]]]
            if fact[0] == "quantity" and fact[1] in facts:  # one value per unit
                prev = facts[fact[1]]
                facts[fact[1]] = (prev if isinstance(prev, list) else [prev]) + [value]
            else:
                facts[fact[1]] = str(value) if fact[0] == "qualification" else value
    if (ind := g.value(ent, PF.industry)) is not None:
        data["industry"] = _notation(ind)
    data["roles"] = sorted(str(r) for r in g.objects(ent, PF.role))
    data["confirmed"] = sorted(str(c) for c in g.objects(ent, PF.confirms))
    return data


def decimal_or_none(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
