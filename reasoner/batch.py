"""Many enterprises at once (a district's list): the compiled checks run over chunks of profiles in one
store, then each profile gets the same report `assess` gives one profile. Rows that failed to parse are
passed through in place, so the output has one entry per input row and nothing is dropped.

Entry points: `assess_many(items, graph, *, same_project, as_of, engine, config, chunk, progress)` yields
(key, report | PolicyInputError) in input order; `summary_row(key, item)` is one flat row for a results CSV
(amounts as exact decimal text without trailing zeros, the same whichever engine computed them).
"""
from __future__ import annotations

from itertools import islice
from typing import Callable, Iterable, Iterator

from rdflib import Graph

from kg_builder.errors import PolicyInputError

from .assess import assess, outcomes_for
from .config import ReasonerConfig
from .model import load_policy
from .profile import Profile

SUMMARY_FIELDS = ("row", "id", "status", "eligible", "total_estimate_yuan", "needs_info", "missing_fields",
                  "to_confirm", "ineligible", "error")


def assess_many(items: Iterable[tuple[object, Profile | PolicyInputError]], graph: Graph, *, same_project=(),
                as_of=None, engine: str = "oxigraph", config: ReasonerConfig = ReasonerConfig(), chunk: int = 5000,
                progress: Callable[[int], None] | None = None) -> Iterator[tuple[object, dict | PolicyInputError]]:
    policy = load_policy(graph, config=config)
    it = iter(items)
    while batch := list(islice(it, chunk)):
        subjects = {i: f"{config.enterprise_base}_batch/{i}" for i, (_, p) in enumerate(batch) if isinstance(p, Profile)}
        outcomes = outcomes_for({s: batch[i][1] for i, s in subjects.items()}, policy, engine=engine,
                                config=config) if subjects else {}
        for i, (key, p) in enumerate(batch):
            if i in subjects:
                yield key, assess(p, graph, same_project=same_project, as_of=as_of, config=config,
                                  outcomes=outcomes, subject=subjects[i])
            else:
                yield key, p
        if progress:
            progress(len(batch))


def summary_row(key, item: dict | PolicyInputError) -> dict:
    """One row per enterprise: eligible clauses (measure ids) with the total; clauses that need facts, which
    profile fields would decide them, and how many text conditions the enterprise would have to confirm."""
    row = dict.fromkeys(SUMMARY_FIELDS, "")
    row["row"] = key
    if isinstance(item, PolicyInputError):
        return row | {"status": "error", "error": str(item)}
    results = item["results"]
    if len(item.get("documents") or ()) > 1:  # clause ids repeat across documents: name the document
        results = [r | {"clause": f"{r['document']}:{r['clause']}"} for r in results]
    by = {s: [r for r in results if r["status"] == s] for s in ("eligible", "needs_info", "ineligible")}
    total = item["total_estimate_yuan"]
    fields = dict.fromkeys(f for r in results for f in r["missing_fields"] if f != "confirmed")
    confirm = sum(f == "confirmed" for r in by["needs_info"] for f in r["missing_fields"])
    return row | {"id": item["profile"]["id"], "status": "ok",
                  "eligible": ";".join(f"{r['clause']}({r['measure'].rsplit('/', 1)[-1]})" for r in by["eligible"]),
                  "total_estimate_yuan": "" if total is None else format(total.normalize(), "f"),
                  "needs_info": ";".join(dict.fromkeys(r["clause"] for r in by["needs_info"])),
                  "missing_fields": ";".join(fields), "to_confirm": confirm,
                  "ineligible": ";".join(dict.fromkeys(r["clause"] for r in by["ineligible"]))}
