"""An article's lead-in that states requirements binds all its items.

'第四条 对注册在…范围内，年度营业收入超过500万元，从事航运物流的企业给予奖励。(一)… (二)…': the lead-in before the
first item grants no amount of its own; what it requires of the applicant (thresholds, qualifications, and the
parts the dictionary cannot read, kept verbatim) is a condition of every measure of its items, cited to the lead-in.
A lead-in that grants an amount itself (a cap over the items) or only states a purpose adds nothing here.
"""
from __future__ import annotations

import re

from .lexicon import Lexicon, alternation
from .measures import ClauseFacts, Condition, Measure
from .requirements import requirements_of
from .segment import condition_clauses, segments
from .structure import Node, Structure

GRANTS = ("money", "ratio", "match_ratio", "negotiated", "uncapped", "cap")


def lead_in_conditions(structure: Structure, article: Node, lexicon: Lexicon, findings_of) -> list[Condition]:
    """The requirements the lead-in of `article` (text before its first item) states; [] when it grants an amount."""
    from .conditions import read_clause  # local: conditions imports measures
    items = [c for c in article.children if c.clause is not None]
    if not items:
        return []
    a, b = article.body_start, min(c.start for c in items)
    if not structure.text[a:b].strip():
        return []
    found = findings_of(structure.text, a, b)
    if any(f.kind in GRANTS and f.kind != "money" or f.kind == "money" and not _is_threshold(f, found) for f in found):
        return []
    facts = ClauseFacts(structure.text, article.clause or "", article.label, article.number, None, a, b, found)
    openers = re.compile(alternation(lexicon.data["benefit_openers"]))
    req = requirements_of(lexicon)
    out: list[Condition] = []
    for seg in segments(structure.text, a, b, openers, []):
        if seg.opener is None:  # a lead-in without a grant word ('…的企业：') states no rule
            continue
        for c0, c1, tag in condition_clauses(structure.text, seg):
            if tag == "subject" or (tag == "other" and req.is_requirement(structure.text, c0, c1)):
                out += read_clause(facts, c0, c1, None, True)
    return out


def _is_threshold(f, found) -> bool:
    return any(t.kind == "threshold" and t.attrs.get("number") is f for t in found)


def apply_lead_ins(structure: Structure, measures: list[Measure], lexicon: Lexicon, findings_of,
                   done=frozenset()) -> None:
    """Adds each article lead-in's requirements to the measures of its items (articles in `done` were read as
    granting lead-ins already: extract._article_leads)."""
    for article in (n for n in structure.root.walk() if n.kind == "article" and n.children and id(n) not in done):
        conds = lead_in_conditions(structure, article, lexicon, findings_of)
        if not conds:
            continue
        clauses = {n.clause for n in article.walk() if n.clause is not None}
        for m in measures:
            if m.clause in clauses:
                m.conditions = sorted([*conds, *m.conditions], key=lambda c: c.start)
