"""Pure helpers behind the pages, without Streamlit: text spans, profile form values, batch upload, SPARQL guard."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from kg_builder.errors import PolicyInputError
from qa_app.ui import batch, sparql
from qa_app.ui.profile import Field, profile_fields, profile_from_values
from reasoner.profile import Profile
from qa_app.ui.text import highlight_md, split_span, yuan

FIELDS = [Field("ForeignRDCenter", "qualification", "外资研发中心", "foreign R&D centre"),
          Field("municipalFunds", "quantity", "获得的市级资金", "municipal funds", "CNY"),
          Field("exhibitionFees", "quantity", "参展费用", "exhibition fees", "CNY", per_unit=True),
          Field("holdingPeriod", "quantity", "投资持有期", "holding period", "year"),
          Field("ipServiceEntrusted", "flag", "委托知识产权服务机构", "IP service", None)]


def test_span_split_and_highlight_escape_markdown_in_policy_text():
    text = "前文*（一）对孵化器给予支持[注]。后文"
    before, quote, after = split_span(text, 3, 17, context=3)
    assert (before, quote, after) == ("前文*", "（一）对孵化器给予支持[注]", "。后文")
    md = highlight_md(text, [(3, 17)])
    assert md == "前文\\*:orange-background[（一）对孵化器给予支持\\[注\\]]。后文"


def test_span_outside_text_is_refused():
    with pytest.raises(ValueError, match="outside"):
        split_span("abc", 2, 9)


def test_yuan_shows_exact_yuan_and_wan():
    assert yuan(Decimal("5000000")) == "5,000,000 元（500万元）"
    assert yuan(None) == "—"


def test_form_values_become_a_schema_shaped_profile_with_unknowns_left_out():
    got = profile_from_values({"ForeignRDCenter": "held", "municipalFunds": "12,000,000", "ipServiceEntrusted": None},
                              FIELDS)
    assert got == {"qualifications": {"ForeignRDCenter": "held"}, "quantities": {"municipalFunds": Decimal(12000000)},
                   "flags": {}}


@pytest.mark.parametrize("value, message", [("abc", "不是数字"), ("-5", "不能为负数")])
def test_bad_amount_names_the_field(value, message):
    with pytest.raises(ValueError, match=f"获得的市级资金.*{message}"):
        profile_from_values({"municipalFunds": value}, FIELDS)


@pytest.mark.parametrize("field, value, amount", [
    ("municipalFunds", "1200万", Decimal(12_000_000)), ("municipalFunds", "1.5万元", Decimal(15_000)),
    ("municipalFunds", "0.5亿", Decimal(50_000_000)), ("municipalFunds", "三十万", Decimal(300_000)),
    ("exhibitionFees", "2000万;500万", [Decimal(20_000_000), Decimal(5_000_000)]),  # 第十条（三）单个展会: one per fair
    ("exhibitionFees", "2000万；500万；", [Decimal(20_000_000), Decimal(5_000_000)]),
    ("exhibitionFees", "2000万", Decimal(20_000_000)),  # one unit is one value
    ("holdingPeriod", "3", Decimal(3)),
])
def test_amounts_in_wan_and_one_value_per_unit(field, value, amount):
    assert profile_from_values({field: value}, FIELDS)["quantities"][field] == amount


@pytest.mark.parametrize("field, value, message", [
    ("municipalFunds", "2000万;500万", "获得的市级资金：只能填一个数值"),  # no per-unit cap on its measures
    ("holdingPeriod", "3万", "投资持有期：'3万' 不是数字"),  # 万 is for money only
    ("municipalFunds", "nan", "不是数字"), ("exhibitionFees", "100;-5", "参展费用：金额不能为负数"),
])
def test_amounts_that_cannot_be_read_name_the_field(field, value, message):
    with pytest.raises(ValueError, match=message):
        profile_from_values({field: value}, FIELDS)


def test_per_unit_fields_are_the_bases_of_per_unit_caps(xicheng):
    from kg_builder.views import measures_json
    from qa_app.ui.profile import lexicon
    fields = profile_fields(measures_json(xicheng.graph, xicheng.doc_id), lexicon())
    # 第六条（二）每投资1家企业 × 基金实缴出资额; 第十条（三）单个展会 × 参展费用
    assert {f.id for f in fields if f.per_unit} == {"fundPaidInCapital", "exhibitionFees"}
    assert "分号分隔" in next(f for f in fields if f.id == "exhibitionFees").hint()


def read(data: bytes, *, max_bytes=10_000, max_rows=10, name="enterprises.csv"):
    return batch.read_upload(data, name, max_bytes=max_bytes, max_rows=max_rows)


def test_upload_keeps_good_rows_and_names_bad_ones_by_row_and_field():
    rows = read("id,ForeignRDCenter,municipalFunds,ipServiceEntrusted\n甲,held,100,是\n乙,,abc,\n丙,,,否\n".encode())
    assert [n for n, _ in rows] == [2, 3, 4]
    assert isinstance(rows[0][1], Profile) and rows[0][1].flags == {"ipServiceEntrusted": True}
    assert isinstance(rows[1][1], PolicyInputError)
    assert "row 3 (id 乙)" in str(rows[1][1]) and "municipalFunds" in str(rows[1][1])
    assert rows[2][1].flags == {"ipServiceEntrusted": False} and rows[2][1].quantities == {}


def test_upload_from_excel_in_gb18030_is_read():
    (_, profile), = read("id,ForeignRDCenter,exhibitionFees\n甲公司,held,20000000;5000000\n".encode("gb18030"))
    assert profile.id == "甲公司" and profile.quantities == {"exhibitionFees": (Decimal(20_000_000), Decimal(5_000_000))}


@pytest.mark.parametrize("data, message", [
    (b"x" * 10_001, "file too large"), (b"", "empty"), (b"id\x00\x01", "binary"),
    (b"id,salary\na,1\n", "unknown column 'salary'"), (b"id,rdExpense,rdExpense\na,1,2\n", "repeated column"),
    (b"id\n" + b"x\n" * 11, "more than 10"),
])
def test_unreadable_upload_is_one_error(data, message):
    with pytest.raises(PolicyInputError, match=message):
        read(data)


def test_template_has_the_form_fields_and_an_example_row_that_reads_back(xicheng):
    from kg_builder.views import measures_json
    from qa_app.ui.profile import lexicon
    fields = profile_fields(measures_json(xicheng.graph, xicheng.doc_id), lexicon())
    data = batch.template_csv(fields)
    header, example = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header[0] == "id" and set(header[1:]) == {f.id for f in fields if f.scheme != "industry"} | {"industry"}
    (_, profile), = read(data, max_bytes=100_000)
    assert isinstance(profile, Profile) and profile.id == "示例企业"
    assert len(profile.quantities["fundPaidInCapital"]) == 2  # the first per-unit field, one value per investee
    assert profile.qualifications and profile.flags


@pytest.mark.parametrize("query", [
    "INSERT DATA { <a:b> <a:c> <a:d> }", "DELETE WHERE { ?s ?p ?o }", "LOAD <http://x/y>", "CLEAR ALL",
    "DROP GRAPH <g:x>", "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE <a:b>", ""])
def test_sparql_guard_rejects_everything_but_select_and_ask(query):
    with pytest.raises(sparql.QueryRejected):
        sparql.check_query(query)


@pytest.mark.parametrize("query", [
    "SELECT ?s WHERE { ?s ?p \"DELETE\" }", "# a comment\nPREFIX pk: <https://w3id.org/policykg/ont#>\nASK { ?s a pk:Measure }"])
def test_sparql_guard_accepts_reads_even_with_keywords_in_literals(query):
    assert sparql.check_query(query) == query


def test_sparql_row_limit_truncates():
    store = sparql.make_store("<urn:a> <urn:p> 1, 2, 3, 4 .")
    out = sparql.run_query(store, "SELECT ?o WHERE { ?s ?p ?o }", max_rows=2)
    assert len(out["rows"]) == 2 and out["truncated"]
