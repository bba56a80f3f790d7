"""The project vocabulary as a closed namespace: a typo raises instead of minting a new IRI (cf. rdflib's _SH)."""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

ONT = "https://w3id.org/policykg/ont#"
SCHEMES = "https://w3id.org/policykg/scheme/"
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SDO = Namespace("https://schema.org/")


class PK(DefinedNamespace):
    _NS = Namespace(ONT)
    _fail = True
    # classes
    Policy: URIRef
    Subdivision: URIRef
    Article: URIRef
    Item: URIRef
    Supplementary: URIRef
    Preamble: URIRef
    Measure: URIRef
    Condition: URIRef
    QualificationCondition: URIRef
    ThresholdCondition: URIRef
    FlagCondition: URIRef
    IndustryCondition: URIRef
    TextCondition: URIRef
    Amount: URIRef
    AmountKind: URIRef
    Quantity: URIRef
    Qualification: URIRef
    Flag: URIRef
    Industry: URIRef
    NoDuplicationRule: URIRef
    Extraction: URIRef
    Review: URIRef
    Build: URIRef
    Guide: URIRef
    GuideCitation: URIRef
    ImplementationLink: URIRef
    EvidenceItem: URIRef
    ApplicationWindow: URIRef
    Office: URIRef
    # structure
    clauseId: URIRef
    articleNumber: URIRef
    itemNumber: URIRef
    caption: URIRef
    citation: URIRef
    status: URIRef
    validity: URIRef
    repealsTitle: URIRef
    issuerName: URIRef
    sha256: URIRef
    sourceText: URIRef
    documentKind: URIRef
    shortTitle: URIRef
    replaces: URIRef
    # guides (办事指南)
    implements: URIRef
    basis: URIRef
    citedTitle: URIRef
    citedNumber: URIRef
    resolved: URIRef
    target: URIRef
    checklistItem: URIRef
    applicationWindow: URIRef
    office: URIRef
    windowStart: URIRef
    windowEnd: URIRef
    # measures
    inClause: URIRef
    measureIndex: URIRef
    beneficiary: URIRef
    benefitType: URIRef
    hasCondition: URIRef
    hasAmount: URIRef
    appliesTo: URIRef
    # conditions
    conditionText: URIRef
    anyOfQualification: URIRef
    qualificationStatus: URIRef
    onQuantity: URIRef
    operator: URIRef
    thresholdValue: URIRef
    unit: URIRef
    inclusive: URIRef
    requiresFact: URIRef
    anyOfIndustry: URIRef
    statedIn: URIRef  # an applicability article stating the condition for the whole document
    negated: URIRef  # an exclusion ('房地产企业除外'): the applicant must not be what the condition names
    minted: URIRef  # a concept minted from the text (open vocabulary)
    # amounts
    amountKind: URIRef
    baseQuantity: URIRef
    baseText: URIRef
    perQuantity: URIRef
    perText: URIRef
    scheduleStep: URIRef
    ScheduleStep: URIRef
    firstYear: URIRef
    lastYear: URIRef
    # provenance of facts
    origin: URIRef
    reviewer: URIRef
    reason: URIRef
    # kinds of amount (SKOS concepts)
    fixed: URIRef
    max_per_item: URIRef
    max_annual: URIRef
    max_total: URIRef
    max_per_event: URIRef
    max_per_investee: URIRef
    ratio: URIRef
    match_ratio: URIRef
    rate: URIRef
    max_years: URIRef
    max_rate: URIRef
    max_ratio: URIRef
    negotiated: URIRef
    uncapped: URIRef
    by_reference: URIRef
    AmountKinds: URIRef


AMOUNT_KINDS = ("fixed", "max_per_item", "max_annual", "max_total", "max_per_event", "max_per_investee",
                "ratio", "match_ratio", "rate", "max_years", "max_rate", "max_ratio", "negotiated", "uncapped",
                "by_reference")
RATIO_KINDS = ("ratio", "match_ratio", "max_ratio")  # values are fractions of a base, not yuan
OPEN_KINDS = ("negotiated", "uncapped", "by_reference")  # no number: decided case by case / no ceiling / by another policy
SCHEME_CLASS = {"qualification": PK.Qualification, "quantity": PK.Quantity, "flag": PK.Flag,
                "industry": PK.Industry}


def concept_iri(scheme: str, cid: str) -> URIRef:
    path = "gbt4754" if scheme == "industry" else scheme
    return URIRef(f"{SCHEMES}{path}/{cid}")
