"""`policykg check PROFILE.json|.ttl|.jsonld|.csv [--json] [--audit FILE] [--out FILE]`, `--text "..."`, `--batch FILE`.

Profiles are read by reasoner.*; results printed as JSON (one object per profile and line, in input order;
a row that could not be read gives {"input", "error"} in its place) or a Chinese summary. Many profiles
(a CSV or --batch) go through reasoner.batch: one compiled check over chunks, a progress bar on a terminal,
and with --out a results file (.csv: one summary row per enterprise; .jsonl: one full report per line)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg_builder.build import build_source
from kg_builder.config import DEFAULT_CORPUS
from kg_builder.errors import PolicyInputError
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
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="policy text")
    p.add_argument("--as-of", type=_day, help="check on this day (YYYY-MM-DD) against the policy's in-force dates")
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


def _read_evidence(items: list, args, graph) -> list:
    """Free-text profiles: what the description says of each condition (reasoner.evidence, e5 paraphrase)."""
    if args.text is None and not args.batch:
        return items
    from qa_app.encoder import paraphrase_similarity
    from reasoner.evidence import with_evidence
    from reasoner.model import load_policy
    policy, similarity = load_policy(graph), paraphrase_similarity()
    texts = [args.text] if args.text is not None else _read_file(args.batch).splitlines()
    return [(key, with_evidence(p, texts[0] if args.text is not None else texts[key - 1], policy, similarity=similarity)
             if not isinstance(p, PolicyInputError) else p) for key, p in items]


def summary(report: dict) -> str:
    lines = []
    for r in report["results"]:
        if r["status"] == "eligible":
            est = f"约{number(r['estimate_yuan'])}元" if r["estimate_yuan"] is not None else "金额待定"
            cap = f"（上限{number(r['cap_yuan'])}元）" if r["cap_yuan"] is not None else ""
            lines.append(f"✔ {r['label']} {r['measure']}：符合，{est}{cap}" + ("（不计入合计）" if r.get("forgone") else ""))
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

    from reasoner.batch import SUMMARY_FIELDS, assess_many
    from reasoner.model import load_policy
    from reasoner.questions import next_questions
    built = build_source(args.corpus)
    if args.replay:
        return _replay(args, built)
    groups = [tuple(g.split(",")) for g in args.same_project]
    items = _read_evidence(list(_profiles(args)), args, built.graph)
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
        for (_, profile), (key, item) in zip(items, assess_many(
                items, built.graph, same_project=groups, as_of=args.as_of, engine=args.engine, progress=bar.update)):
            if args.json and not out and not isinstance(item, PolicyInputError):
                item["next_questions"] = next_questions(item, load_policy(built.graph), profile)
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
                args.audit.write_text(audit_turtle(item, built.graph, corpus_text=built.text), encoding="utf-8")
    finally:
        bar.close()
        if out:
            out.close()
    if out:
        print(f"policykg: {len(items)} profiles checked ({failures} unreadable) → {args.out}", file=sys.stderr)
    return 2 if failures else 0


def _replay(args, built) -> int:
    from reasoner.audit import replay
    diffs = replay(_read_file(args.replay), built.graph, corpus_text=built.text)
    for d in diffs:
        print(d)
    print(f"policykg: {args.replay}: " + (f"{len(diffs)} differences" if diffs else "reproduced"), file=sys.stderr)
    return 1 if diffs else 0


def _progress(total: int):
    """A progress bar on stderr for many profiles, shown only on a terminal (logs stay clean)."""
    from tqdm import tqdm
    return tqdm(total=total, unit="profile", file=sys.stderr, disable=None if total > 1 else True,
                desc="policykg check")
