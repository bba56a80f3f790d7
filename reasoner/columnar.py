"""The whole decision as SQL over a table of enterprises (one row each), for columnar engines (DuckDB, Spark).

Compiled from the same SHACL shapes as reasoner.fast (never written per clause), plus the decisions of
reasoner.assess and the Decimal arithmetic of reasoner.awards, in four layers of one SELECT:

    checks     one column per check: 0 holds, 1 missing (needs_info), 2 failing — from the shapes' constraint
               nodes (sh:minCount/in/hasValue/min*/max*, sh:not/and/or), like reasoner.fast.violates
    measures   status per measure (0 eligible, 1 needs_info, 2 ineligible) and the award: fixed sums are
               computed once in Python (reasoner.awards.compute); ratio, matching ratio and rate × a quantity
               column, capped by the per-unit and overall caps, exact DECIMAL(38,6)
    forgone    levels of a tiered clause (only the highest reached counts), the no-duplication groups
               (highest estimate, first listed on a tie), joint caps written once for several measures
    summary    the row of reasoner.batch.summary_row: eligible measures, total, clauses needing facts,
               missing fields in order of first appearance, text conditions to confirm, ineligible clauses

Input columns (made by reasoner.tabular): `_row`, `_id`, one typed column per fact the shapes name
(qualification VARCHAR, quantity DECIMAL(38,6), flag BOOLEAN, industry VARCHAR letter) and `_roles` /
`_confirmed` as ';a;b;' strings. A quantity given as several values (one per unit) is not a column: such
rows go to the Python path. The SQL is written in DuckDB's dialect from portable pieces (CASE, COALESCE,
CONCAT_WS, STRPOS, IN) and transpiled with SQLGlot for Spark.

Anything outside what is compiled (SHACL terms, amount kinds or fields, too many decimals for exact
arithmetic) raises `Unsupported` at compile time; callers then use the Python path (never a wrong answer).
An award that cannot be compiled (a ceiling × a fact, a formula in another currency) costs only its measure:
`_py` marks the rows where that measure is eligible, and those rows alone go to the Python path.
Entry point: `compile_policy(policy, *, config, same_project)` → Compiled.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.namespace import SH, XSD

from kg_builder.lexicon import load_lexicon

from .assess import _level_key, way_groups
from .awards import CAPS, OVERALL, _rate_bases, compute
from .config import ReasonerConfig
from .explain import missing_field
from .fast import _BOUNDS, _IGNORED, UnsupportedShape, _items
from .profile import Profile
from .shapes import check_iris, shapes_graph
from .vocab import FACT_NS, PF, concept_iri

DEC = "DECIMAL(38,6)"
NULL = f"CAST(NULL AS {DEC})"
KNOWN_AMOUNT_KEYS = {"kind", "value", "unit", "base", "base_quantity", "citation", "origin", "currency", "per",
                     "schedule"}  # a schedule is shown, the estimate is its first year's (the amount's value)
FORMULAS = ("fixed", "ratio", "match_ratio", "rate")
CEILINGS = ("max_rate", "max_ratio")
AMOUNT_KINDS = CAPS + FORMULAS + CEILINGS + ("max_years", "negotiated", "uncapped", "by_reference")  # by_reference: no sum
MAX_SCALE = 6  # DECIMAL(38,6); input quantities are limited to 2 decimals by reasoner.tabular
INPUT_SCALE = 2


class Unsupported(UnsupportedShape):
    """The policy uses something the SQL compiler does not translate; use the Python path."""


@dataclass(frozen=True)
class Column:
    name: str  # SQL column name in the input table
    scheme: str  # qualification | quantity | flag | industry | set
    concept: str | None  # concept id (None for sets)


@dataclass
class Compiled:
    sql: str  # summary rows: row, id, status, eligible, total_estimate_yuan, needs_info, missing_fields, to_confirm, ineligible, error, _py
    detail_sql: str  # per measure: _row, s<i> status, e<i> estimate, g<i> forgone, total
    outcomes_sql: str  # per check: _row, o<k>
    combined_sql: str  # the summary columns and the detail columns in one query
    checks: list[str]  # check IRIs, o<k> ↔ checks[k]
    measures: list[dict]
    columns: dict[str, Column] = field(default_factory=dict)  # fact property IRI → column
    python: list[int] = field(default_factory=list)  # measures whose award the Python path computes: a row
    # where one of them is eligible has `_py` true in `sql`/`combined_sql` and is decided by the Python path


def _q(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


def _dec(value: Decimal) -> str:
    if _scale(value) > MAX_SCALE:
        raise Unsupported(f"{value}: more than {MAX_SCALE} decimals")
    return f"CAST({_q(format(value, 'f'))} AS {DEC})"


def _scale(value: Decimal) -> int:
    return max(0, -Decimal(value).normalize().as_tuple().exponent)


def column_name(scheme: str, cid: str) -> str:
    return {"qualification": "q_", "quantity": "n_", "flag": "f_", "industry": "i_"}[scheme] + \
        re.sub(r"[^0-9A-Za-z_]", lambda m: f"_{ord(m.group()):x}_", cid)


class _Facts:
    """Fact property IRI → input column, and SQL for set membership."""

    def __init__(self, policy, config: ReasonerConfig):
        self.columns: dict[str, Column] = {}
        lex = load_lexicon(config.lexicon_path)
        self.industries = {str(concept_iri("industry", c.id)): c.id for c in lex.of("industry")}
        self.text_refs: dict[str, list[str]] = {}  # text condition IRI → refs that confirm it (itself, its measure)
        for m in policy.measures:
            for c in m["conditions"]:
                refs = [c["iri"]] + ([m["key"], m["id"]] if c["kind"] == "text" else [])
                self.text_refs[c["iri"]] = refs

    def column(self, path: URIRef) -> Column:
        iri = str(path)
        if iri not in self.columns:
            for scheme, ns in FACT_NS.items():
                if iri.startswith(ns):
                    cid = iri[len(ns):]
                    self.columns[iri] = Column(column_name(scheme, cid), scheme, cid)
                    break
            else:
                names = {str(PF.industry): Column("_industry", "industry", None), str(PF.role): Column("_roles", "set", None),
                         str(PF.confirms): Column("_confirmed", "set", None)}
                if iri not in names:
                    raise Unsupported(f"sh:path {iri} is not a profile fact")
                self.columns[iri] = names[iri]
        return self.columns[iri]

    def value(self, col: Column, node) -> str:
        if col.scheme == "industry":
            if str(node) not in self.industries:
                raise Unsupported(f"{node}: not an industry of the dictionary")
            return _q(self.industries[str(node)])
        if not isinstance(node, Literal):
            raise Unsupported(f"{node}: only literals compared on {col.name}")
        if col.scheme == "flag":
            return "TRUE" if node.toPython() is True else "FALSE"
        if col.scheme == "quantity":
            return _dec(Decimal(str(node)))
        return _q(str(node))

    @staticmethod
    def has(col: Column, text: str) -> str:
        if ";" in text:
            raise Unsupported(f"{text!r}: ';' inside a set value")
        return f"(STRPOS({col.name}, {_q(';' + text + ';')}) > 0)"


def _property_violates(g, prop, facts: _Facts) -> str:
    path = g.value(prop, SH.path)
    if not isinstance(path, URIRef):
        raise Unsupported(f"{prop}: only a single predicate sh:path is compiled")
    col, out = facts.column(path), []
    c = col.name
    for pred, obj in g.predicate_objects(prop):
        if pred == SH.minCount:
            if int(obj) != 1 or col.scheme == "set":
                raise Unsupported(f"{prop}: sh:minCount {obj} on {c}")
            out.append(f"({c} IS NULL)")
        elif pred == SH.hasValue:
            if col.scheme == "set":
                refs = facts.text_refs.get(str(obj), [str(obj)]) if c == "_confirmed" else [str(obj)]
                out.append("NOT (" + " OR ".join(facts.has(col, r) for r in refs) + ")")
            else:
                out.append(f"({c} IS NULL OR {c} <> {facts.value(col, obj)})")
        elif pred == SH["in"]:
            if col.scheme == "set":
                raise Unsupported(f"{prop}: sh:in on a set")
            values = ", ".join(facts.value(col, x) for x in _items(g, obj))
            out.append(f"({c} IS NOT NULL AND {c} NOT IN ({values}))" if values else f"({c} IS NOT NULL)")
        elif pred in _BOUNDS:
            if col.scheme != "quantity" or getattr(obj, "datatype", None) not in (XSD.decimal, XSD.integer):
                raise Unsupported(f"{prop}: {pred} on {c}")
            out.append(f"({c} IS NOT NULL AND NOT ({c} {_BOUNDS[pred]} {facts.value(col, obj)}))")
        elif pred not in _IGNORED:
            raise Unsupported(f"{prop}: {pred} is not compiled")
    return " OR ".join(out) or "FALSE"


def violates(g, shape, facts: _Facts) -> str:
    """SQL boolean (never NULL) true when the row violates `shape` — the twin of reasoner.fast.violates."""
    if g.value(shape, SH.path) is not None:
        return _property_violates(g, shape, facts)
    out = [f"({_property_violates(g, p, facts)})" for p in g.objects(shape, SH.property)]
    for pred, obj in g.predicate_objects(shape):
        if pred == SH["not"]:
            out.append(f"NOT ({violates(g, obj, facts)})")
        elif pred == SH["and"]:
            out.append("(" + (" OR ".join(f"({violates(g, s, facts)})" for s in _items(g, obj)) or "FALSE") + ")")
        elif pred == SH["or"]:
            out.append("(" + (" AND ".join(f"({violates(g, s, facts)})" for s in _items(g, obj)) or "TRUE") + ")")
        elif pred not in _IGNORED:
            raise Unsupported(f"{shape}: {pred} is not compiled")
    return " OR ".join(out) or "FALSE"


def _first_occurrences(slots: list[tuple[str, str]]) -> str:
    """slots: (value, SQL condition) in order → CONCAT_WS(';', …) of the values whose condition holds, each
    value once, in order of its first holding slot (what dict.fromkeys gives over the Python results)."""
    parts, earlier = [], {}
    for value, cond in slots:
        before = earlier.setdefault(value, [])
        guard = f"({cond})" + "".join(f" AND NOT ({b})" for b in before)
        parts.append(f"CASE WHEN {guard} THEN {_q(value)} END")
        before.append(cond)
    return f"CONCAT_WS(';', {', '.join(parts)})" if parts else "''"


def _award(m: dict, i: int, facts: _Facts, config: ReasonerConfig) -> tuple[str, list[tuple[str, str]]]:
    """(SQL estimate before eligibility, NULL when unknown; [(needs field, SQL condition)]) of measure i.
    Raises Unsupported for an award that depends on the profile in a way not compiled (a ceiling × a fact,
    a formula in another currency): that measure alone is then computed by the Python path."""
    for a in m["amounts"]:
        if a["kind"] not in AMOUNT_KINDS:
            raise Unsupported(f"{m['id']}: amount kind {a['kind']!r} is not compiled")
        if set(a) - KNOWN_AMOUNT_KEYS:
            raise Unsupported(f"{m['id']}: amount fields {sorted(set(a) - KNOWN_AMOUNT_KEYS)} are not compiled")
    if any(a.get("per") is not None and not isinstance((a["per"] or {}).get("quantity") if isinstance(a["per"], dict)
                                                          else None, str) for a in m["amounts"]):
        raise Unsupported(f"{m['id']}: a rate per something that is not a profile quantity")
    if any(a["kind"] in CEILINGS for a in m["amounts"]):
        raise Unsupported(f"{m['id']}: a ceiling that depends on the profile (computed by the Python path)")
    formula = next((a for a in m["amounts"] if a["kind"] in FORMULAS), None)
    if formula is None or formula["kind"] == "fixed":
        # no profile fact involved (a registry gives no exchange rate): Python computes estimate and needs once
        award = compute(m, Profile(), config)
        return (NULL if award.estimate is None else _dec(award.estimate)), [(f, "TRUE") for _, f in award.needs]
    if any(a.get("currency", "CNY") != "CNY" for a in m["amounts"]):
        raise Unsupported(f"{m['id']}: a formula with an amount in another currency (the Python path)")
    per_unit = min((a["value"] for a in m["amounts"] if a["kind"] in CAPS and a["kind"] not in OVERALL), default=None)
    overall = min((a["value"] for a in m["amounts"] if a["kind"] in OVERALL), default=None)
    factor = formula["value"]
    if formula["kind"] in ("ratio", "match_ratio"):
        bases = [formula.get("base_quantity")]
    else:
        bases = [q for q, _ in _rate_bases(formula, config)] or [None]
    if not all(b is None or isinstance(b, str) for b in bases):
        raise Unsupported(f"{m['id']}: rate bases {bases} are not compiled")
    if _scale(factor) + INPUT_SCALE * len(bases) > MAX_SCALE:
        raise Unsupported(f"{m['id']}: {factor} × {len(bases)} quantities needs more than {MAX_SCALE} decimals")
    cols = [facts.column(URIRef(FACT_NS["quantity"] + b)).name if b else None for b in bases]
    needs = [(b or "base", "TRUE" if c is None else f"{c} IS NULL") for b, c in zip(bases, cols)]
    if any(c is None for c in cols):
        return NULL, needs
    value = " * ".join([_dec(factor)] + [f"CAST({c} AS DECIMAL(20,2))" for c in cols])
    value = f"CAST({value} AS {DEC})"
    for cap in (per_unit, overall):
        if cap is not None:
            value = f"(CASE WHEN {value} > {_dec(cap)} THEN {_dec(cap)} ELSE {value} END)"
    return value, needs


@dataclass
class _Parts:
    """One policy's columns in each layer of the query; names carry the tag (o{t}{k}, s{t}{i}, …, total{t})."""
    checks: list[str]
    check_cols: list[str]
    measure_cols: list[str]
    estimate_cols: list[str]
    forgone_cols: list[str]
    total: str
    eligible: list[str]
    needs_info: list[tuple[str, str]]
    missing: list[tuple[str, str]]
    confirm: list[str]
    ineligible: list[tuple[str, str]]
    python: list[int]  # the measures whose award the Python path computes
    tag: str
    detail: list[str]
    columns: dict


def _parts(policy, config: ReasonerConfig, same_project, t: str, prefix: str) -> _Parts:
    g = shapes_graph(policy, config=config)
    facts = _Facts(policy, config)
    nodes = sorted(g.subjects(PF.decides, None), key=str)
    by_check: dict[str, dict[str, list[str]]] = {}
    for node in nodes:
        severity = "missing" if g.value(node, SH.severity) == SH.Info else "failing"
        by_check.setdefault(str(g.value(node, PF.decides)), {}).setdefault(severity, []).append(violates(g, node, facts))
    checks: list[str] = []
    python: list[int] = []
    check_cols, measure_cols, slots_fields, confirm_terms = [], [], [], []
    for i, m in enumerate(policy.measures):
        conds = {c["iri"]: c for c in m["conditions"]}
        own = []
        for iri in check_iris(m, config):
            k = len(checks)
            checks.append(iri)
            found = by_check.get(iri, {})
            fail = " OR ".join(f"({x})" for x in found.get("failing", [])) or "FALSE"
            miss = " OR ".join(f"({x})" for x in found.get("missing", [])) or "FALSE"
            check_cols.append(f"CASE WHEN {fail} THEN 2 WHEN {miss} THEN 1 ELSE 0 END AS o{t}{k}")
            own.append((k, missing_field(conds.get(iri))))
        status = (f"CASE WHEN {' OR '.join(f'o{t}{k} = 2' for k, _ in own)} THEN 2 "
                  f"WHEN {' OR '.join(f'o{t}{k} = 1' for k, _ in own)} THEN 1 ELSE 0 END") if own else "0"
        try:
            award, needs = _award(m, i, facts, config)
        except Unsupported:  # this measure's award by the Python path, on the rows where it is eligible
            award, needs = NULL, []
            python.append(i)
        measure_cols += [f"{status} AS s{t}{i}", f"{award} AS a{t}{i}"]
        slots_fields += [(f, f"o{t}{k} = 1") for k, f in own if f != "confirmed"]
        slots_fields += [(f, f"s{t}{i} = 0 AND {cond}") for f, cond in needs if f != "confirmed"]
        confirm = [f"o{t}{k} = 1" for k, f in own if f == "confirmed"]
        if confirm:
            confirm_terms.append(f"CASE WHEN s{t}{i} = 1 AND ({' OR '.join(confirm)}) THEN 1 ELSE 0 END")
    n = len(policy.measures)
    index = {m["id"]: i for i, m in enumerate(policy.measures)} | {m["key"]: i for i, m in enumerate(policy.measures)}
    # levels of a tiered clause
    forgone = {i: [] for i in range(n)}
    levels: dict = {}
    for i, m in enumerate(policy.measures):
        found = _level_key(m)
        if found:
            levels.setdefault(found[0], []).append((found[1], i))
    for members in levels.values():
        values = [v for v, _ in members]
        if len(set(values)) < 2:
            continue
        for p, (v, i) in enumerate(members):  # higher, or the same threshold listed later (reasoner.assess)
            higher = [j for q, (w, j) in enumerate(members) if w > v or (w == v and q > p)]
            if higher:
                forgone[i].append(f"(s{t}{i} = 0 AND ({' OR '.join(f's{t}{j} = 0' for j in higher)}))")
    # no-duplication groups (same project) and one award's alternative ways to qualify (assess.way_groups): the
    # highest estimate counts, the first listed on a tie
    for group in [*way_groups(policy.measures), *same_project]:
        members = [index[x] for x in group if x in index]
        if len(set(members)) != len(members):
            raise Unsupported(f"same-project group {group} names a measure twice")
        key = lambda j: f"COALESCE(e{t}{j}, CAST(-1 AS {DEC}))"  # noqa: E731
        for p, i in enumerate(members):
            beats = [f"(s{t}{j} = 0 AND ({key(j)} > {key(i)}" + (f" OR {key(j)} = {key(i)}" if q < p else "") + "))"
                     for q, j in enumerate(members) if j != i]
            if beats:
                forgone[i].append(f"(s{t}{i} = 0 AND ({' OR '.join(beats)}))")
    forgone_cols = [f"{' OR '.join(forgone[i]) or 'FALSE'} AS g{t}{i}" for i in range(n)]
    counted = [f"(s{t}{i} = 0 AND NOT g{t}{i} AND e{t}{i} IS NOT NULL)" for i in range(n)]
    # joint caps written once for several measures
    joint: dict = {}
    for i, m in enumerate(policy.measures):
        for a in m["amounts"]:
            if a["kind"] in OVERALL:
                joint.setdefault((m["clause"], a["kind"], a["citation"]["start"], a["citation"]["end"]), (a["value"], []))[1].append(i)
    reductions = []
    for cap, members in joint.values():
        if len(members) < 2:
            continue
        total = " + ".join(f"CASE WHEN {counted[i]} THEN e{t}{i} ELSE 0 END" for i in members)
        count = " + ".join(f"CASE WHEN {counted[i]} THEN 1 ELSE 0 END" for i in members)
        reductions.append(f"CASE WHEN ({count}) >= 2 AND ({total}) > {_dec(cap)} THEN ({total}) - {_dec(cap)} ELSE 0 END")
    total_sum = " + ".join([f"CASE WHEN {c} THEN e{t}{i} ELSE 0 END" for i, c in enumerate(counted)] or ["0"])
    total = (f"CASE WHEN {' OR '.join(counted) or 'FALSE'} THEN CAST(({total_sum})" +
             "".join(f" - ({r})" for r in reductions) + f" AS {DEC}) END AS total{t}")
    measures = policy.measures
    return _Parts(
        checks, check_cols, measure_cols, [f"CASE WHEN s{t}{i} = 0 THEN a{t}{i} END AS e{t}{i}" for i in range(n)],
        forgone_cols, total,
        [f"CASE WHEN s{t}{i} = 0 THEN {_q(prefix + m['clause'] + '(' + m['id'].rsplit('/', 1)[-1] + ')')} END"
         for i, m in enumerate(measures)],
        [(prefix + m["clause"], f"s{t}{i} = 1") for i, m in enumerate(measures)], slots_fields, confirm_terms,
        [(prefix + m["clause"], f"s{t}{i} = 2") for i, m in enumerate(measures)], python,
        t, [f"s{t}{i}, e{t}{i}, g{t}{i}" for i in range(n)] + [f"total{t}"], facts.columns)


def _layer(columns: list[str], inner: str, alias: str) -> str:
    return f"SELECT *, {', '.join(columns)} FROM ({inner}) AS {alias}" if columns else inner


def compile_policy(policy, *, config: ReasonerConfig = ReasonerConfig(), same_project=()) -> Compiled:
    """One policy's checks, decisions and awards as SQL (see the module docstring)."""
    return compile_policies([policy], config=config, same_project=same_project)


def compile_policies(policies: list, *, config: ReasonerConfig = ReasonerConfig(), same_project=(),
                     documents: list[str] | None = None) -> Compiled:
    """Several documents' policies in one query: each document's layers side by side (columns tagged d<n>_),
    the summary row is what reasoner.batch.summary_row gives for the merged report of reasoner.library:
    clauses named `document:clause`, the total the sum of the documents' totals, missing fields in order of
    first appearance over all documents. One policy: untagged columns and plain clause ids."""
    many = len(policies) > 1
    parts = [_parts(p, config, same_project, f"d{n}_" if many else "", f"{documents[n]}:" if many else "")
             for n, p in enumerate(policies)]
    flat = lambda name: [x for part in parts for x in getattr(part, name)]  # noqa: E731
    totals = [f"total{f'd{n}_' if many else ''}" for n in range(len(parts))]
    overall = (f"CASE WHEN {' OR '.join(f'{x} IS NOT NULL' for x in totals)} THEN CAST("
               f"{' + '.join(f'COALESCE({x}, 0)' for x in totals)} AS {DEC}) END AS total") if many else None
    eligible = flat("eligible")
    summary = [
        "_row AS row", "_id AS id", "'ok' AS status",
        (f"CONCAT_WS(';', {', '.join(eligible)})" if eligible else "''") + " AS eligible",
        "total AS total_estimate_yuan",
        _first_occurrences(flat("needs_info")) + " AS needs_info",
        _first_occurrences(flat("missing")) + " AS missing_fields",
        f"CAST({' + '.join(flat('confirm')) or '0'} AS INTEGER) AS to_confirm",
        _first_occurrences(flat("ineligible")) + " AS ineligible",
        "'' AS error", f"{' OR '.join(f's{p.tag}{i} = 0' for p in parts for i in p.python) or 'FALSE'} AS _py"]
    base = "SELECT *" + "".join(", " + c for c in flat("check_cols")) + " FROM enterprises"
    layer_t = _layer(flat("measure_cols"), base, "l1")
    for n, name in enumerate(("estimate_cols", "forgone_cols")):
        layer_t = _layer(flat(name), layer_t, f"l{n + 2}")
    layer_t = _layer([p.total for p in parts], layer_t, "l4")
    layer_t = _layer([overall] if overall else [], layer_t, "l5")
    detail_cols = ", ".join(flat("detail") + (["total"] if many else []))
    sql = f"SELECT {', '.join(summary)} FROM ({layer_t}) AS l6 ORDER BY _row"
    detail = f"SELECT _row, {detail_cols} FROM ({layer_t}) AS l6 ORDER BY _row"
    combined = f"SELECT {', '.join(summary)}, {detail_cols} FROM ({layer_t}) AS l6 ORDER BY _row"
    outcomes = "SELECT _row" + "".join(", " + c for c in flat("check_cols")) + " FROM enterprises ORDER BY _row"
    offsets = [sum(len(p.measures) for p in policies[:n]) for n in range(len(policies))]
    python = [offset + i for offset, part in zip(offsets, parts) for i in part.python]
    return Compiled(sql, detail, outcomes, combined, flat("checks"), [m for p in policies for m in p.measures],
                    {k: v for p in parts for k, v in p.columns.items()}, python)
