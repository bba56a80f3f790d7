"""qa_app.graphqa over the union graph of the corpus policies: list and aggregate questions return exactly the
clauses a reading of the text gives (tests/data/graphqa_lists.yaml), each cited verbatim; the query shown is the
one that ran; questions about wording go to retrieval."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from qa_app.graphqa import answer_from_graph, documents, load_terms, parse, routed

ROOT = Path(__file__).resolve().parents[1]
CASES = yaml.safe_load((ROOT / "tests/data/graphqa_lists.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus():
    """The library graph of corpus/ (one graph, every document) and each document's text."""
    from kg_builder.library import build_library

    library = build_library(ROOT / "corpus")
    return library.graph, {i: d.text for i, d in library.documents.items()}


def _case(c):
    marks = [pytest.mark.xfail(reason=c["xfail"], strict=True)] if c.get("xfail") else []
    return pytest.param(c, id=c["q"], marks=marks)


def test_the_list_file_has_at_least_20_questions_across_documents():
    assert len(CASES) >= 20
    docs = {e.split("/")[0] for c in CASES for e in c["expect"]}
    assert len(docs) >= 6


@pytest.mark.parametrize("case", [_case(c) for c in CASES])
def test_list_question_returns_exactly_the_clauses_of_the_text(case, corpus):
    graph, texts = corpus
    out = answer_from_graph(case["q"], graph)
    assert out is not None, "went to retrieval"
    assert out["kind"] == case["kind"]
    got = {f"{a['document']}/{a['clause']}" for a in out["answers"]}
    assert got == set(case["expect"])
    if "value" in case:
        assert out["value"] == case["value"]
    for a in out["answers"]:
        c = a["citation"]
        assert texts[a["document"]][c["start"]:c["end"]] == c["quote"] == a["quote"]


def test_the_answer_shows_the_sparql_it_ran_and_running_it_again_gives_the_same_clauses(corpus):
    from qa_app.graphqa import store_for

    graph, _ = corpus
    out = answer_from_graph("哪些条款的上限是2500万元？", graph)
    assert "SELECT" in out["query"] and "pk:max_total" in out["query"] and "25000000" in out["query"]
    rows = {(str(r["doc"].value).rsplit("/", 1)[-1], r["clauseId"].value) for r in store_for(graph).query(out["query"])}
    assert rows == {(a["document"], a["clause"]) for a in out["answers"]}


def test_an_aggregate_value_is_an_exact_decimal_string(corpus):
    graph, _ = corpus
    out = answer_from_graph("哪些条款规定了每投资一家企业的奖励上限？", graph)
    assert [a["amounts"] for a in out["answers"]] == [[{"kind": "max_per_investee", "value": "1000000"}]]
    out = answer_from_graph("每投资一家企业最多奖励多少", graph)
    assert out["kind"] == "aggregate" and out["value"] == "1000000" and Decimal(out["value"]) == Decimal(10**6)


def test_a_document_named_by_title_words_restricts_the_answers(corpus):
    graph, _ = corpus
    docs = documents(graph)
    p = parse("航运物流办法中按人次给予奖励的条款有哪些？", docs)
    assert [d.rsplit("/", 1)[-1] for d in p.documents] == ["nansha_hangyun_wuliu_2017"]
    p = parse("南沙的政策中定额奖励最高是多少？", docs)
    assert len(p.documents) == 6 and all("nansha" in d for d in p.documents)


@pytest.mark.parametrize("q", ["孵化器支持资金上限", "承办科技交流活动的配套比例", "专利战略制定服务费用补贴比例",
                               "获得国家级科技奖项的企业区里奖励多少？", "同时符合西城区其他政策时怎么处理"])
def test_questions_about_a_topic_go_to_retrieval(q, corpus):
    assert not routed(parse(q, documents(corpus[0])))


@pytest.mark.parametrize("q", ["申请经营贡献奖需要什么材料", "技改后奖补在哪里申请", "什么时候申请", "受理时间是几点"])
def test_guide_questions_are_marked_guide(q, corpus):
    assert answer_from_graph(q, corpus[0])["kind"] == "guide"


def test_the_word_lists_live_in_yaml_and_name_only_known_amount_kinds(tmp_path):
    bad = tmp_path / "t.yaml"
    raw = yaml.safe_load((ROOT / "qa_app/resources/graphqa.yaml").read_text(encoding="utf-8"))
    raw["kinds"]["bonus"] = ["奖金"]
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="unknown amount kinds"):
        load_terms(bad)
