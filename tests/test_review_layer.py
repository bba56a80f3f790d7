"""Legal staff corrections are data: applied at build, marked reviewed, stale edits refused, saves safe."""
from __future__ import annotations

from decimal import Decimal

import pytest
import yaml

from conftest import XICHENG
from kg_builder.build import build_source
from kg_builder.config import BuildConfig
from kg_builder.errors import ReviewConflict
from kg_builder.review import file_version, review_path, save_entry
from kg_builder.views import measures_json

BASE = {"reviewer": "王律师", "date": "2026-11-27"}


def build_with(tmp_path, entries):
    review_path(tmp_path, "xicheng_measures_draft").write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    result = build_source(XICHENG, config=BuildConfig(review_dir=tmp_path))
    return result, {m["id"].split("/", 1)[1]: m for m in measures_json(result.graph, result.doc_id)}


def test_correction_changes_the_fact_and_marks_it_reviewed(tmp_path):
    entry = {**BASE, "id": "r1", "action": "correct", "measure": "1.5-1", "path": "amounts.1.kind",
             "value": "max_per_item", "expect": "max_total", "reason": "“给予落地主体不超过500万元奖励”按单个项目计"}
    result, measures = build_with(tmp_path, [entry])
    amount = measures["1.5-1"]["amounts"][0]
    assert (amount["kind"], amount["origin"]) == ("max_per_item", "reviewed")
    assert result.reviews[0].applied


def test_stale_correction_is_not_applied(tmp_path):
    entry = {**BASE, "id": "r2", "action": "correct", "measure": "1.5-1", "path": "amounts.1.value",
             "value": "4000000", "expect": "123", "reason": "测试"}
    result, measures = build_with(tmp_path, [entry])
    assert measures["1.5-1"]["amounts"][0]["value"] == Decimal("5000000")
    assert not result.reviews[0].applied and "stale" in result.reviews[0].note


def test_confirm_and_add_amount(tmp_path):
    text = XICHENG.read_text(encoding="utf-8")
    start = text.index("年度支持资金不超过30万元")
    entries = [{**BASE, "id": "r3", "action": "confirm", "measure": "4.1-1", "reason": "核对无误"},
               {**BASE, "id": "r4", "action": "add_amount", "measure": "1.4-1", "kind": "max_annual", "value": "300000",
                "start": start, "end": start + 13, "reason": "示例"}]
    result, measures = build_with(tmp_path, entries)
    assert measures["4.1-1"]["origin"] == "reviewed"
    added = measures["1.4-1"]["amounts"][0]
    assert (added["kind"], added["origin"], added["citation"]["quote"]) == ("max_annual", "reviewed", "年度支持资金不超过30万元")


def test_concurrent_save_does_not_overwrite(tmp_path):
    path = review_path(tmp_path, "doc")
    entry = {**BASE, "id": "a", "action": "confirm", "measure": "4.1-1", "reason": "x"}
    seen_by_both = file_version(path)
    save_entry(path, entry, based_on=seen_by_both)
    with pytest.raises(ReviewConflict):
        save_entry(path, {**entry, "id": "b"}, based_on=seen_by_both)
    assert [e["id"] for e in yaml.safe_load(path.read_text(encoding="utf-8"))] == ["a"]


def test_replace_amounts_and_its_stale_check(tmp_path):
    """replace_amounts swaps the whole list (quotes found in the measure's span); a changed extraction is refused."""
    entry = {**BASE, "id": "r5", "action": "replace_amounts", "measure": "1.5-1", "expect": ["max_total 5000000"],
             "amounts": [{"kind": "max_per_item", "value": "5000000", "quote": "不超过500万元"}], "reason": "按单个项目计"}
    stale = {**entry, "id": "r6", "measure": "3.1-1"}
    result, measures = build_with(tmp_path, [entry, stale])
    amount = measures["1.5-1"]["amounts"][0]
    assert (amount["kind"], amount["value"], amount["origin"], amount["citation"]["quote"]) == \
        ("max_per_item", Decimal("5000000"), "reviewed", "不超过500万元")
    assert [o.applied for o in result.reviews] == [True, False] and "stale" in result.reviews[1].note


def test_add_measure_with_minted_base_and_threshold(tmp_path):
    from kg_builder.mint import minted_id
    entry = {**BASE, "id": "r7", "action": "add_measure", "measure": "1.5-2", "like": "1.5-1",
             "quote": "根据其项目规模、成果转化效益、行业带动引领等情况，给予落地主体不超过500万元奖励", "beneficiary": "落地主体", "benefit": "奖励",
             "amounts": [{"kind": "ratio", "value": "0.1", "quote": "500万元", "base": "mint:成果转化效益"}],
             "conditions": [{"kind": "threshold", "quote": "项目规模", "quantity": "mint:项目规模", "op": "ge",
                             "value": "1", "unit": "CNY"}], "reason": "示例"}
    again = {**entry, "id": "r8", "measure": "1.5-1"}  # the extractor gives that key: refused, not duplicated
    result, measures = build_with(tmp_path, [entry, again])
    added = measures["1.5-2"]
    assert (added["origin"], added["beneficiary"], added["label"]) == ("reviewed", "落地主体", "第一条（五）")
    assert added["amounts"][0]["base_quantity"] == minted_id("quantity", "成果转化效益")
    threshold = next(c for c in added["conditions"] if c["kind"] == "threshold")
    assert (threshold["quantity"], threshold["op"], threshold["value"]) == (minted_id("quantity", "项目规模"), "ge", Decimal("1"))
    assert not result.reviews[1].applied and "exists" in result.reviews[1].note


def test_correct_and_delete_a_fact_by_its_words(tmp_path):
    entries = [{**BASE, "id": "r9", "action": "correct", "measure": "3.1-1", "path": "conditions.op",
                "where": "年度研发费用超过1000万元", "value": "ge", "expect": "gt", "reason": "示例"},
               {**BASE, "id": "r10", "action": "delete", "measure": "1.5-1", "path": "amounts",
                "expect": "不超过500万元", "reason": "示例"},
               {**BASE, "id": "r11", "action": "delete", "measure": "1.5-1", "path": "amounts",
                "expect": "不超过500万元", "reason": "已删除，再删即过期"}]
    result, measures = build_with(tmp_path, entries)
    op = next(c["op"] for c in measures["3.1-1"]["conditions"] if c["citation"]["quote"] == "年度研发费用超过1000万元")
    assert op == "ge" and measures["1.5-1"]["amounts"] == []
    assert [o.applied for o in result.reviews] == [True, True, False]


def test_quote_that_occurs_twice_needs_a_span(tmp_path):
    entry = {**BASE, "id": "r12", "action": "add_condition", "measure": "1.4-1", "quote": "年度支持金额不超过500万元",
             "reason": "示例"}
    result, _ = build_with(tmp_path, [entry])
    assert not result.reviews[0].applied and "give start and end" in result.reviews[0].note
