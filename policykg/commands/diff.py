"""`policykg diff OLD NEW [--json]`: measures added, removed and changed between two versions of a policy
(amounts, kinds, conditions, beneficiaries), each side cited (document, clause, label, quote with offsets)."""
from __future__ import annotations

from pathlib import Path

from kg_builder.build import build_source
from kg_builder.diff import diff_builds, lines
from policykg.jsonout import dumps


def add_parser(sub):
    p = sub.add_parser("diff", help="compare two versions of a policy text (measures added, removed, changed)")
    p.add_argument("old", type=Path, help="the earlier version (e.g. the 征求意见稿)")
    p.add_argument("new", type=Path, help="the later version (e.g. the final text)")
    p.add_argument("--json", action="store_true", help="print one JSON object (added, removed, changed, unchanged)")
    return p


def run(args) -> int:
    report = diff_builds(build_source(args.old), build_source(args.new))
    if args.json:
        print(dumps(report, indent=1))
        return 0
    for line in lines(report):
        print(line)
    return 0
