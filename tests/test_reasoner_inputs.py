"""Malformed profiles give one clear error naming the field (or row); free text shows what it read."""
from decimal import Decimal

import pytest

from kg_builder.errors import PolicyInputError
from reasoner.csvprofile import profiles_from_csv
from reasoner.profile import Profile, profile_from_json, profile_from_rdf
from reasoner.rdfprofile import to_rdflib
from reasoner.textprofile import profile_from_text
from reasoner.vocab import PREFIXES

TTL_PREFIXES = "".join(f"@prefix {k}: <{v}> .\n" for k, v in PREFIXES.items())

BAD = [
    ("{bad", "not valid JSON", "1:2"),
    ('{"foo": 1}', "unknown field", "foo"),
    ('{"quantities": {"rdExpense": -5}}', "negative amount", "quantities.rdExpense"),
    ('{"quantities": {"rdExpense": "abc"}}', "not a number", "quantities.rdExpense"),
    ('{"quantities": {"rdExpense": {"value": 1, "unit": "year"}}}', "wrong unit", "quantities.rdExpense"),
    ('{"qualifications": {"Bogus": "new"}}', "unknown field", "qualifications.Bogus"),
]


@pytest.mark.parametrize("text,problem,where", BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_bad_json_names_the_field(text, problem, where):
    with pytest.raises(PolicyInputError) as err:
        profile_from_json(text, source="p.json")
    assert problem in err.value.problem and err.value.where == where


def test_json_amount_with_unit_is_converted_exactly():
    p = profile_from_json('{"quantities": {"rdExpense": {"value": 1500.5, "unit": "万元"}}}')
    assert p.quantities["rdExpense"] == Decimal("15005000")


def test_csv_bad_rows_reported_good_rows_kept():
    text = "id,HighTechEnterprise,rdExpense\na,held,20000000\nb,held,-3\nc,new,abc\nd,renewed,1\n"
    rows = list(profiles_from_csv(text, source="p.csv"))
    good = [n for n, p in rows if not isinstance(p, PolicyInputError)]
    bad = {n: str(p) for n, p in rows if isinstance(p, PolicyInputError)}
    assert good == [2, 5] and set(bad) == {3, 4}
    assert "row 3" in bad[3] and "negative" in bad[3] and "not a number" in bad[4]


def test_turtle_profile():
    ttl = TTL_PREFIXES + """<https://x/e1> a pf:Enterprise ; pf:industry <https://w3id.org/policykg/scheme/gbt4754/M> ;
      pfn:rdExpense 11000000.0 ; pfq:HighTechEnterprise "new" ; pff:rdRatioAboveTarget true ."""
    p = profile_from_rdf(ttl)
    assert p.industry == "M" and p.quantities["rdExpense"] == Decimal("11000000")
    assert p.qualifications == {"HighTechEnterprise": "new"} and p.flags == {"rdRatioAboveTarget": True}


def test_turtle_profile_unknown_property_named():
    ttl = TTL_PREFIXES + '<https://x/e1> a pf:Enterprise ; pfn:rdExpenses 1.0 .'
    with pytest.raises(PolicyInputError, match="rdExpenses"):
        profile_from_rdf(ttl, source="p.ttl")


def test_profile_round_trips_through_rdf():
    p = Profile(qualifications={"LittleGiant": "renewed"}, quantities={"holdingPeriod": Decimal("2")},
                flags={"mergerByBankLoan": False}, industry="I", roles=("运营机构",), id="e9")
    back = profile_from_rdf(to_rdflib({"https://x/e9": p}).serialize(format="turtle"))
    assert (back.qualifications, back.quantities, back.flags, back.industry, back.roles) == \
        (p.qualifications, p.quantities, p.flags, p.industry, p.roles)


TEXT = [
    ("我们是今年新认定的国家高新技术企业，年度研发费用1500万元",
     {"HighTechEnterprise": "new"}, {"rdExpense": Decimal("15000000")}),
    ("我们不是高企，研发费用2亿元", {"HighTechEnterprise": "none"}, {"rdExpense": Decimal("200000000")}),
    ("我们是非常优秀的高企", {}, {}),  # 非 inside 非常: not a denial, and too close to call: unknown
    ("我们通过复审的国家高新技术企业", {"HighTechEnterprise": "renewed"}, {}),
]


@pytest.mark.parametrize("text,quals,quants", TEXT, ids=[t[0] for t in TEXT])
def test_free_text(text, quals, quants):
    p = profile_from_text(text)
    assert p.qualifications == quals and p.quantities == quants
    for s in p.sources:
        assert text[s["start"]:s["end"]] == s["quote"]


def test_one_value_per_unit_from_json_csv_and_turtle():
    """Per-unit caps need each event's amount: a list in JSON, `a;b` in a CSV cell, repeated values in RDF."""
    want = (Decimal("20000000"), Decimal("5000000"))
    assert profile_from_json('{"quantities": {"exhibitionFees": [20000000, {"value": 500, "unit": "万元"}]}}') \
        .quantities["exhibitionFees"] == want
    (_, p), = profiles_from_csv("id,exhibitionFees\nx,20000000;5000000\n")
    assert p.quantities["exhibitionFees"] == want
    back = profile_from_rdf(to_rdflib({"https://x/e": Profile(quantities={"exhibitionFees": want})}).serialize())
    assert sorted(back.quantities["exhibitionFees"]) == sorted(want)
    with pytest.raises(PolicyInputError, match="exhibitionFees"):
        profile_from_json('{"quantities": {"exhibitionFees": [1, -2]}}')


@pytest.mark.parametrize("cell,value", [("12,000,000", "12000000"), ("1200万", "12000000"), ("1.5亿元", "150000000"),
                                        ("三十万", "300000"), ("2000万;500万", ("20000000", "5000000"))])
def test_csv_amount_cells_as_people_type_them(cell, value):
    (_, p), = profiles_from_csv(f'id,exhibitionFees\nx,"{cell}"\n')
    want = tuple(map(Decimal, value)) if isinstance(value, tuple) else Decimal(value)
    assert p.quantities["exhibitionFees"] == want


def test_csv_amount_in_years_is_not_money():
    (_, bad), = profiles_from_csv("id,holdingPeriod\nx,2万\n")
    assert isinstance(bad, PolicyInputError) and "holdingPeriod" in str(bad)
