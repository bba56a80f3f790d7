"""Questions and eligibility for the pages: qa_app.answer.ask over the build's retrieval index and
reasoner.assess over its graph, plus the small views of their results the cards and charts show."""
from __future__ import annotations

import logging

from qa_app.answer import ask, index_from_build, index_from_library
from qa_app.retrieval import RetrievalConfig
from reasoner.assess import assess
from reasoner.model import load_policy
from reasoner.profile import profile_from_dict
from reasoner.validity import policy_validity

# What a missing or broken dense encoder raises: torch / sentence-transformers not installed (ImportError),
# no converted model on disk (OSError, incl. FileNotFoundError), torch failing to load the weights (RuntimeError).
ENCODER_ERRORS = (ImportError, OSError, RuntimeError)


def make_index(loaded):
    """The hybrid retrieval index of the loaded build; BM25 only if the dense encoder cannot load."""
    def make(config=RetrievalConfig()):
        if loaded.library is not None:
            return index_from_library(loaded.library, config=config)
        return index_from_build(loaded.build, config=config)
    try:
        return make()
    except ENCODER_ERRORS:  # lexical retrieval still answers, with the same citations
        logging.getLogger("policykg.app").warning("dense retrieval unavailable; using BM25 only", exc_info=True)
        return make(RetrievalConfig(fusion="bm25"))


def answer(question: str, loaded, *, k: int = 3, documents=()) -> dict:
    """Ranked clauses with quotes and citations (qa_app.answer.ask validates the question); `documents`
    restricts to those document ids (all by default)."""
    return ask(question, index=loaded.index, k=k, documents=tuple(documents))


def answer_rows(result: dict) -> list[dict]:
    """The table of a list or aggregate answer: one row per clause, with its document's short title, label,
    the amounts the graph read (matching the question) and the verbatim quote."""
    from decimal import Decimal

    from qa_app.answer import amount_text

    return [{"文件 / document": a.get("document_title") or a.get("document", ""), "条款 / clause": a["label"],
             "金额 / amount": "；".join(dict.fromkeys(
                 amount_text({"kind": x["kind"], "value": None if x["value"] is None else Decimal(x["value"]),
                              "citation": {"quote": "…"}}) for x in a.get("amounts", []))),
             "原文 / quote": a["quote"]} for a in result["answers"]]


def is_table_answer(result: dict) -> bool:
    return result.get("kind") in ("list", "aggregate") and bool(result.get("query"))


def check(profile: dict, loaded, *, same_project=(), as_of=None, documents=()) -> dict:
    """`profile` in reasoner.schema's shape; `same_project` one group of measure ids marked as one project;
    `as_of` the day checked against the policy's in-force dates (report["policy"]); over every policy of the
    library (or `documents`), results grouped by document, guides' checklists on the measures they implement."""
    groups = (tuple(same_project),) if same_project else ()
    facts = profile_from_dict(profile, source="表单 / form")
    if loaded.library is not None:
        from reasoner.library import assess_library
        return assess_library(facts, loaded.library, only=tuple(documents), same_project=groups, as_of=as_of)
    return assess(facts, loaded.build.graph, same_project=groups, as_of=as_of)


def document_options(loaded) -> dict[str, str]:
    """Document id → short title, for the document filter (policies and guides)."""
    if loaded.library is None:
        return {}
    return {d.doc_id: d.short_title for d in loaded.library.documents.values()}


def validity(loaded, as_of) -> dict:
    """The policy's status and in-force dates on `as_of` as report["policy"] gives them, for a page without a report."""
    graph = loaded.build.graph
    return policy_validity(graph, load_policy(graph).doc_iri, as_of)


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
