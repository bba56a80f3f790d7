"""Many profiles: `policykg check FILE.csv --out`, `--batch`, and reasoner.batch.assess_many.

Every input row gets exactly one output row or line, in order; bad rows name row, id and field."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest

from kg_builder.config import DEFAULT_CORPUS as XICHENG
from kg_builder.errors import PolicyInputError
from policykg.cli import main
from reasoner.assess import assess
from reasoner.batch import assess_many, summary_row
from reasoner.profile import Profile

CSV = ("id,HighTechEnterprise,rdExpense,rdRatioAboveTarget\n"
       "a,new,15000000,是\n"        # row 2: 3.1 (超过1000万元) and 4.1 (新认定)
       "b,held,-3,\n"               # row 3: negative amount
       "c,new,abc,\n"               # row 4: not a number
       "d,renewed,10000000,否\n"     # row 5: exactly 1000万 is not 超过 → 3.1 ineligible
       "a,new,1,\n")                # row 6: repeated id


def _run(capsys, *args) -> tuple[int, str, str]:
    code = main(["check", "--corpus", str(XICHENG), *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def enterprises(tmp_path):
    path = tmp_path / "enterprises.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_csv_to_results_csv_keeps_every_row(capsys, enterprises, tmp_path):
    out = tmp_path / "results.csv"
    code, _, err = _run(capsys, enterprises, "--out", out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert code == 2 and [r["row"] for r in rows] == ["2", "3", "4", "5", "6"]
    assert [r["status"] for r in rows] == ["ok", "error", "error", "ok", "error"]
    a, d = rows[0], rows[3]
    assert {"3.1(3.1-1)", "4.1(4.1-1)"} <= set(a["eligible"].split(";"))
    assert Decimal(a["total_estimate_yuan"]) > 0 and "3.1" not in d["eligible"] and "3.1" in d["ineligible"]
    assert "row 3 (id b)" in rows[1]["error"] and "negative amount -3" in rows[1]["error"]
    assert "row 4 (id c)" in rows[2]["error"] and "not a number" in rows[2]["error"]
    assert "repeats row 2" in rows[4]["error"]
    assert "5 profiles checked (3 unreadable)" in err and "Traceback" not in err


def test_csv_to_jsonl_one_line_per_row(capsys, enterprises, tmp_path):
    out = tmp_path / "results.jsonl"
    _run(capsys, enterprises, "--out", out)
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [line.get("input") for line in lines] == [None, 3, 4, None, 6]
    assert lines[0]["profile"]["id"] == "a" and {r["clause"] for r in lines[0]["results"]} >= {"3.1", "4.1"}
    for r in lines[0]["results"]:
        assert set(r) >= {"clause", "measure", "label", "status", "estimate_yuan", "cap_yuan", "reasons", "missing",
                          "citation"}


def test_batch_lines_in_order(capsys, tmp_path):
    path = tmp_path / "batch.txt"
    path.write_text("我们是新认定的高企，研发费用1500万元\n我们不是高企\n我们是孵化器运营机构\n", encoding="utf-8")
    code, out, _ = _run(capsys, "--batch", path, "--json")
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and [x["profile"]["id"] for x in lines] == ["line1", "line2", "line3"]
    assert lines[0]["profile"]["qualifications"] == {"HighTechEnterprise": "new"}
    assert lines[1]["profile"]["qualifications"] == {"HighTechEnterprise": "none"}


@pytest.mark.parametrize("content,needle", [
    ("id,HighTechEnterprize\nx,new\n", "unknown column 'HighTechEnterprize'"),
    ("id,rdExpense,rdExpense\nx,1,2\n", "repeated column 'rdExpense'"),
])
def test_bad_header_is_one_error_for_the_file(capsys, tmp_path, content, needle):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    code, out, err = _run(capsys, path, "--json")
    assert code == 2 and out == "" and needle in err and "line 1" in err and len(err.strip().splitlines()) == 1


def test_gbk_csv_from_excel_is_read(capsys, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("id,HighTechEnterprise,rdExpense\n甲公司,new,15000000\n".encode("gb18030"))
    code, out, _ = _run(capsys, path, "--json")
    assert code == 0 and json.loads(out)["profile"]["id"] == "甲公司"


def test_extra_cells_name_the_row(capsys, tmp_path):
    path = tmp_path / "extra.csv"
    path.write_text("id,rdExpense\nx,1,2\ny,3\n", encoding="utf-8")
    code, out, err = _run(capsys, path, "--json")
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 2 and lines[0] == {"input": 2, "error": lines[0]["error"]} and "row 2" in lines[0]["error"]
    assert lines[1]["profile"]["id"] == "y"


def test_out_format_and_audit_misuse_are_errors(capsys, enterprises, tmp_path):
    code, _, err = _run(capsys, enterprises, "--out", tmp_path / "r.xlsx")
    assert code == 2 and "unknown results format .xlsx" in err
    code, _, err = _run(capsys, enterprises, "--audit", tmp_path / "a.ttl")
    assert code == 2 and "one decision" in err and not (tmp_path / "a.ttl").exists()


def test_assess_many_equals_assess_across_chunks(xicheng):
    graph = xicheng.graph
    profiles = [Profile(id=f"e{i}", qualifications={"HighTechEnterprise": s},
                        quantities={"rdExpense": Decimal(v)})
                for i, (s, v) in enumerate([("new", 15000000), ("renewed", 10000000), ("held", 10000001),
                                            ("none", 0), ("new", 999999999)])]
    items = [(i, p) for i, p in enumerate(profiles)]
    items.insert(2, (99, PolicyInputError("x.csv", "bad", where="row 4")))
    seen = []
    got = list(assess_many(items, graph, chunk=2, progress=seen.append))
    assert [k for k, _ in got] == [0, 1, 99, 2, 3, 4] and sum(seen) == len(items)
    assert isinstance(got[2][1], PolicyInputError)
    for (_, report), p in zip([g for g in got if g[0] != 99], profiles):
        assert report["results"] == assess(p, graph)["results"]


def test_reference_engine_gives_the_same_results(capsys, enterprises, tmp_path):
    fast, ref = tmp_path / "fast.jsonl", tmp_path / "ref.jsonl"
    _run(capsys, enterprises, "--out", fast)
    _run(capsys, enterprises, "--out", ref, "--engine", "shacl")
    assert fast.read_text(encoding="utf-8") == ref.read_text(encoding="utf-8")


ODD = ("\ufeffid,HighTechEnterprise,rdExpense,rdRatioAboveTarget,roles\n"
       "a,new,15000000,是, \n"
       "\n"                                   # an empty line is no row
       'b,"renewed","1,000万",否,"x;\ny"\n'   # quoted cells, a newline inside a quoted cell
       "c,held,20000000\n"                    # fewer cells: the rest is empty
       "d,new,1,2,3,4\n"                      # more cells than the header: an error naming row 5
       "e,none,0万,true,\n"
       " a ,new,1,,\n")                       # the id is stripped: repeats row 2


@pytest.mark.parametrize("block", [1 << 20, 64], ids=["one-block", "small-blocks"])
def test_registry_reader_equals_the_profile_path(tmp_path, xicheng, monkeypatch, block):
    """pyarrow reads the registry (Python's csv module from the first malformed row on): the summary rows are
    the per-profile path's, row numbers and errors included, whatever the block size."""
    import reasoner.tabular as tabular
    from reasoner.csvprofile import profiles_from_csv
    monkeypatch.setattr(tabular, "BLOCK", block)
    src, out = tmp_path / "odd.csv", tmp_path / "odd_results.csv"
    src.write_text(ODD + ODD.split("\n", 1)[1] * 2 if block == 64 else ODD, encoding="utf-8")
    text = src.read_text(encoding="utf-8-sig")
    tabular.run_batch(src, out, xicheng.graph, chunk=2)
    got = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    items = list(profiles_from_csv(text, source=str(src)))
    want = [{k: str(v) for k, v in summary_row(n, item).items()} for n, item in assess_many(items, xicheng.graph)]
    assert got == want and len(got) == (18 if block == 64 else 6)
    assert "cells more than the header" in got[3]["error"] and "row 5" in got[3]["error"]
