"""Questions and eligibility: call qa_app.retrieval / reasoner.assess when they are importable,
else the stand-ins in fallback.py. Same JSON shapes either way."""
from __future__ import annotations

from decimal import Decimal

from . import fallback
from .text import yuan


def engine(name: str):
    """The real entry point, or None while it is not built yet."""
    try:
        if name == "assess":
            from reasoner.assess import assess
            return assess
        if name == "ask":
            from qa_app.answer import ask
            return ask
    except ImportError:
        return None
    return None


def clause_chunks(loaded) -> list[dict]:
    """One searchable chunk per clause, carrying the answer object it would produce."""
    text, doc = loaded.build.text, loaded.build.doc_id
    by_clause: dict[str, list[dict]] = {}
    for m in loaded.measures:
        by_clause.setdefault(m["clause"], []).append(m)
    chunks = []
    for c in loaded.build.extraction.structure.clauses():
        ms = by_clause.get(c.clause, [])
        quote = text[c.start:c.end]
        chunks.append({"text": quote, "answer": {
            "clause": c.clause, "label": c.label, "quote": quote, "answer": summarize(ms),
            "citation": {"document": doc, "start": c.start, "end": c.end, "quote": quote}}})
    return chunks


def summarize(measures: list[dict]) -> str:
    words = {"fixed": "给予", "max_annual": "每年最高", "max_total": "最高", "max_per_item": "单项最高",
             "max_per_event": "每次最高", "max_per_investee": "每个被投企业最高", "ratio": "按比例", "match_ratio": "配套比例"}
    parts = []
    for m in measures:
        for a in m["amounts"]:
            v = a["value"]
            shown = f"{Decimal(v) * 100:.4g}%" if a["kind"] in ("ratio", "match_ratio") else \
                f"{v} 年" if a["kind"] == "max_years" else yuan(v)
            parts.append(f"{m['beneficiary']}{m['benefit']}：{words.get(a['kind'], a['kind'])} {shown}")
    return "；".join(dict.fromkeys(parts)) or "本条未规定金额。"


def make_index(loaded):
    """The hybrid retrieval index (qa_app.answer), BM25-only if the encoder cannot load, None if neither."""
    try:
        from qa_app.answer import index_from_build
        from qa_app.retrieval import RetrievalConfig
    except ImportError:
        return None
    try:
        return index_from_build(loaded.build)
    except Exception:  # no model on disk or torch missing: lexical retrieval still answers
        import logging
        logging.getLogger("policykg.app").warning("dense retrieval unavailable; using BM25 only", exc_info=True)
        return index_from_build(loaded.build, config=RetrievalConfig(fusion="bm25"))


def answer(question: str, loaded, *, index=None, k: int = 3) -> dict:
    question = (question or "").strip()
    if not question:
        raise ValueError("请输入问题 / empty question")
    if len(question) > 500:
        raise ValueError("问题过长（最多500字）/ question too long")
    real = engine("ask")
    if real is not None and index is not None:
        return real(question, index=index, k=k)
    return fallback.ask(question, clause_chunks(loaded), k=k)


def check(profile: dict, loaded, lex, *, same_project=()) -> dict:
    """`profile` in reasoner.schema's shape; `same_project` one group of measure ids marked as one project."""
    groups = (tuple(same_project),) if same_project else ()
    real = engine("assess")
    if real is not None:
        from reasoner.profile import profile_from_dict
        return real(profile_from_dict(profile, source="表单 / form"), loaded.build.graph, same_project=groups)
    return fallback.assess(profile, loaded.measures, lex, same_project=groups)


def shown_results(result: dict) -> list[dict]:
    """Cards: eligible measures, highest estimate first."""
    rows = [r for r in result["results"] if r["status"] == "eligible"]
    return sorted(rows, key=lambda r: -(r["estimate_yuan"] or 0))


def needs_info(result: dict, measures: list[dict]) -> list[dict]:
    """Measures that could apply once the missing facts are given: not those whose only conditions are
    free-text ones no profile field answers."""
    structured = {m["id"] for m in measures if any(c["kind"] != "text" for c in m["conditions"])}
    return [r for r in result["results"] if r["status"] == "needs_info" and r["measure"] in structured and r["missing"]]


def forgone_rows(result: dict) -> list[dict]:
    return [r for r in result["results"] if r.get("forgone")]


def chart_rows(result: dict) -> dict[str, float]:
    """Estimate by measure for the bar chart (display only; money stays Decimal elsewhere)."""
    return {f"{r['label']} {r['measure'].rsplit('/', 1)[-1]}": float(r["estimate_yuan"])
            for r in result["results"] if r["status"] == "eligible" and r["estimate_yuan"] is not None}
