"""`policykg measures [--corpus FILE] --json`: one JSON object per measure, read back from the graph."""
from __future__ import annotations

from pathlib import Path

from kg_builder.cache import cached_build
from kg_builder.config import DEFAULT_CORPUS
from kg_builder.views import measures_json
from policykg.jsonout import dumps


def add_parser(sub):
    p = sub.add_parser("measures", help="list the measures of a policy text")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="policy text (UTF-8 or GB18030)")
    p.add_argument("--json", action="store_true", help="print a JSON array (default: one line per measure)")
    return p


def run(args) -> int:
    result = cached_build(args.corpus)
    items = measures_json(result.graph, result.doc_id)
    if args.json:
        print(dumps(items, indent=1))
        return 0
    for m in items:
        amounts = "; ".join(f"{a['kind']}={a['value']}" for a in m["amounts"]) or "—"
        print(f"{m['label']}  {m['beneficiary']}  {m['benefit']}  {amounts}")
    return 0
