"""Answers with citations: ranked clauses, each with its verbatim quote and a short factual answer
composed only from graph values and quoted spans; enterprise self-descriptions also get the
eligibility check. Entry point: ``ask(question, *, index, k=5)`` → plain data (see issue 4).
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from kg_builder.errors import PolicyInputError
from qa_app.retrieval import ClauseIndex, Passage, RetrievalConfig, all_scores, build_index, search

MAX_CHARS = 2000
SELF = re.compile(r"我们|我司|本公司|我公司|我单位|本单位|本企业|我们公司|\bour (company|firm|enterprise)\b"
                  r"|\bwe (are|have|were|got)\b|\bwe're\b|\bmy (company|firm)\b", re.I)
FACT = re.compile(r"\d|[一二三四五六七八九十两百千万亿]+(万|亿|元|年|家|项)|是(?!否)|有|获得|认定|评上|成为"
                  r"|拿到|拿了|荣获|获评|通过|负责运营|持股|引进|取得|得到|填补|注册|开展|具有|拥有|上市|备案|签订"
                  r"|\b(is|are|have|has|got|became|certified)\b", re.I)
AMOUNT_KINDS = {"fixed": "定额", "max_annual": "年度上限", "max_total": "上限", "max_per_item": "单项上限",
                "max_per_event": "单个展会上限", "max_per_investee": "每家被投企业上限",
                "max_years": "年限上限", "ratio": "比例", "match_ratio": "配套比例",
                "rate": "单价", "max_rate": "单价上限", "max_ratio": "比例上限", "negotiated": "无固定金额", "by_reference": "按其他政策",
                "uncapped": "无上限"}


def validate_question(question) -> str:
    """The question, stripped; a PolicyInputError naming the problem otherwise."""
    if isinstance(question, (bytes, bytearray)):
        raise PolicyInputError("question", "got bytes, not text", expected="a UTF-8 decoded string")
    if not isinstance(question, str):
        raise PolicyInputError("question", f"got {type(question).__name__}, not text", expected="a string")
    q = question.strip()
    if not q:
        raise PolicyInputError("question", "is empty or whitespace only", expected="a question in Chinese or English")
    if len(q) > MAX_CHARS:
        raise PolicyInputError("question", f"is {len(q)} characters long", expected=f"at most {MAX_CHARS}")
    bad = [c for c in q if c == "\ufffd" or (unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") and c not in "\n\t\r")]
    if bad:
        raise PolicyInputError("question", f"contains {len(bad)} control or undecodable character(s) "
                               f"(first U+{ord(bad[0]):04X})", expected="plain text")
    return q


def describes_enterprise(question: str) -> bool:
    """"我们是…，能申请哪些？": the asker speaks about their own enterprise and states a fact."""
    m = SELF.search(question)
    return bool(m) and bool(FACT.search(question[m.end():]))


def check_eligibility(question: str, *, index: ClauseIndex, documents=()) -> tuple[object | None, str | None]:
    """The `check --text` path through reasoner, imported lazily: (result, None) or (None, note)."""
    try:
        from reasoner.assess import assess
        from reasoner.textprofile import profile_from_text
    except ImportError as err:
        return None, f"eligibility check unavailable: {err}"
    try:
        library = index.extras.get("library")
        graphs = [d.build.graph for d in library.policies(documents)] if library is not None else [index.extras["graph"]]
        profile = _with_evidence(profile_from_text(question), question, graphs)
        if library is not None:
            from reasoner.library import assess_library
            result = assess_library(profile, library, only=documents)
        else:
            result = assess(profile, index.extras["graph"])
    except PolicyInputError as err:
        return None, f"eligibility check could not read the question: {err}"
    return _plain(result), None


def _with_evidence(profile, text: str, graphs):
    """What the description says of each condition of each policy graph (reasoner.evidence), e5 paraphrase
    when the engine loads; the evidence of every document is kept."""
    from dataclasses import replace

    from reasoner.evidence import with_evidence
    from reasoner.model import load_policy
    try:
        from qa_app.encoder import paraphrase_similarity
        similarity = paraphrase_similarity()
    except (ImportError, OSError, RuntimeError):
        similarity = None
    found = []
    for graph in graphs:
        profile = with_evidence(profile, text, load_policy(graph), similarity=similarity)
        found += list(profile.evidence)
    return replace(profile, evidence=tuple(found))


def _plain(result):
    for attr in ("to_json", "as_dict", "to_dict"):
        if callable(getattr(result, attr, None)):
            return getattr(result, attr)()
    import dataclasses
    return dataclasses.asdict(result) if dataclasses.is_dataclass(result) else result


def yuan(value: Decimal) -> str:
    value = Decimal(value)
    if value >= 10000 and value % 100 == 0:
        return f"{(value / 10000).normalize():f}万元"
    return f"{value.normalize():f}元"


def amount_text(a: dict) -> str:
    kind = a["kind"]
    if a.get("value") is None:  # 一事一议 / 上不封顶: said, not a number
        return f"{AMOUNT_KINDS.get(kind, kind)}（{a['citation']['quote']}）"
    value = Decimal(a["value"])
    if kind in ("ratio", "max_ratio"):
        shown = f"{(value * 100).normalize():f}%"
    elif kind == "match_ratio":
        shown = f"1:{value.normalize():f}"
    elif kind == "max_years":
        shown = f"{value.normalize():f}年"
    elif a.get("currency", "CNY") != "CNY":
        shown = f"{value.normalize():f} {a['currency']}"
    else:
        shown = yuan(value)
    per = a.get("unit", "").split("/", 1)[1] if kind in ("rate", "max_rate") and "/" in (a.get("unit") or "") else ""
    return f"{AMOUNT_KINDS.get(kind, kind)} {shown}" + (f"/{per}" if per else "")


def compose_answer(p: Passage, *, index: ClauseIndex) -> str:
    """Label, the measures' quoted spans and their amounts read from the graph; the body if none."""
    measures = index.extras.get("measures", {}).get((p.document, p.clause) if p.document else p.clause, [])
    by_quote: dict[str, list[str]] = {}  # measures read from one sentence share its quote
    for m in measures:
        by_quote.setdefault(m["citation"]["quote"], []).extend(amount_text(a) for a in m["amounts"])
    parts = [q + (f"（{'；'.join(dict.fromkeys(a))}）" if a else "") for q, a in by_quote.items()]
    body = "；".join(parts) or index.text_of(p)[p.body_start:p.end].strip()
    return f"{p.label}：{body}"


def answer_of(p: Passage, score: float, *, index: ClauseIndex) -> dict:
    text, document = index.text_of(p), index.document_of(p)
    raw = text[p.body_start:p.end]
    start = p.body_start + len(raw) - len(raw.lstrip())  # body without surrounding blank space
    end = p.end - (len(raw) - len(raw.rstrip()))
    quote = text[start:end]
    return {"clause": p.clause, "label": p.label, "score": round(score, 4), "quote": quote,
            "answer": compose_answer(p, index=index), "document": document,
            "document_title": index.titles.get(document) or index.extras.get("title") or document,
            "citation": {"document": document, "start": start, "end": end, "quote": quote}}


def ask(question, *, index: ClauseIndex, k: int = 5, documents=()) -> dict:
    """Answer a question (about `documents` only, if given): facts the graph holds (lists, highest/lowest,
    counts) with SPARQL, every matching clause cited; otherwise rank the clauses, or abstain when the corpus
    does not cover the question. Self-descriptions also run the eligibility check.
    `kind` is find | list | aggregate | guide."""
    from qa_app.abstain import ABSTAIN_NOTE, abstain_reason, all_words_known, corpus_text_of
    from qa_app.graphqa import answer_from_graph

    q = validate_question(question)
    graph = index.extras.get("graph")
    facts = answer_from_graph(q, graph) if graph is not None else None
    if facts is not None and facts["kind"] != "guide":
        out = {"question": q, "answers": facts["answers"], "eligibility": None, "kind": facts["kind"],
               "query": facts["query"], "abstained": False}
        if "value" in facts:
            out["value"], out["aggregate"] = facts["value"], facts["aggregate"]  # count | sum | max | min
        if documents:
            out["answers"] = [a for a in out["answers"] if a.get("document") in documents]
        if not out["answers"]:
            out["note"] = "图谱中没有符合条件的条款 / no clause in the graph matches these facts"
        return _with_eligibility(out, q, index, documents)
    scores = all_scores(q, index=index)
    ranked = search(q, index=index, k=k, scores=scores, documents=documents)
    out = {"question": q, "answers": [answer_of(p, s, index=index) for p, s in ranked], "eligibility": None,
           "kind": "guide" if facts is not None else "find", "query": None, "abstained": False}
    if float(scores["bm25"].max()) < index.config.low_confidence_bm25:
        out["low_confidence"] = True
        out["note"] = "没有条款与问题的用词相符，以下结果可能不相关 / no clause shares the question's words; results may be off-topic"
    reason = abstain_reason(q, scores, index.config, _corpus_text(index, graph, corpus_text_of),
                            known_words=all_words_known(q, index))
    if reason and not describes_enterprise(q):
        out.update(abstained=True, answers=[], abstain_reason=reason,
                   note="；".join(filter(None, [f"{ABSTAIN_NOTE}（{reason}）", out.get("note")])))
        return out
    return _with_eligibility(out, q, index, documents)


def _corpus_text(index: ClauseIndex, graph, corpus_text_of) -> str:
    if "corpus_text" not in index.extras:
        index.extras["corpus_text"] = corpus_text_of(graph) if graph is not None else index.text
    return index.extras["corpus_text"]


def _with_eligibility(out: dict, q: str, index: ClauseIndex, documents=()) -> dict:
    if describes_enterprise(q):
        out["eligibility"], note = check_eligibility(q, index=index, documents=documents)
        if note:
            out["note"] = "；".join(filter(None, [out.get("note"), note]))
    return out


def index_from_build(result, *, config: RetrievalConfig = RetrievalConfig(), encoder=None) -> ClauseIndex:
    """Index a `kg_builder.build.build_source` result, with its measures and graph attached."""
    from kg_builder.views import measures_json

    index = build_index(result.text, result.extraction.structure, document=result.doc_id,
                        config=config, encoder=encoder)
    by_clause: dict[str, list] = {}
    for m in measures_json(result.graph, result.doc_id):
        by_clause.setdefault(m["clause"], []).append(m)
    index.extras.update(measures=by_clause, graph=result.graph, title=result.meta.get("title"))
    return index


def index_from_library(library, *, config: RetrievalConfig = RetrievalConfig(), encoder=None) -> ClauseIndex:
    """Index every document of a kg_builder.library.Library (one file: exactly index_from_build)."""
    from kg_builder.guide import body_end
    from kg_builder.outline import parse_structure
    from kg_builder.views import measures_json
    from qa_app.retrieval import build_library_index

    if library.single:
        doc = next(iter(library.documents.values()))
        if doc.build is not None:
            index = index_from_build(doc.build, config=config, encoder=encoder)
            index.extras["title"] = doc.short_title
            return index
    docs = [(d.doc_id, d.short_title, d.text,
             d.build.extraction.structure if d.build is not None else
             parse_structure(d.text[:body_end(d.text)], source=d.doc_id))  # a guide without its appended forms
            for d in library.documents.values()]
    index = build_library_index(docs, name=str(library.path), config=config, encoder=encoder)
    by_clause: dict[tuple, list] = {}
    for d in library.policies():
        for m in measures_json(d.build.graph, d.doc_id):
            by_clause.setdefault((d.doc_id, m["clause"]), []).append(m)
    index.extras.update(measures=by_clause, graph=library.graph, library=library)
    return index


@lru_cache(maxsize=4)
def load_index(corpus: Path, config: RetrievalConfig = RetrievalConfig()) -> ClauseIndex:
    """Build (once per process) the index of a policy file or of every document of a corpus folder
    (each document's graph from kg_builder.cache)."""
    from kg_builder.library import build_library

    return index_from_library(build_library(corpus), config=config)
