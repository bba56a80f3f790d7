"""From a clause's findings to measures: one per benefit rule, with conditions, amounts and a source span."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .lexicon import Lexicon, alternation
from .nlp import Finding
from .segment import Segment, condition_clauses, enumeration, segments

STRUCTURED = ("qualification", "threshold", "flag", "industry")


@dataclass
class Condition:
    kind: str  # qualification | threshold | flag | industry | text
    start: int
    end: int
    text: str
    concepts: tuple[str, ...] = ()
    status: str | None = None  # new | renewed, for qualifications
    op: str | None = None  # gt | ge, for thresholds
    value: Decimal | None = None
    unit: str | None = None
    quantity: str | None = None
    origin: str = "extracted"
    stated_in: str | None = None  # clause id of the applicability article stating it for the whole document


@dataclass
class Amount:
    kind: str
    value: Decimal
    start: int
    end: int
    text: str
    base: str | None = None  # quantity concept id, for ratio kinds
    base_text: str | None = None
    unit: str | None = None  # for rate
    origin: str = "extracted"


@dataclass
class Measure:
    clause: str
    label: str
    article: int | None
    item: int | None
    index: int
    start: int
    end: int
    quote: str
    beneficiary: str
    benefit: str
    conditions: list[Condition] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)
    origin: str = "extracted"


@dataclass(frozen=True)
class ClauseFacts:
    """What the pipeline found in one clause; offsets are absolute."""

    text: str
    clause: str
    label: str
    article: int | None
    item: int | None
    start: int
    end: int
    findings: list[Finding]

    def of(self, kind: str, a: int | None = None, b: int | None = None) -> list[Finding]:
        a = self.start if a is None else a
        b = self.end if b is None else b
        return sorted((f for f in self.findings if f.kind == kind and a <= f.start and f.end <= b),
                      key=lambda f: f.start)


def extract_measures(facts: ClauseFacts, lexicon: Lexicon) -> list[Measure]:
    openers = re.compile(alternation(lexicon.data["benefit_openers"]))
    grants = [(f.start, f.end) for f in facts.findings if f.kind in ("money", "ratio", "match_ratio")
              and not _is_threshold_number(facts, f)]
    out: list[Measure] = []
    lead = None
    for seg in segments(facts.text, facts.start, facts.end, openers, grants):
        if seg.opener is None:
            continue
        found = _measures_of_segment(facts, seg, lexicon, len(out))
        if _is_lead(facts, seg, found):
            lead = found[0]
            continue
        if lead is not None:
            _inherit(found, lead, bool(facts.of("benefit", seg.opener, seg.end)))
        out.extend(found)
    _carry_bases(out, facts.text)
    _share_aggregate_caps(out, facts.text)
    return out


AGGREGATE = re.compile(r"^(?:单个|每家|每个)(?:企业|单位|机构)[^，,；;。]*?(?:总额|累计|合计)")


def _share_aggregate_caps(measures: list[Measure], text: str) -> None:
    """'…每件给予5000元；…每件给予3万元，单个企业每年资助总额最高不超过100万元。': a cap on what one enterprise
    receives in total, closing a sentence of several rules, caps each of them."""
    for m in measures:
        for cap in [a for a in m.amounts if a.kind.startswith("max_")]:
            lo = max(text.rfind(c, 0, cap.start) for c in "，,；;。") + 1
            if not AGGREGATE.match(text[lo:cap.end].lstrip()):
                continue
            sentence = text.rfind("。", 0, cap.start) + 1
            for other in measures:
                if other is not m and other.start >= sentence and other.end <= cap.start \
                        and not any(a.kind == cap.kind for a in other.amounts):
                    other.amounts = sorted([*other.amounts, cap], key=lambda a: a.start)


def _is_lead(facts: ClauseFacts, seg: Segment, found: list[Measure]) -> bool:
    """A grant that only caps and announces a list ('分阶段给予总额不超过600万元的奖励：')."""
    after = facts.text[seg.end:seg.end + 1]
    return len(found) == 1 and after != "" and after in "：:" and bool(found[0].amounts) \
        and all(a.kind.startswith("max_") for a in found[0].amounts)


def _inherit(found: list[Measure], lead: Measure, named_benefit: bool) -> None:
    """Each listed stage keeps the lead-in's caps, benefit word and structured conditions; the lead-in's
    text condition ('对企业上市的') names the programme, not a requirement of every stage."""
    for m in found:
        m.amounts = sorted([*lead.amounts, *m.amounts], key=lambda a: a.start)
        m.conditions = sorted([*(c for c in lead.conditions if c.kind != "text"), *m.conditions],
                              key=lambda c: c.start)
        m.benefit = m.benefit if named_benefit else lead.benefit


def _is_threshold_number(facts: ClauseFacts, f: Finding) -> bool:
    return any(t.attrs["number"] is f for t in facts.of("threshold"))


def _measures_of_segment(facts: ClauseFacts, seg: Segment, lexicon: Lexicon, offset: int) -> list[Measure]:
    from .conditions import conditions_of, element_conditions  # local: conditions imports this module
    amounts = _amounts(facts, seg, lexicon)
    shared = conditions_of(facts, seg)
    beneficiary, benefit = _beneficiary(facts, seg), _benefit(facts, seg)
    tiers = _tiers(facts, seg, amounts)
    if not tiers:
        return [_measure(facts, seg, offset, beneficiary, benefit, shared, amounts)]
    tier_amounts, elements = tiers
    rest = [a for a in amounts if a not in tier_amounts]
    out = []
    for i, amount in enumerate(tier_amounts):
        own = element_conditions(facts, seg, elements, i, shared) if elements else shared
        out.append(_measure(facts, seg, offset + i, beneficiary, benefit, own, [amount, *rest]))
    return out


def _measure(facts, seg, index, beneficiary, benefit, conditions, amounts) -> Measure:
    return Measure(facts.clause, facts.label, facts.article, facts.item, index + 1, seg.start, seg.end,
                   facts.text[seg.start:seg.end], beneficiary, benefit, list(conditions), list(amounts))


def _amounts(facts: ClauseFacts, seg: Segment, lexicon: Lexicon) -> list[Amount]:
    text, out = facts.text, []
    capped = {id(c.attrs["number"]) for c in facts.of("cap", seg.start, seg.end)}
    for c in facts.of("cap", seg.start, seg.end):
        out.append(Amount(c.attrs["scope"], c.attrs["value"], c.start, c.end, text[c.start:c.end]))
    for m in facts.of("money", seg.start, seg.end):
        rate = m.attrs.get("unit") is not None  # '按照每平方米每天2元的标准给予' names the amount before 给予
        if id(m) in capped or _is_threshold_number(facts, m) or (m.start < seg.opener and not rate):
            continue
        kind = "rate" if rate else "fixed"
        out.append(Amount(kind, m.attrs["value"], m.start, m.end, text[m.start:m.end], unit=m.attrs.get("unit")))
    for kind in ("ratio", "match_ratio"):
        for r in facts.of(kind, seg.start, seg.end):
            base, base_text = _base(facts, seg, r, lexicon)
            out.append(Amount(kind, r.attrs["value"], r.start, r.end, text[r.start:r.end], base, base_text))
    return sorted(out, key=lambda a: a.start)


BASE_OPEN = re.compile(r"(?:按照|按|依据|根据)")
RESTATED = re.compile(r"比例(?:提高|提升|上调|调整|降低|下调)?(?:至|到|为)\s*$")  # '补贴比例提高至70%'


def _base(facts: ClauseFacts, seg: Segment, ratio: Finding, lexicon: Lexicon) -> tuple[str | None, str | None]:
    """The quantity a ratio applies to: '按照采购合同金额的10%' → procurementContractAmount."""
    text = facts.text
    lo = max(text.rfind(c, seg.start, ratio.start) for c in "，,") + 1
    lo = max(lo, seg.start)
    opens = list(BASE_OPEN.finditer(text, lo, ratio.start))
    phrase = ""
    if opens:
        phrase = re.sub(r"(的|给予|给|\s)+$", "", text[opens[-1].end():ratio.start])
    candidates = [q for q in facts.of("quantity", seg.start, ratio.start) if lexicon.concept(q.attrs["concept"]).unit == "CNY"]
    if phrase:
        candidates = [q for q in candidates if opens[-1].end() <= q.start] or candidates
    if not candidates:
        return None, phrase or None
    q = max(candidates, key=lambda q: (q.end, q.end - q.start))
    concept, term = q.attrs["concept"], text[q.start:q.end]
    for t in facts.of("threshold", seg.start, seg.end):  # '合同额' after '技术合同成交额超过2亿元' is that turnover
        if t.attrs["quantity"] and term in lexicon.concept(t.attrs["quantity"]).short:
            concept = t.attrs["quantity"]
    return concept, phrase or term


def _carry_bases(measures: list[Measure], text: str) -> None:
    """A ratio that restates the clause's previous one ('补贴比例提高至70%') applies to the same base."""
    previous = None
    for a in (a for m in measures for a in m.amounts if a.kind in ("ratio", "match_ratio")):
        if a.base is None and previous is not None and RESTATED.search(text, max(0, a.start - 8), a.start):
            a.base, a.base_text = previous.base, previous.base_text
        previous = a if a.base else previous


def _beneficiary(facts: ClauseFacts, seg: Segment) -> str:
    """Who is paid, in order: '给予运营机构…' / '对管理机构给予…', the head noun of the subject clause
    ('…的国家高新技术企业，'), a clause-initial subject ('企业委托…'), the object of a purpose verb ('支持各类科技创新机构')."""
    text, found = facts.text, facts.of("beneficiary", seg.start, seg.end)
    starts = {a for a, _ in seg.clauses}
    rules = (
        lambda b: 0 <= b.start - seg.opener <= 3 or 0 <= seg.opener - b.end <= 1,
        lambda b: b.end <= seg.opener and (b.end in {c[1] for c in seg.clauses}) and "的" in text[seg.start:b.start],
        lambda b: b.start in starts or b.start - 1 in starts and text[b.start - 1] in "对",
        lambda b: b.end + 1 in {c[1] for c in seg.clauses} and text[b.end] == "的" and b.end < seg.opener,  # '对新入选领军人才的'
        lambda b: b.end <= seg.opener and re.search(r"(?:支持|鼓励|引导|推动)(?:各类)?$", text[seg.start:b.start]),
    )
    for rule in rules:
        hits = [b for b in found if rule(b)]
        if hits:
            return text[hits[0].start:hits[0].end]
    return "企业"


def _benefit(facts: ClauseFacts, seg: Segment) -> str:
    after = [b for b in facts.of("benefit", seg.opener, seg.end)]
    longest = max(after, key=lambda b: (-b.start, b.end - b.start), default=None)
    return facts.text[longest.start:longest.end] if longest else "支持"


def _tiers(facts: ClauseFacts, seg: Segment, amounts: list[Amount]):
    """'分别给予500万元、300万元' → the listed amounts and the listed subjects they align with."""
    listed = [a for a in amounts if a.kind in ("fixed", "max_total", "max_per_item", "rate")]
    chain, best = [], []
    for a in listed:
        if chain and re.fullmatch(r"[、和及与或\s]*", facts.text[chain[-1].end:a.start]):
            chain.append(a)
        else:
            chain = [a]
        best = chain if len(chain) > len(best) else best
    if len(best) < 2 or "分别" not in facts.text[seg.start:best[0].start]:
        return None
    subject = [c for c in condition_clauses(facts.text, seg) if c[2] == "subject"]
    elements = enumeration(facts.text, subject[-1][0], subject[-1][1], len(best)) if subject else None
    return best, elements
