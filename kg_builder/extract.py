"""Run the pipeline over every clause of a parsed text and collect measures, rules and coverage."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .config import BuildConfig
from .lexicon import Lexicon, alternation, load_lexicon
from .measures import ClauseFacts, Condition, Measure, extract_measures
from .nlp import Finding, make_reader
from .requirements import applicability, requirements_of
from .safety import keep_unread
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
    _apply_applicability(structure, measures, lexicon)
    return Extraction(structure, measures, _rules(structure, lexicon), facts)


def _apply_applicability(structure: Structure, measures: list[Measure], lexicon: Lexicon) -> None:
    """Requirements an applicability article states (享受本办法的企业须是…) are conditions of every measure of the
    document, each cited to the article; a measure of that article itself keeps only its own."""
    parts = applicability(structure, requirements_of(lexicon))
    for m in measures:
        own = [(clause, a, b) for clause, _, a, b in parts if not (m.start <= a and b <= m.end)]
        m.conditions = [*m.conditions, *(Condition("text", a, b, structure.text[a:b], stated_in=clause)
                                         for clause, a, b in own)]
