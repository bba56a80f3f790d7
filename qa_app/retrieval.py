"""Hybrid retrieval over policy clauses: Okapi BM25 on jieba tokens (qa_app.bm25) + dense e5 vectors, fused.

One document per clause (items, articles without items, 附则 items): the parent article's
caption (e.g. 实施创新企业梯度培育) followed by the clause body. Queries are expanded with
domain synonyms and an English→Chinese term list, both kept as data in ``resources/``.
Passage embeddings are computed once per (model, passages) and cached under
``$POLICYKG_CACHE/embeddings``. Entry point: ``build_index(result, *, config)`` then
``search(question, *, index)``.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qa_app.bm25 import BM25, Lexicon, expand_query, load_lexicon, tokenize

RESOURCES = Path(__file__).resolve().parent / "resources"
FUSIONS = ("rrf", "weighted", "bm25", "dense")


@dataclass(frozen=True)
class RetrievalConfig:
    k1: float = 1.2
    b: float = 0.75
    fusion: str = "weighted"  # one of FUSIONS, chosen by benchmarks/eval_retrieval.py
    rrf_k: int = 60
    dense_weight: float = 0.5  # for fusion="weighted": w·dense + (1-w)·bm25, both min-max scaled
    # over several documents: the fused clause score + w·(min-max scaled BM25 of the question against each
    # document's title and opening, i.e. its sector and the kind of enterprise it is for)
    document_weight: float = 0.3
    # best BM25 score below which no clause shares the question's words: answers are flagged low_confidence.
    # Xicheng: in-scope questions (dev + own, 88) ≥ 6.0; off-topic ones (天气, 护照, 餐厅…) mostly 0–2.1.
    low_confidence_bm25: float = 3.0
    # abstention (qa_app.abstain), chosen by benchmarks/eval_abstain.py on tests/data/abstain + the dev sets: a Chinese
    # question is answered when best BM25 ≥ abstain_bm25_high, or best dense ≥ abstain_dense_high, or dense ≥
    # abstain_dense_low with BM25 ≥ abstain_bm25; a Latin-script one when BM25 (after en_terms) ≥ abstain_bm25_latin;
    # without the dense encoder, when BM25 ≥ abstain_bm25_only.
    # (BM25 here is best score / ln(1 + clauses): qa_app.abstain.normalised_bm25)
    abstain_bm25_high: float = 2.5
    abstain_dense_high: float = 0.905
    abstain_dense_low: float = 0.875
    abstain_bm25: float = 1.2
    abstain_bm25_latin: float = 1.0
    abstain_bm25_only: float = 1.2
    model: str | None = None  # None → POLICYKG_EMBED_MODEL or the converted multilingual-e5-small
    torch_threads: int | None = 1  # one query at a time: 1 thread is ~25 ms, 2 contend (0.2-0.8 s) on 2 cores
    synonyms_path: Path = RESOURCES / "synonyms.yaml"
    en_terms_path: Path = RESOURCES / "en_terms.yaml"


@dataclass(frozen=True)
class Passage:
    clause: str
    label: str
    start: int  # clause span incl. its marker （一）
    end: int
    body_start: int  # the quoted body is text[body_start:end]
    caption: str  # parent article's caption, context only (not quoted)
    document: str = ""  # the document id, in an index over several documents


@dataclass
class ClauseIndex:
    document: str
    text: str
    passages: list[Passage]
    lexicon: Lexicon
    config: RetrievalConfig
    bm25: BM25
    encoder: object | None = None
    vectors: np.ndarray | None = None
    extras: dict = field(default_factory=dict)  # e.g. measures by clause, graph (see qa_app.answer)
    texts: dict = field(default_factory=dict)  # document id → text, in an index over several documents
    titles: dict = field(default_factory=dict)  # document id → short title
    doc_bm25: BM25 | None = None  # one "document" per document: its title and who it is for (a prior)
    doc_ids: list = field(default_factory=list)

    def text_of(self, p: Passage) -> str:
        return self.texts.get(p.document, self.text)

    def document_of(self, p: Passage) -> str:
        return p.document or self.document


def passages_of(structure) -> list[Passage]:
    """One passage per clause, with its parent article's caption as context."""
    out, caption = [], ""
    for node in structure.root.walk():
        if node.kind in ("article", "supplementary", "chapter", "section", "heading"):
            caption = structure.quote(node.caption) if node.caption else ""
        if node.clause is not None:
            out.append(Passage(node.clause, node.label, node.start, node.end, node.body_start, caption))
    return out


def passage_text(p: Passage, text: str) -> str:
    body = text[p.body_start:p.end].strip()
    return f"{p.caption}：{body}" if p.caption else body


def _cache_file(model: str, prefix: str, texts: list[str]) -> Path:
    from qa_app.encoder import cache_root

    digest = hashlib.sha256("\x00".join([model, prefix, *texts]).encode("utf-8")).hexdigest()
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", model)
    return cache_root() / "embeddings" / safe / f"{digest[:32]}.npy"


def embed_passages(encoder, texts: list[str]) -> np.ndarray:
    """Passage vectors, computed once per (model, prefix, texts) and cached as .npy."""
    path = _cache_file(getattr(encoder, "cache_name", encoder.name), getattr(encoder, "passage_prefix", ""), texts)
    if path.exists():
        vectors = np.load(path)
        if vectors.shape == (len(texts), encoder.dim):
            return vectors
    vectors = encoder.encode_passages(texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{id(vectors)}.npy")
    np.save(tmp, vectors)
    tmp.replace(path)
    return vectors


def build_index(text: str, structure, *, document: str, config: RetrievalConfig = RetrievalConfig(),
                encoder=None) -> ClauseIndex:
    """Index the clauses of one policy text. `encoder=None` with fusion="bm25" skips dense."""
    lexicon = load_lexicon(config.synonyms_path, config.en_terms_path)
    passages = passages_of(structure)
    texts = [passage_text(p, text) for p in passages]
    bm25, encoder, vectors = _retrievers(texts, lexicon, config, encoder)
    return ClauseIndex(document, text, passages, lexicon, config, bm25, encoder, vectors)


def build_library_index(docs: list[tuple[str, str, str, object]], *, name: str,
                        config: RetrievalConfig = RetrievalConfig(), encoder=None) -> ClauseIndex:
    """Index the clauses of several documents, docs = [(id, short title, text, structure)]. Each passage is
    prefixed with its document's short title (the sector: 商贸业, 航运物流业), and each document is also
    indexed whole by its title and opening (who it is for), a prior that picks among similar clauses."""
    from dataclasses import replace as _replace
    lexicon = load_lexicon(config.synonyms_path, config.en_terms_path)
    passages, texts = [], []
    for doc_id, title, text, structure in docs:
        for p in passages_of(structure):
            passages.append(_replace(p, document=doc_id))
            texts.append(f"{title} {passage_text(p, text)}")
    bm25, encoder, vectors = _retrievers(texts, lexicon, config, encoder)
    openings = [f"{title} {title} {_opening(text)}" for _, title, text, _ in docs]
    index = ClauseIndex(name, "", passages, lexicon, config, bm25, encoder, vectors,
                        texts={d[0]: d[2] for d in docs}, titles={d[0]: d[1] for d in docs},
                        doc_bm25=BM25([tokenize(t, lexicon) for t in openings], k1=config.k1, b=config.b),
                        doc_ids=[d[0] for d in docs])
    index.extras["passage_texts"] = texts  # what the vectors encode (qa_app.snapshot stores them)
    return index


def _opening(text: str, chars: int = 400) -> str:
    """The title lines and first article: whom the document is for (享受本办法的企业须是…商贸企业)."""
    return text.strip()[:chars]


def _retrievers(texts: list[str], lexicon, config: RetrievalConfig, encoder):
    bm25 = BM25([tokenize(t, lexicon) for t in texts], k1=config.k1, b=config.b)
    encoder, vectors = encoder_vectors(texts, config, encoder)
    return bm25, encoder, vectors


def encoder_vectors(texts: list[str], config: RetrievalConfig, encoder=None):
    """(encoder, passage vectors): the configured encoder (none for fusion="bm25") and its cached vectors."""
    if encoder is None and config.fusion != "bm25":
        from qa_app.encoder import load_encoder
        encoder = load_encoder(config.model)
    _limit_threads(config.torch_threads)
    vectors = embed_passages(encoder, texts) if encoder is not None else None
    return encoder, vectors


def _limit_threads(n: int | None) -> None:
    import sys
    if n and "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(n)


def _rrf(*rankings: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros(len(rankings[0]))
    for scores in rankings:
        ranks = np.empty(len(scores), dtype=int)
        ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
        out += 1.0 / (k + ranks)
    return out


def _minmax(x: np.ndarray) -> np.ndarray:
    span = x.max() - x.min()
    return (x - x.min()) / span if span > 0 else np.zeros_like(x)


def all_scores(question: str, *, index: ClauseIndex) -> dict[str, np.ndarray]:
    """Scores of every passage by each retriever and each fusion (for evaluation)."""
    lex = index.bm25.scores(tokenize(expand_query(question, index.lexicon), index.lexicon))
    out = {"bm25": lex}
    if index.vectors is not None:
        dense = index.encoder.encode_queries([question])[0] @ index.vectors.T
        w = index.config.dense_weight
        out.update(dense=dense, rrf=_rrf(lex, dense, k=index.config.rrf_k),
                   weighted=w * _minmax(dense) + (1 - w) * _minmax(lex))
    return out


def search(question: str, *, index: ClauseIndex, k: int = 5, scores: dict | None = None,
           documents=()) -> list[tuple[Passage, float]]:
    """The k best clauses for a question, by the configured fusion (`scores`: all_scores, if already computed);
    over several documents, plus the document prior; `documents` restricts to those ids."""
    scores = scores if scores is not None else all_scores(question, index=index)
    fused = scores.get(index.config.fusion, scores["bm25"])
    if index.doc_bm25 is not None:
        fused = _minmax(fused) + index.config.document_weight * _document_prior(question, index)
    if documents:
        fused = np.where([index.document_of(p) in documents for p in index.passages], fused, -np.inf)
    order = [i for i in np.argsort(-fused, kind="stable")[:k] if np.isfinite(fused[i])]
    return [(index.passages[i], float(fused[i])) for i in order]


def _document_prior(question: str, index: ClauseIndex) -> np.ndarray:
    """Per passage: how well the question matches its document's title and opening (0..1)."""
    per_doc = _minmax(index.doc_bm25.scores(tokenize(expand_query(question, index.lexicon), index.lexicon)))
    where = {d: i for i, d in enumerate(index.doc_ids)}
    return np.array([per_doc[where[p.document]] for p in index.passages])
