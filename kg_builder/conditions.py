"""Conditions of a benefit segment: structured where the dictionary knows the words, verbatim otherwise.

Structured: a qualification (any of the listed ones, with new/renewed status), a numeric threshold on
a named quantity, a yes/no fact, an industry (any of the listed GB/T 4754 sections). A subject clause
(对…的) with none of these becomes a text condition, which an enterprise must confirm itself.
"""
from __future__ import annotations

import re

from .config import RESOURCES
from .lexicon import load_lexicon
from .measures import ClauseFacts, Condition
from .mint import mint
from .nlp import LISTED_GAP, clause_start
from .requirements import requirements_of
from .segment import Segment, condition_clauses

LEAD = re.compile(r"^(?:对于|对|且|并且|并(?!购)|同时|凡)")
TAIL = re.compile(r"(?:的)$")
JOINED = re.compile(r"并且|并|且|同时")
RESPECTIVELY = re.compile(r"\s*(?:分别\s*)*$")  # '…的新落户船公司分别给予…': 分别 pairs the lists


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
    if kind == "qualification" and status:  # '新培育的…国家高新技术企业': the citation shows the status word too
        start = min([start, *(f.start for f in facts.of("status", a, start))])
    concepts = tuple(dict.fromkeys(f.attrs["concept"] for f in found))
    return [Condition(kind, start, end, facts.text[start:end], concepts,
                      status=status if kind == "qualification" else None)]


def structured(facts: ClauseFacts, a: int, b: int, status: str | None) -> list[Condition]:
    out = _grouped(facts, "qualification", a, b, status) + _grouped(facts, "industry", a, b, None)
    previous = None
    # a threshold counts where its number is: '实缴注册资本达到1000万美元以上、3000万美元以上' — the second starts at
    # the quantity named once, but belongs to the listed element '3000万美元以上'
    own = [t for t in facts.of("threshold", None, b) if a <= t.attrs["number"].start and t.end <= b]
    for t in own:
        quantity, start = t.attrs["quantity"], max(t.start, a)
        if quantity is None:  # open vocabulary: the noun phrase before the threshold names the quantity
            quantity, start = _minted_quantity(facts, t, previous)
        previous = (t, quantity)
        if quantity is None:  # no phrase to name it: the enterprise confirms the words
            out.append(Condition("text", t.start, t.end, facts.text[t.start:t.end]))
            continue
        out.append(Condition("threshold", start, t.end, facts.text[start:t.end], op=t.attrs["op"],
                             value=t.attrs["value"], unit=t.attrs["unit"], quantity=quantity))
    for f in _outermost(facts, "flag", a, b):
        out.append(Condition("flag", f.start, f.end, facts.text[f.start:f.end], (f.attrs["concept"],)))
    return sorted(out, key=lambda c: c.start)


def _minted_quantity(facts: ClauseFacts, t, previous) -> tuple[str | None, int]:
    """'年度实现跨境电子商务进出口额超过5亿元' → the concept minted for 跨境电子商务进出口额 (unit CNY); a number listed
    after another ('达到1亿元、3亿元') is on the same quantity."""
    text = facts.text
    if previous and previous[1] and (LISTED_GAP.fullmatch(text, previous[0].end, t.start)
                                     or t.attrs.get("band") == "high"):  # '500万(含)至5000万元': both ends
        return previous[1], t.start
    listed = [p for p in facts.of("threshold") if p.end <= t.attrs["number"].start]  # a listed element on its own
    if listed and LISTED_GAP.fullmatch(text, listed[-1].end, t.attrs["number"].start):
        first = listed[-1]
        return first.attrs["quantity"] or _minted_quantity(facts, first, None)[0], t.attrs["number"].start
    span = _requirements().phrase(text, max(clause_start(text, t.start), facts.start), t.start)
    if span is None:
        return None, t.start
    return mint("quantity", text[span[0]:span[1]], t.attrs["unit"]).id, span[0]


def _requirements():
    return requirements_of(load_lexicon(RESOURCES / "lexicon.yaml"))


def text_condition(facts: ClauseFacts, a: int, b: int) -> Condition:
    b = _requirements().clause_end(facts.text, a, b)  # '…的高成长企业按营业收入的增量…' stops at 按
    s = facts.text[a:b]
    lead, tail = LEAD.match(s), TAIL.search(s)
    a2 = a + (lead.end() if lead else 0)
    b2 = b - (len(tail.group()) if tail else 0)
    a, b = (a2, b2) if b2 > a2 else (a, b)
    return Condition("text", a, b, facts.text[a:b])


def read_clause(facts: ClauseFacts, a: int, b: int, status: str | None, requirement: bool) -> list[Condition]:
    """What a clause states: structured conditions, and — in a clause that states a requirement — every part the
    dictionary could not read, kept verbatim ('对获得市级部门支持的技术转移机构' → 技术转移机构 + '获得市级部门支持')."""
    b = _requirements().clause_end(facts.text, a, b)
    b -= len(RESPECTIVELY.search(facts.text, a, b).group())
    found = structured(facts, a, b, status)
    if not requirement:
        return found
    if not found:  # nothing the dictionary knows: the clause's own words, to confirm
        return [text_condition(facts, a, b)]
    covered = [(c.start, c.end) for c in found] + [(f.start, f.end) for k in ("status", "threshold", "money", "ratio",
                                                                              "match_ratio", "duration", "area")
                                                   for f in facts.of(k, a, b)]
    rest = [Condition("text", p0, p1, facts.text[p0:p1])
            for p0, p1 in _requirements().residue(facts.text, a, b, covered)]
    return sorted(found + rest, key=lambda c: c.start)


def conditions_of(facts: ClauseFacts, seg: Segment) -> list[Condition]:
    status = _status(facts, seg.start, seg.opener)
    req = _requirements()
    out: list[Condition] = []
    for a, b, tag in condition_clauses(facts.text, seg):
        if req.bases.match(facts.text[a:b].strip()):  # '对其新增部分按每TEU给予50元': what the amount is on
            continue
        requirement = tag == "subject" or (tag == "other" and req.is_requirement(facts.text, a, b))
        out.extend(read_clause(facts, a, b, status, requirement))
    if not out:  # nothing says who qualifies: the enterprise must confirm the clause's own words
        clauses = [c for c in condition_clauses(facts.text, seg) if c[2] == "other" and c[1] - c[0] >= 4]
        a, b = (clauses[0][0], clauses[-1][1]) if clauses else (seg.start, seg.end)
        out.append(Condition("text", a, b, facts.text[a:b]))
    return out


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
    own = read_clause(facts, a, b, status, True) or [Condition("text", a, b, facts.text[a:b])]
    for c in own:  # '对新培育的独角兽、潜在独角兽企业': each listed title keeps the status word in its citation
        if c.kind == "qualification" and c.status:
            c.start = min([c.start, *(f.start for f in facts.of("status", seg.start, c.start))])
            c.text = facts.text[c.start:c.end]
    if index > 0:  # '对在南沙港区完成年度…吞吐量达到10万、20万…': what the first listed level says before its number binds all
        a0, b0 = elements[0]
        lead0 = LEAD.match(facts.text[a0:b0])
        first = read_clause(facts, a0 + (lead0.end() if lead0 and b0 - a0 > lead0.end() else 0), b0, status, True)
        limits = [c for c in first if c.kind == "threshold"]
        own += [c for c in first if limits and c.end <= limits[0].start and c.kind != "threshold"]
    if joined:
        own += read_clause(facts, joined.end(), hi, status, True) or [text_condition(facts, joined.end(), hi)]
    kept = [c for c in shared if c.end <= lo or c.start >= hi]
    for c in shared:  # a text condition around the list keeps its words outside the list ('…的新落户船公司')
        if c.kind == "text" and c.start < hi and lo < c.end:
            kept += [Condition("text", p0, p1, facts.text[p0:p1])
                     for p0, p1 in _requirements().residue(facts.text, c.start, c.end, [(lo, hi)])]
    return sorted(kept + own, key=lambda c: c.start)
