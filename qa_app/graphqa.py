"""Questions about facts, answered from the graph with SPARQL: which clauses have a kind of amount, a value, a
beneficiary other than the enterprise, an amount in 美元, …; the highest or lowest award of a kind, how many
clauses of a document give money, the sum of fixed awards.

A small parser reads the question into facets (the words live in ``resources/graphqa.yaml``), builds one SPARQL
query over the graph — which may hold several documents (``pk:citation/oa:hasSource <doc>``) — and lists **every**
matching clause with its citation. Entry point: ``answer_from_graph(question, graph)`` → None (the question is
not about facts the graph holds: use retrieval) or ``{"kind", "query", "answers", "value"?}``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import yaml
from rdflib import Graph, URIRef

from kg_builder.numbers import MATCH_RATIO_RE, NUM, PERCENT_RE, match_ratio_value, money_value, percent_value
from kg_builder.views import PREFIXES
from kg_builder.vocab import AMOUNT_KINDS, PK

TERMS_PATH = Path(__file__).resolve().parent / "resources" / "graphqa.yaml"
QUESTION_MONEY_RE = re.compile(rf"(?P<num>{NUM})\s*(?P<mult>亿|万|千)\s*(?:元|人民币)?|(?P<plain>\d+(?:\.\d+)?)\s*元")
OPS = {"gt": ">", "ge": ">=", "lt": "<", "le": "<=", "eq": "="}


@dataclass(frozen=True)
class Terms:
    intents: dict[str, tuple[str, ...]]
    aggregates: dict[str, tuple[str, ...]]
    kinds: dict[str, tuple[str, ...]]
    money_kinds: tuple[str, ...]
    money_words: tuple[str, ...]
    yuan_kinds: tuple[str, ...]
    matching_benefits: tuple[str, ...]
    kind_family: dict[str, tuple[str, ...]]
    kind_units: dict[str, tuple[str, ...]]
    cap_kinds: tuple[str, ...]
    compare_before: dict[str, str]
    compare_after: dict[str, str]
    beneficiary_words: tuple[str, ...]
    not_enterprise: tuple[str, ...]
    enterprise_suffixes: tuple[str, ...]
    currencies: dict[str, str]
    rate_units: dict[str, str]
    document_generic: tuple[str, ...]
    document_words: tuple[str, ...]
    regions: tuple[str, ...]
    filler: frozenset[str]


@lru_cache(maxsize=4)
def load_terms(path: Path = TERMS_PATH) -> Terms:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    words = lambda xs: tuple(sorted((str(x) for x in xs), key=len, reverse=True))  # noqa: E731 longest first
    kinds = {k: words(v) for k, v in raw["kinds"].items()}
    unknown = set(kinds) - set(AMOUNT_KINDS) - {"max"}
    if unknown:
        raise ValueError(f"{path}: unknown amount kinds {sorted(unknown)}; expected {AMOUNT_KINDS} or max")
    return Terms({k: words(v) for k, v in raw["intents"].items()}, {k: words(v) for k, v in raw["aggregates"].items()},
                 kinds, tuple(raw["money_kinds"]), words(raw["money_words"]), tuple(raw["yuan_kinds"]),
                 tuple(raw["matching_benefits"]), {k: tuple(v) for k, v in raw["kind_family"].items()},
                 {k: tuple(v) for k, v in raw["kind_units"].items()}, tuple(raw["cap_kinds"]),
                 dict(raw["compare"]["before"]), dict(raw["compare"]["after"]), words(raw["beneficiary_words"]),
                 words(raw["not_enterprise"]), tuple(raw["enterprise_suffixes"]), dict(raw["currencies"]), dict(raw["rate_units"]),
                 words(raw["document_generic"]), tuple(raw["document_words"]), tuple(raw["regions"]), frozenset(str(w) for w in raw["filler"] + raw["beneficiary_cues"] + raw["threshold_words"]))


@dataclass
class Parsed:
    """What a question asks of the graph. `documents` are document IRIs (empty: every document)."""
    intent: str = "find"  # find | list | aggregate | guide
    op: str | None = None  # max | min | count | sum (aggregate)
    kinds: tuple[str, ...] = ()
    value: Decimal | None = None
    value_op: str = "eq"
    beneficiary: str | None = None
    not_enterprise: bool = False
    currency: str | None = None
    rate_unit: str | None = None
    money: bool = False
    documents: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()

    @property
    def facets(self) -> bool:
        return bool(self.kinds or self.value is not None or self.beneficiary or self.not_enterprise or self.currency)


class _Mask:
    """The question with the spans already read blanked out, so no word is read twice."""

    def __init__(self, text: str):
        self.text, self.used = text, [False] * len(text)

    def take(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.used[i] = True

    def free(self, start: int, end: int) -> bool:
        return not any(self.used[start:end])

    def find(self, words) -> list[tuple[str, int, int]]:
        """Occurrences of `words` (longest first) in free text, each taken; case-insensitive for Latin words."""
        out, low = [], self.text.lower()
        for w in words:
            for m in re.finditer(re.escape(w.lower()), low):
                if self.free(m.start(), m.end()):
                    if re.match(r"[a-z]", w, re.I) and not _word_bounded(low, m.start(), m.end()):
                        continue
                    self.take(m.start(), m.end())
                    out.append((w, m.start(), m.end()))
        return out

    def rest(self) -> str:
        return "".join(" " if u else c for c, u in zip(self.text, self.used))


def _word_bounded(text: str, start: int, end: int) -> bool:
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


@dataclass(frozen=True)
class Document:
    iri: str
    id: str
    title: str
    short: str | None = None  # pk:shortTitle, where the library gave one

    @property
    def short_title(self) -> str:
        return self.short or re.sub(r"[（(][^）)]*[）)]", "", self.title).strip() or self.id


def documents(graph: Graph) -> list[Document]:
    """The documents a graph holds (one per ELI work), by IRI; the id is the IRI's last path segment."""
    from qa_app.snapshot import GraphSnapshot
    if isinstance(graph, GraphSnapshot):
        return list(graph.documents)
    q = PREFIXES + """SELECT DISTINCT ?d ?t ?s WHERE { ?d a pk:Policy . OPTIONAL { ?d eli:title ?t }
        OPTIONAL { ?d pk:shortTitle ?s } } ORDER BY ?d"""
    rows = [(_value(r, "d"), _value(r, "t"), _value(r, "s")) for r in store_for(graph).query(q)]
    return [Document(d, d.rstrip("/").rsplit("/", 1)[-1], t or "", s) for d, t, s in rows]


def _title_keys(doc: Document, terms: Terms) -> list[str]:
    """The parts of a title that tell it apart: the title with generic words and brackets cut out."""
    cut = doc.title
    for w in terms.document_generic:
        cut = cut.replace(w, "|")
    return [f for f in re.split(r"[|（）()\s、与及和]+", cut) if len(f) >= 2]


def _overlap(key: str, text: str, doc_words: tuple[str, ...]) -> tuple[int, int]:
    """(length, position in text) of the longest run of `key` that names the document in `text`: the whole key,
    ≥4 characters of it, or ≥2 followed by a word for a document (商贸办法, 航运政策); (0, -1) if none."""
    for n in range(len(key), 1, -1):
        for i in range(len(key) - n + 1):
            run = key[i:i + n]
            at = text.find(run)
            while at >= 0:
                if n == len(key) or n >= 4 or text[at + n:].lstrip().startswith(doc_words):
                    return n, at
                at = text.find(run, at + 1)
    return 0, -1


def _match_documents(mask: _Mask, docs: list[Document], terms: Terms) -> tuple[str, ...]:
    """Documents named by the question: the longest run shared with a title's distinctive parts picks the
    document(s); failing that, a region word names every document whose title holds it."""
    text = mask.rest()
    hits = {d.iri: max((_overlap(k, text, terms.document_words) for k in _title_keys(d, terms)), default=(0, -1))
            for d in docs}
    best = max((n for n, _ in hits.values()), default=0)
    if best >= 2:
        for n, at in hits.values():
            if n == best:
                mask.take(at, at + n)
        return tuple(iri for iri, (n, _) in hits.items() if n == best)
    for region in terms.regions:
        if region in text:
            mask.find([region])
            return tuple(d.iri for d in docs if region in d.title)
    return ()


def _read_value(mask: _Mask, terms: Terms, p: Parsed) -> None:
    """A matching ratio (1:0.5), a percentage (30%, 3‰ is not a question word) or a sum of money, with the
    comparison written before or after it."""
    text = mask.text
    found = None
    for m in MATCH_RATIO_RE.finditer(text):
        found = (m, match_ratio_value(m), "match_ratio")
        break
    if found is None:
        for m in PERCENT_RE.finditer(text):
            found = (m, percent_value(m), "ratio")
            break
    if found is None:
        for m in QUESTION_MONEY_RE.finditer(text):
            try:
                value = money_value(m["num"], m["mult"]) if m["num"] else Decimal(m["plain"])
            except (ValueError, KeyError):
                continue
            found = (m, value, None)
            break
    if found is None:
        return
    m, value, kind = found
    mask.take(m.start(), m.end())
    p.value = value
    if kind and not p.kinds:
        p.kinds = (kind,)
    before = text[:m.start()]
    for w, op in sorted(terms.compare_before.items(), key=lambda kv: -len(kv[0])):
        if before.rstrip().endswith(w):
            p.value_op = op
            mask.take(len(before.rstrip()) - len(w), len(before.rstrip()))
            break
    after = text[m.end():]
    for w, op in sorted(terms.compare_after.items(), key=lambda kv: -len(kv[0])):
        if after.startswith(w):
            p.value_op = op
            mask.take(m.end(), m.end() + len(w))
            break


def _topics(rest: str, terms: Terms) -> tuple[str, ...]:
    """Words left once facets, documents and filler are read: what the question is about."""
    from kg_builder.jieba_store import default_tokenizer

    out, cut = [], default_tokenizer()  # jieba.lcut's cuts (its dictionary read on demand)
    for chunk in re.split(r"[\s，。？！?!,.;；：:、“”\"'（）()]+", rest):
        for tok in cut.lcut(chunk) if chunk else []:
            tok = tok.strip()
            if tok.lower() in terms.filler or tok in terms.filler:
                continue
            if re.fullmatch(r"[\u4e00-\u9fff]{2,}", tok) or re.fullmatch(r"[A-Za-z]{3,}|[A-Z]{2,}", tok):
                out.append(tok)
    return tuple(dict.fromkeys(out))


def parse(question: str, docs: list[Document], terms: Terms | None = None) -> Parsed:
    """The facets of a question; never fails (an empty Parsed means nothing was read)."""
    terms = terms or load_terms()
    mask, p = _Mask(question), Parsed()
    if mask.find(terms.intents["guide"]):
        p.intent = "guide"
        return p
    _read_value(mask, terms, p)
    kinds: list[str] = list(p.kinds)
    any_cap = False
    for kind, words in sorted(terms.kinds.items(), key=lambda kv: -max(map(len, kv[1]))):
        if mask.find(words):
            if kind == "max":
                any_cap = True
            else:
                kinds.append(kind)
    if "rate" in kinds:
        p.rate_unit = next((u for w, u in terms.rate_units.items() if w in question), None)
    if any_cap and not set(kinds) & set(terms.cap_kinds):  # 上限 alone: any cap; 单个展会…上限: that cap
        kinds.extend(terms.cap_kinds)
    p.kinds = tuple(dict.fromkeys(kinds))
    if mask.find(terms.not_enterprise):
        p.not_enterprise = True
    ben = mask.find(terms.beneficiary_words)
    if ben:
        p.beneficiary = ben[0][0]
    for word, code in sorted(terms.currencies.items(), key=lambda kv: -len(kv[0])):
        if mask.find([word]):
            p.currency = code
            break
    if mask.find(terms.money_words):
        p.money = True
    for op in ("count", "sum", "max", "min"):
        if mask.find(terms.aggregates[op]):
            p.intent, p.op = "aggregate", op
            break
    if mask.find(terms.intents["list"]) and p.intent == "find":
        p.intent = "list"
    p.documents = _match_documents(mask, docs, terms)
    p.topics = _topics(mask.rest(), terms)
    return p


def routed(p: Parsed) -> bool:
    """Whether the graph answers the question (else retrieval): a list or aggregate over facts it holds, or a
    find naming facts and nothing else."""
    if p.intent == "guide":
        return False
    if p.intent == "aggregate":
        if p.op == "count":
            return bool(p.documents or p.facets or p.money or p.topics)
        if p.op in ("max", "min"):
            return bool(p.kinds or p.value is not None) or not p.topics
        return bool(p.kinds or p.money or p.value is not None)
    if p.intent == "list":
        return p.facets or bool(p.topics) or (p.money and bool(p.documents))
    return p.facets and not p.topics


def _lit(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _clause_only(p: Parsed) -> bool:
    """Facets on the clause text alone (an amount in 美元, topic words): clauses without a measure count too."""
    return not (p.kinds or p.value is not None or p.beneficiary or p.not_enterprise or p.money or p.op) and \
        bool(p.currency or p.topics)


def _where(p: Parsed, terms: Terms) -> str:
    """The graph pattern of the question: one solution per (measure, amount) — or per clause, when the question
    is about the clause text only — that matches every facet."""
    if _clause_only(p):
        lines = ["?clause pk:clauseId ?clauseId ; rdfs:label ?label ; pk:citation ?mc .",
                 "?mc oa:hasSource ?doc ; oa:hasSelector ?mP . ?mP a oa:TextPositionSelector ; oa:start ?mS ; oa:end ?mE .",
                 "BIND(?clause AS ?m) BIND(\"\" AS ?ben)"]
    else:
        lines = ["?m a pk:Measure ; pk:inClause ?clause ; pk:beneficiary ?ben ; pk:benefitType ?benefit ; pk:citation ?mc .",
                 "?mc oa:hasSource ?doc ; oa:hasSelector ?mP . ?mP a oa:TextPositionSelector ; oa:start ?mS ; oa:end ?mE .",
                 "?clause pk:clauseId ?clauseId ; rdfs:label ?label ."]
    kinds = p.kinds
    if not kinds and p.op in ("max", "min"):
        kinds = terms.yuan_kinds  # comparable amounts only: yuan, not ratios or rates per unit
    elif not kinds and p.op == "sum":
        kinds = ("fixed",)
    elif not kinds and (p.money or p.value is not None or p.op == "count"):
        kinds = terms.money_kinds
    kinds = tuple(dict.fromkeys(k2 for k in kinds for k2 in (k, *terms.kind_family.get(k, ()))))
    if kinds or p.value is not None:
        numeric = p.value is not None or p.op in ("max", "min", "sum")
        lines.append("?m pk:hasAmount ?a . ?a pk:amountKind ?kind ." +
                     (" ?a schema:value ?value ." if numeric else " OPTIONAL { ?a schema:value ?value }"))
        lines.extend(f"OPTIONAL {{ ?a pk:unit ?unitOf{i} }} FILTER(!BOUND(?unitOf{i}) || ?kind != pk:{k} || "
                     f"{' || '.join(f'CONTAINS(STR(?unitOf{i}), {_lit(u)})' for u in units)})"
                     for i, (k, units) in enumerate(terms.kind_units.items()) if k in kinds)
        if kinds:
            test = f"?kind IN ({', '.join('pk:' + k for k in kinds)})"
            if "match_ratio" in kinds and "ratio" not in kinds:  # 按资助金额的100%给予配套: a matching ratio in %
                words = " || ".join(f"CONTAINS(STR(?benefit), {_lit(w)})" for w in terms.matching_benefits)
                test = f"{test} || (?kind = pk:ratio && ({words}))"
            lines.append(f"FILTER({test})")
        if p.value is not None:
            lines.append(f"FILTER(?value {OPS[p.value_op]} {p.value:f})")
        if p.rate_unit:
            lines.append(f"?a pk:unit ?unit . FILTER(CONTAINS(STR(?unit), {_lit(p.rate_unit)}))")
    if p.beneficiary:
        lines.append(f"FILTER(CONTAINS(STR(?ben), {_lit(p.beneficiary)}))")
    if p.not_enterprise:
        lines.append(" ".join(f"FILTER(!STRENDS(STR(?ben), {_lit(s)}))" for s in terms.enterprise_suffixes))
    if p.currency:
        words = [w for w, c in terms.currencies.items() if c == p.currency and not re.match(r"[A-Za-z]", w)]
        alt = "|".join(map(re.escape, words)).replace("\\", "\\\\")
        lines.append("?clause pk:citation/oa:hasSelector/oa:exact ?clauseText .")
        lines.append(f'FILTER(REGEX(STR(?clauseText), "[0-9０-９一二两三四五六七八九十百千万亿]\\\\s*[万亿]?\\\\s*({alt})"))')
    if p.topics:
        lines.append("?clause pk:citation/oa:hasSelector/oa:exact ?topicText .")
        lines.append("OPTIONAL { ?clause eli:is_part_of/pk:caption ?parentCaption }")
        for t in p.topics:
            lines.append(f"FILTER(CONTAINS(STR(?topicText), {_lit(t)}) || CONTAINS(STR(COALESCE(?parentCaption, \"\")), {_lit(t)}))")
    if p.documents:
        lines.append(f"FILTER(?doc IN ({', '.join(f'<{d}>' for d in p.documents)}))")
    return "\n  ".join(lines)


def build_query(p: Parsed, terms: Terms | None = None) -> str:
    """SPARQL for a parsed question. Rows: ?doc ?clauseId ?label ?mS ?mE ?kind ?value (and ?agg for aggregates)."""
    terms = terms or load_terms()
    where = _where(p, terms)
    amounts = "?kind ?value" if "?value" in where else ""
    select = f"SELECT DISTINCT ?doc ?clauseId ?label ?m ?mS ?mE ?ben {amounts}"
    if p.op in ("max", "min"):
        agg = "MAX" if p.op == "max" else "MIN"
        return (PREFIXES + f"{select} ?agg WHERE {{\n  {{ SELECT ({agg}(?value) AS ?agg) WHERE {{\n  {where}\n  }} }}\n"
                f"  {where}\n  FILTER(?value = ?agg)\n}} ORDER BY ?doc ?mS")
    if p.op == "count":
        return (PREFIXES + f"{select} ?agg WHERE {{\n  {{ SELECT (COUNT(DISTINCT ?clause) AS ?agg) WHERE {{\n  {where}\n"
                f"  }} }}\n  {where}\n}} ORDER BY ?doc ?mS")
    if p.op == "sum":
        return (PREFIXES + f"{select} ?agg WHERE {{\n  {{ SELECT (SUM(?v) AS ?agg) WHERE {{ SELECT DISTINCT ?a (?value AS ?v) "
                f"WHERE {{\n  {where}\n  }} }} }}\n  {where}\n}} ORDER BY ?doc ?mS")
    return PREFIXES + f"{select} WHERE {{\n  {where}\n}} ORDER BY ?doc ?mS"


def _decimal_text(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


_STORES: dict[int, tuple[Graph, int, object]] = {}


def store_for(graph: Graph):
    """The graph loaded once into pyoxigraph (rdflib's own SPARQL engine takes tens of seconds on these joins);
    reloaded when the graph grew or shrank."""
    import pyoxigraph as ox

    from qa_app.snapshot import GraphSnapshot
    if isinstance(graph, GraphSnapshot):
        return graph.store()
    cached = _STORES.get(id(graph))
    if cached and cached[0] is graph and cached[1] == len(graph):
        return cached[2]
    store = ox.Store()
    store.load(graph.serialize(format="nt").encode("utf-8"), ox.RdfFormat.N_TRIPLES)
    if len(_STORES) > 4:
        _STORES.clear()
    _STORES[id(graph)] = (graph, len(graph), store)
    return store


def source_text(graph, doc: str) -> str:
    """The pk:sourceText of document `doc` (an IRI) in an rdflib graph or a qa_app.snapshot.GraphSnapshot."""
    from qa_app.snapshot import GraphSnapshot
    if isinstance(graph, GraphSnapshot):
        return graph.texts.get(doc, "")
    return str(graph.value(URIRef(doc), PK.sourceText) or "")


def _value(solution, name: str):
    try:
        term = solution[name]
    except (KeyError, IndexError):
        return None
    return None if term is None else term.value


def _kind_order() -> dict[str, int]:
    from kg_builder.vocab import AMOUNT_KINDS
    return {k: i for i, k in enumerate(AMOUNT_KINDS)}


_KIND_ORDER = _kind_order()


def run_query(p: Parsed, graph: Graph, docs: list[Document]) -> dict:
    """Run the query; one answer per (document, clause), its quote the span of the matching measures."""
    from qa_app.answer import amount_text

    query = build_query(p)
    by_iri = {d.iri: d for d in docs}
    texts: dict[str, str] = {}
    grouped: dict[tuple[str, str], dict] = {}
    agg = None
    for r in store_for(graph).query(query):
        doc = _value(r, "doc")
        if doc not in texts:
            texts[doc] = source_text(graph, doc)
        key = (doc, _value(r, "clauseId"))
        g = grouped.setdefault(key, {"label": _value(r, "label"), "spans": set(), "amounts": {}, "beneficiaries": set()})
        g["spans"].add((int(_value(r, "mS")), int(_value(r, "mE"))))
        g["beneficiaries"].add(_value(r, "ben"))
        if _value(r, "kind") is not None:
            value = _value(r, "value")
            amount = (_value(r, "kind").rsplit("#", 1)[-1], None if value is None else Decimal(value))
            g["amounts"][amount] = min(g["amounts"].get(amount, 1 << 62), int(_value(r, "mS")))
        if _value(r, "agg") is not None:
            agg = Decimal(_value(r, "agg"))
    answers = []
    for (doc, clause), g in grouped.items():
        d = by_iri.get(doc) or Document(doc, doc.rstrip("/").rsplit("/", 1)[-1], "")
        start = min(s for s, _ in g["spans"])
        end = max(e for _, e in g["spans"])
        quote = texts[doc][start:end]
        # in the text's order, whatever order the store returns rows in (rdflib and pyoxigraph differ)
        order = sorted(g["amounts"], key=lambda kv: (g["amounts"][kv], _KIND_ORDER.get(kv[0], 99),
                                                      Decimal(-1) if kv[1] is None else kv[1]))
        amounts = [{"kind": k, "value": None if v is None else _decimal_text(v)} for k, v in order]
        shown = "；".join(dict.fromkeys(amount_text({"kind": a["kind"], "value": a["value"], "citation": {"quote": "…"}})
                                       for a in amounts))
        answers.append({"document": d.id, "document_title": d.short_title, "clause": clause, "label": g["label"],
                        "score": 1.0, "quote": quote, "answer": f"{g['label']}：{quote}" + (f"（{shown}）" if shown else ""),
                        "amounts": amounts, "beneficiaries": sorted(g["beneficiaries"]),
                        "citation": {"document": d.id, "start": start, "end": end, "quote": quote}})
    answers.sort(key=lambda a: (a["document"], a["citation"]["start"]))
    out = {"kind": "aggregate" if p.intent == "aggregate" else p.intent, "query": query, "answers": answers}
    if p.intent == "aggregate":
        if p.op == "count":
            out["value"] = str(len(answers) if agg is None else int(agg))
        elif agg is not None:
            out["value"] = _decimal_text(Decimal(agg))
        else:
            out["value"] = None
        out["aggregate"] = p.op
    return out


def answer_from_graph(question: str, graph: Graph, *, docs: list[Document] | None = None) -> dict | None:
    """The graph's answer, or None when the question is not one it answers (retrieval then answers it).
    A guide question returns {"kind": "guide"} with no answers: retrieval over the guides answers it."""
    docs = docs if docs is not None else documents(graph)
    p = parse(question, docs)
    if p.intent == "guide":
        return {"kind": "guide", "query": None, "answers": [], "parsed": p}
    if not routed(p):
        return None
    out = run_query(p, graph, docs)
    if not out["answers"] and p.topics:
        return None  # the topic words are not in the text as written: retrieval reads meaning, not words
    out["parsed"] = p
    return out
