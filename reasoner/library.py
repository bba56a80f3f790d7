"""One profile against a library of documents: reasoner.assess on each policy's own graph, merged into one report.

`assess_library(profile, library, *, only, same_project, as_of, engine)` → the report `assess` gives (every
field kept: `results` holds all documents' results, `total_estimate_yuan` their sum, `policy` the validity)
plus `documents` (per document: id, title, results, total, validity) and `versions` (versions not checked
on that day). Each result gains `document` and `document_title`; a measure an application guide implements
also gains the guide's `checklist`, `application_window` and `office` (each cited to the guide) when it is
eligible or needs information. `assess_many_library` does the same for many profiles (reasoner.batch).
"""
from __future__ import annotations

from decimal import Decimal

from kg_builder.errors import PolicyInputError

from .assess import assess
from .batch import assess_many

GUIDE_FIELDS = ("checklist", "application_window", "office")


def selected(library, only=(), as_of=None):
    """(policy documents to check, versions left out on `as_of`)."""
    docs = library.policies(only)
    if not docs:
        raise PolicyInputError("--doc", "selects no policy (an application guide grants nothing itself)",
                               expected="the id of a policy document")
    return library.in_force(docs, as_of)


def _annotate(report: dict, doc, library) -> dict:
    for r in report["results"]:
        r["document"], r["document_title"] = doc.doc_id, doc.short_title
        links = library.links.get(r["measure"]) if r["status"] in ("eligible", "needs_info") else None
        if links:
            r["guides"] = [{"document": x["guide"], "title": x["guide_title"]} for x in links]
            r["checklist"] = [item for x in links for item in x["checklist"]]
            r["application_window"] = next((x["application_window"] for x in links if x["application_window"]), None)
            r["office"] = next((x["office"] for x in links if x["office"]), None)
    return report


def merge(parts: list[tuple[object, dict]], library, versions: list[dict]) -> dict:
    """Reports of one profile on several documents → one report (a single document's report is kept whole)."""
    parts = [(doc, _annotate(report, doc, library)) for doc, report in parts]
    groups = [{"document": doc.doc_id, "title": doc.short_title, "full_title": doc.title, "kind": doc.kind,
               "policy": report["policy"], "results": report["results"],
               "total_estimate_yuan": report["total_estimate_yuan"]} for doc, report in parts]
    if len(parts) == 1:
        out = dict(parts[0][1])
    else:
        first = parts[0][1]
        totals = [report["total_estimate_yuan"] for _, report in parts if report["total_estimate_yuan"] is not None]
        out = {"profile": first["profile"], "as_of": first["as_of"], "same_project": first["same_project"],
               "policy": _validity([(doc, report["policy"]) for doc, report in parts]),
               "results": [r for _, report in parts for r in report["results"]],
               "forgone": [f for _, report in parts for f in report["forgone"]],
               "joint_caps": [j for _, report in parts for j in report["joint_caps"]],
               "total_estimate_yuan": sum(totals, Decimal(0)) if totals else None}
    out["documents"] = groups
    out["versions"] = versions
    return out


def _validity(parts) -> dict:
    """The validity of several documents as one `policy` object: statuses joined, in_force only when all agree,
    each document's note prefixed with its short title."""
    values = [v["in_force"] for _, v in parts]
    notes = [f"{doc.short_title}：{v['note']}" for doc, v in parts if v.get("note")]
    statuses = list(dict.fromkeys(v["status"] for _, v in parts))
    return {"status": "、".join(statuses), "date_in_force": None, "date_no_longer_in_force": None,
            "as_of": parts[0][1]["as_of"], "in_force": values[0] if len(set(values)) == 1 else None,
            "note": "；".join(notes) or None, "documents": {doc.doc_id: v for doc, v in parts}}


def assess_library(profile, library, *, only=(), same_project=(), as_of=None, engine: str = "oxigraph") -> dict:
    docs, versions = selected(library, only, as_of)
    parts = [(d, assess(profile, d.build.graph, same_project=same_project, as_of=as_of, engine=engine)) for d in docs]
    return merge(parts, library, versions)


def assess_many_library(items, library, *, only=(), same_project=(), as_of=None, engine: str = "oxigraph",
                        progress=None):
    """(key, merged report | PolicyInputError) per item, in order; `progress` is told once per item."""
    items = list(items)
    docs, versions = selected(library, only, as_of)
    runs = [list(assess_many(items, d.build.graph, same_project=same_project, as_of=as_of, engine=engine))
            for d in docs]
    for n, (key, item) in enumerate(items):
        first = runs[0][n][1]
        if isinstance(item, PolicyInputError) or not isinstance(first, dict):
            yield key, first
        else:
            yield key, merge([(d, run[n][1]) for d, run in zip(docs, runs)], library, versions)
        if progress:
            progress(1)
