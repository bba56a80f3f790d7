"""Open vocabulary (issue 9): a threshold on a quantity the dictionary does not know gets a concept minted from
the noun phrase written before it — in the graph as a SKOS concept (label, unit, pk:minted, citation), shared by
texts that name it the same way, part of the corpus' profile vocabulary (JSON Schema, profile.ttl, CSV
columns, JSON keys by id or Chinese label), and read back from the graph by the reasoner."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from kg_builder import mint
from kg_builder.build import build_graph, build_source
from kg_builder.views import measures_json, minted_concepts
from kg_builder.vocab import PK, concept_iri
from reasoner.assess import assess
from reasoner.csvprofile import profiles_from_csv
from reasoner.profile import profile_from_dict
from reasoner.profile_ontology import profile_ontology
from reasoner.schema import profile_schema

ROOT = Path(__file__).resolve().parent.parent
TEXT = "某区物流业扶持办法\n第一条 对年度物流营业额超过1000万元的企业，给予10万元奖励。\n第二条 对年度物流营业额达到5000万元的企业，给予50万元奖励。\n"


@pytest.fixture(scope="module")
def small():
    return build_graph(TEXT, doc_id="logistics")


@pytest.fixture(scope="module")
def shangmao():
    return build_source(ROOT / "corpus/nansha_shangmao_2017.txt")


def _threshold(result, clause):
    m = next(m for m in measures_json(result.graph, result.doc_id) if m["clause"] == clause)
    return next(c for c in m["conditions"] if c["kind"] == "threshold")


def test_threshold_on_an_unknown_quantity_mints_a_concept(small):
    c = _threshold(small, "1")
    assert c["quantity"] == mint.minted_id("quantity", "年度物流营业额") and c["quantity_label"] == "年度物流营业额"
    assert (c["op"], c["value"], c["citation"]["quote"]) == ("gt", Decimal("10000000"), "年度物流营业额超过1000万元")
    assert _threshold(small, "2")["quantity"] == c["quantity"]  # the same phrase, the same concept


def test_minted_concept_is_written_as_skos_with_its_citation(small):
    g, iri = small.graph, concept_iri("quantity", _threshold(small, "1")["quantity"])
    assert (iri, PK.minted, Literal(True)) in g
    assert (iri, SKOS.prefLabel, Literal("年度物流营业额", lang="zh")) in g
    assert (iri, PK.unit, Literal("CNY")) in g
    rows = list(g.query("""PREFIX pk: <https://w3id.org/policykg/ont#> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?s ?e ?x WHERE { ?c pk:citation/oa:hasSelector ?p, ?q . ?p oa:start ?s ; oa:end ?e . ?q oa:exact ?x }""",
                        initBindings={"c": iri}))
    assert len(rows) == 1 and TEXT[int(rows[0].s):int(rows[0].e)] == str(rows[0].x) == "年度物流营业额超过1000万元"


@pytest.mark.parametrize("value,status", [(10000000, "ineligible"), (10000001, "eligible")])
def test_a_profile_names_the_minted_quantity_by_its_label(small, value, status):
    """超过1000万元 excludes the number itself, on a minted quantity as on a dictionary one; both engines agree."""
    profile = profile_from_dict({"quantities": {"年度物流营业额": value}})
    for engine in ("oxigraph", "shacl"):
        r = next(r for r in assess(profile, small.graph, engine=engine)["results"] if r["clause"] == "1")
        assert r["status"] == status, (engine, r)
    if status == "ineligible":
        assert any("年度物流营业额" in s for s in r["reasons"]), r["reasons"]


def test_missing_minted_fact_is_named_by_its_label_read_from_the_graph(small, monkeypatch):
    """A graph read back from Turtle in a process that never minted the concept still names it in Chinese."""
    g = Graph().parse(data=small.graph.serialize(format="turtle"), format="turtle")
    monkeypatch.setattr(mint, "_REGISTRY", {})
    r = next(r for r in assess(profile_from_dict({}), g)["results"] if r["clause"] == "1")
    assert r["status"] == "needs_info" and "年度物流营业额" in r["missing"]
    assert r["missing_fields"] == [_threshold(small, "1")["quantity"]]


def test_two_texts_naming_the_same_thing_share_the_concept(shangmao):
    hangyun = build_source(ROOT / "corpus/nansha_hangyun_wuliu_2017.txt")
    a = {c.zh: c.id for c in minted_concepts(shangmao.graph)}
    b = {c.zh: c.id for c in minted_concepts(hangyun.graph)}
    assert a["年度应纳税工资薪金"] == b["年度应纳税工资薪金"]


def test_nansha_thresholds_on_unknown_quantities_are_structured(shangmao):
    """第六条（二）'年度实现跨境电子商务进出口额超过5亿元' is a threshold on a minted quantity, not dropped."""
    c = _threshold(shangmao, "6.2")
    assert c["quantity_label"] == "跨境电子商务进出口额" and (c["op"], c["value"]) == ("gt", Decimal("500000000"))


def test_corpus_vocabulary_holds_minted_concepts(small):
    minted = tuple(minted_concepts(small.graph))
    cid = minted[0].id
    schema = profile_schema(minted=minted)
    assert cid in schema["properties"]["quantities"]["properties"]
    assert cid not in profile_schema()["properties"]["quantities"]["properties"]  # the committed one is the dictionary's
    assert any(str(s).endswith("#" + cid) for s in profile_ontology(minted=minted).subjects())
    rows = list(profiles_from_csv("id,年度物流营业额\ne1,2000万\n"))
    assert rows[0][1].quantities[cid] == Decimal("20000000")


def test_schema_cli_prints_the_corpus_vocabulary(small, capsys, tmp_path):
    from reasoner.schema import main
    path = tmp_path / "logistics.txt"
    path.write_text(TEXT, encoding="utf-8")
    main(["--corpus", str(path)])
    schema = json.loads(capsys.readouterr().out)
    assert mint.minted_id("quantity", "年度物流营业额") in schema["properties"]["quantities"]["properties"]
