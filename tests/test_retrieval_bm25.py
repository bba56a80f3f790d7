"""qa_app.bm25: Okapi BM25 scores by the formula, and the tokens the lexical retriever indexes."""
from __future__ import annotations

import math

import pytest

from qa_app.bm25 import BM25, expand_query, load_lexicon, tokenize
from qa_app.retrieval import RetrievalConfig


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(RetrievalConfig().synonyms_path, RetrievalConfig().en_terms_path)


def test_score_follows_okapi_formula_for_a_term_in_one_of_two_equal_length_docs():
    index = BM25([["孵化器", "资金"], ["资金", "奖励"]], k1=1.2, b=0.75)
    # idf = log(1 + (2 - 1 + .5) / (1 + .5)) = log 2; tf 1 at average length: tf·(k1+1)/(tf+k1) = 1
    assert index.scores(["孵化器"]).tolist() == pytest.approx([math.log(2), 0.0])


def test_term_in_every_doc_keeps_a_positive_idf_and_unknown_terms_score_nothing():
    index = BM25([["资金"], ["资金", "奖励"]], k1=1.2, b=0.75)
    assert index.idf["资金"] == pytest.approx(math.log(1.2))
    assert index.scores(["未出现"]).tolist() == [0.0, 0.0]


def test_longer_doc_scores_lower_for_the_same_term_count():
    index = BM25([["孵化器"], ["孵化器", "资金", "奖励", "支持"]], k1=1.2, b=0.75)
    short, long = index.scores(["孵化器"])
    assert short > long > 0


def test_tokens_are_search_mode_lowercased_and_without_stopwords(lexicon):
    assert {"的", "多少"} <= lexicon.stopwords
    assert tokenize("孵化器的AI资金多少", lexicon) == ["孵化", "化器", "孵化器", "ai", "资金"]


def test_english_terms_expand_into_policy_words(lexicon):
    phrase, words = lexicon.en_terms[0]
    assert expand_query(f"what about {phrase}?", lexicon).split(" ")[-len(words):] == list(words)


def test_sqlite_jieba_dictionary_cuts_like_jieba(tmp_path, monkeypatch):
    """kg_builder.jieba_store reads jieba's dictionary on demand: the same cuts as a plain jieba.Tokenizer."""
    import jieba

    from conftest import ROOT
    from kg_builder.jieba_store import SqliteFreq, tokenizer
    monkeypatch.setenv("POLICYKG_CACHE", str(tmp_path))
    fast, plain = tokenizer(), jieba.Tokenizer()
    assert isinstance(fast.FREQ, SqliteFreq) and list(tmp_path.glob("jieba/*.sqlite"))
    for word in ("孵化器", "专精特新", "小巨人"):
        fast.add_word(word)
        plain.add_word(word)
    from kg_builder.corpus import decode
    lines = [line for p in sorted((ROOT / "corpus").glob("*.txt"))
             for line in decode(p.read_bytes(), str(p))[0].splitlines() if line.strip()]
    lines += ["孵化器支持资金上限", "How much for a high-tech enterprise? 高企研发费用1500万元"]
    assert len(lines) > 100
    for line in lines:
        assert fast.lcut_for_search(line) == plain.lcut_for_search(line), line
        assert fast.lcut(line) == plain.lcut(line), line
    assert fast.total == plain.total


def test_sqlite_jieba_tags_like_posseg(tmp_path, monkeypatch):
    """kg_builder.jieba_store.tagger looks part-of-speech tags up in the same store: the same words and tags as a
    jieba.posseg.POSTokenizer over a plain jieba.Tokenizer, with words added (reasoner.conditiontext) or not
    (qa_app.abstain's place names)."""
    import jieba

    from conftest import ROOT
    from kg_builder.jieba_store import SqliteTags, posseg, tagger, tokenizer
    monkeypatch.setenv("POLICYKG_CACHE", str(tmp_path))
    pseg = posseg()
    plain_tok, fast_tok = jieba.Tokenizer(), tokenizer()
    for word in ("市级及以上", "单项冠军"):
        plain_tok.add_word(word, freq=100000)
        fast_tok.add_word(word, freq=100000)
    pairs = [(tagger(fast_tok), pseg.POSTokenizer(plain_tok)), (tagger(tokenizer()), pseg.POSTokenizer(jieba.Tokenizer()))]
    assert all(isinstance(fast.word_tag_tab, SqliteTags) for fast, _ in pairs)
    from kg_builder.corpus import decode
    lines = [line for p in sorted((ROOT / "corpus").glob("*.txt"))
             for line in decode(p.read_bytes(), str(p))[0].splitlines()[:40] if line.strip()]
    lines += ["我们在上海市浦东新区注册，获得市级及以上资金支持", "深圳的企业能申请吗", "单项冠军企业"]
    for line in lines:
        for fast, plain in pairs:
            assert [tuple(x) for x in fast.lcut(line)] == [tuple(x) for x in plain.lcut(line)], line
