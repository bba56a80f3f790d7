"""`policykg check PROFILE.json|.ttl|.jsonld|.csv [--json] [--audit FILE] [--out FILE]`, `--text "..."`, `--batch FILE`.

Profiles are read by reasoner.*; results printed as JSON (one object per profile and line, in input order;
a row that could not be read gives {"input", "error"} in its place) or a Chinese summary. Many profiles
(a CSV or --batch) go through reasoner.batch: one compiled check over chunks, a progress bar on a terminal,
and with --out a results file (.csv: one summary row per enterprise; .jsonl: one full report per line)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg_builder.errors import PolicyInputError
from policykg import corpusargs
from policykg.jsonout import dumps, number


def add_parser(sub):
    p = sub.add_parser("check", help="which measures does an enterprise qualify for, and how much")
    p.add_argument("profile", nargs="?", type=Path, help="profile: .json, .ttl, .jsonld or .csv")
    p.add_argument("--text", help="a profile in free Chinese or English text")
    p.add_argument("--batch", type=Path, help="one free-text profile per line")
    p.add_argument("--json", action="store_true", help="print JSON (one object per profile and line)")
    p.add_argument("--audit", type=Path, help="write the decision as PROV-O Turtle (one profile only)")
    p.add_argument("--engine", choices=["oxigraph", "shacl"], default="oxigraph",
                   help="oxigraph: the shapes compiled to SPARQL (fast, default); shacl: pyshacl, the reference")
    p.add_argument("--replay", type=Path, metavar="AUDIT.ttl",
                   help="re-run a decision recorded with --audit; print the differences (exit 1 if any)")
    p.add_argument("--out", type=Path, help="write results to FILE: .csv (one row per enterprise) or .jsonl")
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
        suffix, text, src = args.profile.suffix.lower(), _read_file(args.profile), str(args.profile)
        if suffix == ".csv":
            yield from profiles_from_csv(text, source=src)
        elif suffix in (".ttl", ".jsonld"):
            yield src, profile_from_rdf(text, fmt="turtle" if suffix == ".ttl" else "json-ld", source=src)
        else:
            yield src, profile_from_json(text, source=src)


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


def _open_out(path: Path):
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl"):
        raise PolicyInputError(str(path), f"unknown results format {suffix or '(none)'}", expected=".csv or .jsonl")
    try:
        return path.open("w", encoding="utf-8-sig" if suffix == ".csv" else "utf-8", newline="")
    except OSError as err:
        raise PolicyInputError(str(path), f"cannot write ({err.strerror})") from err


def _write(out, fmt: str, key, item, writer) -> None:
    from reasoner.batch import summary_row
    if fmt == ".csv":
        writer.writerow(summary_row(key, item))
    elif isinstance(item, PolicyInputError):
        out.write(dumps({"input": key, "error": str(item)}) + "\n")
    else:
        out.write(dumps(item) + "\n")


def run(args) -> int:
    import csv

    from reasoner.batch import SUMMARY_FIELDS
    from reasoner.library import assess_many_library, selected
    library = corpusargs.library(args)
    if args.replay:
        return _replay(args, library)
    groups = [tuple(g.split(",")) for g in args.same_project]
    items = list(_profiles(args))
    if args.audit and len(items) != 1:
        raise PolicyInputError(str(args.audit), f"--audit records one decision, got {len(items)} profiles",
                               expected="one profile (JSON, Turtle, --text)")
    out = _open_out(args.out) if args.out else None
    fmt = args.out.suffix.lower() if args.out else None
    writer = csv.DictWriter(out, fieldnames=SUMMARY_FIELDS) if fmt == ".csv" else None
    if writer:
        writer.writeheader()
    bar = _progress(len(items))
    failures = 0
    try:
        docs = selected(library, args.doc, args.as_of)[0]
        if args.audit and len(docs) != 1:
            raise PolicyInputError(str(args.audit), f"--audit records a decision on one document, got {len(docs)}",
                                   expected="--doc ID or --corpus FILE")
        for key, item in assess_many_library(items, library, only=args.doc, same_project=groups, as_of=args.as_of,
                                             engine=args.engine, progress=bar.update):
            if isinstance(item, PolicyInputError):
                failures += 1
                bar.write(f"policykg: error: {item}", file=sys.stderr)
            if out:
                _write(out, fmt, key, item, writer)
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
        if out:
            out.close()
    if out:
        print(f"policykg: {len(items)} profiles checked ({failures} unreadable) → {args.out}", file=sys.stderr)
    return 2 if failures else 0


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


def _progress(total: int):
    """A progress bar on stderr for many profiles, shown only on a terminal (logs stay clean)."""
    from tqdm import tqdm
    return tqdm(total=total, unit="profile", file=sys.stderr, disable=None if total > 1 else True,
                desc="policykg check")
