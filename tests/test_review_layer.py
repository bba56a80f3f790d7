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
