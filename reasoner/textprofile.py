"""Free Chinese/English text → Profile, with the spans each fact was read from.

Uses the extractor's rule components (kg_builder.nlp.make_reader, profile=True: no spaCy tokenizer needed). Rules, each a small step:
a term inside a longer term of another kind belongs to it (研发投入 in a flag phrase, R&D in "R&D centre");
a negation right before a term states the opposite (qualification "none", flag false), one further away or
a hedge keeps it unknown (reasoner.textcues); a status word (新认定, newly certified, renewed) applies to the
first qualification after it in its clause, else the one before it in its sentence; a quantity takes the
nearest unused amount of its unit in its clause, the one after it on a tie.
Entry point: `profile_from_text(text, *, config, id)`.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg_builder.config import BuildConfig
from kg_builder.lexicon import alternation, load_lexicon
from kg_builder.nlp import make_reader
from kg_builder.mint import registered
from kg_builder.numbers import CURRENCIES, MULTIPLIERS, NUM, parse_number

from .config import ReasonerConfig
from .profile import Profile
from .textcues import denied_from, hedged_or_negated, same_clause, same_sentence

TERMS = ("qualification", "quantity", "flag", "industry")


@lru_cache(maxsize=2)
def _nlp(lexicon_path):
    return make_reader(lexicon_path or BuildConfig().lexicon_path, profile=True)


def _inside(f, spans) -> bool:
    return any(s.start <= f.start and f.end <= s.end and s.end - s.start > f.end - f.start for s in spans)


def _source(text, f, fact, value, start=None, end=None) -> dict:
    start, end = f.start if start is None else start, f.end if end is None else end
    return {"fact": fact, "value": value, "start": start, "end": end, "quote": text[start:end]}


def profile_from_text(text: str, *, config: ReasonerConfig = ReasonerConfig(), id: str = "enterprise") -> Profile:
    found = sorted(_nlp(config.lexicon_path)(text).user_data.get("findings", []), key=lambda f: f.start)
    terms = [f for f in found if f.kind in TERMS]
    found = [f for f in found if f.kind == "industry" or not _inside(f, terms)]
    facts = {"qualifications": {}, "quantities": {}, "flags": {}, "industry": None, "roles": []}
    sources: list[dict] = []
    for step in (_read_flags, _read_qualifications, _read_quantities, _read_minted, _read_industry, _read_roles,
                 _read_counts):
        step(text, found, facts, sources, config)
    return Profile(qualifications=facts["qualifications"], quantities=facts["quantities"], flags=facts["flags"],
                   industry=facts["industry"], roles=tuple(facts["roles"]), id=id, sources=tuple(sources))


def _read_yes_no(text, f, section, cid, yes, no, facts, sources, config, word=None) -> None:
    """A term asserts `yes` unless cued; denied right before it, it states `no` (if nothing said `yes`).
    A yes made new or renewed by a status word (`word`) carries that word's span too, as "status"."""
    if not hedged_or_negated(text, f.start, f.end, config):
        facts[section][cid] = yes
        sources.append(_source(text, f, f"{section}.{cid}", yes))
        if word:
            sources[-1]["status"] = {"start": word.start, "end": word.end, "quote": text[word.start:word.end]}
    elif (at := denied_from(text, f.start, config)) is not None and cid not in facts[section]:
        facts[section][cid] = no
        sources.append(_source(text, f, f"{section}.{cid}", no, start=at))


def _read_flags(text, found, facts, sources, config) -> None:
    for f in found:
        if f.kind == "flag":
            _read_yes_no(text, f, "flags", f.attrs["concept"], True, False, facts, sources, config)


def _read_qualifications(text, found, facts, sources, config) -> None:
    quals = [f for f in found if f.kind == "qualification"]
    status = {id(q): s for s in found if s.kind == "status" and (q := _status_target(text, s, quals))}
    for f in quals:
        cid, word = f.attrs["concept"], status.get(id(f))
        if facts["qualifications"].get(cid) in (None, "held"):  # new/renewed or a denial stands
            _read_yes_no(text, f, "qualifications", cid, word.attrs["status"] if word else "held", "none", facts,
                         sources, config, word)


def _status_target(text, s, quals):
    """The first qualification after the status word in its clause, else the last one before it in its sentence."""
    after = [q for q in quals if q.start >= s.start and (q.start < s.end or same_clause(text, s.end, q.start))]
    before = [q for q in quals if q.end <= s.start and same_sentence(text, q.end, s.start)]
    return after[0] if after else before[-1] if before else None


def _read_quantities(text, found, facts, sources, config) -> None:
    lex, used = load_lexicon(config.lexicon_path), set()
    for f in found:
        cid = f.attrs.get("concept")
        if f.kind != "quantity" or cid in facts["quantities"] or hedged_or_negated(text, f.start, f.end, config):
            continue
        want = "duration" if lex.concepts[cid].unit == "year" else "money"
        amounts = [a for a in found if a.kind == want and id(a) not in used and _next_to(text, f, a, found)]
        after, before = [a for a in amounts if a.start >= f.end][:1], [a for a in amounts if a.end <= f.start][-1:]
        if after or before:
            a = min(after + before, key=lambda a: (max(a.start - f.end, f.start - a.end), a.start < f.start))
            used.add(id(a))
            facts["quantities"][cid] = a.attrs["value"]
            sources.append(_source(text, f, f"quantities.{cid}", a.attrs["value"],
                                   start=min(a.start, f.start), end=max(a.end, f.end)))


def _read_minted(text, found, facts, sources, config) -> None:
    """Quantities minted from a policy's own words (kg_builder.mint: 年度外贸集装箱吞吐量, 租用办公用房面积), which
    the dictionary does not know: the label as the policy wrote it, or without its leading period words
    (lexicon `minted_label_prefixes`: 年度, 上一年度…), then the nearest number of the concept's unit after it in
    its clause (money for CNY; for a count, the number followed by one of that unit's measure words, lexicon
    `rate_counters`). A label inside a dictionary term, or hedged or negated, says nothing."""
    lex = load_lexicon(config.lexicon_path)
    taken = [(f.start, f.end) for f in found if f.kind in TERMS]
    for concept in registered():
        if concept.scheme != "quantity" or concept.id in facts["quantities"]:
            continue
        if len(concept.zh) < 3:  # too short to name one thing in free text
            continue
        hit = _find_label(text, concept.zh, lex.data.get("minted_label_prefixes") or [], taken)
        if hit is None or hedged_or_negated(text, hit[0], hit[1], config):
            continue
        value = _number_after(text, hit[1], concept.unit, found, lex)
        if value is None:
            continue
        number, end = value
        taken.append(hit)
        facts["quantities"][concept.id] = number
        sources.append({"fact": f"quantities.{concept.id}", "value": number, "start": hit[0], "end": end,
                        "quote": text[hit[0]:end]})


def _find_label(text, label, prefixes, taken):
    """The first occurrence of `label` (or `label` without a leading period word) not inside a taken span."""
    variants = [label, *(label[len(p):] for p in sorted(prefixes, key=len, reverse=True)
                         if label.startswith(p) and len(label) - len(p) >= 3)]
    for variant in variants:
        at = text.find(variant)
        while at >= 0:
            end = at + len(variant)
            if not any(a <= at and end <= b for a, b in taken):
                return at, end
            at = text.find(variant, at + 1)
    return None


def _number_after(text, start, unit, found, lex):
    """(value, end) of the first number of `unit` after `start` in the same clause, else None."""
    if unit is None:
        return None
    if unit in set(CURRENCIES.values()):  # money in the currency the policy wrote (500万美元 stays USD)
        money = [a for a in found if a.kind == "money" and a.attrs.get("currency", "CNY") == unit
                 and a.start >= start and same_clause(text, start, a.start)]
        return (money[0].attrs["value"], money[0].end) if money else None
    words = [w for w, u in (lex.data.get("rate_counters") or {}).items() if u == unit] or [unit]
    mult = alternation([m for m in MULTIPLIERS if m and not m.isascii()])
    m = re.compile(rf"(?P<num>{NUM})\s*(?P<mult>{mult})?\s*(?:{alternation(words)})").search(text, start)
    if m is None or not same_clause(text, start, m.start()):
        return None
    try:
        value = parse_number(m.group("num")) * MULTIPLIERS[m.group("mult") or ""]
    except (ValueError, ArithmeticError):
        return None
    return value, m.end()


def _next_to(text, f, a, found) -> bool:
    """Amount `a` is in the clause of quantity term `f`, with no other quantity term between them."""
    lo, hi = (f.end, a.start) if a.start >= f.end else (a.end, f.start)
    return same_clause(text, lo, hi) and not any(q.kind == "quantity" and lo <= q.start < hi for q in found)


def _read_industry(text, found, facts, sources, config) -> None:
    for f in found:
        if f.kind == "industry" and facts["industry"] is None and not hedged_or_negated(text, f.start, f.end, config):
            facts["industry"] = f.attrs["concept"]
            sources.append(_source(text, f, "industry", f.attrs["concept"]))


@lru_cache(maxsize=4)
def _role_patterns(config: ReasonerConfig) -> dict[str, re.Pattern]:
    words = load_lexicon(config.lexicon_path).data.get("role_terms") or {}
    return {role: re.compile(alternation([role, *words.get(role, [])]), re.I) for role in config.role_beneficiaries}


def _read_roles(text, found, facts, sources, config) -> None:
    for role, pattern in _role_patterns(config).items():
        m = pattern.search(text)
        if m and not hedged_or_negated(text, m.start(), m.end(), config):
            facts["roles"].append(role)
            sources.append({"fact": "roles", "value": role, "start": m.start(), "end": m.end(), "quote": m.group()})


@lru_cache(maxsize=4)
def _count_pattern(config: ReasonerConfig) -> re.Pattern:
    words = load_lexicon(config.lexicon_path).data.get("count_classifiers") or ["家", "个", "项", "件", "名"]
    return re.compile(rf"(?P<verb>[\u4e00-\u9fff]{{2}})(?:了|过)?(?P<num>{NUM})(?P<cls>{alternation(words)})"
                      rf"(?P<noun>[\u4e00-\u9fff]{{1,6}}?)(?=[，,。；;！!？?\s]|的|$)")


def _read_counts(text, found, facts, sources, config) -> None:
    """Counts in words ("引进了三家企业", "申请了5件发明专利"): a source {"fact": "count", "value", "unit", "what"}
    that reasoner.evidence gives to a condition counting the same thing (its label holds the verb and noun)."""
    for m in _count_pattern(config).finditer(text):
        if hedged_or_negated(text, m.start(), m.end(), config):
            continue
        try:
            value = parse_number(m.group("num"))
        except (ValueError, ArithmeticError):
            continue
        sources.append({"fact": "count", "value": value, "unit": m.group("cls"), "verb": m.group("verb"),
                        "what": m.group("noun"), "start": m.start(), "end": m.end(), "quote": m.group()})
