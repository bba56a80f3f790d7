"""Abstention: say "本库政策未涉及" instead of a best guess when the corpus does not answer a question.

Two signals, both read from the corpus, never from a list of topics:
- the best retrieval scores: the dense (e5 cosine) score of the best clause, and the best BM25 score (over
  ln(1 + clauses), `normalised_bm25`, so that it does not grow with the size of the corpus) — a question
  is answered when it shares many of a clause's words (BM25 ≥ `abstain_bm25_high`), or its meaning is close to a
  clause (dense ≥ `abstain_dense_high`), or fairly close (≥ `abstain_dense_low`) while sharing some words
  (BM25 ≥ `abstain_bm25`). English questions score low on dense against Chinese text; their words reach BM25
  only through the domain term list, so BM25 decides (`abstain_bm25_latin`). Without the dense encoder, BM25
  alone decides (`abstain_bm25_only`). Thresholds chosen on tests/data/abstain/questions.yaml by
  benchmarks/eval_abstain.py (figures in benchmarks/RESULTS.md);
- a place the question names (jieba's place-name tag) that no document of the corpus mentions: another city;
- a question all of whose words are words of the clauses is never abstained on (奖励, 政策有效期).
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

ABSTAIN_NOTE = "本库政策未涉及 / the policies in this library do not cover this question"
PLACE_SUFFIXES = "省市区县镇新区"


@lru_cache(maxsize=256)
def named_places(question: str) -> tuple[str, ...]:
    """Place names in a question, by jieba's part-of-speech tag `ns`."""
    from kg_builder.jieba_store import default_tagger

    return tuple(w for w, flag in default_tagger().lcut(question) if flag == "ns" and len(w) >= 2)


def unknown_place(question: str, corpus_text: str) -> str | None:
    """The first place the question names that the corpus never mentions (also without 省/市/区…), or None.
    A question that also names a place the corpus mentions is about that place."""
    places = named_places(question)
    known = [p for p in places if _mentioned(p, corpus_text)]
    if known:
        return None
    return next((p for p in places if not _mentioned(p, corpus_text)), None)


def _mentioned(place: str, text: str) -> bool:
    stem = place.rstrip(PLACE_SUFFIXES)
    return place in text or (len(stem) >= 2 and stem in text)


def abstain_reason(question: str, scores: dict, config, corpus_text: str = "", known_words: bool = False) -> str | None:
    """Why the corpus does not answer `question` (None: it does). `scores` as qa_app.retrieval.all_scores;
    `known_words`: every word of the question is a word of the clauses (all_words_known) — a short or vague
    question in the corpus's own words (奖励) is not out of scope."""
    place = unknown_place(question, corpus_text) if corpus_text else None
    if place:
        return f"问题所指地区“{place}”不在本库政策范围内"
    if known_words:
        return None
    bm25 = normalised_bm25(scores["bm25"])
    if not re.search(r"[\u4e00-\u9fff]", question):  # English: only domain terms are translated (en_terms.yaml)
        return None if bm25 >= config.abstain_bm25_latin else "问题中没有本库政策的用词"
    if "dense" not in scores:
        return None if bm25 >= config.abstain_bm25_only else "没有条款与问题的用词相符"
    dense = float(scores["dense"].max())
    if bm25 >= config.abstain_bm25_high or dense >= config.abstain_dense_high:
        return None
    if dense >= config.abstain_dense_low and bm25 >= config.abstain_bm25:
        return None
    return "没有条款与问题的意思相近"


def all_words_known(question: str, index) -> bool:
    """Every Chinese word (≥2 characters, jieba as BM25 cuts it) of the question occurs in the indexed clauses."""
    from qa_app.bm25 import tokenize

    words = [w for w in tokenize(question, index.lexicon) if re.fullmatch(r"[\u4e00-\u9fff]{2,}", w)]
    return bool(words) and all(w in index.bm25.idf for w in words)


def normalised_bm25(bm25) -> float:
    """The best BM25 score over ln(1 + number of clauses): idf grows with the log of the corpus size, so one
    threshold holds for one policy file and for a folder of them."""
    n = len(bm25)
    return float(bm25.max()) / math.log(1 + n) if n else 0.0


def corpus_text_of(graph) -> str:
    """Every document's source text in a graph (pk:sourceText), joined: where places are looked up."""
    from kg_builder.vocab import PK
    from qa_app.snapshot import GraphSnapshot

    if isinstance(graph, GraphSnapshot):
        return "\n".join(graph.texts.values())
    return "\n".join(str(o) for o in graph.objects(None, PK.sourceText)) if graph is not None else ""
