"""spaCy's blank Chinese pipeline (jieba segmenter + the domain dictionary) with one rule component per
kind of fact. Each component reads `doc.text` and records `Finding`s in `doc.spans[kind]` (token-aligned,
for display) and `doc.user_data["findings"]` (exact character offsets, the authoritative record)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from typing import TYPE_CHECKING

from .lexicon import Lexicon, alternation, concept_of, load_lexicon
from .mint import mint
from .numbers import (DURATION_RE, EN_DURATION_RE, EN_MONEY_RE, FOREIGN_CURRENCY, FOREIGN_MONEY_RE, MATCH_RATIO_RE,
                      MONEY_RE, NUM, PERCENT_RE, en_money_value, match_ratio_value, money_value, parse_number,
                      percent_value)
from .rates import rate_at

if TYPE_CHECKING:  # spaCy and jieba load on first use (make_nlp): a cached graph needs neither
    from spacy.language import Language
    from spacy.tokens import Doc
CLAUSE_BREAK = "，,；;。：:"


@dataclass
class Finding:
    kind: str
    start: int
    end: int
    attrs: dict = field(default_factory=dict)


def findings(doc: Doc, kind: str) -> list[Finding]:
    return [f for f in doc.user_data.get("findings", []) if f.kind == kind]


def add(doc: Doc, kind: str, start: int, end: int, **attrs) -> Finding:
    finding = Finding(kind, start, end, attrs)
    doc.user_data.setdefault("findings", []).append(finding)
    span = doc.char_span(start, end, label=kind, alignment_mode="expand")
    if span is not None:
        doc.spans.setdefault(kind, []).append(span)
    return finding


def clause_start(text: str, pos: int) -> int:
    """Start of the comma-clause that contains `pos`."""
    return max(text.rfind(c, 0, pos) for c in CLAUSE_BREAK) + 1


class _Component:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon


def amounts(text: str) -> list[tuple[int, int, Decimal]]:
    """(start, end, yuan) of Chinese ('1500万元') and English ('RMB 15 million') amounts; where two readings
    overlap the one starting first, then the longer, wins ('15,000,000元' is not '000元')."""
    found = []
    for m in MONEY_RE.finditer(text):
        try:
            found.append((m.start(), m.end(), money_value(m["num"], m["mult"])))
        except ValueError:  # '千万元' without a number is no amount
            continue
    found += [(m.start(), m.end(), v) for m in EN_MONEY_RE.finditer(text) if (v := en_money_value(m)) is not None]
    kept: list[tuple[int, int, Decimal]] = []
    for a in sorted(found, key=lambda a: (a[0], a[0] - a[1])):
        if not kept or a[0] >= kept[-1][1]:
            kept.append(a)
    return kept


class Money(_Component):
    """Amounts in yuan (or a foreign currency, kept as written: currency USD), each with the rate it is when the
    text pays it per counted object (kg_builder.rates: '每件给予5000元', '300元/人次', '每月每平方米5元')."""

    def __init__(self, lexicon: Lexicon):
        super().__init__(lexicon)
        t = lexicon.data["thresholds"]
        self.threshold_before = re.compile(f"(?<!不)(?:{alternation(t['before'])})\\s*$")
        self.threshold_after = re.compile(f"\\s*(?:{alternation(t['after'])})")

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        found = [(s, e, v, "CNY") for s, e, v in amounts(text)]
        for m in FOREIGN_MONEY_RE.finditer(text):
            try:
                found.append((m.start(), m.end(), money_value(m["num"], m["mult"]), FOREIGN_CURRENCY[m["cur"]]))
            except ValueError:  # '千万美元' without a number is no amount
                continue
        for start, end, value, currency in sorted(found):
            limit = self.threshold_before.search(text, max(0, start - 4), start) or self.threshold_after.match(text, end)
            rate = None if limit else rate_at(text, clause_start(text, start), start, end, self.lexicon)
            attrs = {"value": value, "unit": rate.unit if rate else None, "rate": rate}
            if currency != "CNY":
                attrs["currency"] = currency
            add(doc, "money", rate.start if rate else start, rate.end if rate else end, **attrs)
        return doc


PRIOR = re.compile(r"[、(（)）]|且|或|以上|以下|[\d.]+\s*(?:万|亿)?元")  # what ends the words before a rate's name


class Ratios(_Component):
    """Percentages and matching ratios. A percentage that a threshold word binds ('同比增长10%以上', '增幅超过20%',
    listed '10%、16%、22%以上') is a threshold on the rate named before it (a quantity minted from those words),
    not an amount; one after a cap word ('最高给予…40%', '不超过2%') is a ceiling (`cap`)."""

    def __init__(self, lexicon: Lexicon):
        super().__init__(lexicon)
        t = lexicon.data.get("percent_thresholds") or {"before": {}, "after": {}}
        self.before, self.after = t["before"], t["after"]
        self.before_re = re.compile(f"(?<!不)(?:{alternation(self.before)})\\s*$")
        self.after_re = re.compile(f"\\s*(?:{alternation(self.after)})(?P<grow>\\s*(?:增长|增幅|增速))?")
        self.cap_re = re.compile(alternation(lexicon.data.get("ratio_cap_words", [])))

    def __call__(self, doc: Doc) -> Doc:
        text, previous = doc.text, None
        for m in PERCENT_RE.finditer(text):
            lo = clause_start(text, m.start())
            before = self.before_re.search(text, max(lo, m.start() - 4), m.start())
            after = self.after_re.match(text, m.end())
            listed = previous is not None and re.fullmatch(r"[、和及与或\s]*", text[previous.end:m.start()])
            f = add(doc, "ratio", m.start(), m.end(), value=percent_value(m),
                    cap=self._capped(text, lo, m.start()) and not (before or after))
            if (before or after or listed) and not text.startswith("部分", m.end()):
                previous = self._threshold(doc, f, lo, before, after, previous if listed and not (before or after) else None)
            else:
                previous = None
        for m in MATCH_RATIO_RE.finditer(text):
            add(doc, "match_ratio", m.start(), m.end(), value=match_ratio_value(m))
        return doc

    def _capped(self, text: str, lo: int, at: int) -> bool:
        """A cap word before the ratio in its clause, with no amount between ('不超过2000万元的企业按30%' is not)."""
        words = list(self.cap_re.finditer(text, lo, at)) if self.cap_re.pattern else []
        return bool(words) and not re.search(r"\d\s*(?:万|亿)?元", text[words[-1].end():at])

    def _threshold(self, doc: Doc, f: Finding, lo: int, before, after, listed: Finding | None) -> Finding:
        text = doc.text
        if listed is not None:  # '达到10%、16%、22%以上': the listed numbers share operator and quantity
            a = listed.attrs
            return add(doc, "threshold", f.start, f.end, op=a["op"], value=f.attrs["value"], unit="ratio",
                       quantity=a["quantity"], number=f)
        op = self.before[before.group().strip()] if before else self.after[after.group().strip().replace(after["grow"] or "", "").strip()]
        phrase_end = before.start() if before else f.start
        cut = [m.end() for m in PRIOR.finditer(text, lo, phrase_end)]  # '产值1亿元以上、且同比增幅低于8%'
        lo = max([lo, *cut])
        lead = re.match(r"\s*(?:对于|对|且|并且|并|同时|或|其|年度?|上一?年度)?", text[lo:phrase_end])
        start = lo + lead.end() if lead else lo
        label = text[start:phrase_end].strip() + ((after["grow"] or "").strip() if after else "")
        if not label:
            start, label = f.start, "增长率"
        quantity = mint("quantity", label, "ratio").id
        end = after.end() if after else f.end
        return add(doc, "threshold", start, end, op=op, value=f.attrs["value"], unit="ratio", quantity=quantity, number=f)


class Durations(_Component):
    """'1年', '三个月', '2 years', 'two-year'; 年度 is a period of account, not a duration."""

    def __call__(self, doc: Doc) -> Doc:
        for m in [*DURATION_RE.finditer(doc.text), *EN_DURATION_RE.finditer(doc.text)]:
            if doc.text.startswith("度", m.end()):
                continue
            value = parse_number(m["num"])
            unit = m["unit"].lower()[0]
            if 0 < value <= 50:
                add(doc, "duration", m.start(), m.end(), value=value,
                    unit={"年": "year", "y": "year", "月": "month", "m": "month"}.get(unit, "day"))
        return doc


SCALE = {"": Decimal(1), "百": Decimal(100), "千": Decimal(1000), "万": Decimal(10_000), "十万": Decimal(100_000),
         "百万": Decimal(10**6), "千万": Decimal(10**7), "亿": Decimal(10**8)}
SCALED = rf"(?P<num>{NUM})\s*(?P<mult>十万|百万|千万|万|亿)?"


def _scaled(m: re.Match) -> Decimal | None:
    try:
        return parse_number(m["num"]) * SCALE[m["mult"] or ""]
    except (ValueError, KeyError):
        return None


class Areas(_Component):
    """'租用面积达到500平方米', '超过1万平方米' → an area in m², which a threshold may take (not '每平方米2元', a rate)."""

    PATTERN = re.compile(rf"{SCALED}\s*(?:平方米|㎡)")

    def __call__(self, doc: Doc) -> Doc:
        for m in self.PATTERN.finditer(doc.text):
            value = _scaled(m)
            if value is not None:
                add(doc, "area", m.start(), m.end(), value=value, unit="m2")
        return doc


class Counts(_Component):
    """Numbers of counted things ('超过1万TEU', '累计超过100人次', '超过100台', '不少于3个'), which a threshold may take:
    the measure words and what may not follow them ('人民币', '一次性', '3个月') are data (lexicon: count_units,
    count_not_followed_by). A list whose last number alone carries the measure word ('达到10万、20万、50万、100万TEU')
    counts every listed number in it."""

    LISTED = re.compile(rf"{SCALED}\s*(?:、|，|,|和|及|或)\s*$")

    def __init__(self, lexicon: Lexicon):
        super().__init__(lexicon)
        spec = lexicon.data.get("count_units") or {}
        self.units = spec
        stop = alternation(lexicon.data.get("count_not_followed_by", []))
        self.pattern = re.compile(rf"{SCALED}\s*(?P<u>{alternation(spec, numeric=True)})" + (rf"(?!{stop})" if stop else "")) \
            if spec else None

    def __call__(self, doc: Doc) -> Doc:
        if self.pattern is None:
            return doc
        text = doc.text
        taken = [(f.start, f.end) for f in findings(doc, "money") + findings(doc, "area") + findings(doc, "duration")]
        for m in self.pattern.finditer(text):
            value = _scaled(m)
            if value is None or any(a < m.end() and m.start() < b for a, b in taken):
                continue
            unit = self.units[m["u"]]
            listed, at = [], m.start()
            while (prev := self.LISTED.search(text, max(0, at - 16), at)) and (v := _scaled(prev)) is not None:
                listed.append((prev.start(), prev.start() + len(prev["num"]) + len(prev["mult"] or ""), v))
                at = prev.start()
            for a, b, v in reversed(listed):
                add(doc, "count", a, b, value=v, unit=unit)
            add(doc, "count", m.start(), m.end(), value=value, unit=unit)
        return doc


class Terms(_Component):
    """Qualifications, quantities, flags, industries, status words, beneficiaries and benefit words."""

    def __init__(self, lexicon: Lexicon, profile: bool = False):
        super().__init__(lexicon)
        self.matchers = lexicon.profile_matchers if profile else lexicon.matchers
        self.profile = profile
        data = lexicon.data
        patterns = data.get("qualification_status_patterns") or {}
        spoken = (data.get("qualification_status_profile_patterns") or {}) if profile else {}
        self.status = {s: re.compile("|".join([alternation(words), *patterns.get(s, []), *spoken.get(s, [])]), re.I)
                       for s, words in data["qualification_status"].items()}
        self.words = {kind: re.compile(alternation(data[key])) for kind, key in
                      (("beneficiary", "beneficiaries"), ("benefit", "benefits"))}

    def __call__(self, doc: Doc) -> Doc:
        for scheme, pattern in self.matchers.items():
            for m in pattern.finditer(doc.text):
                if scheme == "industry" and not self.profile and not INDUSTRY_HEAD.match(doc.text, m.end()):
                    continue  # in policy text an industry is a condition only as "…业企业" ('制造业和建筑业企业')
                add(doc, scheme, m.start(), m.end(), concept=concept_of(m))
        for status, pattern in self.status.items():
            for m in pattern.finditer(doc.text):
                add(doc, "status", m.start(), m.end(), status=status)
        for kind, pattern in self.words.items():
            for m in pattern.finditer(doc.text):
                add(doc, kind, m.start(), m.end(), word=m.group())
        return doc


LISTED_GAP = re.compile(r"\s*(?:[（(][^（()）]{0,30}[)）])?\s*[、和及与或]?\s*")  # '以上(仅限…投资)、2亿元以上'
INCLUSIVE = re.compile(r"\s*[（(]含[)）]")  # '超过1000万元(含)': the number itself qualifies
RANGE_TO = r"(?:至|到|~|～|—|－|-)"
RANGE_LOW = re.compile(rf"\s*(?P<mark>[（(](?P<not>不)?含[)）])?\s*{RANGE_TO}\s*(?=[\d一二两三四五六七八九十])")
RANGE_BARE = re.compile(rf"{SCALED}\s*(?:[（(](?:不)?含[)）])?\s*{RANGE_TO}\s*$")


class Thresholds(_Component):
    """'超过1000万元' (exclusive), '5000万元（含）以上' / '不少于' / '达到' (inclusive), '超过1000万元(含)' (（含） makes
    it inclusive), on a named quantity. A range '500万(含)至5000万元' is a band: at least the first number (more than
    it when 不含), less than the second (at most it when （含） follows it); a first number written without its unit
    takes the second's."""

    def __init__(self, lexicon: Lexicon):
        super().__init__(lexicon)
        t = lexicon.data["thresholds"]
        self.before, self.after = t["before"], t["after"]
        self.before_re = re.compile(f"(?<!不)(?:{alternation(self.before)})\\s*$")
        self.after_re = re.compile(f"\\s*(?:{alternation(self.after)})")
        self.quantities = [(c.id, c.unit, re.compile(alternation(lexicon.data_terms(c.id))))
                           for c in lexicon.of("quantity")]
        # '给予20-200万元' is a range of awards, not a band the applicant falls in
        self.granted = re.compile(f"(?:{alternation(lexicon.data['benefit_openers'])}|{alternation(lexicon.data['benefits'])})"
                                  f"\\s*(?:{alternation(lexicon.data['cap_words'])})?\\s*$")

    def __call__(self, doc: Doc) -> Doc:
        previous = None
        text = doc.text
        numbers = findings(doc, "money") + findings(doc, "duration") + findings(doc, "area") + findings(doc, "count")
        numbers += self._bare_bounds(doc, numbers)
        for f in sorted(numbers, key=lambda f: f.start):
            before = self.before_re.search(text, max(0, f.start - 4), f.start)
            after = self.after_re.match(text, f.end)
            low = None if after or self.granted.search(text, max(0, f.start - 12), f.start) else RANGE_LOW.match(text, f.end)
            high = previous is not None and previous.attrs.get("band") == "low" \
                and re.fullmatch(rf"\s*(?:[（(](?:不)?含[)）])?\s*{RANGE_TO}\s*", text[previous.attrs["number"].end:f.start])
            if high:  # the upper end of a band
                inclusive = INCLUSIVE.match(text, f.end)
                a = previous.attrs
                previous = add(doc, "threshold", f.start, inclusive.end() if inclusive else f.end,
                               op="le" if inclusive else "lt", value=f.attrs["value"], unit=a["unit"],
                               quantity=a["quantity"], number=f, band="high")
                continue
            listed = previous is not None and LISTED_GAP.fullmatch(text, previous.end, f.start) is not None
            if listed and not (before or after or low):
                a = previous.attrs  # '突破1亿元、5亿元、10亿元': the listed numbers share the operator
                previous = add(doc, "threshold", f.start, f.end, op=a["op"], value=f.attrs["value"], unit=a["unit"],
                               quantity=a["quantity"], number=f)
                continue
            shared = previous.attrs if listed and previous.attrs["unit"] == self._unit(f) else None
            previous = None
            if not (before or after or low):
                continue
            end = after.end() if after else f.end
            if low:
                op, end = ("gt" if low["not"] else "ge"), (f.end + low.end("mark") - low.start() if low["mark"] else f.end)
                op = self.before[before.group().strip()] if before and not low["mark"] else op
            else:
                op = self.before[before.group().strip()] if before else self.after[after.group().strip()]
                inclusive = None if after else INCLUSIVE.match(text, f.end)
                if inclusive:
                    op, end = {"gt": "ge", "lt": "le"}.get(op, op), inclusive.end()
            unit = self._unit(f)
            # '达到5000万元以上(仅限…投资)、2亿元以上': a listed number with its own operator is on the same quantity
            quantity = (shared["quantity"], f.start) if shared and shared["quantity"] else self._quantity(text, f.start, unit)
            start = quantity[1] if quantity else (before.start() if before else f.start)
            previous = add(doc, "threshold", start, end, op=op, value=f.attrs["value"], unit=unit,
                           quantity=quantity[0] if quantity else None, number=f, **({"band": "low"} if low else {}))
        return doc

    @staticmethod
    def _unit(f: Finding) -> str:
        return f.attrs.get("currency", "CNY") if f.kind == "money" else f.attrs["unit"]  # 500万美元 stays USD

    def _bare_bounds(self, doc: Doc, numbers: list[Finding]) -> list[Finding]:
        """'500万(含)至5000万元': the first end of a range written without its unit, in the second's unit."""
        out, text = [], doc.text
        for f in numbers:
            m = RANGE_BARE.search(text, max(0, f.start - 16), f.start)
            if m is None or any(g.start < m.end() and m.start() < g.end for g in numbers if g is not f):
                continue
            value = _scaled(m)
            if value is not None and not self.granted.search(text, max(0, m.start() - 12), m.start()):
                unit = f.attrs.get("currency", "CNY") if f.kind == "money" else f.attrs["unit"]
                b = m.start() + len(m["num"]) + (len(m["mult"]) if m["mult"] else 0)
                out.append(add(doc, "bound", m.start(), b, value=value, unit=unit))
        return out

    def _quantity(self, text: str, pos: int, unit: str) -> tuple[str, int] | None:
        """The quantity term nearest before the number, in the same clause, whose unit fits."""
        lo, best = clause_start(text, pos), None
        for cid, cunit, pattern in self.quantities:
            for m in pattern.finditer(text, lo, pos):
                if cunit == unit and (best is None or (m.end(), m.end() - m.start()) > best[2]):
                    best = (cid, m.start(), (m.end(), m.end() - m.start()))
        return best[:2] if best else None


# what follows an industry named as a condition: the head noun, maybe after other listed industries ('和建筑业')
INDUSTRY_HEAD = re.compile(r"(?:(?:和|及|与|或|、)[^，,。；;和及与或、\s]{1,10}?业)*(?:企业|领域|机构)")


class OpenAmounts(_Component):
    """Amounts the text leaves open: decided case by case ('一事一议', '根据具体情况研究确定'), a budget shared by
    several ('每年安排500万元资金…前十名': the number is the pool, no sum each) → `negotiated`; no ceiling
    ('上不封顶') → `uncapped`; decided by another policy ('按总部型企业的相关政策给予奖励') → `by_reference`. Words in
    the lexicon (negotiated_words, pool_words, uncapped_words, by_reference)."""

    def __init__(self, lexicon: Lexicon):
        super().__init__(lexicon)
        data = lexicon.data
        pools = alternation(data.get("pool_words", []))
        self.pool = re.compile(f"(?:{pools})[^，,；;。\\d]{{0,6}}$") if pools else None
        self.pool_after = re.compile(f"(?:\\s*(?:{alternation(data.get('pool_after', []))}))?")
        self.words = [(kind, re.compile(alternation(data.get(key, []))))
                      for kind, key in (("negotiated", "negotiated_words"), ("uncapped", "uncapped_words"))
                      if data.get(key)]
        if data.get("by_reference"):  # another policy decides the amount: patterns, not words
            self.words.append(("by_reference", re.compile("|".join(data["by_reference"]))))

    def __call__(self, doc: Doc) -> Doc:
        for f in findings(doc, "money") if self.pool else ():
            if self.pool.search(doc.text, max(0, f.start - 8), f.start):
                add(doc, "negotiated", f.start, self.pool_after.match(doc.text, f.end).end(), pool=f.attrs["value"], number=f)
        for kind, pattern in self.words:
            for m in pattern.finditer(doc.text):
                add(doc, kind, m.start(), m.end())
        return doc


class Caps(_Component):
    """'年度支持金额不超过500万元' → cap, scope max_annual; '最高给予300万元' too (a cap, never a fixed sum);
    '以1000万元为上限' (cap_after); '连续3年' / '补贴期限为3年' → max_years (period_words). Enumerations after a cap word
    inherit it. A capped rate is a ceiling per unit ('每月每平方米最高30元': max_rate) or per counted object
    ('每新增一条航线给予最高300万元', '不超过5000元/艘': max_per_item)."""

    def __init__(self, lexicon: Lexicon):
        super().__init__(lexicon)
        data = lexicon.data
        fillers = alternation(data.get("cap_fillers", []))
        self.words = re.compile(f"(?:{alternation(data['cap_words'])})\\s*(?:(?:{fillers})\\s*)?(?:一次性)?\\s*$")
        self.scopes = [(s["kind"], re.compile(s["pattern"])) for s in data["cap_scopes"]]
        self.period = re.compile(f"(?:{alternation(data.get('period_words', []))})\\s*$") if data.get("period_words") else None
        self.after = re.compile(f"\\s*(?:{alternation(data.get('cap_after', []))})") if data.get("cap_after") else None
        self.measured = set(data.get("measured_counters", []))

    def __call__(self, doc: Doc) -> Doc:
        previous = None
        pooled = {id(p.attrs["number"]) for p in findings(doc, "negotiated") if "number" in p.attrs}
        for f in sorted(findings(doc, "money") + findings(doc, "duration"), key=lambda f: f.start):
            if id(f) in pooled:
                previous = None
                continue
            at = self._number_start(doc.text, f)
            word = self.words.search(doc.text, max(0, at - 10), at)
            enumerated = previous and re.fullmatch(r"[、和及与或\s]*", doc.text[previous.end:f.start])
            after = self.after.match(doc.text, f.end) if self.after and f.kind == "money" else None
            period = self.period.search(doc.text, max(0, at - 6), at) if self.period and f.kind == "duration" else None
            if period and not word:  # '连续3年', '补贴期限为3年'
                previous = self._cap(doc, f, period.start(), "max_years")
            elif after and not word:  # '以1000万元为上限'
                previous = self._cap(doc, f, f.start, "max_total", after.end())
            elif word:
                scope_kind, start = self._scope(doc.text, clause_start(doc.text, at), word.start())
                rate = f.attrs.get("rate")
                if rate is not None and scope_kind in ("max_total", "max_annual"):  # a ceiling per unit or object
                    scope_kind, start = ("max_rate" if rate.counter in self.measured or rate.unit.count("/") > 1
                                         else "max_per_item"), word.start()
                previous = self._cap(doc, f, min(start, f.start), "max_years" if f.kind == "duration" else scope_kind)
            elif enumerated:
                previous = self._cap(doc, f, f.start, previous.attrs["scope"])
            else:
                previous = None
        return doc

    @staticmethod
    def _cap(doc: Doc, f: Finding, start: int, scope: str, end: int | None = None) -> Finding:
        return add(doc, "cap", start, f.end if end is None else end, value=f.attrs["value"], unit=f.attrs.get("unit"),
                   scope=scope, number=f)

    @staticmethod
    def _number_start(text: str, f: Finding) -> int:
        """Where the number itself begins ('每月每平方米最高30元' → at 30)."""
        m = re.search(NUM, text[f.start:f.end])
        return f.start + m.start() if m and f.attrs.get("rate") is not None else f.start

    def _scope(self, text: str, lo: int, hi: int) -> tuple[str, int]:
        for kind, pattern in self.scopes:
            found = list(pattern.finditer(text, lo, hi))
            if found:
                return kind, found[-1].start()
        return "max_total", hi


COMPONENTS = {"policy_money": Money, "policy_ratios": Ratios, "policy_durations": Durations, "policy_areas": Areas,
              "policy_counts": Counts,
              "policy_terms": Terms, "policy_thresholds": Thresholds, "policy_open": OpenAmounts, "policy_caps": Caps}

def _factory(cls):
    def make(nlp, name, lexicon_path, profile):
        lexicon = load_lexicon(Path(lexicon_path))
        return cls(lexicon, profile) if cls is Terms else cls(lexicon)
    return make


@lru_cache(maxsize=1)
def _spacy():
    """spaCy with the components registered. thinc imports torch when it is installed (~3 s); these
    rule components never need it, so torch is hidden for the duration of the import."""
    import sys

    import jieba
    jieba.setLogLevel(60)
    hidden = "torch" not in sys.modules
    if hidden:
        sys.modules["torch"] = None  # makes `import torch` raise ImportError inside thinc
    try:
        import spacy
        from spacy.language import Language
    finally:
        if hidden and sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    for name, cls in COMPONENTS.items():
        Language.factory(name, default_config={"lexicon_path": "", "profile": False})(_factory(cls))
    return spacy, jieba


class TextDoc:
    """What the components use of a spaCy Doc (text, user_data, spans, char_span), without a tokenizer:
    each span is the exact characters. For short texts (a profile sentence) read by `make_reader`."""

    def __init__(self, text: str):
        self.text, self.user_data, self.spans = text, {}, {}

    def char_span(self, start: int, end: int, label: str = "", alignment_mode: str = "strict") -> tuple:
        return (start, end, label)


@lru_cache(maxsize=4)
def make_reader(lexicon_path: Path, *, profile: bool = False):
    """The same components as `make_nlp`, in the same order, run on a `TextDoc`: the same findings without
    loading spaCy and jieba (~1-2 s), whose tokens only align the display spans. `reader(text).user_data`."""
    lexicon = load_lexicon(lexicon_path)
    components = [cls(lexicon, profile) if cls is Terms else cls(lexicon) for cls in COMPONENTS.values()]

    def read(text: str) -> TextDoc:
        doc = TextDoc(text)
        for component in components:
            doc = component(doc)
        return doc
    return read


@lru_cache(maxsize=4)
def make_nlp(lexicon_path: Path, *, profile: bool = False) -> Language:
    """The pipeline. `profile=True` also accepts the colloquial terms enterprises use (高企, 小巨人)."""
    spacy, jieba = _spacy()
    lexicon = load_lexicon(lexicon_path)
    for concept in lexicon.concepts.values():
        for term in lexicon.data_terms(concept.id):
            jieba.add_word(term)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for name in COMPONENTS:
        nlp.add_pipe(name, config={"lexicon_path": str(lexicon_path), "profile": profile})
    return nlp
