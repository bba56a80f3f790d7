"""Is the policy in force on a given day, and is it final? Read from the graph (ELI dates, pk:status).

`policy_validity(graph, doc_iri, as_of)` → {"status", "date_in_force", "date_no_longer_in_force", "as_of",
"in_force", "note"}; `in_force` is True/False when the dates decide it and None when they are unknown
(unknown is not "no": the estimate stands, the note says what is not known).
"""
from __future__ import annotations

from datetime import date

from rdflib import Graph, URIRef

from kg_builder.vocab import ELI, PK

FINAL = "正式文本"
DRAFTS = ("征求意见稿", "送审稿", "草案", "讨论稿")  # not yet adopted; 试行/暂行 texts are in force


def _date(graph: Graph, doc: URIRef, prop) -> date | None:
    value = graph.value(doc, prop)
    return date.fromisoformat(str(value)) if value is not None else None


def policy_validity(graph: Graph, doc_iri: str, as_of: date | None) -> dict:
    doc = URIRef(doc_iri)
    status = str(graph.value(doc, PK.status) or FINAL)
    start, end = _date(graph, doc, ELI.first_date_entry_in_force), _date(graph, doc, ELI.date_no_longer_in_force)
    notes, in_force = [], None
    if any(d in status for d in DRAFTS):
        notes.append(f"本政策为{status}，条款和金额可能变化，估算仅供参考")
    if as_of is not None:
        if (start and as_of < start) or (end and as_of >= end):
            in_force = False
            span = f"{start or '？'}起" + (f"至{end}前" if end else "")
            notes.append(f"{as_of}不在政策有效期内（{span}），不能据此申请")
        elif start:
            in_force = True
        else:
            notes.append("政策生效日期未知，无法判断在所选日期是否有效")
    return {"status": status, "date_in_force": start and start.isoformat(),
            "date_no_longer_in_force": end and end.isoformat(), "as_of": as_of and as_of.isoformat(),
            "in_force": in_force, "note": "；".join(notes) or None}
