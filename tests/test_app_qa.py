"""qa_app.ui.qa: the pages' calls into retrieval and the reasoner, and the BM25-only index the app falls back
to when the dense encoder cannot load (torch or the converted model missing)."""
from __future__ import annotations

import logging
from decimal import Decimal

import pytest

from kg_builder.errors import PolicyInputError
from kg_builder.views import measures_json
from qa_app.ui import qa
from qa_app.ui.resources import Loaded


@pytest.fixture
def loaded(xicheng):
    return Loaded(xicheng, measures_json(xicheng.graph, xicheng.doc_id), {})


@pytest.fixture
def no_encoder(monkeypatch):
    import qa_app.encoder

    def missing(*_, **__):
        raise ImportError("No module named 'torch'")
    monkeypatch.setattr(qa_app.encoder, "load_encoder", missing)


def test_without_dense_encoder_the_index_is_bm25_only_and_still_cites_article_7_item_1(loaded, no_encoder, caplog):
    with caplog.at_level(logging.WARNING, logger="policykg.app"):
        index = qa.make_index(loaded)
    assert (index.config.fusion, index.vectors) == ("bm25", None)
    assert "BM25 only" in caplog.text
    top = qa.answer("孵化器支持资金上限", loaded)["answers"][0]
    assert top["label"] == "第七条（一）"
    assert "年度支持金额不超过1000万元" in top["quote"]


def test_a_bug_while_indexing_is_raised_not_taken_for_a_missing_encoder(loaded, monkeypatch):
    import qa_app.encoder

    def broken(*_, **__):
        raise TypeError("unexpected argument")
    monkeypatch.setattr(qa_app.encoder, "load_encoder", broken)
    with pytest.raises(TypeError, match="unexpected argument"):
        qa.make_index(loaded)


def test_the_index_is_built_once_per_loaded_build(loaded, no_encoder):
    assert loaded.index is loaded.index


def test_overlong_question_is_refused_naming_the_question(loaded, no_encoder):
    with pytest.raises(PolicyInputError, match="question.*characters long"):
        qa.answer("孵化器" * 1000, loaded)


def test_form_profile_goes_through_the_reasoner_capped_by_article_10_item_1(loaded):
    profile = {"qualifications": {"ForeignRDCenter": "held"}, "quantities": {"municipalFunds": Decimal(12000000)},
               "flags": {}}
    unconfirmed = next(r for r in qa.check(profile, loaded)["results"] if r["clause"] == "10.1")
    assert unconfirmed["status"] == "needs_info"  # 获得北京市认定 is a condition the enterprise confirms
    profile["confirmed"] = ["10.1-1"]
    result = qa.check(profile, loaded)
    row = next(r for r in result["results"] if r["clause"] == "10.1")
    assert (row["status"], row["estimate_yuan"], row["cap_bound"]) == ("eligible", Decimal(5000000), "max_total")
    assert [r["measure"] for r in qa.shown_results(result)][0] == row["measure"]
