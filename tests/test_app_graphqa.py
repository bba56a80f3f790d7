"""The Q&A page (AppTest): a list question shows every matching clause as a table (document, clause, amount, quote)
with the SPARQL that ran; an aggregate shows its value; a question the corpus does not cover shows 本库政策未涉及
and no clause."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

P1 = str(Path(__file__).resolve().parent.parent / "qa_app" / "pages" / "1_政策问答与资格自测.py")


@pytest.fixture(autouse=True)
def review_dir(tmp_path_factory, monkeypatch):
    path = tmp_path_factory.getbasetemp() / "reviews"
    path.mkdir(exist_ok=True)
    monkeypatch.setenv("POLICYKG_REVIEW_DIR", str(path))


def ask(question: str) -> AppTest:
    at = AppTest.from_file(P1, default_timeout=120).run()
    at.text_input(key="question").input(question)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def test_a_list_question_shows_every_matching_clause_as_a_table_with_its_query():
    at = ask("哪些条款按市级资金1:0.5给予配套？")
    table = at.dataframe[0].value
    assert list(table.columns) == ["文件 / document", "条款 / clause", "金额 / amount", "原文 / quote"]
    assert list(table["条款 / clause"]) == ["第八条（一）", "第十条（一）", "第十条（二）"]
    assert all("1:0.5" in q for q in table["原文 / quote"])
    assert set(table["金额 / amount"]) == {"配套比例 1:0.5"}
    assert "促进科技创新" in table["文件 / document"][0]
    assert any("SELECT" in c.value and "pk:match_ratio" in c.value for c in at.code)
    assert not at.info


def test_an_aggregate_shows_its_value_and_the_clause_it_comes_from():
    at = ask("西城的措施中定额奖励最高是多少？")
    assert at.metric[0].value.startswith("5,000,000 元")
    assert list(at.dataframe[0].value["条款 / clause"]) == ["第四条（二）"]


def test_a_question_the_corpus_does_not_cover_says_so_and_shows_no_clause():
    at = ask("个人所得税税率是多少")
    assert [i.value for i in at.info] == ["本库政策未涉及"]
    assert not at.dataframe
    assert "第" not in "".join(str(m.value) for m in at.markdown if m.value.startswith("####"))
