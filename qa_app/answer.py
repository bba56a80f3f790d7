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
                "max_years": "年限上限", "ratio": "比例", "match_ratio": "配套比例"}


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


def check_eligibility(question: str, *, index: ClauseIndex) -> tuple[object | None, str | None]:
    """The `check --text` path through reasoner, imported lazily: (result, None) or (None, note)."""
    try:
        from reasoner.assess import assess
        from reasoner.textprofile import profile_from_text
    except ImportError as err:
        return None, f"eligibility check unavailable: {err}"
    try:
        profile = _with_evidence(profile_from_text(question), question, index.extras["graph"])
        result = assess(profile, index.extras["graph"])
    except PolicyInputError as err:
        return None, f"eligibility check could not read the question: {err}"
    return _plain(result), None


def _with_evidence(profile, text: str, graph):
    """What the description says of each condition (reasoner.evidence), e5 paraphrase when the engine loads."""
    from reasoner.evidence import with_evidence
    from reasoner.model import load_policy
    try:
        from qa_app.encoder import paraphrase_similarity
        similarity = paraphrase_similarity()
    except (ImportError, OSError, RuntimeError):
        similarity = None
    return with_evidence(profile, text, load_policy(graph), similarity=similarity)


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
    kind, value = a["kind"], Decimal(a["value"])
    if kind == "ratio":
        shown = f"{(value * 100).normalize():f}%"
    elif kind == "match_ratio":
        shown = f"1:{value.normalize():f}"
    elif kind == "max_years":
        shown = f"{value.normalize():f}年"
    else:
        shown = yuan(value)
    return f"{AMOUNT_KINDS.get(kind, kind)} {shown}"


def compose_answer(p: Passage, *, index: ClauseIndex) -> str:
    """Label, the measures' quoted spans and their amounts read from the graph; the body if none."""
    measures = index.extras.get("measures", {}).get(p.clause, [])
    by_quote: dict[str, list[str]] = {}  # measures read from one sentence share its quote
    for m in measures:
        by_quote.setdefault(m["citation"]["quote"], []).extend(amount_text(a) for a in m["amounts"])
    parts = [q + (f"（{'；'.join(dict.fromkeys(a))}）" if a else "") for q, a in by_quote.items()]
    body = "；".join(parts) or index.text[p.body_start:p.end].strip()
    return f"{p.label}：{body}"


def answer_of(p: Passage, score: float, *, index: ClauseIndex) -> dict:
    raw = index.text[p.body_start:p.end]
    start = p.body_start + len(raw) - len(raw.lstrip())  # body without surrounding blank space
    end = p.end - (len(raw) - len(raw.rstrip()))
    quote = index.text[start:end]
    return {"clause": p.clause, "label": p.label, "score": round(score, 4), "quote": quote,
            "answer": compose_answer(p, index=index),
            "citation": {"document": index.document, "start": start, "end": end, "quote": quote}}


def ask(question, *, index: ClauseIndex, k: int = 5) -> dict:
    """Rank the clauses for a question; self-descriptions also run the eligibility check."""
    q = validate_question(question)
    scores = all_scores(q, index=index)
    out = {"question": q, "answers": [answer_of(p, s, index=index) for p, s in search(q, index=index, k=k, scores=scores)],
           "eligibility": None}
    if float(scores["bm25"].max()) < index.config.low_confidence_bm25:
        out["low_confidence"] = True
        out["note"] = "没有条款与问题的用词相符，以下结果可能不相关 / no clause shares the question's words; results may be off-topic"
    if describes_enterprise(q):
        out["eligibility"], note = check_eligibility(q, index=index)
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
    index.extras.update(measures=by_clause, graph=result.graph)
    return index


@lru_cache(maxsize=4)
def load_index(corpus: Path, config: RetrievalConfig = RetrievalConfig()) -> ClauseIndex:
    """Build (once per process) the index of a policy file."""
    from kg_builder.build import build_source

    return index_from_build(build_source(corpus), config=config)
