"""`policykg measures [--corpus FILE|DIR] [--doc ID] --json`: one JSON object per measure, read back from the graph.
Each object names its `document`; a guide's 申请条件 appear among the conditions of the measures it implements."""
from __future__ import annotations

from kg_builder.views import measures_json
from policykg import corpusargs
from policykg.jsonout import dumps


def add_parser(sub):
    p = sub.add_parser("measures", help="list the measures of a policy text or of every policy of a corpus folder")
    corpusargs.add(p)
    p.add_argument("--json", action="store_true", help="print a JSON array (default: one line per measure)")
    return p


def run(args) -> int:
    library = corpusargs.library(args)
    docs = library.policies(args.doc)
    items = [m for d in docs for m in measures_json(d.build.graph, d.doc_id)]
    if args.json:
        print(dumps(items, indent=1))
        return 0
    for m in items:
        amounts = "; ".join(f"{a['kind']}={a['value']}" for a in m["amounts"]) or "—"
        where = f"{library.title_of(m['document'])} " if len(docs) > 1 else ""
        print(f"{where}{m['label']}  {m['beneficiary']}  {m['benefit']}  {amounts}")
    return 0
