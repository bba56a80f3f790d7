"""The last guard against a dropped condition: what a measure's clause says before it grants, and nothing read.

The extractor reads requirements it recognises (kg_builder.requirements: 对…的, markers, thresholds). A real text
also writes them in ways it does not know ("实现年度外贸航线数量和箱量双增长的船公司", "项目完工当年企业营业收入实现
正增长", "其本部在我区租用自用办公用房的"). So the rule here is the other way round: every part of the clause before
the grant (cut at ，；。：, not inside brackets or quotes) is a requirement unless it is known not to be one —
a purpose ("支持企业…", and the parts of that sentence continuing it), a method ("按照…", "根据…", "以…为基数"),
timing or payment words ("一次性", "入统当年分别", "连续三年"), or words that state nothing (fillers, a bare
beneficiary). Those words are lexicon data (`unread_requirements`, with `requirements.method_opens` and
`purpose_verbs`). A part no condition of the measure covers becomes a text condition to confirm, cited verbatim.

A measure after the first in its clause that has no subject of its own ("对新落户的总部企业，实缴注册资本达到1亿元
以上的，给予500万元；实缴注册资本5000万元至1亿元的，给予200万元") is bound by the subject parts the clause opened
with: it gets the first measure's conditions on those parts.
Entry point: `keep_unread(text, clause_start, measures, lexicon)`, run per clause after extraction.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .lexicon import Lexicon, alternation, derived
from .measures import Condition, Measure
from .requirements import requirements_of

CUTS = "，,；;。：:"
OPEN, CLOSE = "（(“\"《[【", "）)”\"》]】"


class _Words:
    def __init__(self, lexicon: Lexicon):
        data = lexicon.data
        own = data.get("unread_requirements") or {}
        req = data.get("requirements") or {}
        self.req = requirements_of(lexicon)
        self.purpose = re.compile(f"^(?:{alternation(data.get('purpose_verbs', []))})")
        not_req = [*req.get("method_opens", []), *own.get("not_requirements", [])]
        patterns = [alternation(not_req), *own.get("not_requirement_patterns", [])]
        self.not_requirement = re.compile(f"^(?:{'|'.join(patterns)})")
        self.subject = re.compile(f"^(?:{alternation(req.get('opens', []))})")
        self.openers = re.compile(alternation(data.get("benefit_openers", [])))
        self.leading = re.compile(f"^[\\s\u3000]*(?:{alternation(own.get('leading', []))})?")
        self.despite = re.compile("|".join(own.get("requirement_despite", [])) or "(?!)")
        self.method_inside = re.compile(own.get("method_inside") or "(?!)")
        self.continues = re.compile(f"^(?:{alternation(own.get('continues_subject', []))})")
        self.empty = set(data.get("benefits", [])) | set(data.get("beneficiaries", []))


def _words(lexicon: Lexicon) -> _Words:
    return derived(lexicon, _Words)


def parts(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """text[a:b] cut at clause punctuation outside brackets and quotes."""
    out, depth, pos = [], 0, a
    for i in range(a, b):
        ch = text[i]
        if ch in OPEN and not (ch == '"' and depth):
            depth += 1
        elif ch in CLOSE and depth:
            depth -= 1
        elif ch in CUTS and depth == 0:
            out.append((pos, i))
            pos = i + 1
    out.append((pos, b))
    return [(p0, p1) for p0, p1 in out if p1 > p0]


def grant_start(text: str, m: Measure, words: _Words) -> int:
    """Where the measure starts granting: its first benefit word (给予/予以) or its first amount."""
    found = words.openers.search(text, m.start, m.end)
    starts = [x.start for x in m.amounts if m.start <= x.start < m.end]
    return min([found.start()] if found else [] + starts or [m.end])


def unread_parts(text: str, m: Measure, words: _Words, ways: tuple = ()) -> list[tuple[int, int]]:
    """Parts before the grant that state a requirement and that no condition of `m` covers — nor of `ways`, the other
    measures of one award written as alternatives ('…以上，或…以上的': each way's thresholds are its own)."""
    covered = [(c.start, c.end) for o in (m, *ways) for c in o.conditions]
    out, purpose = [], False
    for p0, p1 in parts(text, m.start, grant_start(text, m, words)):
        lead = words.leading.match(text, p0)
        s = text[lead.end() if lead else p0:p1].strip()
        if words.purpose.match(s):
            purpose = True  # '支持企业…，联合…，合力攻关…' continues the purpose until a subject opens
            continue
        if words.subject.match(s):
            purpose = False
        if purpose or (words.not_requirement.match(s) and not words.despite.match(s)):
            continue  # '经认定分别' is how it is paid; '经认定的总部企业' names who
        inside = words.method_inside.search(text, p0 + 1, p1)
        a, b = words.req.trim(text, p0, inside.start() if inside else p1)
        if b <= a or text[a:b] in words.empty or not words.req.states_something(text, a, b):
            continue
        if not any(c0 < b and a < c1 for c0, c1 in covered):
            out.append((a, b))
    return out


def keep_unread(text: str, clause_start: int, measures: list[Measure], lexicon: Lexicon) -> None:
    """Add, in place, a text condition for every unread requirement part of each measure of one clause, and the
    clause's opening subject to later measures that have none of their own."""
    words = _words(lexicon)
    ordered = sorted(measures, key=lambda m: m.start)
    pay = {id(m): tuple((a.kind, a.value, a.start) for a in m.amounts) for m in ordered}
    ways = {id(m): tuple(o for o in ordered if o is not m and m.amounts and (o.start, o.end) == (m.start, m.end)
                         and pay[id(o)] == pay[id(m)]) for m in ordered}
    found = {id(m): unread_parts(text, m, words, ways[id(m)]) for m in ordered}
    for m in ordered:
        m.conditions = sorted([*m.conditions, *(Condition("text", a, b, text[a:b]) for a, b in found[id(m)])],
                              key=lambda c: c.start)
    if not ordered:
        return
    lead = None  # (span, conditions to carry, carries without a continuing word)
    for m in ordered:
        if _own_subject(text, m, words):
            lead = _subject_lead(text, m, words)
            continue
        if lead and m.start >= lead[0][1] and (lead[2] or _continues(text, m, words)):
            have = {(c.start, c.end) for c in m.conditions}
            m.conditions = sorted([*m.conditions, *(replace(c) for c in lead[1] if (c.start, c.end) not in have)],
                                  key=lambda c: c.start)


def _subject_lead(text: str, m: Measure, words: _Words):
    """What a measure with a subject passes on to the next measures of its clause that have none:
    (span, conditions, carries). A heading grant without an amount ('对于在我区新设的非总部型企业，按照…分档次给予
    落户奖励。') passes all its conditions; '对新落户的企业，具有…资质的，奖励…；具有…的，奖励…' its opening subject part,
    since it adds a requirement of its own after it; '对A的企业，每件给予…' adds none, and a later '…的，每件给予'
    names its own requirement, so it passes its subject only to a sentence continuing it (其中，…)."""
    own = [c for c in m.conditions if c.stated_in is None]
    if not m.amounts:
        return (m.start, m.start), own, True
    cut = parts(text, m.start, grant_start(text, m, words))
    p0, p1 = cut[0] if cut else (m.start, m.start)
    lead = words.leading.match(text, p0)
    first = text[lead.end() if lead else p0:p1].strip()
    if not cut or not (words.subject.match(first) or words.despite.match(first) or words.req.heads.search(first)):
        return None  # the first part names who: '对…的企业', '经认定的总部企业'
    carried = [c for c in own if p0 <= c.start and c.end <= p1]
    return ((p0, p1), carried, any(c.start >= p1 for c in own)) if carried else None


def _continues(text: str, m: Measure, words: _Words) -> bool:
    """The measure's sentence opens with a word continuing the previous one's subject (其中，港澳籍人才…)."""
    return bool(words.continues.match(text[m.start:m.end].lstrip(" \u3000")))


def _own_subject(text: str, m: Measure, words: _Words) -> bool:
    """It opens with a subject word (对/凡), or one of its parts before the grant names who (…的总部企业)."""
    if words.subject.match(text[m.start:m.end].lstrip(" \u3000")):
        return True
    return any(words.req.heads.search(text[a:b].rstrip("，,；; ")) for a, b in
               parts(text, m.start, grant_start(text, m, words)))
