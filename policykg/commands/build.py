"""`policykg build [--corpus FILE|DIR] [--doc ID] [--out DIR]`: per policy, write the graph (Turtle, JSON-LD),
its eligibility shapes (SHACL Turtle) and the compiled SPARQL check query, and print a summary; per guide, its
graph and its citations (resolved or not); for a folder, also the union graph `library.ttl`."""
from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from kg_builder.build import gc_paused
from kg_builder.cache import in_child, write_behind
from kg_builder.errors import PolicyInputError
from kg_builder.oxstore import write
from kg_builder.qnames import use_known_prefixes, write_turtle
from policykg import corpusargs


def add_parser(sub):
    p = sub.add_parser("build", help="build the knowledge graph of a policy text")
    corpusargs.add(p)
    p.add_argument("--out", type=Path, default=Path("out"), help="output folder (default: out/)")
    return p


def run(args) -> int:
    # one pass over a large graph: the cyclic collector's rescans only add time; cache files are written by
    # child processes meanwhile (kg_builder.cache.write_behind), all in place when the command returns
    with gc_paused(), write_behind():
        return _run(args)


def _run(args) -> int:
    started = time.perf_counter()
    print(f"[1/4] parsing and extracting {args.corpus}", file=sys.stderr)
    library = corpusargs.library(args)
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise PolicyInputError(str(args.out), f"cannot create the output folder ({err.strerror})") from err
    for doc in library.select(args.doc):
        if doc.build is not None:
            _write_policy(doc.build, args.out)
            lines = summary(doc.build)
        else:
            write_turtle(doc.guide_graph, args.out / f"{doc.doc_id}.ttl")
            lines = guide_summary(library, doc)
        for line in lines:
            print(line)
    if not library.single:
        union = args.out / "library.ttl"
        write_turtle(library.graph, union)
        print(f"library: {len(library.documents)} documents, {len(library.graph)} triples → {union}")
    print(f"done in {time.perf_counter() - started:.2f} s")
    return 0


def _write_policy(result, out: Path) -> None:
    from reasoner.fast import compile_checks
    from reasoner.model import load_policy
    from reasoner.shapes import shapes_graph
    ttl, jsonld = out / f"{result.doc_id}.ttl", out / f"{result.doc_id}.jsonld"
    shapes, query = out / f"{result.doc_id}.shapes.ttl", out / f"{result.doc_id}.checks.rq"
    print(f"[2/4] writing {ttl} and {jsonld}; reading the measures back", file=sys.stderr)
    policy = load_policy(result.graph)
    shapes_g = use_known_prefixes(shapes_graph(policy))
    in_child(lambda: write_turtle(shapes_g, shapes), str(shapes))  # rdflib's Turtle, beside the rest
    write(result.graph, ttl, "turtle")
    write(result.graph, jsonld, "json-ld")
    print(f"[3/4] writing {shapes} (SHACL, pyshacl reference) and {query} (the same checks as SPARQL)", file=sys.stderr)
    compiled = compile_checks(policy)
    legend = "".join(f"# ?k {k}: {check} {outcome}\n" for k, (check, outcome) in enumerate(compiled.keys))
    query.write_text("# Eligibility checks of reasoner.shapes compiled to SPARQL 1.1 (reasoner.fast); per enterprise,\n"
                     "# ?ks lists the violated checks:\n" + legend + compiled.query + "\n", encoding="utf-8")
    print("[4/4] summary", file=sys.stderr)


def guide_summary(library, doc) -> list[str]:
    cites = library.citations.get(doc.doc_id, [])
    lines = [f"guide: {doc.title}, {doc.doc_id}; sections: {', '.join(doc.guide.sections)}"]
    for c in cites:
        where = f"{c['document']}" + (f" 第{c['article']}条" if c["article"] else "") if c["resolved"] else "unresolved"
        lines.append(f"  cites {c['citation']['quote'][:50]} → {where}" + (f" ({c['note']})" if c["note"] else ""))
    implemented = sorted({m for m, links in library.links.items() for x in links if x["guide"] == doc.doc_id})
    lines.append(f"  implements: {', '.join(implemented) or 'no clause found'}")
    return lines


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
