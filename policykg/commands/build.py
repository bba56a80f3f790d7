"""`policykg build [--corpus FILE] [--out DIR]`: write the graph (Turtle, JSON-LD), its eligibility shapes
(SHACL Turtle) and the compiled SPARQL check query, print a summary."""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from kg_builder.build import build_source, gc_paused
from kg_builder.config import DEFAULT_CORPUS
from kg_builder.errors import PolicyInputError
from kg_builder.oxstore import write
from kg_builder.qnames import use_known_prefixes


def add_parser(sub):
    p = sub.add_parser("build", help="build the knowledge graph of a policy text")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="policy text (UTF-8 or GB18030)")
    p.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out/)")
    return p


def run(args) -> int:
    with gc_paused():  # one pass over a large graph: the cyclic collector's rescans only add time
        return _run(args)


def _run(args) -> int:
    started = time.perf_counter()
    from reasoner.fast import compile_checks
    from reasoner.model import load_policy
    from reasoner.shapes import shapes_graph
    print(f"[1/4] parsing and extracting {args.corpus}", file=sys.stderr)
    result = build_source(args.corpus)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise PolicyInputError(str(args.out), f"cannot create the output folder ({err.strerror})") from err
    ttl, jsonld = args.out / f"{result.doc_id}.ttl", args.out / f"{result.doc_id}.jsonld"
    print(f"[2/4] writing {ttl} and {jsonld}", file=sys.stderr)
    write(result.graph, ttl, "turtle")
    write(result.graph, jsonld, "json-ld")
    shapes, query = args.out / f"{result.doc_id}.shapes.ttl", args.out / f"{result.doc_id}.checks.rq"
    print(f"[3/4] writing {shapes} (SHACL, pyshacl reference) and {query} (the same checks as SPARQL)", file=sys.stderr)
    policy = load_policy(result.graph)
    use_known_prefixes(shapes_graph(policy)).serialize(shapes, format="turtle")
    compiled = compile_checks(policy)
    legend = "".join(f"# ?k {k}: {check} {outcome}\n" for k, (check, outcome) in enumerate(compiled.keys))
    query.write_text("# Eligibility checks of reasoner.shapes compiled to SPARQL 1.1 (reasoner.fast); per enterprise,\n"
                     "# ?ks lists the violated checks:\n" + legend + compiled.query + "\n", encoding="utf-8")
    print("[4/4] summary", file=sys.stderr)
    for line in summary(result):
        print(line)
    print(f"done in {time.perf_counter() - started:.2f} s")
    return 0


def summary(result) -> list[str]:
    measures = result.measures
    kinds = Counter(a.kind for m in measures for a in m.amounts)
    conditions = Counter(c.kind for m in measures for c in m.conditions)
    clauses = result.extraction.structure.clauses()
    lines = [f"document: {result.meta.get('title')} ({result.meta.get('status')}), {result.doc_id}",
             f"clauses: {len(clauses)}; measures: {len(measures)}; triples: {len(result.graph)}",
             "amounts: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())),
             "conditions: " + ", ".join(f"{k} {n}" for k, n in sorted(conditions.items())),
             f"rules: {len(result.extraction.rules)} ({', '.join(r.label for r in result.extraction.rules)})"]
    reviewed = [o for o in result.reviews if o.applied]
    if result.reviews:
        lines.append(f"reviews: {len(reviewed)} applied, {len(result.reviews) - len(reviewed)} not applied")
        lines += [f"  review {o.entry_id} not applied: {o.note}" for o in result.reviews if not o.applied]
    uncovered = result.uncovered()
    lines.append(f"coverage: {len(uncovered)} sentence(s) of operative clauses produced no measure")
    lines += [f"  {c}: {result.text[a:b][:60]}" for c, a, b in uncovered]
    return lines
