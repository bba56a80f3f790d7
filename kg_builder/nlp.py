"""spaCy's blank Chinese pipeline (jieba segmenter + the domain dictionary) with one rule component per
kind of fact. Each component reads `doc.text` and records `Finding`s in `doc.spans[kind]` (token-aligned,
for display) and `doc.user_data["findings"]` (exact character offsets, the authoritative record)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import jieba
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .lexicon import Lexicon, alternation, concept_of, load_lexicon
from .numbers import (DURATION_RE, EN_DURATION_RE, EN_MONEY_RE, MATCH_RATIO_RE, MONEY_RE, NUM, PERCENT_RE,
                      en_money_value, match_ratio_value, money_value, parse_number, percent_value)

jieba.setLogLevel(60)
CLAUSE_BREAK = "，,；;。：:"
RATE_AFTER = re.compile(r"\s*/\s*(?P<u1>平方米|㎡|m2|人|家|项)(?:\s*/\s*(?P<u2>天|日|月|年))?")
RATE_BEFORE = re.compile(r"每(?P<u1>平方米|人|家|项)(?:每(?P<u2>天|日|月|年))?$")


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
    found = [(m.start(), m.end(), money_value(m["num"], m["mult"])) for m in MONEY_RE.finditer(text)]
    found += [(m.start(), m.end(), v) for m in EN_MONEY_RE.finditer(text) if (v := en_money_value(m)) is not None]
    kept: list[tuple[int, int, Decimal]] = []
    for a in sorted(found, key=lambda a: (a[0], a[0] - a[1])):
        if not kept or a[0] >= kept[-1][1]:
            kept.append(a)
    return kept


class Money(_Component):
    def __call__(self, doc: Doc) -> Doc:
        for start, end, value in amounts(doc.text):
            unit = None
            after, before = RATE_AFTER.match(doc.text, end), RATE_BEFORE.search(doc.text[:start])
            rate = after or before
            if rate:
                unit = "元/" + "/".join(u for u in (rate["u1"], rate["u2"]) if u)
                end = after.end() if after else end
            add(doc, "money", before.start() if before else start, end, value=value, unit=unit)
        return doc


class Ratios(_Component):
    def __call__(self, doc: Doc) -> Doc:
        for m in PERCENT_RE.finditer(doc.text):
            add(doc, "ratio", m.start(), m.end(), value=percent_value(m))
        for m in MATCH_RATIO_RE.finditer(doc.text):
            add(doc, "match_ratio", m.start(), m.end(), value=match_ratio_value(m))
        return doc


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


class Areas(_Component):
    """'租用面积达到500平方米' → an area of 500 m², which a threshold may take (not '每平方米2元', a rate)."""

    PATTERN = re.compile(rf"(?P<num>{NUM})\s*(?:平方米|㎡)")

    def __call__(self, doc: Doc) -> Doc:
        for m in self.PATTERN.finditer(doc.text):
            add(doc, "area", m.start(), m.end(), value=parse_number(m["num"]), unit="m2")
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
                if scheme == "industry" and not self.profile and not re.match(r"企业|领域|机构", doc.text[m.end():]):
                    continue  # in policy text an industry is a condition only as "…业企业"
                add(doc, scheme, m.start(), m.end(), concept=concept_of(m))
        for status, pattern in self.status.items():
            for m in pattern.finditer(doc.text):
                add(doc, "status", m.start(), m.end(), status=status)
        for kind, pattern in self.words.items():
            for m in pattern.finditer(doc.text):
                add(doc, kind, m.start(), m.end(), word=m.group())
        return doc


class Thresholds(_Component):
    """'超过1000万元' (exclusive), '5000万元（含）以上' / '不少于' / '达到' (inclusive), on a named quantity."""

    def __init__(self, lexicon: Lexicon):
        super().__init__(lexicon)
        t = lexicon.data["thresholds"]
        self.before, self.after = t["before"], t["after"]
        self.before_re = re.compile(f"(?<!不)(?:{alternation(self.before)})\\s*$")
        self.after_re = re.compile(f"\\s*(?:{alternation(self.after)})")
        self.quantities = [(c.id, c.unit, re.compile(alternation(lexicon.data_terms(c.id))))
                           for c in lexicon.of("quantity")]

    def __call__(self, doc: Doc) -> Doc:
        previous = None
        numbers = findings(doc, "money") + findings(doc, "duration") + findings(doc, "area")
        for f in sorted(numbers, key=lambda f: f.start):
            before = self.before_re.search(doc.text, max(0, f.start - 4), f.start)
            after = self.after_re.match(doc.text, f.end)
            if previous and not (before or after) and re.fullmatch(r"[、和及与或\s]*", doc.text[previous.end:f.start]):
                a = previous.attrs  # '突破1亿元、5亿元、10亿元': the listed numbers share the operator
                previous = add(doc, "threshold", f.start, f.end, op=a["op"], value=f.attrs["value"], unit=a["unit"],
                               quantity=a["quantity"], number=f)
                continue
            previous = None
            if not (before or after):
                continue
            op = self.before[before.group().strip()] if before else self.after[after.group().strip()]
            unit = "CNY" if f.kind == "money" else f.attrs["unit"]
            quantity = self._quantity(doc.text, f.start, unit)
            start = quantity[1] if quantity else (before.start() if before else f.start)
            previous = add(doc, "threshold", start, after.end() if after else f.end, op=op, value=f.attrs["value"],
                           unit=unit, quantity=quantity[0] if quantity else None, number=f)
        return doc

    def _quantity(self, text: str, pos: int, unit: str) -> tuple[str, int] | None:
        """The quantity term nearest before the number, in the same clause, whose unit fits."""
        lo, best = clause_start(text, pos), None
        for cid, cunit, pattern in self.quantities:
            for m in pattern.finditer(text, lo, pos):
                if cunit == unit and (best is None or (m.end(), m.end() - m.start()) > best[2]):
                    best = (cid, m.start(), (m.end(), m.end() - m.start()))
        return best[:2] if best else None


class Caps(_Component):
    """'年度支持金额不超过500万元' → cap, scope max_annual. Enumerations after a cap word inherit it."""

    def __init__(self, lexicon: Lexicon):
        super().__init__(lexicon)
        self.words = re.compile(f"(?:{alternation(lexicon.data['cap_words'])})\\s*(?:一次性)?\\s*$")
        self.scopes = [(s["kind"], re.compile(s["pattern"])) for s in lexicon.data["cap_scopes"]]

    def __call__(self, doc: Doc) -> Doc:
        previous = None
        for f in sorted(findings(doc, "money") + findings(doc, "duration"), key=lambda f: f.start):
            word = self.words.search(doc.text, max(0, f.start - 8), f.start)
            enumerated = previous and re.fullmatch(r"[、和及与或\s]*", doc.text[previous.end:f.start])
            if word:
                scope_kind, start = self._scope(doc.text, clause_start(doc.text, f.start), word.start())
                previous = add(doc, "cap", start, f.end, value=f.attrs["value"], unit=f.attrs.get("unit"),
                               scope=("max_years" if f.kind == "duration" else scope_kind), number=f)
            elif enumerated:
                previous = add(doc, "cap", f.start, f.end, value=f.attrs["value"], unit=f.attrs.get("unit"),
                               scope=previous.attrs["scope"], number=f)
            else:
                previous = None
        return doc

    def _scope(self, text: str, lo: int, hi: int) -> tuple[str, int]:
        for kind, pattern in self.scopes:
            found = list(pattern.finditer(text, lo, hi))
            if found:
                return kind, found[-1].start()
        return "max_total", hi


COMPONENTS = {"policy_money": Money, "policy_ratios": Ratios, "policy_durations": Durations, "policy_areas": Areas,
              "policy_terms": Terms, "policy_thresholds": Thresholds, "policy_caps": Caps}

for _name, _cls in COMPONENTS.items():
    Language.factory(_name, default_config={"lexicon_path": "", "profile": False})(
        lambda nlp, name, lexicon_path, profile, _cls=_cls: (
            _cls(load_lexicon(Path(lexicon_path)), profile) if _cls is Terms else _cls(load_lexicon(Path(lexicon_path)))))


@lru_cache(maxsize=4)
def make_nlp(lexicon_path: Path, *, profile: bool = False) -> Language:
    """The pipeline. `profile=True` also accepts the colloquial terms enterprises use (高企, 小巨人)."""
    lexicon = load_lexicon(lexicon_path)
    for concept in lexicon.concepts.values():
        for term in lexicon.data_terms(concept.id):
            jieba.add_word(term)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
    for name in COMPONENTS:
        nlp.add_pipe(name, config={"lexicon_path": str(lexicon_path), "profile": profile})
    return nlp
