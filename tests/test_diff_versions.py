"""`policykg diff`: the made-up final version of the Xicheng draft (tests/data/versions) against the draft.
Every edit listed in its metadata is found, each side cited verbatim, and nothing else is reported."""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, XICHENG
from kg_builder.corpus import load_source
from kg_builder.diff import diff_measures
from policykg.cli import main

VERSIONS = ROOT / "tests" / "data" / "versions"
FINAL = VERSIONS / "xicheng_final_test.txt"
EXPECTED = yaml.safe_load((VERSIONS / "xicheng_final_test.expected.yaml").read_text(encoding="utf-8"))
TEXTS = {"xicheng_measures_draft": XICHENG.read_text(encoding="utf-8"), "xicheng_final_test": FINAL.read_text(encoding="utf-8")}


@pytest.fixture(scope="module")
def report():
    import contextlib
    import io
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["diff", str(XICHENG), str(FINAL), "--json"]) == 0
    return json.loads(out.getvalue())


def _cited(side: dict) -> None:
    c = side["citation"]
    assert TEXTS[c["document"]][c["start"]:c["end"]] == c["quote"], side["measure"]


def test_metadata_says_it_is_a_made_up_final_version_of_the_draft():
    meta = load_source(FINAL).meta
    assert meta["made_up_test_version"] is True and meta["status"] == "正式文本"
    assert meta["replaces"] == meta["amends"] == "xicheng_measures_draft" and str(meta["date_in_force"]) == "2027-01-01"


def test_added_and_removed_are_exactly_the_edited_items(report):
    assert [(m["label"], m["document"]) for m in report["added"]] == [(e["label"], "xicheng_final_test") for e in EXPECTED["added"]]
    assert [(m["label"], m["document"]) for m in report["removed"]] == [(e["label"], "xicheng_measures_draft") for e in EXPECTED["removed"]]
    for side, expected in [*zip(report["added"], EXPECTED["added"]), *zip(report["removed"], EXPECTED["removed"])]:
        assert expected["quote_has"] in side["citation"]["quote"]
        _cited(side)


def test_changed_are_exactly_the_edits_and_renumberings(report, xicheng):
    found = Counter((c["old"]["label"], c["new"]["label"], tuple(c["fields"])) for c in report["changed"])
    expected = Counter({(e["old"], e["new"], tuple(e["fields"])): e.get("count", 1) for e in EXPECTED["changed"]})
    assert found == expected
    assert report["unchanged"] + len(report["changed"]) + len(report["removed"]) == len(xicheng.measures)


def test_each_change_cites_both_sides_with_the_edited_words(report):
    by_label = {(c["old"]["label"], c["new"]["label"]): c for c in report["changed"]}
    for e in EXPECTED["changed"]:
        c = by_label[(e["old"], e["new"])]
        _cited(c["old"])
        _cited(c["new"])
        assert c["old"]["document"] == "xicheng_measures_draft" and c["new"]["document"] == "xicheng_final_test"
        if "old_has" in e:
            assert e["old_has"] in c["old"]["citation"]["quote"] and e["new_has"] in c["new"]["citation"]["quote"]


def test_amount_and_threshold_values_are_the_new_numbers(report):
    by_label = {c["new"]["label"]: c for c in report["changed"]}
    amounts = by_label["第四条（一）"]["changes"][0]
    assert [Decimal(str(a["value"])) for a in amounts["old"]] == [Decimal(300000)]
    assert [Decimal(str(a["value"])) for a in amounts["new"]] == [Decimal(500000)]
    conditions = by_label["第三条（四）"]["changes"][0]
    values = lambda cs: [Decimal(str(c["value"])) for c in cs if c["kind"] == "threshold"]  # noqa: E731
    assert values(conditions["old"]) == [Decimal(200000000)] and values(conditions["new"]) == [Decimal(300000000)]


def test_the_same_file_twice_gives_an_empty_diff(capsys, xicheng):
    assert main(["diff", str(XICHENG), str(XICHENG), "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert (r["added"], r["removed"], r["changed"]) == ([], [], []) and r["unchanged"] == len(xicheng.measures)


def test_a_missing_file_is_one_error_line_exit_2(capsys, tmp_path):
    assert main(["diff", str(XICHENG), str(tmp_path / "nope.txt")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "nope.txt" in err[0] and "no such file" in err[0]


def test_text_output_marks_added_removed_and_renumbered(capsys):
    assert main(["diff", str(XICHENG), str(FINAL)]) == 0
    out = capsys.readouterr().out
    assert "+ 第三条（五）" in out and "- 第五条（四）" in out and "~ 第九条 → 第十二条 (label)" in out
    assert "fixed 300000 → fixed 500000" in out


def test_matching_follows_content_when_items_are_renumbered():
    def m(mid, label, quote, value):
        return {"id": f"d/{mid}", "clause": mid.split("-")[0], "label": label, "beneficiary": "企业", "benefit": "奖励",
                "conditions": [], "amounts": [{"kind": "fixed", "value": Decimal(value),
                                               "citation": {"document": "d", "start": 0, "end": 1, "quote": "x"}}],
                "citation": {"document": "d", "start": 0, "end": len(quote), "quote": quote}}
    old = [m("1.1-1", "第一条（一）", "对新认定的企业给予10万元奖励", 100000),
           m("1.2-1", "第一条（二）", "对首次入选小巨人的企业给予50万元奖励", 500000)]
    new = [m("1.1-1", "第一条（一）", "对新落户的总部企业给予200万元奖励", 2000000),
           m("1.2-1", "第一条（二）", "对新认定的企业给予10万元奖励", 100000),
           m("1.3-1", "第一条（三）", "对首次入选小巨人的企业给予50万元奖励", 500000)]
    r = diff_measures(old, new)
    assert [a["label"] for a in r["added"]] == ["第一条（一）"] and r["removed"] == []
    assert [(c["old"]["label"], c["new"]["label"], c["fields"]) for c in r["changed"]] == [
        ("第一条（一）", "第一条（二）", ["label"]), ("第一条（二）", "第一条（三）", ["label"])]
