"""`policykg check PROFILE.json|.ttl|.jsonld|.csv|.parquet [--json] [--audit FILE] [--out FILE] [--engine E]`,
`--text "..."`, `--batch FILE`.

Profiles are read by reasoner.*; results printed as JSON (one object per profile and line, in input order;
a row that could not be read gives {"input", "error"} in its place) or a Chinese summary. Many profiles
(a CSV or --batch) go through reasoner.batch: one compiled check over chunks, a progress bar on a terminal,
and with --out a results file (.csv/.parquet: one summary row per enterprise; .jsonl: one full report per line).
A registry (.csv/.parquet) to a summary file runs on a columnar engine (reasoner.tabular: DuckDB by default,
Spark with --engine spark); the file is the same whichever engine, and is written whole or not at all."""
from __future__ import annotations

import argparse
import sys
from contextlib import contextmanager
from pathlib import Path

from kg_builder.errors import PolicyInputError
from policykg import corpusargs
from policykg.jsonout import dumps, number


def add_parser(sub):
    p = sub.add_parser("check", help="which measures does an enterprise qualify for, and how much")
    p.add_argument("profile", nargs="?", type=Path, help="profile: .json, .ttl, .jsonld, or many: .csv, .parquet")
    p.add_argument("--text", help="a profile in free Chinese or English text")
    p.add_argument("--batch", type=Path, help="one free-text profile per line")
    p.add_argument("--json", action="store_true", help="print JSON (one object per profile and line)")
    p.add_argument("--audit", type=Path, help="write the decision as PROV-O Turtle (one profile only)")
    p.add_argument("--engine", choices=["auto", "oxigraph", "shacl", "duckdb", "spark"], default="auto",
                   help="oxigraph: the shapes compiled to SPARQL (default for profiles); shacl: pyshacl, the reference; "
                        "duckdb: shapes, decisions and awards compiled to SQL (default for a .csv/.parquet registry "
                        "to a .csv/.parquet summary); spark: the same SQL on Apache Spark")
    p.add_argument("--chunk", type=int, metavar="ROWS", help="rows per chunk of a registry (memory per step)")
    p.add_argument("--spark-master", metavar="URL",
                   help="Spark master for --engine spark (spark://host:7077; default $SPARK_MASTER or local[2])")
    p.add_argument("--replay", type=Path, metavar="AUDIT.ttl",
                   help="re-run a decision recorded with --audit; print the differences (exit 1 if any)")
    p.add_argument("--out", type=Path,
                   help="write results to FILE: .csv or .parquet (one summary row per enterprise) or .jsonl (reports)")
    corpusargs.add(p)
    p.add_argument("--as-of", type=_day, help="check on this day (YYYY-MM-DD) against the policy's in-force dates; "
                   "of several versions of a document (replaces: in its metadata) the one in force that day")
    p.add_argument("--same-project", action="append", default=[], metavar="ID,ID",
                   help="measure ids that are the same project (no-duplication rule); repeatable")
    return p


def _day(text: str):
    from datetime import date
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text!r} (expected YYYY-MM-DD)") from None


def _read_file(path: Path) -> str:
    from kg_builder.corpus import decode
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise PolicyInputError(str(path), f"cannot read ({err.strerror})") from err
    return decode(raw, str(path), what="a profile file")[0]


def _profiles(args):
    """Yield (label, Profile | PolicyInputError)."""
    from reasoner.csvprofile import profiles_from_csv
    from reasoner.profile import profile_from_json, profile_from_rdf
    from reasoner.textprofile import profile_from_text
    if args.text is not None:
        yield "text", profile_from_text(args.text)
    elif args.batch:
        for n, line in enumerate(_read_file(args.batch).splitlines(), 1):
            try:
                yield n, profile_from_text(line, id=f"line{n}")
            except PolicyInputError as err:  # one bad line must not stop the others
                yield n, PolicyInputError(str(args.batch), err.problem, where=f"line {n}", expected=err.expected)
    elif args.profile is None:
        raise PolicyInputError("policykg check", "no profile given", expected="PROFILE, --text or --batch")
    else:
        suffix, src = args.profile.suffix.lower(), str(args.profile)
        text = _read_file(args.profile) if suffix != ".parquet" else ""
        if suffix == ".parquet":
            from reasoner.tabular import profiles
            yield from profiles(args.profile)
        elif suffix == ".csv":
            yield from profiles_from_csv(text, source=src)
        elif suffix in (".ttl", ".jsonld"):
            yield src, profile_from_rdf(text, fmt="turtle" if suffix == ".ttl" else "json-ld", source=src)
        else:
            yield src, profile_from_json(text, source=src)


def _read_evidence(items: list, args, policies: list) -> list:
    """Free-text profiles: what the description says of each condition of each policy (reasoner.evidence,
    e5 paraphrase); the evidence of every document is kept."""
    if args.text is None and not args.batch:
        return items
    from qa_app.encoder import paraphrase_similarity
    from reasoner.evidence import with_library_evidence
    similarity = paraphrase_similarity()
    texts = [args.text] if args.text is not None else _read_file(args.batch).splitlines()

    def read(key, p):
        if isinstance(p, PolicyInputError):
            return p
        text = texts[0] if args.text is not None else texts[key - 1]
        return with_library_evidence(p, text, policies, similarity=similarity)
    return [(key, read(key, p)) for key, p in items]


def summary(report: dict) -> str:
    lines = []
    for r in report["results"]:
        if r["status"] == "eligible":
            est = f"约{number(r['estimate_yuan'])}元" if r["estimate_yuan"] is not None else "金额待定"
            cap = f"（上限{number(r['cap_yuan'])}元）" if r["cap_yuan"] is not None else ""
            where = f"《{r['document_title']}》" if len(report.get("documents") or ()) > 1 else ""
            lines.append(f"✔ {where}{r['label']} {r['measure']}：符合，{est}{cap}" + ("（不计入合计）" if r.get("forgone") else ""))
            if r.get("application_window"):
                lines.append(f"   申请时间：{r['application_window']['text']}（{r['guides'][0]['title']}）")
            if r.get("checklist"):
                lines.append("   申请材料：" + "；".join(i["item"] for i in r["checklist"]))
        elif r["status"] == "ineligible" and any(c in "".join(r["reasons"]) for c in "还差须"):
            lines.append("✘ " + "；".join(r["reasons"]))
    if report.get("policy", {}).get("note"):
        lines.insert(0, "注意：" + report["policy"]["note"])
    needs = sum(r["status"] == "needs_info" for r in report["results"])
    lines.append(f"另有{needs}项措施需补充信息。合计估算：{number(report['total_estimate_yuan']) if report['total_estimate_yuan'] is not None else '未知'}元")
    return "\n".join(lines)


def _out_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet", ".jsonl"):
        raise PolicyInputError(str(path), f"unknown results format {suffix or '(none)'}",
                               expected=".csv, .parquet or .jsonl")
    return suffix


def _engine(args) -> str:
    """auto: DuckDB for a registry (.csv/.parquet) to a summary file, the SPARQL fast path otherwise."""
    if args.engine != "auto":
        return args.engine
    return "duckdb" if _registry_to_summary(args) else "oxigraph"


def _registry_to_summary(args) -> bool:
    return (args.profile is not None and args.profile.suffix.lower() in (".csv", ".parquet") and args.out is not None
            and args.out.suffix.lower() in (".csv", ".parquet") and not args.audit and args.text is None
            and not args.batch)


def _run_registry(args, library, engine: str, groups) -> int:
    import signal

    from reasoner.tabular import run_batch

    def stop(signum, frame):  # a service manager's SIGTERM ends the batch like Ctrl-C: no results file is left
        raise KeyboardInterrupt
    previous = signal.signal(signal.SIGTERM, stop)
    bar = _progress(None)
    try:
        counts = run_batch(args.profile, args.out, library=library, only=args.doc, engine=engine,
                           same_project=groups, as_of=args.as_of, chunk=args.chunk, spark_master=args.spark_master,
                           progress=bar.update, warn=lambda line: bar.write(line, file=sys.stderr))
    finally:
        bar.close()
        signal.signal(signal.SIGTERM, previous)
    print(f"policykg: {counts['rows']} profiles checked ({counts['errors']} unreadable) → {args.out}", file=sys.stderr)
    return 2 if counts["errors"] else 0


def run(args) -> int:
    from reasoner.library import assess_many_library, selected
    if args.text is not None and not args.text.strip():
        raise PolicyInputError("--text", "is empty or whitespace only",
                               expected="the enterprise described in Chinese or English, e.g. 我们是新认定的高企")
    library = corpusargs.library(args)
    if args.replay:
        return _replay(args, library)
    groups = [tuple(g.split(",")) for g in args.same_project]
    fmt = _out_format(args.out) if args.out else None
    docs = selected(library, args.doc, args.as_of)[0]
    engine = _engine(args)
    if _registry_to_summary(args):  # a registry to a summary: every document in one columnar query
        return _run_registry(args, library, engine, groups)
    if engine not in ("oxigraph", "shacl"):  # reports (JSON, .jsonl): each profile on each document's graph
        engine = "oxigraph"
    policies = _policies(docs)
    items = _read_evidence(list(_profiles(args)), args, policies)
    if args.audit and len(items) != 1:
        raise PolicyInputError(str(args.audit), f"--audit records one decision, got {len(items)} profiles",
                               expected="one profile (JSON, Turtle, --text)")
    if args.audit and len(docs) != 1:
        raise PolicyInputError(str(args.audit), f"--audit records a decision on one document, got {len(docs)}",
                               expected="--doc ID or --corpus FILE")
    bar = _progress(len(items))
    failures = 0
    from reasoner.batch import summary_row
    with _output(args.out, fmt) as write:
        try:
            for (_, profile), (key, item) in zip(items, assess_many_library(
                    items, library, only=args.doc, same_project=groups, as_of=args.as_of, engine=engine,
                    progress=bar.update)):
                if args.json and not write and not isinstance(item, PolicyInputError):
                    from reasoner.questions import next_questions
                    item["next_questions"] = next_questions(item, _joined(policies), profile)
                if isinstance(item, PolicyInputError):
                    failures += 1
                    bar.write(f"policykg: error: {item}", file=sys.stderr)
                if write:
                    write(key, item) if fmt == ".jsonl" else write(summary_row(key, item))
                elif isinstance(item, PolicyInputError):
                    if args.json:
                        print(dumps({"input": key, "error": str(item)}))
                else:
                    print(dumps(item) if args.json else summary(item))
                if args.audit and not isinstance(item, PolicyInputError):
                    from reasoner.audit import audit_turtle
                    built = docs[0].build
                    args.audit.write_text(audit_turtle(item, built.graph, corpus_text=built.text), encoding="utf-8")
        finally:
            bar.close()
    if args.out:
        print(f"policykg: {len(items)} profiles checked ({failures} unreadable) → {args.out}", file=sys.stderr)
    return 2 if failures else 0


def _policies(docs) -> list:
    from reasoner.model import load_policy
    return [load_policy(d.build.graph) for d in docs]


def _joined(policies):
    """The measures of several policies as one policy-like object (by_id, measures) for next_questions."""
    from types import SimpleNamespace
    if len(policies) == 1:
        return policies[0]
    by_id = {k: v for p in policies for k, v in p.by_id.items() if "/" in k}
    return SimpleNamespace(by_id=by_id, measures=[m for p in policies for m in p.measures])


@contextmanager
def _output(path: Path | None, fmt: str | None):
    """None, or a function writing one result: a summary row (.csv/.parquet) or a report (.jsonl); the file
    appears only when every row was written (reasoner.tabular.atomic_output)."""
    if path is None:
        yield None
        return
    from reasoner.tabular import SummaryWriter, _rows_table, atomic_output
    with atomic_output(path, "wb") as f:
        if fmt == ".jsonl":
            def write(key, item):
                line = dumps({"input": key, "error": str(item)}) if isinstance(item, PolicyInputError) else dumps(item)
                f.write((line + "\n").encode("utf-8"))
            yield write
            return
        writer, rows = SummaryWriter(f, fmt), []
        yield rows.append
        writer.write(_rows_table(rows))
        writer.close()


def _replay(args, library) -> int:
    from reasoner.audit import replay
    turtle = _read_file(args.replay)
    docs = [d for d in library.policies(args.doc) if f"{d.build.doc_iri}/" in turtle] or library.policies(args.doc)
    built = docs[0].build  # the document the decision was recorded on
    diffs = replay(turtle, built.graph, corpus_text=built.text)
    for d in diffs:
        print(d)
    print(f"policykg: {args.replay}: " + (f"{len(diffs)} differences" if diffs else "reproduced"), file=sys.stderr)
    return 1 if diffs else 0


def _progress(total: int | None):
    """A progress bar on stderr for many profiles, shown only on a terminal (logs stay clean)."""
    from tqdm import tqdm
    return tqdm(total=total, unit="profile", file=sys.stderr, disable=None if total is None or total > 1 else True,
                desc="policykg check")
