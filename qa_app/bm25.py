"""The lexical half of retrieval: jieba tokens, query expansion from data, Okapi BM25 scores.

The synonym and English→Chinese term lists live in ``qa_app/resources/`` (see ``load_lexicon``);
``qa_app.retrieval`` fuses these scores with dense ones.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml


@dataclass(frozen=True)
class Lexicon:
    synonyms: dict[str, tuple[str, ...]]
    stopwords: frozenset[str]
    en_terms: tuple[tuple[str, tuple[str, ...]], ...]  # longest phrase first


def load_lexicon(synonyms_path: Path, en_terms_path: Path) -> Lexicon:
    syn = yaml.safe_load(synonyms_path.read_text(encoding="utf-8"))
    terms = yaml.safe_load(en_terms_path.read_text(encoding="utf-8"))["terms"]
    ordered = sorted(terms.items(), key=lambda kv: -len(kv[0]))
    return Lexicon({k: tuple(v) for k, v in syn["synonyms"].items()},
                   frozenset(str(w) for w in syn["stopwords"]),
                   tuple((k.lower(), tuple(v)) for k, v in ordered))


def _jieba(lexicon: Lexicon):
    """Private, not kg_builder.nlp's global jieba: retrieval-only synonyms must not move the extractor's words."""
    words = [w for ws in list(lexicon.synonyms.values()) + [v for _, v in lexicon.en_terms] for w in ws]
    return _jieba_with(tuple(sorted(set(words))))


@lru_cache(maxsize=4)
def _jieba_with(words: tuple[str, ...]):
    from kg_builder.jieba_store import tokenizer

    tok = tokenizer()  # jieba's dictionary read on demand (kg_builder.jieba_store): the same cuts, a fast start
    for w in words:
        tok.add_word(w)
    return tok


def tokenize(text: str, lexicon: Lexicon) -> list[str]:
    words = _jieba(lexicon).lcut_for_search(text)
    return [w.lower() for w in words if w.strip() and w not in lexicon.stopwords]


def expand_query(question: str, lexicon: Lexicon) -> str:
    """The question plus policy words for the synonyms and English terms it contains."""
    extra = [w for key, words in lexicon.synonyms.items() if key in question for w in words]
    low = question.lower()
    for phrase, words in lexicon.en_terms:
        if re.search(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", low):
            extra.extend(words)
            low = low.replace(phrase, " ")
    return " ".join([question, *extra])


class BM25:
    """Okapi BM25 with the usual non-negative idf: log(1 + (N - df + .5) / (df + .5))."""

    def __init__(self, docs: list[list[str]], *, k1: float, b: float):
        self.k1, self.b = k1, b
        self.tf = [Counter(d) for d in docs]
        self.len = np.array([len(d) for d in docs], dtype=float)
        self.avg = float(self.len.mean()) if docs else 0.0
        df = Counter(w for d in self.tf for w in d)
        n = len(docs)
        self.idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}

    def scores(self, query: list[str]) -> np.ndarray:
        out = np.zeros(len(self.tf))
        norm = self.k1 * (1 - self.b + self.b * self.len / max(self.avg, 1e-9))
        for w in set(query):
            if w not in self.idf:
                continue
            f = np.array([tf.get(w, 0) for tf in self.tf], dtype=float)
            out += self.idf[w] * f * (self.k1 + 1) / (f + norm)
        return out
