"""Per-object rates: how a text says an amount is paid per thing it counts, and which count that is.

Two ways of writing it: a 每 group before the number ('每件给予5000元', '按每TEU给予50元', '每月每平方米5元',
'每引进1家…给予20万元', '每挂靠一次给予20万元') or a measure word after it ('300元/人次', '5元/总吨'). A group that
names only a period (每年) says how often, not what is counted; one naming who is paid (每家企业, 每个楼宇) names
whom a cap binds. The words are data (lexicon: rate_counters, rate_periods, rate_holders, rate_stops).

The count is a profile quantity so an estimate can be made: a dictionary `counts` entry named by a term of the
group ('TEU', '挂靠', '车型') or, for a bare measure word (每件, 每项), of the words before it (发明专利, 国家标准);
a measure unit the dictionary maps (rate_units: 平方米 → floorArea, 人 → headcount); else a quantity minted from
the words after 每 (kg_builder.mint).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .lexicon import Lexicon, alternation
from .mint import mint

NUMERAL = r"(?:[一1两2三3四4五5六6七7八8九9十]|单)?"


@dataclass(frozen=True)
class Rate:
    start: int  # where the rate's words begin (每…, or the number when 每 is not next to it)
    end: int  # end of the amount including '/人次'
    unit: str  # '元/件', '元/平方米/月'
    counter: str  # the measure word of the counted object
    phrase: str  # the words after 每 ('挂靠一次', '件'), or the measure word after '/'
    bare: bool  # the group is only a measure word (每件, 每项): the object is named before it
    at: int  # position of the counted group's 每 (or of the number, for '300元/人次')

    def moved(self, offset: int) -> "Rate":
        return replace(self, start=self.start + offset, end=self.end + offset, at=self.at + offset)


@dataclass(frozen=True)
class Count:
    quantity: str  # concept id of the count
    label: str
    unit: str | None


_CACHE: dict[int, tuple] = {}


def _patterns(lexicon: Lexicon):
    hit = _CACHE.get(id(lexicon.data))
    if hit and hit[0] is lexicon.data:
        return hit[1]
    d = lexicon.data
    counters, periods = d.get("rate_counters", {}), d.get("rate_periods", {})
    counter = alternation(counters, numeric=True)
    after = re.compile(rf"\s*/\s*(?P<u1>{counter})(?:\s*/\s*(?P<u2>{alternation(periods)}))?")
    stops = re.compile(alternation(d.get("rate_stops", [])))
    lead = re.compile(rf"^(?:{NUMERAL})(?:个|家|名|位)?")
    head = re.compile(rf"^(?:{NUMERAL})(?:个)?(?P<c>{counter})")
    inner = re.compile(rf"(?:{NUMERAL[:-1]})(?P<c>{counter})")
    # '每家企业', '每家培训机构': who is paid (no numeral or verb-made object inside, unlike '每引进1家…企业')
    holders = re.compile(rf"^(?:{NUMERAL})(?:个|家|名|位)?[^\d一二两三四五六七八九十]{{0,6}}?(?:{alternation(d.get('rate_holders', []))})")
    period_only = re.compile(rf"^(?:{alternation(periods)})(?!{counter})")  # 每年, 每年安排; not 每月每平方米
    found = (counters, periods, after, stops, lead, head, inner, holders, period_only)
    _CACHE[id(d)] = (d, found)
    return found


def rate_at(text: str, lo: int, start: int, end: int, lexicon: Lexicon) -> Rate | None:
    """The rate an amount text[start:end] is, looking back to `lo` (its clause) for 每 groups; None for a sum."""
    counters, periods, after, stops, lead, head, inner, holders, period_only = _patterns(lexicon)
    m = after.match(text, end)
    if m:
        words = [w for w in (m["u1"], m["u2"]) if w]
        return Rate(start, m.end(), "元/" + "/".join(words), m["u1"], m["u1"], False, start)
    groups = []  # (每 position, phrase)
    marks = [i for i in range(lo, start) if text[i] == "每"]
    for k, p in enumerate(marks):
        hi = marks[k + 1] if k + 1 < len(marks) else start
        phrase = text[p + 1:hi]
        stop = stops.search(phrase)
        phrase = phrase[:stop.start()] if stop else phrase
        phrase = re.sub(r"[\s\d.]+(?:万|千)?(?:元)?$", "", phrase) if hi == start else phrase
        if phrase:
            groups.append((p, phrase.strip()))
    objects, times = [], []
    for p, phrase in groups:
        if period_only.match(phrase):
            times.append(phrase)
        elif not holders.match(phrase):
            objects.append((p, phrase))
    if not objects:
        return None
    p, phrase = objects[-1]
    found = head.match(phrase) or inner.search(phrase)
    counter = found["c"] if found else ""
    first = head.match(phrase)
    bare = bool(first) and first.end() == len(phrase)
    chain = [q for q, _ in groups if re.fullmatch(r"(?:每[^每，,；;。]*)+", text[q:start].strip())
             and not stops.search(text[q:start])]
    unit = "元/" + "/".join([counter or phrase, *times])
    return Rate(min(chain) if chain else start, end, unit, counter or phrase, phrase, bare, p)


def count_of(rate: Rate, context: str, lexicon: Lexicon, listed: bool = False) -> Count:
    """The count a rate multiplies. `context`: the words before its 每 that may name the object (the clause or
    listed element), nearest last. `listed`: the context is the object listed at this rate's place ('进口外贸重箱、
    出口外贸重箱按每TEU分别给予10元、50元'): for a bare measure word it names what is counted, before the word itself."""
    table = lexicon.data.get("counts", [])
    if listed and rate.bare and context.strip():
        for e in table:
            if any(t in context for t in e.get("terms", [])):
                return Count(e["id"], e["zh"], e.get("unit"))
        c = mint("quantity", _label(rate, context), lexicon.data.get("rate_counters", {}).get(rate.counter))
        return Count(c.id, c.zh, c.unit)
    for e in table:
        if any(t in rate.phrase for t in e.get("terms", [])):
            return Count(e["id"], e["zh"], e.get("unit"))
    measured = lexicon.data.get("rate_units", {}).get(rate.counter)
    if measured:
        c = lexicon.concept(measured)
        return Count(c.id, c.zh, c.unit)
    if rate.bare:
        for e in table:
            if any(t in context for t in e.get("terms", [])):
                return Count(e["id"], e["zh"], e.get("unit"))
    unit = lexicon.data.get("rate_counters", {}).get(rate.counter)
    label = _label(rate, context)
    c = mint("quantity", label, unit)
    return Count(c.id, c.zh, c.unit)


LEAD = re.compile(r"^(?:对于|对|凡|经)")
TAIL = re.compile(r"(?:的企业|的单位|的机构|的|企业)$")


def _label(rate: Rate, context: str) -> str:
    """What is counted, as written: the words after 每 without numeral and measure word ('设立一家体验店' →
    '设立体验店'), or for a bare measure word the last phrase before it ('获得国内发明专利授权' + '件')."""
    if not rate.bare:
        core = re.sub(rf"{NUMERAL[:-1]}(?:个|{re.escape(rate.counter)})", "", rate.phrase, count=1) if rate.counter else rate.phrase
        return core if len(core) > 2 else rate.phrase  # '新增一家' says more than '新增'
    parts = [p for p in re.split(r"[，,；;。：:]", context) if p.strip()]
    last = parts[-1].strip() if parts else ""
    last = TAIL.sub("", LEAD.sub("", last)) or last
    return f"{last}（{rate.counter}）" if last else rate.counter
