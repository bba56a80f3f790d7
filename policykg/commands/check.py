"""`policykg check PROFILE.json|.ttl|.jsonld|.csv [--json] [--audit FILE]`, `--text "..."`, `--batch FILE`.

Profiles are read by reasoner.*; results printed as JSON (one object per profile) or a Chinese summary."""
from __future__ import annotations

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
    p.add_argument("--audit", type=Path, help="write the decision as PROV-O Turtle")
    p.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="policy text")
    p.add_argument("--same-project", action="append", default=[], metavar="ID,ID",
                   help="measure ids that are the same project (no-duplication rule); repeatable")
    return p


def _read_file(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise PolicyInputError(str(path), f"cannot read ({err})") from err


def _profiles(args):
    """Yield (label, Profile | PolicyInputError)."""
    from reasoner.csvprofile import profiles_from_csv
    from reasoner.profile import profile_from_json, profile_from_rdf
    from reasoner.textprofile import profile_from_text
    if args.text is not None:
        yield "text", profile_from_text(args.text)
    elif args.batch:
        for n, line in enumerate(_read_file(args.batch).splitlines(), 1):
            yield f"line {n}", profile_from_text(line, id=f"line{n}")
    elif args.profile is None:
        raise PolicyInputError("policykg check", "no profile given", expected="PROFILE, --text or --batch")
    else:
        suffix, text, src = args.profile.suffix.lower(), _read_file(args.profile), str(args.profile)
        if suffix == ".csv":
            yield from ((f"row {n}", p) for n, p in profiles_from_csv(text, source=src))
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
            lines.append(f"✔ {r['label']} {r['measure']}：符合，{est}{cap}")
        elif r["status"] == "ineligible" and any(c in "".join(r["reasons"]) for c in "还差须"):
            lines.append("✘ " + "；".join(r["reasons"]))
    needs = sum(r["status"] == "needs_info" for r in report["results"])
    lines.append(f"另有{needs}项措施需补充信息。合计估算：{number(report['total_estimate_yuan']) if report['total_estimate_yuan'] is not None else '未知'}元")
    return "\n".join(lines)


def run(args) -> int:
    from reasoner.assess import assess
    built = build_source(args.corpus)
    groups = [tuple(g.split(",")) for g in args.same_project]
    failures, items = 0, list(_profiles(args))
    for i, (label, profile) in enumerate(items, 1):
        if len(items) > 50 and i % 50 == 0:
            print(f"\rchecked {i}/{len(items)}", end="", file=sys.stderr)
        if isinstance(profile, PolicyInputError):
            failures += 1
            print(f"policykg: error: {profile}", file=sys.stderr)
            continue
        report = assess(profile, built.graph, same_project=groups)
        print(dumps(report) if args.json else summary(report))
        if args.audit:
            from reasoner.audit import audit_turtle
            args.audit.write_text(audit_turtle(report, built.graph, corpus_text=built.text), encoding="utf-8")
    return 2 if failures else 0
