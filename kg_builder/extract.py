"""Run the pipeline over every clause of a parsed text and collect measures, rules and coverage."""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .config import BuildConfig
from .lexicon import Lexicon, alternation, load_lexicon
from .leadins import apply_lead_ins
from .measures import ClauseFacts, Condition, Measure, extract_measures
from .nlp import Finding, make_reader
from .requirements import applicability, requirements_of
from .safety import keep_unread
from .segment import _trim
from .structure import Node, Structure

# Captions of the closing part when it is a chapter or a numbered heading (第五章 附则, 九、其他):
# its articles say how the measures apply, they grant nothing themselves.
CLOSING_CAPTION = re.compile(r"^(?:附\s*则|其\s*他|其他事项)$")


@dataclass(frozen=True)
class Rule:
    """A rule across measures, e.g. 附则（二）'从高、从优、不重复'."""

    kind: str  # no_duplication
    clause: str
    label: str
    start: int
    end: int
    quote: str


@dataclass
class Extraction:
    structure: Structure
    measures: list[Measure]
    rules: list[Rule]
    facts: dict[str, ClauseFacts] = field(default_factory=dict)
    leads: dict[str, Node] = field(default_factory=dict)  # clause id → article whose lead-in gives a measure

    def uncovered(self) -> list[tuple[str, int, int]]:
        """Sentences of operative clauses that produced no measure (clause id, start, end)."""
        out, spans = [], {}
        for m in self.measures:
            spans.setdefault(m.clause, []).append((m.start, m.end))
        for node in self.structure.clauses():
            if is_closing(self.structure, node):
                continue
            for a, b in _sentences(node):
                if not any(start < b and a < end for start, end in spans.get(node.clause, ())):
                    out.append((node.clause, a, b))
        return out


def is_closing(structure: Structure, node: Node) -> bool:
    """A 附则 clause, or one under a group captioned 附则/其他."""
    if node.clause.startswith("附则"):
        return True
    return any(g.caption and CLOSING_CAPTION.match(structure.quote(g.caption).strip())
               for g in structure.ancestors(node))


def _sentences(node: Node) -> list[tuple[int, int]]:
    return [s for n in node.walk() for s in n.sentences]


def _article_and_item(structure: Structure, node: Node) -> tuple[int | None, int | None]:
    if node.kind == "item":
        return structure.parent(node).number, node.number
    return node.number, None


def span_findings(text: str, a: int, b: int, lexicon_path) -> list[Finding]:
    """What the pipeline finds in text[a:b], with absolute offsets (its rule components without spaCy's
    tokenizer, nlp.make_reader: the same findings, and no spaCy import at query time for a guide)."""
    doc = make_reader(lexicon_path)(text[a:b])
    moved = {id(f): Finding(f.kind, f.start + a, f.end + a, dict(f.attrs)) for f in doc.user_data.get("findings", [])}
    for f in moved.values():  # thresholds and caps point at the number they consume
        if "number" in f.attrs:
            f.attrs["number"] = moved[id(f.attrs["number"])]
        if f.attrs.get("rate") is not None:  # a per-object rate's positions (kg_builder.rates.Rate)
            f.attrs["rate"] = f.attrs["rate"].moved(a)
    return list(moved.values())


def clause_facts(structure: Structure, node: Node, lexicon_path) -> ClauseFacts:
    a, b = node.body_start, node.end
    found = span_findings(structure.text, a, b, lexicon_path)
    article, item = _article_and_item(structure, node)
    return ClauseFacts(structure.text, node.clause, node.label, article, item, a, b, found)


def _rules(structure: Structure, lexicon: Lexicon) -> list[Rule]:
    pattern = re.compile(alternation(lexicon.data.get("no_duplication", [])))
    out = []
    for node in structure.clauses():
        for a, b in _sentences(node):
            if pattern.search(structure.text, a, b):
                out.append(Rule("no_duplication", node.clause, node.label, a, b, structure.text[a:b]))
    return out


def extract(structure: Structure, *, config: BuildConfig = BuildConfig()) -> Extraction:
    lexicon = load_lexicon(config.lexicon_path)
    measures, facts = [], {}
    for node in structure.clauses():
        facts[node.clause] = cf = clause_facts(structure, node, config.lexicon_path)
        if not is_closing(structure, node):
            found = extract_measures(cf, lexicon)
            keep_unread(structure.text, node.body_start, found, lexicon)
            measures.extend(found)
    leads = _article_leads(structure, measures, lexicon, config.lexicon_path)
    apply_lead_ins(structure, measures, lexicon, lambda text, a, b: span_findings(text, a, b, config.lexicon_path),
                   done={id(n) for n in leads.values()})
    _apply_applicability(structure, measures, lexicon, config.lexicon_path)
    return Extraction(structure, measures, _rules(structure, lexicon), facts, leads)


def _article_leads(structure: Structure, measures: list[Measure], lexicon: Lexicon, lexicon_path) -> dict[str, Node]:
    """An article whose own words before its items grant something ('对…年度营业收入超过500万元…的企业给予奖励。'
    then (一)(二) with the amounts; '满足以下条件之一的企业，按总部型企业的相关政策给予奖励。' then the conditions).
    When its items grant, the lead-in's conditions (and caps) bind every measure of the items; when they do not,
    the lead-in is the measure (clause id = the article's) and its items are its conditions: one condition of the
    whole list when it says 之一, else one per item."""
    openers = re.compile(alternation(lexicon.data["benefit_openers"]))
    text, out = structure.text, {}
    for art in (n for n in structure.root.walk() if n.kind == "article" and n.clause is None):
        items = [c for c in art.children if c.kind == "item" and c.clause]
        if not items or is_closing(structure, items[0]):
            continue
        a, b = _trimmed(text, art.body_start, items[0].start)
        if b <= a or not openers.search(text, a, b):
            continue
        clause = items[0].clause.rsplit(".", 1)[0]
        lead = ClauseFacts(text, clause, art.label, art.number, None, a, b, span_findings(text, a, b, lexicon_path))
        found = extract_measures(lead, lexicon)
        if not found:
            continue
        keep_unread(text, a, found, lexicon)
        ids = {i.clause for i in items}
        own = [m for m in measures if m.clause in ids]
        if own:  # the lead-in's conditions are the words before its grant ('给予以下奖励：' states none)
            grant = openers.search(text, a, b).start()
            conditions = [c for m in found for c in m.conditions if c.end <= grant]
            caps = [x for m in found for x in m.amounts if x.kind.startswith("max_")]
            for m in own:
                m.conditions = [*(replace(c) for c in conditions), *m.conditions]
                m.amounts = sorted([*caps, *m.amounts], key=lambda x: x.start)
            continue
        if "之一" in text[a:b]:
            listed = [_trimmed(text, items[0].body_start, items[-1].end)]
        else:
            listed = [_trimmed(text, i.body_start, i.end) for i in items]
        for m in found:
            m.conditions = [*m.conditions, *(Condition("text", x0, x1, text[x0:x1]) for x0, x1 in listed if x1 > x0)]
        measures.extend(found)
        out[clause] = art
    return out


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    return _trim(text, a, b, ends="。；;")


def _apply_applicability(structure: Structure, measures: list[Measure], lexicon: Lexicon, lexicon_path) -> None:
    """Requirements an applicability article states (享受本办法的企业须是…) are conditions of every measure of the
    document, each cited to the article; a measure of that article itself keeps only its own."""
    parts = applicability(structure, requirements_of(lexicon))
    read = {(a, b): _read_part(structure, clause, label, a, b, mode, lexicon, lexicon_path)
            for clause, label, a, b, mode in parts}
    for m in measures:
        own = [read[a, b] for clause, _, a, b, _ in parts if not (m.start <= a and b <= m.end)]
        m.conditions = [*m.conditions, *(replace(c) for cs in own for c in cs)]


def _read_part(structure: Structure, clause: str, label: str, a: int, b: int, mode: str, lexicon: Lexicon,
               lexicon_path) -> list[Condition]:
    """One applicability requirement as conditions: structured where the dictionary reads all of it ('注册资本
    1千万人民币及以上' → a threshold), else verbatim; an exclusion ('房地产企业除外') and a whole article stay
    verbatim, the exclusion negated."""
    text = structure.text
    verbatim = [Condition("text", a, b, text[a:b], stated_in=clause, negated=mode == "exclusion")]
    if mode != "part":
        return verbatim
    from .conditions import structured  # local: conditions imports measures
    facts = ClauseFacts(text, clause, label, None, None, a, b, span_findings(text, a, b, lexicon_path))
    out = structured(facts, a, b, None)
    covered = [(c.start, c.end) for c in out]
    if not out or any(c.kind == "text" for c in out) or requirements_of(lexicon).residue(text, a, b, covered):
        return verbatim
    for c in out:
        c.stated_in = clause
    return out
