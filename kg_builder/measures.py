"""From a clause's findings to measures: one per benefit rule, with conditions, amounts and a source span."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from .lexicon import Lexicon, alternation
from .mint import mint
from .nlp import Finding
from .numbers import parse_number
from .rates import count_of
from .segment import Segment, condition_clauses, enumeration, segments

STRUCTURED = ("qualification", "threshold", "flag", "industry")
OPEN = ("negotiated", "uncapped", "by_reference")  # amounts without a number (kg_builder.vocab OPEN_KINDS)


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
    negated: bool = False  # an exclusion ('房地产企业除外'): the applicant must not be what it names


@dataclass
class Amount:
    kind: str
    value: Decimal
    start: int
    end: int
    text: str
    base: str | None = None  # quantity concept id, for ratio kinds
    base_text: str | None = None
    unit: str | None = None  # for rate: 元/件, 元/平方米/月
    origin: str = "extracted"
    currency: str = "CNY"  # a foreign currency stays as written (USD)
    per: str | None = None  # for rate/max_rate: the count it multiplies (quantity concept id)
    per_text: str | None = None
    schedule: list[Step] = field(default_factory=list)  # the amount year by year (前三年…95%，后两年…50%)


@dataclass
class Step:
    """One period of a schedule: years `first`..`last` (1-based) pay `value` (same kind and base as the amount)."""
    first: int
    last: int
    value: Decimal
    start: int
    end: int
    text: str


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
    grants = [(f.start, f.end) for f in facts.findings if f.kind in ("money", "ratio", "match_ratio", *OPEN)
              and not _is_threshold_number(facts, f) and not (f.kind == "money" and _range_bound(facts.text, f))
              and not (f.kind == "by_reference" and _granted_later(facts, f, openers))]
    out: list[Measure] = []
    lead, heading, binding = None, [], []
    for seg in segments(facts.text, facts.start, facts.end, openers, grants):
        if seg.opener is None:
            heading = _heading(facts, seg) if _is_heading(facts, seg) else heading
            continue
        if not openers.match(facts.text, seg.opener) and not any(
                facts.of(k, seg.start, seg.end) for k in ("benefit", "cap", "ratio", "match_ratio", *OPEN)):
            continue  # a sum with neither a grant nor a benefit word, no cap or ratio: a requirement ('引进注册资本1亿元…的业绩')
        found = _measures_of_segment(facts, seg, lexicon, len(out))
        if not any(m.amounts for m in found) and not _grants(facts, seg, lexicon):
            continue
        for m in found:  # what a heading ('1.对内资企业：') or a requirement lead-in states binds what follows it
            m.conditions = sorted([*binding, *heading, *m.conditions], key=lambda c: c.start)
        if len(found) == 1 and not found[0].amounts:  # '对…超过2000TEU的货代公司给予奖励。其中，…每TEU给予10元'
            binding = [c for c in found[0].conditions if c not in binding and c not in heading]
        if out and _restates_limits(facts, seg, found, lexicon):
            for m in out:  # '奖励金上不封顶', '上述奖励金额以1000万元为上限': said of the clause's awards before it
                m.amounts = [*m.amounts, *found[0].amounts]
            continue
        if _is_lead(facts, seg, found):
            lead = found[0]
            continue
        if lead is not None:
            _inherit(found, lead, bool(facts.of("benefit", seg.opener, seg.end)))
        out.extend(found)
    _carry_bases(out, facts.text)
    _share_aggregate_caps(out, facts.text)
    return out


def _granted_later(facts: ClauseFacts, f: Finding, openers: re.Pattern) -> bool:
    """'依据《…实施办法》，对…给予综合资助': the policy a grant word later in the sentence follows is how it is
    paid, not a grant of its own (it opens a measure only where no grant word follows: '可享受…相关优惠政策')."""
    end = min([facts.end, *(i for i in (facts.text.find(c, f.end, facts.end) for c in "。；;") if i >= 0)])
    return openers.search(facts.text, f.end, end) is not None


def _grants(facts: ClauseFacts, seg: Segment, lexicon: Lexicon) -> bool:
    """A segment without an amount grants something only when a benefit word follows its grant word and the
    words up to that grant are not a rule, definition, commitment, validity or procedure (lexicon `not_grants`,
    `no_duplication`): '按照就高不重复的原则予以支持', '已给予奖励资金的，予以追回', '本办法有效期届满…予以评估修订'."""
    if not facts.of("benefit", seg.opener, seg.end):
        return False
    openers = re.compile(alternation(lexicon.data["benefit_openers"]))
    last = max((m.start() for m in openers.finditer(facts.text, seg.opener, seg.end)), default=seg.opener)
    upto = next((b for a, b in seg.clauses if a <= last < b), seg.end)  # '已给予奖励资金的，予以追回': the last
    words = [*lexicon.data.get("not_grants", []), *map(re.escape, lexicon.data.get("no_duplication", []))]
    return not (words and re.search("|".join(words), facts.text[seg.start:upto]))
LIST_MARKER = re.compile(r"\s*(?:\d{1,2}[.．、](?!\d)|[（(][\d一二三四五六七八九十]{1,2}[)）]|[①-⑳])\s*")


def _is_heading(facts: ClauseFacts, seg: Segment) -> bool:
    """A listed element that grants nothing and announces sub-items ('1.对内资企业:')."""
    return facts.text[seg.start:seg.end].rstrip().endswith((":", "："))


def _heading(facts: ClauseFacts, seg: Segment) -> list[Condition]:
    from .conditions import read_clause  # local: conditions imports this module
    marker = LIST_MARKER.match(facts.text, seg.start)
    a = marker.end() if marker else seg.start
    b = seg.start + len(facts.text[seg.start:seg.end].rstrip().rstrip(":："))
    if b <= a:
        return []
    return read_clause(facts, a, b, None, True)


def _restates_limits(facts: ClauseFacts, seg: Segment, found: list[Measure], lexicon: Lexicon) -> bool:
    """A segment that only limits ('上不封顶'; '上述…以1000万元为上限'; '且不超过其对我区经济贡献的80%')."""
    if len(found) != 1 or not found[0].amounts:
        return False
    kinds = {a.kind for a in found[0].amounts}
    if kinds == {"uncapped"}:
        return True
    back = re.compile(alternation(lexicon.data.get("back_reference", [])))
    limits = all(k.startswith("max_") or k == "uncapped" for k in kinds)
    return limits and bool(back.pattern) and back.match(facts.text, seg.start) is not None


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
    beneficiary, benefit = _beneficiary(facts, seg, lexicon), _benefit(facts, seg)
    tiers = _tiers(facts, seg, amounts)
    if not tiers:
        ways = _alternatives(facts, seg, shared, lexicon)
        if ways:  # '营业收入5000万元以上或交易额在100亿元以上的': one measure per way to qualify, paid once
            picked = [c for way in ways for c in way]
            rest = [c for c in shared if c not in picked]
            return [_measure(facts, seg, offset + i, beneficiary, benefit, sorted([*rest, *way], key=lambda c: c.start),
                             amounts) for i, way in enumerate(ways)]
        return [_measure(facts, seg, offset, beneficiary, benefit, shared, amounts)]
    tier_amounts, elements = tiers
    caps = _chain([a for a in amounts if a not in tier_amounts], CAP_KINDS, facts.text)
    paired = caps if len(caps) == len(tier_amounts) else []  # '最高分别不超过500万元、300万元、100万元'
    rest = [a for a in amounts if a not in tier_amounts and a not in paired]
    levels = _levels_named(facts, seg, len(tier_amounts), lexicon)
    out = []
    for i, amount in enumerate(tier_amounts):
        own = element_conditions(facts, seg, elements, i, shared) if elements else shared
        if elements and amount.per:  # '国家标准、行业标准的，每项分别给予30万元、20万元': each counts its own
            amount = _own_count(amount, facts, seg, elements[i], lexicon)
        if levels and amount.kind == "match_ratio":  # '获得国家、省、市…资金…分别按照100%、70%、50%配套'
            from dataclasses import replace
            amount = replace(amount, base=levels[i])
        mine = [amount, *([paired[i]] if paired else []), *rest]
        out.append(_measure(facts, seg, offset + i, beneficiary, benefit, own, sorted(mine, key=lambda a: a.start)))
    return out


def _alternatives(facts: ClauseFacts, seg: Segment, shared: list[Condition], lexicon: Lexicon) -> list[list[Condition]] | None:
    """Thresholds on either side of an 'or' word (lexicon: or_words) are alternative ways to qualify: '对年进出口额达8亿美元
    及以上，或出口额达4亿美元及以上，且…'; '…1亿元以上、且同比增幅低于8%的，或…1亿元以上、且同比增幅达到8%以上的'. The
    way before it is the comma-clause holding (or just before) the word, the way after it the comma-clause the word
    opens or sits in; conditions outside both bind every way."""
    words = lexicon.data.get("or_words") or []
    limits = [c for c in shared if c.kind == "threshold"]
    if len(limits) < 2 or not words or seg.opener is None:
        return None
    text = facts.text
    for m in re.finditer(alternation(words), text[:seg.opener]):
        if m.start() < seg.start or any(c.start < m.start() < c.end for c in shared):
            continue
        lo = _clause_bounds(text, m.start(), seg)[0]
        opens = not text[lo:m.start()].strip()
        if opens:  # '，或…': the way before is the previous comma-clause
            lo = _clause_bounds(text, max(seg.start, lo - 2), seg)[0]
        hi = _clause_bounds(text, m.end(), seg)[1]
        before = [c for c in limits if lo <= c.start and c.end <= m.start()]
        after = [c for c in limits if m.end() <= c.start and c.end <= hi]
        if before and after:
            return [before, after]
    return None


def _clause_bounds(text: str, pos: int, seg: Segment) -> tuple[int, int]:
    lo = max([seg.start, *(text.rfind(ch, seg.start, pos) + 1 for ch in "，,；;")])
    ends = [i for i in (text.find(ch, pos, seg.opener) for ch in "，,；;") if i >= 0]
    return lo, min([*ends, seg.opener])


CAP_KINDS = ("max_total", "max_annual", "max_per_item", "max_per_event", "max_per_investee", "max_rate")


def _chain(amounts: list[Amount], kinds, text: str) -> list[Amount]:
    """The longest run of listed amounts of `kinds` ('50万元、100万元、200万元')."""
    chain, best = [], []
    for a in (a for a in amounts if a.kind in kinds):
        if chain and re.fullmatch(r"[、和及与或\s]*", text[chain[-1].end:a.start]):
            chain.append(a)
        else:
            chain = [a]
        best = chain if len(chain) > len(best) else best
    return best


def _levels_named(facts: ClauseFacts, seg: Segment, n: int, lexicon: Lexicon) -> list[str]:
    """The levels of government a clause's conditions list, in order, when there are exactly n of them."""
    spec = lexicon.data.get("higher_level_funds") or {}
    where = facts.text[seg.start:seg.opener or seg.end]
    found = sorted((m.start(), lv["id"]) for lv in spec.get("levels", []) for m in re.finditer(lv["pattern"], where))
    ids = [cid for _, cid in found]
    ids = [cid for i, cid in enumerate(ids) if cid not in ids[:i]]
    return ids if len(ids) == n else []


def _own_count(amount: Amount, facts: ClauseFacts, seg: Segment, element: tuple[int, int], lexicon: Lexicon) -> Amount:
    from dataclasses import replace
    rate = next((m.attrs["rate"] for m in facts.of("money", amount.start, amount.end) if m.attrs.get("rate")), None)
    if rate is None or not rate.bare:
        return amount
    own = replace(amount)
    _per(own, facts, seg, rate, lexicon, element)
    return own


def _measure(facts, seg, index, beneficiary, benefit, conditions, amounts) -> Measure:
    return Measure(facts.clause, facts.label, facts.article, facts.item, index + 1, seg.start, seg.end,
                   facts.text[seg.start:seg.end], beneficiary, benefit, list(conditions), list(amounts))


def _in_years(value: Decimal, number) -> Decimal:
    """A period cap is in years: '最长不超过36个月' is 3 years, '18个月' 1.5 (days are left as read: rare, and a
    year of days is not exact)."""
    return value / 12 if number.attrs.get("unit") == "month" else value


def _amounts(facts: ClauseFacts, seg: Segment, lexicon: Lexicon) -> list[Amount]:
    text, out = facts.text, []
    capped = {id(c.attrs["number"]) for c in facts.of("cap", seg.start, seg.end)}
    for c in facts.of("cap", seg.start, seg.end):
        number = c.attrs["number"]
        a = Amount(c.attrs["scope"], _in_years(c.attrs["value"], number) if c.attrs["scope"] == "max_years"
                   else c.attrs["value"], c.start, c.end, text[c.start:c.end], currency=number.attrs.get("currency", "CNY"))
        if number.attrs.get("rate") is not None and c.attrs["scope"] in ("max_rate", "max_per_item"):
            _per(a, facts, seg, number.attrs["rate"], lexicon)
        out.append(a)
    pooled = {id(p.attrs["number"]) for p in facts.of("negotiated", seg.start, seg.end) if "number" in p.attrs}
    for m in facts.of("money", seg.start, seg.end):
        rate = m.attrs.get("rate")  # '按照每平方米每天2元的标准给予' names the amount before 给予
        if m.start >= seg.opener and rate is None and AWARD_RANGE.search(text, max(seg.opener, m.start - 12), m.start):
            low = AWARD_RANGE.search(text, max(seg.opener, m.start - 12), m.start)  # '给予20-200万元的奖励'
            out += [Amount("negotiated", None, low.start(), m.end, text[low.start():m.end]),
                    Amount("max_total", m.attrs["value"], low.start(), m.end, text[low.start():m.end])]
            continue
        if id(m) in capped or id(m) in pooled or _is_threshold_number(facts, m) \
                or (m.start < seg.opener and rate is None) or _range_bound(text, m):
            continue
        a = Amount("rate" if rate else "fixed", m.attrs["value"], m.start, m.end, text[m.start:m.end],
                   unit=m.attrs.get("unit"), currency=m.attrs.get("currency", "CNY"))
        if rate is not None:
            _per(a, facts, seg, rate, lexicon)
        out.append(a)
    for kind in ("ratio", "match_ratio"):
        for r in facts.of(kind, seg.start, seg.end):
            if _is_threshold_number(facts, r):
                continue
            base, base_text = _base(facts, seg, r, lexicon)
            kind = "match_ratio" if kind == "ratio" and _higher_level(base_text, lexicon, text[seg.start:seg.end]) else kind
            if kind == "match_ratio":
                base = _funds_level(facts, seg, base, base_text, lexicon)
            elif r.attrs.get("cap"):
                kind = "max_ratio"
            out.append(Amount(kind, r.attrs["value"], r.start, r.end, text[r.start:r.end], base, base_text))
    for kind in OPEN:
        for f in facts.of(kind, seg.start, seg.end):
            out.append(Amount(kind, None, f.start, f.end, text[f.start:f.end]))
    if not out:
        out += _unstated_match(facts, seg, lexicon)
    return _schedule(sorted(out, key=lambda a: a.start), facts, seg, lexicon)


def _unstated_match(facts: ClauseFacts, seg: Segment, lexicon: Lexicon) -> list[Amount]:
    """'区给予配套奖励' with no ratio or sum: matching whose rate the text leaves open → `negotiated` (no fixed sum),
    cited from the grant word to the benefit word."""
    spec = lexicon.data.get("higher_level_funds") or {}
    benefits = facts.of("benefit", seg.opener, seg.end)
    if not spec.get("matching") or not benefits or not re.search(spec["matching"], facts.text[seg.opener:benefits[-1].end]):
        return []
    return [Amount("negotiated", None, seg.opener, benefits[-1].end, facts.text[seg.opener:benefits[-1].end])]


AWARD_RANGE = re.compile(r"[\d.]+\s*(?:万|亿)?(?:元)?\s*(?:-|－|—|~|～|至|到)\s*$")
RANGE_NEXT = re.compile(r"\s*(?:[（(]含[)）])?\s*(?:至|到|~|～|—)\s*[\d一二三四五六七八九十]")
RANGE_PREV = re.compile(r"(?:至|到|~|～|—)\s*$")


def _range_bound(text: str, m: Finding) -> bool:
    """'实缴注册资本100万美元(含)至1000万美元的': the ends of a range the applicant falls in, not awards."""
    return RANGE_NEXT.match(text, m.end) is not None or RANGE_PREV.search(text, max(0, m.start - 3), m.start) is not None


def _per(a: Amount, facts: ClauseFacts, seg: Segment, rate, lexicon: Lexicon, context: tuple[int, int] | None = None) -> None:
    """The count a rate multiplies, named by the words after 每 or, for a bare 每件, by those before it."""
    lo, hi = context or (seg.start, rate.at)
    count = count_of(rate, facts.text[lo:hi], lexicon)
    a.per, a.per_text, a.unit = count.quantity, count.label, rate.unit


def _higher_level(base_text: str | None, lexicon: Lexicon, segment: str = "") -> bool:
    """Does a ratio's base name funds received from a higher level ('上级资金', '其获得的扶持金额'; in a clause
    that says 配套, '资助金额')?"""
    spec = lexicon.data.get("higher_level_funds") or {}
    if not base_text or not spec:
        return False
    if re.search(spec["base"], base_text):
        return True
    return bool(spec.get("matching")) and re.search(spec["matching"], segment) is not None \
        and re.search(spec["matching_base"], base_text) is not None


def _funds_level(facts: ClauseFacts, seg: Segment, base: str | None, base_text: str | None, lexicon: Lexicon) -> str | None:
    """Which level's funds a match applies to: the one level named in the base or, failing that, in the
    conditions ('经国家、省、市商务部门认定' names three: funds from any higher level)."""
    spec = lexicon.data.get("higher_level_funds") or {}
    if not spec or (base and not base.startswith("x_") and not _higher_level(base_text, lexicon)
                    and base != spec.get("any")):
        return base
    for where in (base_text or "", facts.text[seg.start:seg.opener or seg.end]):
        levels = [lv["id"] for lv in spec.get("levels", []) if re.search(lv["pattern"], where)]
        if len(levels) == 1:
            return levels[0]
        if len(levels) > 1:
            return spec.get("any")
    return base or spec.get("any")


def _schedule(amounts: list[Amount], facts: ClauseFacts, seg: Segment, lexicon: Lexicon) -> list[Amount]:
    """'前三年按其对我区经济贡献的95%给予奖励，后两年给予50%的奖励': amounts of one kind each led by a period
    (前N年 / 后N年 / 第N(至M)年) are one amount paid year by year; the first carries the schedule."""
    spec = lexicon.data.get("schedule_periods")
    if not spec:
        return amounts
    patterns = {k: re.compile(v) for k, v in spec.items()}
    text, steps, year, lo = facts.text, [], 0, seg.start
    for a in (a for a in amounts if a.kind in ("ratio", "fixed", "max_ratio", "rate")):
        found = sorted((m.start(), k, m) for k, p in patterns.items() for m in p.finditer(text, lo, a.start))
        lo = a.end
        if not found:
            continue
        _, k, m = found[-1]
        if k == "nth":
            first = int(parse_number(m["a"]))
            last = int(parse_number(m["b"])) if m["b"] else first
        else:
            first = 1 if k == "first" else year + 1
            last = first + int(parse_number(m["n"])) - 1
        year = last
        steps.append((a, Step(first, last, a.value, m.start(), a.end, text[m.start():a.end])))
    if len(steps) < 2 or len({a.kind for a, _ in steps} - {"ratio", "max_ratio"}) > 1:
        return amounts
    head = steps[0][0]
    head.schedule = [s for _, s in steps]
    later = {id(a) for a, _ in steps[1:]}
    return [a for a in amounts if id(a) not in later]


BASE_OPEN = re.compile(r"(?:按照|按|依据|根据)")
RESTATED = re.compile(r"比例(?:可以|可|将)?(?:提高|提升|上调|调整|降低|下调)?(?:至|到|为)\s*$")  # '补贴比例提高至70%'


def _base(facts: ClauseFacts, seg: Segment, ratio: Finding, lexicon: Lexicon) -> tuple[str | None, str | None]:
    """The quantity a ratio applies to: '按照采购合同金额的10%' → procurementContractAmount; '给予企业对我区经济贡献
    40%的奖励' → the words after 给予; '给予50%的租金补贴' → the quantity named right after it. A base the
    dictionary does not know is minted from its words (kg_builder.mint: '对我区经济贡献')."""
    text = facts.text
    lo = max(text.rfind(c, seg.start, ratio.start) for c in "，,") + 1
    lo = max(lo, seg.start)
    opens = list(BASE_OPEN.finditer(text, lo, ratio.start)) or list(GRANT_OPEN.finditer(text, lo, ratio.start))
    phrase = ""
    if opens:
        phrase = re.split(r"给予|予以|分别|比例|的?\s*[\d.]+\s*[%％‰]", text[opens[-1].end():ratio.start])[0]
        phrase = re.sub(r"(的|给|不超过|不高于|最高|\s)+$", "", phrase)
    at = opens[-1].end() if opens else None
    named = list(BASE_AS.finditer(text, seg.start, ratio.start))
    if named and not phrase:  # '以年度总产值为基数，给予0.05%的奖励'
        at, phrase = named[-1].start("base"), named[-1]["base"]
    candidates = [q for q in facts.of("quantity", seg.start, ratio.start) if lexicon.concept(q.attrs["concept"]).unit == "CNY"]
    if phrase:
        candidates = [q for q in candidates if at <= q.start and q.end <= at + len(phrase)]
        for t in facts.of("threshold", seg.start, seg.end):  # '按照成交额的2%' after '技术合同登记成交额超过…'
            if not candidates and t.attrs["quantity"] and phrase in lexicon.concept(t.attrs["quantity"]).short:
                return t.attrs["quantity"], phrase
    if not candidates:
        after = BASE_AFTER.match(text, ratio.end)
        named = [q for q in facts.of("quantity", ratio.end, seg.end) if after and q.start == after.end()
                 and lexicon.concept(q.attrs["concept"]).unit == "CNY"]
        if named:
            return named[0].attrs["concept"], text[named[0].start:named[0].end]
        label = OWNER.sub("", phrase)
        operators = {*lexicon.data["thresholds"]["before"], *lexicon.data["cap_words"]}
        if len(label) >= 2 and not re.search(r"\d|%", label) and not any(label.endswith(w) for w in operators):
            return mint("quantity", label, "CNY").id, phrase
        return None, phrase or None
    q = max(candidates, key=lambda q: (q.end, q.end - q.start))
    concept, term = q.attrs["concept"], text[q.start:q.end]
    for t in facts.of("threshold", seg.start, seg.end):  # '合同额' after '技术合同成交额超过2亿元' is that turnover
        if t.attrs["quantity"] and term in lexicon.concept(t.attrs["quantity"]).short:
            concept = t.attrs["quantity"]
    return concept, phrase or term


BASE_AS = re.compile(r"以(?:其)?(?P<base>[^，,；;。以]{2,30}?)为基数")
GRANT_OPEN = re.compile(r"(?:给予|予以|(?<=最高)为|(?<=不超过)为|不超过|不高于)")
BASE_AFTER = re.compile(r"\s*的\s*")
OWNER = re.compile(r"^(?:不超过|不高于|最高|其|该企业|企业|该|买方企业|项目)+")  # whose base it is, not what it is


def _carry_bases(measures: list[Measure], text: str) -> None:
    """A ratio that restates the clause's previous one ('补贴比例提高至70%') applies to the same base."""
    previous = None
    for a in (a for m in measures for a in m.amounts if a.kind in ("ratio", "match_ratio")):
        if a.base is None and previous is not None and RESTATED.search(text, max(0, a.start - 8), a.start):
            a.base, a.base_text = previous.base, previous.base_text
        previous = a if a.base else previous


def _beneficiary(facts: ClauseFacts, seg: Segment, lexicon: Lexicon) -> str:
    """Who is paid, in order: '给予运营机构…' / '对管理机构给予…', the head noun of the subject clause
    ('…的国家高新技术企业，'), a clause-initial subject ('企业委托…'), the object of a purpose verb ('支持各类科技创新机构',
    '鼓励具有国际船舶管理资质的机构入驻'); else, as written, the body named right before the method or grant
    ('对供应链服务平台按照每辆500元给予补贴'), the holder of the award's cap ('每家机构享受该项奖励资金…'), or a
    person when the money goes to one ('划入个人账户'); else the enterprise."""
    text, found = facts.text, facts.of("beneficiary", seg.start, seg.end)
    starts = {a for a, _ in seg.clauses}
    rules = (
        lambda b: 0 <= b.start - seg.opener <= 3 or 0 <= seg.opener - b.end <= 1,
        lambda b: b.end <= seg.opener and (b.end in {c[1] for c in seg.clauses}) and "的" in text[seg.start:b.start],
        lambda b: b.start in starts or b.start - 1 in starts and text[b.start - 1] in "对",
        lambda b: b.end + 1 in {c[1] for c in seg.clauses} and text[b.end] == "的" and b.end < seg.opener,  # '对新入选领军人才的'
        lambda b: b.end <= seg.opener and re.search(r"(?:支持|鼓励|引导|推动)(?:各类)?$", text[seg.start:b.start]),
        lambda b: b.end <= seg.opener and re.search(r"(?:支持|鼓励|引导|推动)(?:具有|具备|拥有|取得)[^，,；;。]*的$",
                                                    text[seg.start:b.start]),  # '鼓励具有…资质的机构入驻'
    )
    for i, rule in enumerate(rules):
        hits = [b for b in found if rule(b)]
        if hits:
            return text[hits[0].start:hits[0].end]
        named = _payee_as_written(facts, seg, lexicon, "named") if i == 0 else None
        if named:
            return named
    return _payee_as_written(facts, seg, lexicon, "holder") or _payee_as_written(facts, seg, lexicon, "person") or "企业"


def _payee_as_written(facts: ClauseFacts, seg: Segment, lexicon: Lexicon, how: str) -> str | None:
    """The payee the lexicon `payees` patterns of one kind find in the segment: `named` before the method or the
    grant, the `holder` of a cap; `person` where the money goes to one."""
    spec = lexicon.data.get("payees") or {}
    text = facts.text[seg.start:seg.end]
    if how == "person":
        return spec.get("person_word", "人才") if spec.get(how) and re.search("|".join(spec[how]), text) else None
    heads = alternation(spec.get("heads", []))
    for pattern in spec.get(how, []):
        m = re.search(pattern.replace("{heads}", heads), text)
        if m and m["who"] not in spec.get("not", []):
            return m["who"]
    return None


def _benefit(facts: ClauseFacts, seg: Segment) -> str:
    after = [b for b in facts.of("benefit", seg.opener, seg.end)]
    longest = max(after, key=lambda b: (-b.start, b.end - b.start), default=None)
    return facts.text[longest.start:longest.end] if longest else "支持"


def _tiers(facts: ClauseFacts, seg: Segment, amounts: list[Amount]):
    """'分别给予500万元、300万元' → the listed amounts and the listed subjects they align with."""
    best = _chain(amounts, ("fixed", "max_total", "max_per_item", "rate", "ratio", "match_ratio"), facts.text)
    if len(best) < 2 or "分别" not in facts.text[seg.start:best[0].start]:
        return None
    subject = [c for c in condition_clauses(facts.text, seg) if c[2] == "subject"]
    elements = enumeration(facts.text, subject[-1][0], subject[-1][1], len(best)) if subject else None
    return best, elements
