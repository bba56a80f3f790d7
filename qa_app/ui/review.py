"""条文核对: per-article view of what the graph says, coverage, shape report, and review entries."""
from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

ACTIONS = ("confirm", "correct", "add_amount", "add_condition", "delete")


def articles(loaded) -> list[str]:
    """Article numbers in text order ("1", "2", …, "附则")."""
    return list(dict.fromkeys(c.split(".")[0] for c in loaded.labels))


def article_view(loaded, article: str) -> dict:
    """Clause texts of one article with every extracted span, its measures and its uncovered sentences."""
    text = loaded.build.text
    clauses = [c for c in loaded.build.extraction.structure.clauses() if c.clause.split(".")[0] == article]
    if not clauses:
        raise ValueError(f"no article {article!r}")
    start, end = min(c.start for c in clauses), max(c.end for c in clauses)
    measures = [m for m in loaded.measures if m["clause"].split(".")[0] == article]
    spans = [(f["citation"]["start"], f["citation"]["end"]) for m in measures for f in (*m["conditions"], *m["amounts"])]
    uncovered = [(c, a, b, text[a:b]) for c, a, b in loaded.build.uncovered() if c.split(".")[0] == article]
    sentences = max(1, len(uncovered) + len({s for s in spans}))
    return {"start": start, "end": end, "text": text[start:end], "spans": spans, "measures": measures,
            "uncovered": uncovered, "labels": [c.label for c in clauses],
            "coverage": 1 - len(uncovered) / sentences}


def fact_paths(measure: dict) -> list[tuple[str, str]]:
    """(path, current value) pairs a reviewer can correct or delete, as review.py addresses them."""
    out = [("beneficiary", measure["beneficiary"]), ("benefit", measure["benefit"])]
    for i, a in enumerate(measure["amounts"], 1):
        out += [(f"amounts.{i}.kind", a["kind"])]
        out += [(f"amounts.{i}.value", f"{a['value']:f}")] if a["value"] is not None else []  # 一事一议 has none
    out += [(f"conditions.{i}", c["text"]) for i, c in enumerate(measure["conditions"], 1)]
    return out


def make_entry(*, action: str, measure: dict, reviewer: str, reason: str, path: str | None = None,
               value=None, expect=None, kind: str | None = None, start=None, end=None, today=None) -> dict:
    """A review entry; raises ValueError naming the missing or bad field."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    if not (reviewer or "").strip() or not (reason or "").strip():
        raise ValueError("审核人和理由必填 / reviewer and reason are required")
    key = measure["id"].rsplit("/", 1)[-1]
    entry = {"id": uuid.uuid4().hex[:12], "action": action, "measure": key, "reviewer": reviewer.strip(),
             "date": (today or dt.date.today()).isoformat(), "reason": reason.strip()}
    if action in ("correct", "delete") and path:
        entry.update(path=path, expect=expect)
        if action == "correct":
            if value in (None, ""):
                raise ValueError("请填写更正后的值 / value required")
            entry["value"] = value
    if action in ("add_amount", "add_condition"):
        if start is None or end is None or int(start) >= int(end):
            raise ValueError("请给出原文起止位置 start < end")
        entry.update(kind=kind or "text", start=int(start), end=int(end))
        if action == "add_amount":
            entry["value"] = value
    return entry


def save(review_dir: Path, doc_id: str, entry: dict, based_on: str) -> str:
    """Atomic append; kg_builder.errors.ReviewConflict if the file changed since `based_on`."""
    from kg_builder.review import review_path, save_entry
    return save_entry(review_path(review_dir, doc_id), entry, based_on=based_on)


def version(review_dir: Path, doc_id: str) -> str:
    from kg_builder.review import file_version, review_path
    return file_version(review_path(review_dir, doc_id))


def shape_report(graph, shapes: Path) -> dict:
    """pyshacl over the structure shapes: {"conforms", "rows": [{focus, path, message}]} or {"missing": True}."""
    if not shapes.exists():
        return {"missing": True, "conforms": None, "rows": []}
    from pyshacl import validate
    from rdflib import Graph, Namespace

    from kg_builder.rdf import context_aware
    sg = Graph().parse(shapes)
    conforms, report, _ = validate(context_aware(graph), shacl_graph=sg, advanced=True)
    SH = Namespace("http://www.w3.org/ns/shacl#")
    rows = [{"focus": str(report.value(r, SH.focusNode)), "path": str(report.value(r, SH.resultPath) or ""),
             "message": str(report.value(r, SH.resultMessage) or ""),
             "severity": str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1]}
            for r in report.subjects(SH.resultSeverity, None)]
    return {"missing": False, "conforms": bool(conforms), "rows": rows}
