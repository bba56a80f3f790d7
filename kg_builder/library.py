"""A library of documents: a corpus folder (or one file) → one build per document and one union graph.

`load_corpus(path)` reads a file or every `*.txt` of a folder with its optional `<id>.meta.yaml` (the
document id is the file's stem; the metadata wins; without it the kind is read from the text — a 办事指南 has
政策依据/申请条件/申请材料 sections — and the title from its first lines). `build_library(path)` builds each
policy with kg_builder.build.build_source (one ELI work per document, IRIs that include its id), parses each
guide (kg_builder.guide), resolves the guide's citations, links it to the clauses it implements, adds its
申请条件 to those measures (cited to the guide) and keeps its checklist, window and office per measure.
`Library.in_force(as_of)` picks, among the versions of a document (`replaces:` in the metadata), the one in
force on a day.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from .build import BuildResult, build_source
from .cache import cached_build, rekey
from .config import BuildConfig
from .corpus import META_SUFFIX, Source, load_source
from .errors import PolicyInputError
from .guide import Guide, guide_conditions, implemented_clauses, is_guide, parse_guide, resolve_citations
from .vocab import ELI, PK

KINDS = {"policy": "policy", "guide": "guide", "rules": "rules", "implementing rules": "rules",
         "implementing_rules": "rules", "实施细则": "rules", "办事指南": "guide", "政策": "policy"}
REGION = re.compile(r"^(?:(?:(?!促进|关于|支持|加快|推动|印发|鼓励)[^（(《])*?(?:省|市|区|县|新区|自治州|盟|旗))+"
                    r"(?:[（(][^）)]{1,8}[）)])?")
SHORT_MAX = 18


@dataclass
class Document:
    doc_id: str
    kind: str  # policy | rules | guide
    title: str
    short_title: str
    source: Source
    build: BuildResult | None = None  # policies and implementing rules
    guide: Guide | None = None
    guide_graph: Graph | None = None

    @property
    def text(self) -> str:
        return self.source.text

    @property
    def meta(self) -> dict:
        return self.build.meta if self.build is not None else self.source.meta

    @property
    def grants(self) -> bool:
        """A guide grants nothing itself: only policies (and implementing rules) are checked."""
        return self.kind != "guide" and self.build is not None


@dataclass
class Library:
    path: Path
    single: bool  # --corpus named one file
    documents: dict[str, Document]
    links: dict[str, list[dict]] = field(default_factory=dict)  # measure id → what each implementing guide adds
    citations: dict[str, list[dict]] = field(default_factory=dict)  # guide id → its 政策依据, resolved or not
    _union: Graph | None = field(default=None, repr=False)

    @property
    def graph(self) -> Graph:
        """Every document in one graph, made on first use: `policykg build` on one text never needs it, and
        copying a 1,000-article graph triple by triple costs seconds."""
        if self._union is None:
            union = Graph()
            for doc in self.documents.values():
                union += doc.build.graph if doc.build is not None else doc.guide_graph
            self._union = union
        return self._union

    def policies(self, only=()) -> list[Document]:
        return [d for d in self.select(only) if d.grants]

    def select(self, only=()) -> list[Document]:
        unknown = [i for i in only if i not in self.documents]
        if unknown:
            raise PolicyInputError("--doc", f"no document {unknown[0]!r} in {self.path}",
                                   expected="one of " + ", ".join(self.documents))
        return [d for i, d in self.documents.items() if not only or i in only]

    def title_of(self, doc_id: str) -> str:
        d = self.documents.get(doc_id)
        return d.short_title if d else doc_id

    def in_force(self, docs: list[Document], as_of: date | None) -> tuple[list[Document], list[dict]]:
        """Of each chain of versions (`replaces:`), the one in force on `as_of` (the newest without a day);
        the others are reported, not checked."""
        return choose_versions(docs, as_of)


def short_title(title: str) -> str:
    """'广州南沙新区(自贸片区)促进商贸业发展扶持办法' → '促进商贸业发展扶持办法': the jurisdiction before the
    subject is dropped; a long rest is cut."""
    rest = REGION.sub("", title).strip() or title
    return rest if len(rest) <= SHORT_MAX else rest[:SHORT_MAX - 1] + "…"


def corpus_files(path: Path | str) -> list[Path]:
    path = Path(path)
    if not path.exists():
        raise PolicyInputError(str(path), "no such file or folder", expected="a policy text or a corpus folder")
    if path.is_file():
        return [path]
    files = sorted(p for p in path.glob("*.txt") if p.is_file())
    if not files:
        raise PolicyInputError(str(path), "the folder holds no .txt document", expected="<id>.txt files")
    return files


def title_from_text(text: str) -> str | None:
    """The first non-empty line when it reads as a title (short, not a numbered clause, not a sentence)."""
    for line in text.splitlines()[:5]:
        line = line.strip()
        if not line:
            continue
        if len(line) <= 60 and not re.match(r"^(?:第[一二三四五六七八九十百\d]+条|[一二三四五六七八九十]+、|[（(]|\d)", line) \
                and not re.search(r"[。；;]", line):
            return line
        return None
    return None


def _entry(path: Path) -> tuple[Source, str, str]:
    source = load_source(path)
    meta = source.meta
    kind = KINDS.get(str(meta.get("kind") or "").strip().lower()) if meta.get("kind") else None
    if meta.get("kind") and kind is None:
        raise PolicyInputError(str(path.with_name(source.doc_id + META_SUFFIX)), f"unknown kind {meta['kind']!r}",
                               where="kind", expected="policy, implementing rules or guide")
    kind = kind or ("guide" if is_guide(source.text) else "policy")
    title = str(meta.get("title") or title_from_text(source.text) or source.doc_id)
    return source, kind, title


def load_corpus(path: Path | str) -> list[tuple[Source, str, str]]:
    """(source, kind, title) of every document of a file or folder."""
    return [_entry(p) for p in corpus_files(path)]


def build_library(path: Path | str, *, config: BuildConfig = BuildConfig()) -> Library:
    path = Path(path)
    docs: dict[str, Document] = {}
    for source, kind, title in load_corpus(path):
        doc_id = str(source.meta.get("id") or source.doc_id)
        doc = Document(doc_id, kind, title, str(source.meta.get("short_title") or short_title(title)), source)
        if kind == "guide":
            doc.guide = parse_guide(source.text)
        else:
            doc.build = cached_build(source.path, config=config)
        docs[doc_id] = doc
    library = Library(path, path.is_file(), docs)
    for doc in docs.values():
        if doc.build is not None:
            _describe(doc.build.graph, doc)
    for doc in docs.values():
        if doc.guide is not None:
            _link_guide(library, doc, config)
    inputs = [f"{d.doc_id}:{d.kind}:{hashlib.sha256(d.source.text.encode('utf-8')).hexdigest()}:{d.source.meta!r}"
              for d in docs.values()] + [repr(config)]
    for doc in docs.values():
        if doc.build is not None:
            rekey(doc.build.graph, *inputs)  # the links above read only these: derived views stay cached
    return library


def _describe(g: Graph, doc: Document) -> None:
    d = URIRef(_iri(doc))
    g.add((d, PK.documentKind, Literal(doc.kind)))
    g.add((d, PK.shortTitle, Literal(doc.short_title, lang="zh")))
    if replaces(doc):
        g.add((d, PK.replaces, Literal(replaces(doc))))


def _iri(doc: Document, config: BuildConfig = BuildConfig()) -> str:
    return doc.build.doc_iri if doc.build is not None else f"{config.base_iri}{doc.doc_id}"


def _clauses(doc: Document) -> dict[str, tuple[int, int]]:
    """Clause id → span; articles also by their number (第三条 with items is not itself a clause)."""
    root = doc.build.extraction.structure.root
    out = {str(n.number): (n.start, n.end) for n in root.walk() if n.kind == "article" and n.number is not None}
    return out | {n.clause: (n.start, n.end) for n in doc.build.extraction.structure.clauses()}


def _candidates(doc: Document) -> list[dict]:
    """Clauses of a policy that hold measures, with their article's caption."""
    structure = doc.build.extraction.structure
    with_measures = {m.clause for m in doc.build.measures}
    out, caption = [], ""
    for node in structure.root.walk():
        if node.kind in ("article", "supplementary", "chapter", "section", "heading"):
            caption = structure.quote(node.caption) if node.caption else ""
        if node.clause in with_measures:
            out.append({"document": doc.doc_id, "clause": node.clause, "label": node.label, "caption": caption,
                        "text": structure.text[node.body_start:node.end], "span": (node.start, node.end)})
    return out


def _link_guide(library: Library, doc: Document, config: BuildConfig) -> None:
    from .lexicon import load_lexicon
    from .rdf import GraphWriter
    guide, docs = doc.guide, library.documents
    replaced = {replaces(d) for d in docs.values()}
    order = sorted((d for d in docs.values() if d is not doc), key=lambda d: d.doc_id not in replaced)
    resolve_citations(guide, {d.doc_id: {"title": d.title, "meta": d.source.meta,  # a shared title: the newest version
                                         "clauses": _clauses(d) if d.build else {}} for d in order})
    writer = GraphWriter(_iri(doc, config), doc.text, load_lexicon(config.lexicon_path))
    g, me = writer.g, writer.doc
    writer.document({**doc.source.meta, "title": doc.title}, doc.source.sha256)
    g.remove((me, RDF.type, PK.Policy))
    g.add((me, RDF.type, PK.Guide))
    _describe(g, doc)
    library.citations[doc.doc_id] = []
    for n, c in enumerate(guide.citations, 1):
        node = writer.iri("basis", str(n))
        g.add((me, PK.basis, node))
        g.add((node, RDF.type, PK.GuideCitation))
        for prop, value in ((PK.citedTitle, c.title), (PK.citedNumber, c.number)):
            if value:
                g.add((node, prop, Literal(value)))
        g.add((node, PK.resolved, Literal(c.document is not None)))
        writer.cite(node, c.start, c.end)
        target = None
        if c.document:
            cited = docs[c.document]
            target = URIRef(_iri(cited))
            if c.clause:
                cg = cited.build.graph
                target = cg.value(predicate=PK.clauseId, object=Literal(c.clause)) or next(
                    (s for s in cg.subjects(ELI.number, Literal(c.clause)) if (s, RDF.type, PK.Article) in cg), target)
            g.add((node, ELI.cites, target))
            g.add((me, ELI.cites, target))
        library.citations[doc.doc_id].append(
            {"title": c.title, "number": c.number, "article": c.article, "item": c.item, "document": c.document,
             "clause": c.clause,
             "resolved": c.document is not None, "note": c.note,
             "citation": {"document": doc.doc_id, "start": c.start, "end": c.end, "quote": doc.text[c.start:c.end]},
             "target": _target(docs[c.document], c) if c.document else None})
    cited = [c.document for c in guide.citations if c.document and docs[c.document].grants]
    implemented = [i for i in (doc.source.meta.get("implements") or []) if i in docs and docs[i].grants]
    pool = [docs[i] for i in dict.fromkeys(cited or implemented)] or [d for d in docs.values() if d.grants]
    articles = {(c.document, c.clause) for c in guide.citations if c.clause and c.document in {d.doc_id for d in pool}}
    candidates = [c for d in pool for c in _candidates(d)  # 第三条: its items only; 第三条第（一）项: that item
                  if not articles or any(c["document"] == a and (c["clause"] == k or c["clause"].startswith(k + "."))
                                         for a, k in articles)]
    clauses = implemented_clauses(guide, doc.title, candidates)
    extras = _guide_extras(doc)
    conditions = guide_conditions(guide, config)
    for n, c in enumerate(clauses, 1):
        policy = docs[c["document"]]
        link = writer.iri("implements", str(n))
        g.add((link, RDF.type, PK.ImplementationLink))
        clause_iri = policy.build.graph.value(predicate=PK.clauseId, object=Literal(c["clause"]))
        if clause_iri is not None:
            g.add((link, PK.target, clause_iri))
        writer.cite(link, *c["guide_span"])
        added = GraphWriter(_iri(doc, config), doc.text, writer.lexicon)
        for m in policy.build.measures:
            if m.clause != c["clause"]:
                continue
            m_iri = URIRef(f"{policy.build.doc_iri}/measure/{m.clause}-{m.index}")
            g.add((me, PK.implements, m_iri))
            for i, cond in enumerate(conditions, 1):
                s = added.condition(cond, URIRef(f"{m_iri}/condition/{doc.doc_id}-{i}"))
                added.g.add((m_iri, PK.hasCondition, s))
            library.links.setdefault(f"{policy.doc_id}/{m.clause}-{m.index}", []).append(
                extras | {"clause": c["clause"], "guide_span": c["guide_span"]})
        policy.build.graph += added.g
    _write_extras(writer, extras)
    doc.guide_graph = g


def _target(cited: Document, c) -> dict:
    out = {"document": cited.doc_id, "title": cited.short_title}
    if c.target:
        out.update(clause=c.clause, start=c.target[0], end=c.target[1], quote=cited.text[c.target[0]:c.target[1]])
    return out


def _cite(doc: Document, a: int, b: int) -> dict:
    return {"document": doc.doc_id, "start": a, "end": b, "quote": doc.text[a:b]}


def _guide_extras(doc: Document) -> dict:
    """What a guide adds to each measure it implements: checklist (申请材料), window (申请时间), office (受理部门)."""
    guide = doc.guide
    checklist = [{"item": doc.text[a:b], "level": level, "citation": _cite(doc, a, b)}
                 for a, b, level in guide.items("materials")]
    window = guide.window
    if window:
        window = {"text": window["text"], "opens": window["opens"] and window["opens"].isoformat(),
                  "closes": window["closes"] and window["closes"].isoformat(),
                  "citation": _cite(doc, window["start"], window["end"])}
    office = guide.office
    if office:
        office = {"text": office["text"], "citation": _cite(doc, office["start"], office["end"])}
    return {"guide": doc.doc_id, "guide_title": doc.short_title, "checklist": checklist,
            "application_window": window, "office": office}


def _write_extras(writer, extras: dict) -> None:
    g, me = writer.g, writer.doc
    for n, item in enumerate(extras["checklist"], 1):
        s = writer.iri("material", str(n))
        g.add((me, PK.checklistItem, s))
        g.add((s, RDF.type, PK.EvidenceItem))
        g.add((s, RDFS.label, Literal(item["item"], lang="zh")))
        writer.cite(s, item["citation"]["start"], item["citation"]["end"])
    for key, cls, prop in (("application_window", PK.ApplicationWindow, PK.applicationWindow),
                           ("office", PK.Office, PK.office)):
        value = extras[key]
        if not value:
            continue
        s = writer.iri(key.replace("_", "-"))
        g.add((me, prop, s))
        g.add((s, RDF.type, cls))
        g.add((s, RDFS.label, Literal(value["text"], lang="zh")))
        for p, k in ((PK.windowStart, "opens"), (PK.windowEnd, "closes")):
            if value.get(k):
                g.add((s, p, Literal(value[k], datatype=XSD.date)))
        writer.cite(s, value["citation"]["start"], value["citation"]["end"])


# ---- versions ----

def _day(value) -> date | None:
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def replaces(doc: Document) -> str:
    """The id of the version this document replaces (`replaces: ID` or `[ID]` in its metadata), or ''."""
    value = doc.source.meta.get("replaces")
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
    return str(value or "")


def choose_versions(docs: list[Document], as_of: date | None) -> tuple[list[Document], list[dict]]:
    by_id = {d.doc_id: d for d in docs}
    replaced = {replaces(d) for d in docs if replaces(d) in by_id}
    chosen, notes = [], []
    for head in (d for d in docs if d.doc_id not in replaced):  # the newest version of each chain
        chain = [head]
        while replaces(chain[-1]) in by_id and len(chain) <= len(docs):
            chain.append(by_id[replaces(chain[-1])])
        pick = _pick(chain, as_of)
        chosen.append(pick)
        for other in chain:
            if other is not pick:
                notes.append({"document": other.doc_id, "title": other.short_title, "instead": pick.doc_id,
                              "as_of": as_of and as_of.isoformat(),
                              "note": f"{as_of or '当前'}适用的版本是{pick.short_title}（{pick.doc_id}），"
                                      f"{other.doc_id}不再检查"})
    order = {d.doc_id: i for i, d in enumerate(docs)}
    return sorted(chosen, key=lambda d: order[d.doc_id]), notes


def _pick(chain: list[Document], as_of: date | None) -> Document:
    """chain: newest first. Without a day, the newest; with one, the newest in force by then, else the newest
    that has no in-force date (a draft), else the oldest."""
    if as_of is None:
        return chain[0]
    starts = [_day(d.meta.get("date_in_force")) for d in chain]
    return next((d for d, s in zip(chain, starts) if s is not None and s <= as_of), None) \
        or next((d for d, s in zip(chain, starts) if s is None), chain[-1])
