"""Map an extraction to RDF: ELI for the document and its subdivisions, W3C Web Annotation selectors for
every span, schema.org for grants and amounts, SKOS for the schemes, PROV-O for where each fact came from.

IRIs are readable and stable: <base>/<doc>/item/3.1, <base>/<doc>/measure/3.1-1, …/condition/1.
"""
from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from .corpus import no_longer_in_force
from .lexicon import Lexicon
from .measures import Amount, Condition, Measure
from .mint import is_minted
from .qnames import use_known_prefixes
from .structure import Node, Structure
from .vocab import AMOUNT_KINDS, ELI, OA, OPEN_KINDS, PK, RATIO_KINDS, SCHEME_CLASS, SDO, concept_iri

KIND_CLASS = {"qualification": PK.QualificationCondition, "threshold": PK.ThresholdCondition,
              "flag": PK.FlagCondition, "industry": PK.IndustryCondition, "text": PK.TextCondition}


class GraphWriter:
    def __init__(self, doc_iri: str, text: str, lexicon: Lexicon):
        self.g, self.doc, self.text, self.lexicon = use_known_prefixes(Graph()), URIRef(doc_iri), text, lexicon
        self.clauses: dict[str, URIRef] = {}
        self.minted: dict[str, tuple[int, int]] = {}  # minted concept id -> span of its first use
        for prefix, ns in (("pk", PK._NS), ("eli", ELI), ("oa", OA), ("schema", SDO), ("skos", SKOS),
                           ("prov", PROV), ("dcterms", DCTERMS)):
            self.g.bind(prefix, ns)

    def iri(self, *parts: str) -> URIRef:
        return URIRef(f"{self.doc}/{'/'.join(parts)}")

    def cite(self, subject: URIRef, start: int, end: int, node: URIRef | None = None) -> None:
        """subject pk:citation [oa:SpecificResource with a position and a quote selector]."""
        assert self.text[start:end], f"empty span for {subject}"
        c = node or URIRef(f"{subject}/citation")
        pos, quote = URIRef(f"{c}/position"), URIRef(f"{c}/quote")
        self.g.add((subject, PK.citation, c))
        self.g.add((c, RDF.type, OA.SpecificResource))
        self.g.add((c, OA.hasSource, self.doc))
        self.g.add((c, OA.hasSelector, pos))
        self.g.add((c, OA.hasSelector, quote))
        self.g.add((pos, RDF.type, OA.TextPositionSelector))
        self.g.add((pos, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)))
        self.g.add((pos, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)))
        self.g.add((quote, RDF.type, OA.TextQuoteSelector))
        self.g.add((quote, OA.exact, Literal(self.text[start:end])))

    def fact(self, subject: URIRef, origin: str) -> None:
        self.g.add((subject, PK.origin, Literal(origin)))
        self.g.add((subject, PROV.wasGeneratedBy, PK.Review if origin == "reviewed" else PK.Extraction))

    def document(self, meta: dict, sha256: str) -> None:
        g, d = self.g, self.doc
        g.add((d, RDF.type, PK.Policy))
        g.add((d, RDF.type, ELI.LegalResource))
        for prop, key in ((ELI.title, "title"), (PK.status, "status"), (PK.validity, "validity"),
                          (PK.repealsTitle, "repeals"), (PK.issuerName, "issuer")):
            if meta.get(key):
                g.add((d, prop, Literal(str(meta[key]), lang="zh")))
        dates = {**meta, "date_no_longer_in_force": no_longer_in_force(meta)}
        for prop, key in ((ELI.date_document, "date_issued"), (ELI.first_date_entry_in_force, "date_in_force"),
                          (ELI.date_no_longer_in_force, "date_no_longer_in_force")):
            if dates.get(key):
                g.add((d, prop, Literal(str(dates[key]), datatype=XSD.date)))
        g.add((d, PK.sha256, Literal(sha256)))
        g.add((d, PK.sourceText, Literal(self.text)))
        g.add((d, ELI.language, Literal("zh")))

    def node(self, node: Node, parent: URIRef) -> URIRef | None:
        if node.kind not in ("article", "item", "supplementary", "preamble"):
            return None
        key = node.clause or node.label or node.kind
        subject = self.iri("preamble") if node.kind == "preamble" else self.iri(node.kind, key)
        cls = {"article": PK.Article, "item": PK.Item, "supplementary": PK.Supplementary, "preamble": PK.Preamble}
        self.g.add((subject, RDF.type, cls[node.kind]))
        self.g.add((subject, RDF.type, ELI.LegalResourceSubdivision))
        self.g.add((subject, ELI.is_part_of, parent))
        if node.label:
            self.g.add((subject, RDFS.label, Literal(node.label, lang="zh")))
        if node.clause:
            self.g.add((subject, PK.clauseId, Literal(node.clause)))
        if node.number is not None:
            self.g.add((subject, ELI.number, Literal(str(node.number))))
        if node.caption:
            self.g.add((subject, PK.caption, Literal(self.text[node.caption[0]:node.caption[1]], lang="zh")))
        self.cite(subject, node.start, node.end)
        return subject

    def structure(self, structure: Structure) -> dict[str, URIRef]:
        clauses: dict[str, URIRef] = {}

        def visit(node: Node, parent: URIRef) -> None:
            subject = self.node(node, parent)
            if subject is not None and node.clause:
                clauses[node.clause] = subject
            for child in node.children:
                visit(child, subject or parent)

        visit(structure.root, self.doc)
        self.clauses = clauses
        return clauses

    def clause_id(self, node: Node, clause: str) -> URIRef:
        """Give an article with items a clause id of its own (its lead-in is a measure); its IRI is unchanged."""
        subject = self.iri(node.kind, node.clause or node.label or node.kind)
        self.g.add((subject, PK.clauseId, Literal(clause)))
        self.clauses[clause] = subject
        return subject

    def measure(self, m: Measure, clause_iri: URIRef) -> URIRef:
        g, s = self.g, self.iri("measure", f"{m.clause}-{m.index}")
        g.add((s, RDF.type, PK.Measure))
        g.add((s, RDF.type, SDO.MonetaryGrant))
        g.add((s, PK.inClause, clause_iri))
        g.add((s, PK.measureIndex, Literal(m.index)))
        g.add((s, RDFS.label, Literal(f"{m.label} 措施{m.index}", lang="zh")))
        g.add((s, PK.beneficiary, Literal(m.beneficiary, lang="zh")))
        g.add((s, PK.benefitType, Literal(m.benefit, lang="zh")))
        self.cite(s, m.start, m.end)
        self.fact(s, m.origin)
        for i, c in enumerate(m.conditions, 1):
            g.add((s, PK.hasCondition, self.condition(c, URIRef(f"{s}/condition/{i}"))))
        for i, a in enumerate(m.amounts, 1):
            g.add((s, PK.hasAmount, self.amount(a, URIRef(f"{s}/amount/{i}"))))
        return s

    def condition(self, c: Condition, s: URIRef) -> URIRef:
        g = self.g
        g.add((s, RDF.type, KIND_CLASS[c.kind]))
        g.add((s, PK.conditionText, Literal(c.text, lang="zh")))
        for cid in (*c.concepts, *([c.quantity] if c.quantity else [])):
            if is_minted(cid):
                self.minted.setdefault(cid, (c.start, c.end))
        if c.stated_in and c.stated_in in self.clauses:
            g.add((s, PK.statedIn, self.clauses[c.stated_in]))
        if c.negated:
            g.add((s, PK.negated, Literal(True)))
        for cid in c.concepts:
            scheme = self.lexicon.concept(cid).scheme
            prop = {"qualification": PK.anyOfQualification, "industry": PK.anyOfIndustry, "flag": PK.requiresFact}
            g.add((s, prop[scheme], concept_iri(scheme, cid)))
        if c.status:
            g.add((s, PK.qualificationStatus, Literal(c.status)))
        if c.kind == "threshold":
            if c.quantity:
                g.add((s, PK.onQuantity, concept_iri("quantity", c.quantity)))
            g.add((s, PK.operator, Literal(c.op)))
            g.add((s, PK.inclusive, Literal(c.op in ("ge", "le"))))
            g.add((s, PK.thresholdValue, Literal(Decimal(c.value), datatype=XSD.decimal)))
            g.add((s, PK.unit, Literal(c.unit)))
        self.cite(s, c.start, c.end)
        self.fact(s, c.origin)
        return s

    def amount(self, a: Amount, s: URIRef) -> URIRef:
        g = self.g
        g.add((s, RDF.type, PK.Amount))
        g.add((s, RDF.type, SDO.MonetaryAmount))
        g.add((s, PK.amountKind, getattr(PK, a.kind)))
        if a.value is not None:
            g.add((s, SDO.value, Literal(Decimal(a.value), datatype=XSD.decimal)))
        if a.kind not in (*RATIO_KINDS, *OPEN_KINDS, "max_years"):
            g.add((s, SDO.currency, Literal(a.currency or "CNY")))
        if a.base:
            g.add((s, PK.baseQuantity, concept_iri("quantity", a.base)))
        if a.base_text:
            g.add((s, PK.baseText, Literal(a.base_text, lang="zh")))
        if a.unit or a.kind == "max_years":
            g.add((s, PK.unit, Literal(a.unit or "year")))
        if a.per:
            g.add((s, PK.perQuantity, concept_iri("quantity", a.per)))
            g.add((s, PK.perText, Literal(a.per_text or a.per, lang="zh")))
        for i, step in enumerate(a.schedule, 1):
            st = URIRef(f"{s}/step/{i}")
            g.add((s, PK.scheduleStep, st))
            g.add((st, RDF.type, PK.ScheduleStep))
            g.add((st, PK.firstYear, Literal(step.first)))
            g.add((st, PK.lastYear, Literal(step.last)))
            g.add((st, SDO.value, Literal(Decimal(step.value), datatype=XSD.decimal)))
            self.cite(st, step.start, step.end)
        self.cite(s, a.start, a.end)
        self.fact(s, a.origin)
        return s

    def rule(self, kind: str, clause_iri: URIRef, start: int, end: int, clause: str) -> None:
        s = self.iri("rule", f"{kind}-{clause}")
        self.g.add((s, RDF.type, PK.NoDuplicationRule))
        self.g.add((s, PK.inClause, clause_iri))
        self.g.add((s, PK.appliesTo, self.doc))
        self.cite(s, start, end)

    def concepts(self) -> None:
        """SKOS schemes for the concepts the graph uses, with Chinese and English labels."""
        used = {o for o in self.g.objects() if isinstance(o, URIRef) and "/scheme/" in str(o)}
        minted = {c.id: c for c in [*(self.lexicon.concept(cid) for cid in self.minted),
                                     *(c for c in (_minted(str(o)) for o in used) if c is not None)]}.values()
        for c in [*self.lexicon.concepts.values(), *minted]:
            iri = concept_iri(c.scheme, c.id)
            if iri not in used:
                continue
            if c.id in self.minted:  # open vocabulary: label as written, where it was read
                self.g.add((iri, PK.minted, Literal(True)))
                self.cite(iri, *self.minted[c.id], node=self.iri("concept", c.id, "citation"))
            self.g.add((iri, RDF.type, SKOS.Concept))
            self.g.add((iri, RDF.type, SCHEME_CLASS[c.scheme]))
            self.g.add((iri, SKOS.prefLabel, Literal(c.zh, lang="zh")))
            self.g.add((iri, SKOS.prefLabel, Literal(c.en, lang="en")))
            self.g.add((iri, SKOS.notation, Literal(c.id)))
            if c.unit:
                self.g.add((iri, PK.unit, Literal(c.unit)))
        for kind in AMOUNT_KINDS:
            self.g.add((getattr(PK, kind), RDF.type, SKOS.Concept))
            self.g.add((getattr(PK, kind), RDF.type, PK.AmountKind))
            self.g.add((getattr(PK, kind), SKOS.inScheme, PK.AmountKinds))


def _minted(iri: str):
    """The concept minted from a text (kg_builder.mint) an IRI names, if any."""
    from .mint import is_minted, minted
    cid = iri.rstrip("/").rsplit("/", 1)[-1]
    return minted(cid) if is_minted(cid) else None
