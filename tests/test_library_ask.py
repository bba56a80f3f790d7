"""`ask` over the corpus folder: every answer names its document; a question written for one document gets that
document first (tests/data/library/questions.yaml); --doc restricts; a single file answers as before."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from kg_builder.config import DEFAULT_CORPUS, DEFAULT_LIBRARY
from qa_app.answer import ask, load_index

QUESTIONS = yaml.safe_load((Path(__file__).parent / "data" / "library" / "questions.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def index():
    return load_index(DEFAULT_LIBRARY)


def test_every_document_has_questions():
    assert {c["document"] for c in QUESTIONS} == {p.stem for p in DEFAULT_LIBRARY.glob("*.txt")}


@pytest.mark.parametrize("case", QUESTIONS, ids=[c["q"] for c in QUESTIONS])
def test_the_document_a_question_was_written_for_comes_first(index, case):
    out = ask(case["q"], index=index, k=3)
    top = out["answers"][0]
    assert top["document"] == case["document"] == top["citation"]["document"]
    text = index.texts[top["document"]]
    assert text[top["citation"]["start"]:top["citation"]["end"]] == top["quote"]
    assert top["document_title"] and top["answer"].startswith(top["label"] + "：")


def test_doc_restricts_to_the_named_documents(index):
    out = ask("租金补贴", index=index, k=5, documents=("nansha_zongbu_jingji_banfa_2017",))
    assert out["answers"] and {a["document"] for a in out["answers"]} == {"nansha_zongbu_jingji_banfa_2017"}


def test_cli_json_names_the_document_and_rejects_an_unknown_one(capsys):
    from policykg.cli import main
    assert main(["ask", "航运企业租金补贴", "--json", "-k", "2", "--doc", "nansha_hangyun_wuliu_2017"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [a["document"] for a in out["answers"]] == ["nansha_hangyun_wuliu_2017"] * 2
    assert out["answers"][0]["document_title"] == "促进航运物流业发展扶持办法"
    assert main(["ask", "租金", "--doc", "nope"]) == 2
    assert "no document 'nope'" in capsys.readouterr().err


def test_a_single_file_answers_as_before():
    out = ask("孵化器支持资金上限", index=load_index(DEFAULT_CORPUS), k=1)
    a = out["answers"][0]
    assert (a["clause"], a["document"], a["citation"]["document"]) == ("7.1", "xicheng_measures_draft",
                                                                       "xicheng_measures_draft")
