"""`policykg ask`: JSON per question, batch in order, a bad line becomes an error object."""
from __future__ import annotations

import json

from policykg.cli import main


def test_ask_json(capsys):
    assert main(["ask", "并购贷款的利息能补吗", "--json", "-k", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["answers"][0]["clause"] == "6.3" and set(out) >= {"question", "answers", "eligibility"}


def test_ask_batch_keeps_order_and_reports_blank_lines(tmp_path, capsys):
    f = tmp_path / "q.txt"
    f.write_text("孵化器支持资金上限\n\n   \nIs there support for exhibition fees?\n", encoding="utf-8")
    assert main(["ask", "--batch", str(f), "--json", "-k", "1"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x.get("line") for x in lines] == [None, 2, 3, None]
    assert lines[0]["answers"][0]["clause"] == "7.1" and lines[3]["answers"][0]["clause"] == "10.3"
    assert "empty" in lines[1]["error"]


def test_ask_bad_input_is_one_line_exit_2(capsys):
    assert main(["ask", "   "]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "empty" in err


def test_ask_plain_output_is_readable_chinese(capsys):
    assert main(["ask", "隐形冠军企业奖励", "-k", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("问：隐形冠军企业奖励") and "第四条（三）" in out


def test_batch_not_utf8(tmp_path, capsys):
    f = tmp_path / "q.bin"
    f.write_bytes(b"\xff\xfe\x00garbage\x80")
    assert main(["ask", "--batch", str(f), "--json"]) == 2
    assert "not UTF-8" in capsys.readouterr().err
