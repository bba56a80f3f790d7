"""Every engine gives the same outcomes and estimates: the per-profile Python path (reasoner.assess with the
SPARQL fast path), pyshacl (on a few), and the shapes + decisions + awards compiled to SQL on DuckDB
(reasoner.columnar). Spark runs the same SQL in tests/test_engine_spark.py.

Profiles are generated from each policy's own vocabulary: every threshold value and its neighbours (±0.01),
award bases at the cap / factor boundary, qualifications, flags, industries, roles, confirmations, and
no-duplication groups; the policies are the Xicheng draft, the synthetic genre texts and the eligibility texts
(joint caps, rates, tiers, ceilings)."""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg_builder.build import build_source
from kg_builder.config import DEFAULT_CORPUS
from reasoner.assess import assess
from reasoner.awards import OVERALL, PER_UNIT, _rate_bases
from reasoner.batch import summary_row
from rdflib import URIRef

from reasoner.columnar import Unsupported, _Facts, compile_policy
from reasoner.config import ReasonerConfig
from reasoner.fast import run_embedded
from reasoner.model import condition_vocabulary, load_policy
from reasoner.profile import Profile
from reasoner.rdfprofile import to_rdflib
from reasoner.shapes import validate_shacl
from reasoner.tabular import DuckDBEngine, _normalise_total, _rows_table, engine_outcomes, profiles_table

DATA = Path(__file__).parent / "data"
CORPUS = DEFAULT_CORPUS.parent
TEXTS = [DEFAULT_CORPUS, *sorted((DATA / "policies").glob("*.txt")), *sorted((DATA / "eligibility" / "texts").glob("*.txt")),
         *sorted(p for p in CORPUS.glob("nansha_*.txt") if "guide" not in p.stem)]
STATUSES = ["new", "renewed", "held", "none"]
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def duck():
    engine = DuckDBEngine()
    yield engine
    engine.close()


_BUILT: dict = {}


def _built(path: Path):
    if path not in _BUILT:
        graph = build_source(path).graph
        _BUILT[path] = (graph, load_policy(graph))
    return _BUILT[path]


def _amount_values(policy) -> dict:
    """Base quantity of each formula → values at and around what makes the estimate hit its caps."""
    out: dict = {}
    config = ReasonerConfig()
    for m in policy.measures:
        caps = [a["value"] for a in m["amounts"] if a["kind"] in PER_UNIT + OVERALL]
        for a in m["amounts"]:
            if a["kind"] in ("ratio", "match_ratio") and a.get("base_quantity"):
                bases = [a["base_quantity"]]
            elif a["kind"] == "rate":
                bases = [b for b in _rate_bases(a, config) if isinstance(b, str)]
            else:
                continue
            for b in bases:
                vals = out.setdefault(b, {Decimal(0), Decimal("123.45"), Decimal(1000000)})
                for cap in caps:
                    edge = (cap / a["value"]).quantize(CENT) if a["value"] else cap
                    vals |= {edge, edge + CENT, max(edge - CENT, Decimal(0))}
    return {k: sorted(v) for k, v in out.items()}


def _vocabulary(policy) -> tuple:
    v = condition_vocabulary(policy)
    near = {q: sorted({x for t in values for x in (t, t - CENT, t + CENT) if x >= 0} | {Decimal(0)})
            for q, values in v.thresholds.items()}
    for q, values in _amount_values(policy).items():
        near[q] = sorted(set(near.get(q, [])) | set(values))
    roles = sorted({m["beneficiary"] for m in policy.measures})
    confirms = [m["key"] for m in policy.measures] + [c["iri"] for m in policy.measures for c in m["conditions"]
                                                      if c["kind"] == "text"]
    return list(v.qualifications) or ["HighTechEnterprise"], near, list(v.flags), sorted({"A", *v.industries}), \
        roles, confirms


def _profiles(policy):
    quals, near, flags, inds, roles, confirms = _vocabulary(policy)
    quantities = st.dictionaries(st.sampled_from(sorted(near)), st.just(None), max_size=4).flatmap(
        lambda keys: st.fixed_dictionaries({k: st.sampled_from(near[k]) for k in keys})) if near else st.just({})
    return st.builds(
        lambda q, n, f, ind, r, conf: Profile(qualifications=q, quantities=n, flags=f, industry=ind, roles=tuple(r),
                                              confirmed=tuple(conf)),
        st.dictionaries(st.sampled_from(quals), st.sampled_from(STATUSES), max_size=4),
        quantities,
        st.dictionaries(st.sampled_from(flags), st.booleans(), max_size=4) if flags else st.just({}),
        st.sampled_from([None, *inds]),
        st.lists(st.sampled_from(roles), max_size=2, unique=True),
        st.lists(st.sampled_from(confirms), max_size=4, unique=True))


def _python(profiles: dict, graph, groups) -> list[dict]:
    return [assess(p, graph, same_project=groups) for p in profiles.values()]


def _sql_detail(duck, compiled, profiles: dict):
    table, rest = profiles_table(profiles, compiled, scale=2)
    assert not rest
    return duck.run(compiled.detail_sql, table).to_pylist()


def _compare(duck, path: Path, batch: list[Profile], groups=()):
    graph, policy = _built(path)
    profiles = {f"e{i}": replace(p, id=f"e{i}") for i, p in enumerate(batch)}
    compiled = compile_policy(policy, same_project=groups)  # every text here compiles (some awards by Python)
    assert path != DEFAULT_CORPUS or not compiled.python, "the Xicheng draft compiles whole"
    reports = _python(profiles, graph, groups)
    detail = _sql_detail(duck, compiled, profiles)
    # rows where a measure whose award is not compiled is eligible go to the Python path (`_py`)
    sql = [not any(row[f"s{i}"] == 0 for i in compiled.python) for row in detail]
    for report, row in zip(reports, detail):
        if not sql[row["_row"]]:
            continue
        for i, r in enumerate(report["results"]):
            status = {"eligible": 0, "needs_info": 1, "ineligible": 2}[r["status"]]
            assert (row[f"s{i}"], row[f"e{i}"], row[f"g{i}"]) == (status, r["estimate_yuan"], bool(r.get("forgone"))), \
                (path.name, r["measure"], profiles[f"e{row['_row']}"])
        assert row["total"] == report["total_estimate_yuan"], path.name
    summary = duck.run(compiled.sql, profiles_table(profiles, compiled, scale=2)[0])
    assert summary.column("_py").to_pylist() == [not x for x in sql]
    summary = _normalise_total(summary.drop_columns(["_py"])).to_pylist()
    expected = _rows_table([summary_row(i, r) for i, r in enumerate(reports)]).to_pylist()
    assert [x for x, keep in zip(summary, sql) if keep] == [x for x, keep in zip(expected, sql) if keep]
    iris = {f"https://example.org/{k}": p for k, p in profiles.items()}
    assert engine_outcomes(iris, policy, engine="duckdb") == run_embedded(iris, policy)


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_duckdb_equals_python(duck, path, data):
    graph, policy = _built(path)
    batch = data.draw(st.lists(_profiles(policy), min_size=1, max_size=6))
    keys = [m["key"] for m in policy.measures]
    groups = data.draw(st.lists(st.lists(st.sampled_from(keys), min_size=2, max_size=3, unique=True), max_size=1))
    _compare(duck, path, batch, tuple(tuple(g) for g in groups))


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.stem)
def test_every_threshold_boundary(duck, path):
    """Each threshold value itself and one cent either side, with everything else the conditions ask for held."""
    graph, policy = _built(path)
    quals, near, flags, inds, roles, confirms = _vocabulary(policy)
    v = condition_vocabulary(policy)
    batch = []
    for q, values in v.thresholds.items():
        for t in values:
            for x in (t - CENT, t, t + CENT):
                if x >= 0:
                    batch.append(Profile(qualifications={k: "new" for k in quals}, quantities={q: x},
                                         flags={f: True for f in flags}, roles=tuple(roles), confirmed=tuple(confirms)))
    if not batch:
        pytest.skip("no threshold in this text")
    _compare(duck, path, batch)


def test_pyshacl_agrees_on_a_few(duck):
    graph, policy = _built(DEFAULT_CORPUS)
    quals, near, flags, inds, roles, confirms = _vocabulary(policy)
    rdq, (t, *_) = "rdExpense", condition_vocabulary(policy).thresholds["rdExpense"]
    profiles = {f"https://example.org/s{i}": p for i, p in enumerate([
        Profile(qualifications={"HighTechEnterprise": "new"}, quantities={rdq: t}, flags={"rdRatioAboveTarget": True}),
        Profile(qualifications={"HighTechEnterprise": "renewed"}, quantities={rdq: t + CENT}, industry="M"),
        Profile(qualifications={quals[0]: "none"}, roles=tuple(roles), confirmed=tuple(confirms[:3]))])}
    sql = engine_outcomes(profiles, policy, engine="duckdb")
    assert sql == validate_shacl(to_rdflib(profiles, policy), policy) == run_embedded(profiles, policy)
    assert {"failing", "missing"} <= set(sql.values())


def test_what_the_compiler_cannot_translate_goes_to_python():
    """A new amount kind (or field) must not be guessed at: that measure's award is left to the Python path
    (`python`), the rows where it is eligible are marked `_py`; a SHACL term the compiler does not know still
    refuses the whole policy."""
    graph, policy = _built(DEFAULT_CORPUS)
    odd = type(policy)(policy.doc_id, policy.doc_iri, [dict(m) for m in policy.measures], policy.rule, policy.text)
    odd.measures[0]["amounts"] = [{**odd.measures[0]["amounts"][0], "kind": "tiers", "tiers": []}]
    odd.by_id = {m["id"]: m for m in odd.measures} | {m["key"]: m for m in odd.measures}
    assert compile_policy(odd).python == [0]
    odd.measures[0]["amounts"] = [{"kind": "rate", "value": Decimal(2), "unit": "元/平方米/天", "per": "year",
                                   "citation": odd.measures[0]["citation"]}]
    compiled = compile_policy(odd)
    assert compiled.python == [0] and "s0 = 0 AS _py" in compiled.sql
    with pytest.raises(Unsupported, match="not a profile fact"):
        _Facts(odd, ReasonerConfig()).column(URIRef("https://example.org/not-a-fact"))


def test_corpus_folder_registry_duckdb_equals_per_profile_path(tmp_path):
    """`check registry.csv --out` on the corpus folder (7 policies): one DuckDB query over every document
    (measures whose award is not compiled → their eligible rows by Python) writes the file the per-profile
    library path writes (reasoner.library, clauses named document:clause)."""
    from kg_builder.library import build_library
    from reasoner.samples import write_registry
    from reasoner.tabular import run_batch
    library = build_library(CORPUS)
    src = tmp_path / "registry.csv"
    write_registry(src, [load_policy(d.build.graph) for d in library.policies(())], 250, seed=3)
    duck_out, python_out = tmp_path / "duckdb.csv", tmp_path / "python.csv"
    counts = run_batch(src, duck_out, library=library, engine="duckdb", chunk=100)
    run_batch(src, python_out, library=library, engine="oxigraph")
    assert counts["engine"] == "duckdb" and counts["rows"] == 250
    assert duck_out.read_bytes() == python_out.read_bytes()
    text = duck_out.read_text(encoding="utf-8-sig")
    assert "nansha_" in text and "xicheng_measures_draft:" in text  # clauses name their document
