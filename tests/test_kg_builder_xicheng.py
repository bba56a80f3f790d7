"""Every measure of the Xicheng text: kinds and values of amounts, conditions, beneficiary (data-driven)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import assert_measure_matches
from kg_builder.views import measures_json

CASES = yaml.safe_load((Path(__file__).parent / "data/measures/xicheng.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def measures(xicheng):
    return {m["id"].split("/", 1)[1]: m for m in measures_json(xicheng.graph, xicheng.doc_id)}


def test_every_measure_is_expected(measures):
    assert sorted(measures) == sorted(c["measure"] for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=[c["measure"] for c in CASES])
def test_measure(case, measures):
    assert_measure_matches(measures[case["measure"]], case)


@pytest.mark.parametrize("clause,count", [("4.1", 2), ("4.2", 2), ("4.3", 3), ("5.1", 3), ("7.2", 3), ("11.1", 2)])
def test_items_holding_several_benefit_rules_give_several_measures(clause, count, measures):
    assert sum(m["clause"] == clause for m in measures.values()) == count


def test_every_quote_is_the_source_span(xicheng, measures):
    text = xicheng.text
    for m in measures.values():
        for fact in [m, *m["conditions"], *m["amounts"]]:
            c = fact["citation"]
            assert text[c["start"]:c["end"]] == c["quote"], (m["id"], c)


def test_thresholds_keep_inclusiveness(measures):
    """超过1000万元 excludes the number; 5000万元（含）以上 and 1年以上 include it."""
    by = {(m["clause"], c["citation"]["quote"]): c for m in measures.values() for c in m["conditions"]
          if c["kind"] == "threshold"}
    assert by[("3.1", "年度研发费用超过1000万元")]["op"] == "gt"
    assert by[("3.4", "年度技术合同成交额超过2亿元")]["value"] == Decimal("200000000")
    assert by[("6.3", "投资5000万元（含）以上")]["op"] == "ge"
    assert (by[("6.2", "投资驻区科技企业1年以上")]["op"], by[("6.2", "投资驻区科技企业1年以上")]["unit"]) == ("ge", "year")


def test_no_duplication_rule_is_found(xicheng):
    rules = xicheng.extraction.rules
    assert [(r.kind, r.clause) for r in rules] == [("no_duplication", "附则.2")]
    assert "从高、从优、不重复" in rules[0].quote


def test_coverage_reports_sentences_without_facts(xicheng):
    uncovered = {c for c, _, _ in xicheng.uncovered()}
    assert uncovered == {"6.1", "9"}


def test_metadata_from_text_and_file(xicheng):
    assert xicheng.meta["status"] == "征求意见稿"
    assert xicheng.meta["repeals"].startswith("《北京市西城区支持中关村科技园区西城园自主创新若干规定》")
    assert xicheng.meta["title"] == "北京市西城区促进科技创新及中关村科技园区西城园高质量发展若干措施"
