"""Fingerprint what `policykg build` and `policykg measures --json` produce, to show that a change to the build
path leaves every output byte-identical.

For each text (every corpus document on its own, the corpus folder as a library, the test policies, the layout
texts and two `kg_builder.samples` policies) it runs `policykg build --out DIR` in process and records the sha256
of every file written (blank nodes renamed in order; Turtle, JSON-LD, SHACL shapes, compiled checks, library.ttl), of the graph's sorted
N-Triples, of the shapes graph (blank nodes by content), of `measures --json`, of the reasoner's reading of the graph (`reasoner.model.load_policy`: measures
with their IRIs, rule, minted concepts) and of the summary lines (the timing line left out).

    .venv/bin/python scripts/build_digest.py --save /tmp/before.json     # on the old code
    .venv/bin/python scripts/build_digest.py --compare /tmp/before.json  # on the new code: exit 1 on a difference

The build cache is bypassed (POLICYKG_NO_CACHE=1) so each run builds from the text.
"""
from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

os.environ["POLICYKG_NO_CACHE"] = "1"
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg_builder.samples import make_large_policy  # noqa: E402
from policykg.cli import main as cli  # noqa: E402


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _bnodes_renamed(data: bytes) -> bytes:
    """rdflib names blank nodes at random (the shapes' `_:N…`): number them in order of appearance."""
    names: dict = {}
    return re.sub(rb"_:N[0-9a-f]{32}\b", lambda m: names.setdefault(m[0], b"_:b%d" % len(names)), data)


def _canonical(source) -> str:
    """sha256 of a graph's sorted N-Triples with each blank node replaced by a digest of what it holds (the
    shapes' blank nodes form trees and shared leaves, no cycles): equal for isomorphic shape graphs."""
    from rdflib import BNode, Graph
    g = source if isinstance(source, Graph) else Graph().parse(source)
    memo: dict = {}

    def sig(node) -> str:
        if not isinstance(node, BNode):
            return node.n3()
        if node not in memo:
            memo[node] = "_:" + _sha("\n".join(sorted(f"{p.n3()} {sig(o)}" for p, o in g.predicate_objects(node)))
                                     .encode())[:16]
        return memo[node]
    return _sha("\n".join(sorted(f"{sig(s)} {p.n3()} {sig(o)}" for s, p, o in g)).encode())


def _ground(path: Path) -> str:
    """sha256 of the sorted N-Triples of a Turtle file's triples without blank nodes."""
    from rdflib import BNode, Graph
    lines = sorted(" ".join(t.n3() for t in triple) for triple in Graph().parse(path)
                   if not any(isinstance(t, BNode) for t in triple))
    return _sha("\n".join(lines).encode())


def _run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = cli(argv)
    return code, out.getvalue()


def digest(path: Path) -> dict:
    from kg_builder.library import build_library
    from kg_builder.qnames import use_known_prefixes
    from reasoner.model import load_policy
    from reasoner.shapes import shapes_graph
    record: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        code, stdout = _run(["build", "--corpus", str(path), "--out", str(out)])
        record["exit"] = code
        record["summary"] = "\n".join(line for line in stdout.replace(tmp, "TMP").splitlines()
                                      if not line.startswith("done in"))
        for f in sorted(out.iterdir()) if out.exists() else []:
            record[f.name] = _sha(_bnodes_renamed(f.read_bytes()))
            if f.name == "library.ttl":  # rdflib's own Turtle writer orders some objects at random
                record[f.name] = _canonical(f)
            elif f.name.endswith(".shapes.ttl"):  # ... and writes shared blank nodes of the shapes at random
                record[f.name] = _ground(f)  # (their graph is compared below, as "shapes graph")
        code, stdout = _run(["measures", "--corpus", str(path), "--json"])
        record["measures --json"] = _sha(stdout.encode())
    from kg_builder.errors import PolicyInputError
    try:
        library = build_library(path)
    except PolicyInputError as err:  # a text the tests refuse: the refusal is part of the record
        record["refused"] = str(err).replace(str(ROOT), "")
        return record
    for doc in library.policies():
        graph = doc.build.graph
        nt = sorted(graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines())
        record[f"{doc.doc_id} sorted nt"] = _sha("\n".join(nt).encode())
        policy = load_policy(graph)
        record[f"{doc.doc_id} shapes graph"] = _canonical(use_known_prefixes(shapes_graph(policy)))
        reading = {"doc": policy.doc_id, "iri": policy.doc_iri, "measures": policy.measures, "rule": policy.rule,
                   "text": policy.text, "concepts": [repr(c) for c in policy.concepts]}
        record[f"{doc.doc_id} load_policy"] = _sha(json.dumps(reading, ensure_ascii=False, sort_keys=True,
                                                              default=str).encode())
    return record


def texts(tmp: Path) -> list[tuple[str, Path]]:
    out = [(f"corpus/{p.name}", p) for p in sorted((ROOT / "corpus").glob("*.txt"))]
    out.append(("corpus/", ROOT / "corpus"))
    out += [(f"policies/{p.name}", p) for p in sorted((ROOT / "tests/data/policies").glob("*.txt"))]
    out += [(f"layouts/{p.name}", p) for p in sorted((ROOT / "tests/data/layouts").glob("*.txt"))]
    for n in (30, 150):
        p = tmp / f"sample{n}.txt"
        p.write_text(make_large_policy(n), encoding="utf-8")
        out.append((f"samples/{n}", p))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = {name: digest(path) for name, path in texts(Path(tmp))}
    if args.save:
        args.save.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"{len(result)} texts, {sum(len(r) for r in result.values())} digests → {args.save}")
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    diffs = [f"{name}: {key}" for name in sorted(set(before) | set(result))
             for key in sorted(set(before.get(name, {})) | set(result.get(name, {})))
             if before.get(name, {}).get(key) != result.get(name, {}).get(key)]
    for d in diffs:
        print("differs:", d)
    print(f"{len(result)} texts, {sum(len(r) for r in result.values())} digests, {len(diffs)} differ")
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main())
