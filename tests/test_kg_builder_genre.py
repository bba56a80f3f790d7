"""Other policies of the genre (tests/data/policies/*.txt): every measure pinned in tests/data/measures/<name>.yaml.

A case marked `xfail` states what the text says where the pipeline still reads it otherwise (strict: a fix
turns it into a failure until the mark is removed)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import assert_measure_matches
from kg_builder.build import build_source
from kg_builder.config import BuildConfig
from kg_builder.views import measures_json

DATA = Path(__file__).parent / "data"
POLICIES = sorted(p.stem for p in (DATA / "policies").glob("*.txt"))


def _cases(name: str) -> list[dict]:
    return yaml.safe_load((DATA / "measures" / f"{name}.yaml").read_text(encoding="utf-8"))


def _params():
    for name in POLICIES:
        for case in _cases(name):
            marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
            yield pytest.param(name, case, id=f"{name}:{case['measure']}", marks=marks)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    reviews, cache = tmp_path_factory.mktemp("reviews"), {}

    def get(name: str):
        if name not in cache:
            cache[name] = build_source(DATA / "policies" / f"{name}.txt", config=BuildConfig(review_dir=reviews))
        return cache[name]
    return get


def _measures(result) -> dict[str, dict]:
    return {m["id"].split("/", 1)[1]: m for m in measures_json(result.graph, result.doc_id)}


@pytest.mark.parametrize("name", POLICIES)
def test_every_measure_is_expected(name, built):
    assert sorted(_measures(built(name))) == sorted(c["measure"] for c in _cases(name))


@pytest.mark.parametrize("name,case", list(_params()))
def test_measure(name, case, built):
    assert_measure_matches(_measures(built(name))[case["measure"]], case)


@pytest.mark.parametrize("name", POLICIES)
def test_every_quote_is_the_source_span(name, built):
    result = built(name)
    for m in _measures(result).values():
        for fact in [m, *m["conditions"], *m["amounts"]]:
            c = fact["citation"]
            assert result.text[c["start"]:c["end"]] == c["quote"], (m["id"], c)


@pytest.mark.parametrize("name,clause,words", [
    ("digital_economy", "附则.1", "就高不重复"),  # 第十条 附则（一）
    ("talent_incubator", "9.1", "不重复享受"),  # 九、其他（一）
    ("ip_finance", "12", "就高不重复"),  # 第五章 附则, 第十二条
])
def test_no_duplication_rule_is_found(name, clause, words, built):
    rules = built(name).extraction.rules
    assert [(r.kind, r.clause) for r in rules] == [("no_duplication", clause)]
    assert words in rules[0].quote


@pytest.mark.parametrize("name,uncovered", [
    ("digital_economy", {"1", "2"}),  # purpose and scope articles
    ("talent_incubator", {"1"}),  # 一、适用范围; 九、其他 is the closing part
    ("ip_finance", {"1", "2"}),  # 第五章 附则 is the closing part
])
def test_coverage_leaves_only_purpose_and_scope(name, uncovered, built):
    assert {c for c, _, _ in built(name).uncovered()} == uncovered


@pytest.mark.parametrize("name,status", [("digital_economy", "正式文本"), ("talent_incubator", "试行"),
                                         ("ip_finance", "正式文本")])
def test_metadata_from_text_and_file(name, status, built):
    meta = built(name).meta
    assert meta["status"] == status
    assert meta["title"] == (DATA / "policies" / f"{name}.txt").read_text(encoding="utf-8").splitlines()[0]


@pytest.mark.parametrize("name,until", [("digital_economy", "2028-01-01"), ("ip_finance", "2030-03-01"),
                                        ("talent_incubator", None)])
def test_validity_counts_the_years_of_youxiaoqi(name, until, built):
    """'自2025年3月1日起施行，有效期五年' runs five years, not 2025 (the first number followed by 年)."""
    from kg_builder.corpus import no_longer_in_force
    got = no_longer_in_force(built(name).meta)
    assert (str(got) if got else None) == until


def test_aggregate_cap_closing_a_sentence_caps_each_rule(built):
    """第三条: '…每件给予5000元资助；…每件给予3万元资助，单个企业每年资助总额最高不超过100万元。'"""
    measures = _measures(built("ip_finance"))
    for key in ("3-1", "3-2"):
        caps = [(a["kind"], a["value"], a["citation"]["quote"]) for a in measures[key]["amounts"] if a["kind"].startswith("max_")]
        assert caps == [("max_annual", 1000000, "每年资助总额最高不超过100万元")]
