"""Every policy text of the test corpus end to end through the CLI (in process, one shared encoder): `build`,
`measures --json`, `check --text`, `check PROFILE.json` (naming a concept minted from that text by its Chinese
label) and `ask` exit 0 with valid JSON — no text may stop them with an internal error (issue 9)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg_builder.build import build_source
from kg_builder.views import minted_concepts
from policykg.cli import main

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [p for p in sorted((ROOT / "corpus").glob("*.txt")) if "guide" not in p.name]
TEXTS += sorted((ROOT / "tests/data/policies").glob("*.txt"))


def _json_lines(out: str) -> list:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.mark.parametrize("path", TEXTS, ids=[p.stem for p in TEXTS])
def test_every_command_runs_on_the_text(path, tmp_path, capsys):
    corpus = str(path)
    assert main(["build", "--corpus", corpus, "--out", str(tmp_path)]) == 0, capsys.readouterr().err
    capsys.readouterr()

    assert main(["measures", "--corpus", corpus, "--json"]) == 0
    measures = json.loads(capsys.readouterr().out)
    assert measures and all(m["conditions"] for m in measures)

    assert main(["check", "--corpus", corpus, "--text", "我们是新注册的企业，年营业收入3亿元，研发费用1500万元", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert len(report["results"]) == len(measures)

    minted = [c for c in minted_concepts(build_source(path).graph) if c.scheme == "quantity" and c.unit == "CNY"]
    facts = {minted[0].zh: {"value": 3, "unit": "亿元"}} if minted else {"revenue": {"value": 3, "unit": "亿元"}}
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"id": "e1", "quantities": facts}, ensure_ascii=False), encoding="utf-8")
    assert main(["check", "--corpus", corpus, str(profile), "--json"]) == 0, capsys.readouterr().err
    report = json.loads(capsys.readouterr().out)
    if minted:  # the label named the minted concept: no result asks for it any more
        assert not any(minted[0].id in r["missing_fields"] for r in report["results"])

    assert main(["ask", "--corpus", corpus, "奖励多少", "--json", "-k", "2"]) == 0
    answer = _json_lines(capsys.readouterr().out)[0]
    assert answer["question"] == "奖励多少" and isinstance(answer["answers"], list)  # a vague question may abstain
