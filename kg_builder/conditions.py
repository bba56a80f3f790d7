"""Conditions of a benefit segment: structured where the dictionary knows the words, verbatim otherwise.

Structured: a qualification (any of the listed ones, with new/renewed status), a numeric threshold on
a named quantity, a yes/no fact, an industry (any of the listed GB/T 4754 sections). A subject clause
(对…的) with none of these becomes a text condition, which an enterprise must confirm itself.
"""
from __future__ import annotations

import re

from .measures import ClauseFacts, Condition
from .segment import Segment, condition_clauses

LEAD = re.compile(r"^(?:对于|对|且|并且|并(?!购)|同时|凡)")
TAIL = re.compile(r"(?:的)$")
BOTH = re.compile(r"并且|且")
JOINED = re.compile(r"并且|并|且|同时")
METHOD_INSIDE = re.compile(r"按照|(?<=[企业构体])按")


def _status(facts: ClauseFacts, a: int, b: int) -> str | None:
    found = facts.of("status", a, b)
    return found[0].attrs["status"] if found else None


def _outermost(facts: ClauseFacts, kind: str, a: int, b: int):
    """Findings of `kind` not nested in a longer structured finding ('委托知识产权服务机构' hides '知识产权服务机构')."""
    others = [f for k in ("qualification", "flag", "industry", "threshold") for f in facts.of(k, a, b)]
    return [f for f in facts.of(kind, a, b)
            if not any(o is not f and o.start <= f.start and f.end <= o.end and (o.end - o.start) > (f.end - f.start)
                       for o in others)]


def _grouped(facts: ClauseFacts, kind: str, a: int, b: int, status: str | None) -> list[Condition]:
    found = _outermost(facts, kind, a, b)
    if not found:
        return []
    start, end = found[0].start, found[-1].end
    concepts = tuple(dict.fromkeys(f.attrs["concept"] for f in found))
    return [Condition(kind, start, end, facts.text[start:end], concepts,
                      status=status if kind == "qualification" else None)]


def structured(facts: ClauseFacts, a: int, b: int, status: str | None) -> list[Condition]:
    out = _grouped(facts, "qualification", a, b, status) + _grouped(facts, "industry", a, b, None)
    for t in facts.of("threshold", a, b):
        out.append(Condition("threshold", t.start, t.end, facts.text[t.start:t.end], op=t.attrs["op"],
                             value=t.attrs["value"], unit=t.attrs["unit"], quantity=t.attrs["quantity"]))
    for f in _outermost(facts, "flag", a, b):
        out.append(Condition("flag", f.start, f.end, facts.text[f.start:f.end], (f.attrs["concept"],)))
    return sorted(out, key=lambda c: c.start)


def text_condition(facts: ClauseFacts, a: int, b: int) -> Condition:
    method = METHOD_INSIDE.search(facts.text, a + 1, b)  # '…的高成长企业按营业收入的增量…' stops at 按
    b = method.start() if method else b
    s = facts.text[a:b]
    lead, tail = LEAD.match(s), TAIL.search(s)
    a2 = a + (lead.end() if lead else 0)
    b2 = b - (len(tail.group()) if tail else 0)
    a, b = (a2, b2) if b2 > a2 else (a, b)
    return Condition("text", a, b, facts.text[a:b])


def conditions_of(facts: ClauseFacts, seg: Segment) -> list[Condition]:
    status = _status(facts, seg.start, seg.opener)
    out: list[Condition] = []
    for a, b, tag in condition_clauses(facts.text, seg):
        found = structured(facts, a, b, status)
        if found:
            out.extend(found)
            if tag == "subject":
                out.extend(_unstructured_parts(facts, a, b, status) or _predicate(facts, a, b, found))
        elif tag == "subject":
            out.append(text_condition(facts, a, b))
    if not out:  # nothing says who qualifies: the enterprise must confirm the clause's own words
        clauses = [c for c in condition_clauses(facts.text, seg) if c[2] == "other" and c[1] - c[0] >= 4]
        a, b = (clauses[0][0], clauses[-1][1]) if clauses else (seg.start, seg.end)
        out.append(Condition("text", a, b, facts.text[a:b]))
    return out


def _unstructured_parts(facts: ClauseFacts, a: int, b: int, status: str | None) -> list[Condition]:
    """'对新落户本区且实缴注册资本不低于5000万元的企业': the part joined by 且 that the dictionary does not
    know ('新落户本区') is a condition of its own, kept verbatim."""
    bounds = [a, *(x for m in BOTH.finditer(facts.text, a, b) for x in (m.start(), m.end())), b]
    parts = [(p0, p1) for p0, p1 in zip(bounds[::2], bounds[1::2]) if p1 - p0 >= 2]
    if len(parts) < 2:
        return []
    return [text_condition(facts, p0, p1) for p0, p1 in parts if not structured(facts, p0, p1, status)]


def _predicate(facts: ClauseFacts, a: int, b: int, found: list[Condition]) -> list[Condition]:
    """'孵化器年度绩效考核结果为优秀的': a clause that opens with what the dictionary knows and goes on to say
    something of it keeps that rest verbatim. Clauses opening with 对 ('对…的企业') name their subject last."""
    end = max(c.end for c in found)
    if LEAD.match(facts.text[a:b]) or min(c.start for c in found) != a or b - end < 5:
        return []
    return [text_condition(facts, end, b)]


def element_conditions(facts: ClauseFacts, seg: Segment, elements: list[tuple[int, int]], index: int,
                       shared: list[Condition]) -> list[Condition]:
    """Conditions of one listed subject: its own, plus the shared ones that lie outside the list."""
    lo, hi = elements[0][0], elements[-1][1]
    joined = JOINED.search(facts.text, elements[-1][0], hi)  # '一等奖、二等奖、三等奖并在本区注册企业'
    if joined:
        elements = [*elements[:-1], (elements[-1][0], joined.start())]
    a, b = elements[index]
    lead = LEAD.match(facts.text[a:b])
    a += lead.end() if lead and b - a > lead.end() else 0
    status = _status(facts, seg.start, seg.opener)
    own = structured(facts, a, b, status) or [Condition("text", a, b, facts.text[a:b])]
    if joined:
        own += structured(facts, joined.end(), hi, status) or [text_condition(facts, joined.end(), hi)]
    kept = [c for c in shared if c.end <= lo or c.start >= hi]
    return sorted(kept + own, key=lambda c: c.start)
